package rewrite

import "testing"

// issue15cCases specify the rewrites of issue 15's third round (user-found
// bugs and compile failures of Go's test programs), before and after.
var issue15cCases = []rewriteCase{
	{name: "nil and concrete values into interfaces among several assigned go through variables of the destination's type", decls: true,
		facts: Facts{TypeDecls: []string{"type T struct{ n int }", "func (t T) Error() string"}, VarTypes: map[string]string{"g": "error"}},
		in: `func f(n int) (int, error) {
	var w int
	var err error
	var p *int
	var a any
	w, err = n, nil
	w, p = n, nil
	w, a, p = n, nil, &n
	w, err = next(), T{5}
	w, g = 1, err
	return w, err
}`,
		out: `func f(n int) (int, error) {
	var w int
	var err error
	var p *int
	var a any
	{
		var ᐧa1 error = nil
		w, err = n, ᐧa1
	}
	{
		var ᐧa1 *int = nil
		w, p = n, ᐧa1
	}
	{
		w, p = n, &n
		a = nil
	}
	{
		ᐧa0 := next()
		var ᐧa1 error = func() error { ᐧv := T{5}; var ᐧi error = ᐧv; return ᐧi }()
		w, err = ᐧa0, ᐧa1
	}
	w, g = 1, err
	return w, err
}`},
	{name: "closures that a function's defer statements call are made by a call of their own", decls: true,
		in: `func f() (s string) {
	add := func(i int) { s += "x" }
	var undo = func() { s = "" }
	show := func() { fmt.Print(s) }
	defer add(1)
	defer func() { undo() }()
	show()
	return
}`,
		out: `func f() (s string) {
	add := func() func(i int) { return func(i int) { s += "x" } }()
	var undo = func() func() { return func() { s = "" } }()
	show := func() { fmt.Print(s) }
	defer add(1)
	defer func() { undo() }()
	show()
	return
}`},
	{name: "a conversion of nil to an interface stays as it is", in: `e := error(nil)`, out: `e := error(nil)`},
}

func TestIssue15cRewrites(t *testing.T) {
	runRewriteCases(t, issue15cCases)
}

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
	w, err = (next()), (func() error { ᐧv := T{5}; var ᐧi error = ᐧv; return ᐧi }())
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
	{name: "top-level variables defined from *p or an index of a pointer get their type written",
		facts: Facts{VarTypes: map[string]string{"ps": "*[]int"}, TypeDecls: []string{"type S struct{ f int }"}},
		in: `a := [3]int{1, 2, 3}
p := &a
q := &(*p)[2]
var x = p[1] + 1
f := (*ps)[0]
s := &S{1}
g := (*s).f
r := a[0]
var n = len(*ps)
h := func() int { return (*p)[0] }`,
		out: `a := [3]int{1, 2, 3}
p := &a
var q *int = &(*p)[2]
var x int = p[1] + 1
var f int = (*ps)[0]
s := &S{1}
var g int = (*s).f
r := a[0]
var n int = len(*ps)
h := func() int { return (*p)[0] }`},
	{name: "an array operand under & is not converted (a conversion would point into a copy)",
		facts: Facts{Operands: map[string]string{"(*p)": "[3]int", "xs": "[]int"}},
		in: `q := &(*p)[2]
y := (*p)[1]
z := &xs[0]`,
		out: `q := &(*p)[2]
y := ([3]int)((*p))[1]
z := &([]int)(xs)[0]`},
	{name: "len and cap of arrays and pointers to them, and ranges over pointers to arrays with an index only, are written out", decls: true,
		facts: Facts{VarTypes: map[string]string{"s": "[][30]int"}},
		in: `const n = len(s[10])

var k = cap(f())

func f() *[40]int { return nil }

func g(p *[10]int, xs []int) int {
	t := 0
	for i := range p {
		t += i
	}
	for i, v := range p {
		t += i + v
	}
	for i := range mk() {
		t += i
	}
	return t + len(p) + len(xs) + len("abc")
}

func mk() *[3]int { return nil }`,
		out: `const n = int(30)

var k = func(any) int { return 40 }(f())

func f() *[40]int { return nil }

func g(p *[10]int, xs []int) int {
	t := 0
	{
		ᐧn := 10
		for i := ᐧn - ᐧn; i < ᐧn; i++ {
			t += i
		}
	}
	for i, v := range p {
		t += i + v
	}
	for i := range mk() {
		t += i
	}
	return t + int(10) + len(xs) + len("abc")
}

func mk() *[3]int { return nil }`},
	{name: "real and imag of complex constants are written out, with the declarations of the session and the cell's other units",
		facts: Facts{ValueDecls: []string{"const (\n\tC6 = 6 + 6i\n\tCe complex128 = C6 * 2\n)", "func f() *[40]int"}},
		in: `a := real(Ce)
b := float32(imag(C6))
c := real(complex(2, 0))
n := len(f())
var z complex128
d := real(z)`,
		out: `a := float64(12.0)
b := float32(float32(6.0))
c := float64(2.0)
n := func(any) int { return 40 }(f())
var z complex128
d := real(z)`},
	{name: "a constant named like a predeclared identifier gets its internal name where it is declared and used", decls: true,
		facts: Facts{Rename: map[string]string{"len": "lenᐧ1"}},
		in: `const len = 3

func f(xs []int) int {
	n := len
	return n
}

func g(len int) int { return len }`,
		out: `const lenᐧ1 = 3

func f(xs []int) int {
	n := lenᐧ1
	return n
}

func g(len int) int { return len }`},
	{name: "&p[i] of a pointer to an array declared in another unit is dereferenced", decls: true,
		facts: Facts{ValueDecls: []string{"var (\n\tss = make([]string, 10)\n\ts5 = (*[5]string)(ss)\n)"}},
		in:    `func same() bool { return &ss[0] == &s5[0] }`,
		out:   `func same() bool { return &ss[0] == &(*s5)[0] }`},
	{name: "a select's channel operands are evaluated before it when one is an index expression", decls: true,
		in: `func f(req, dat *[2]chan int, c chan int, done chan bool) (it int) {
L:
	select {
	case req[0] <- it:
	case it = <-dat[0]:
	case c <- g():
	case <-done:
		goto L
	}
	select {
	case v := <-c:
		return v
	}
}`,
		out: `func f(req, dat *[2]chan int, c chan int, done chan bool) (it int) {
	{
		ᐧc0, ᐧc1, ᐧc2 := req[0], dat[0], g()
	L:
		select {
		case ᐧc0 <- it:
		case ᐧv := <-ᐧc1:
			it = ᐧv
		case c <- ᐧc2:
		case <-done:
			if true {
				goto L
			}
		}
	}
	select {
	case ᐧv := <-c:
		v := ᐧv
		return v
	}
}`},
	{name: "a conversion of nil to an interface stays as it is", in: `e := error(nil)`, out: `e := error(nil)`},
}

func TestIssue15cRewrites(t *testing.T) {
	runRewriteCases(t, issue15cCases)
}

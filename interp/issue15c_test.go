package interp

import (
	"context"
	"testing"
	"time"
)

// TestIssue15c has a scenario per fix of issue 15's third round: what a
// notebook user (or one of Go's own test programs) wrote, and what
// compiled Go does with it.
func TestIssue15c(t *testing.T) {
	runScenarios(t, []scenario{
		{"nil and a cell type's value into interfaces among several assigned values (was: reflect: New(nil), not assignable)", []step{
			{code: "type T struct{ n int }\nfunc (t T) Error() string { return fmt.Sprint(\"T\", t.n) }"},
			{code: `func f() (int, error) {
	var w int
	var err error = T{1}
	w, err = 3, nil
	return w, err
}
func g() (int, error) {
	var w int
	var e error
	w, e = 4, T{5}
	return w, e
}
func h() (int, any, *int) {
	var w int
	var a any = 1
	p := new(int)
	w, a, p = 5, nil, nil
	return w, a, p
}
fmt.Println(f())
fmt.Println(g())
fmt.Println(h())`, out: "3 <nil>\n4 T5\n5 <nil> <nil>\n"},
			{code: "var w int\nvar err error = T{2}\nw, err = 6, nil\nfmt.Println(w, err, error(nil) == nil)", out: "6 <nil> true\n"},
		}},
	})
}

// TestDeferredClosure: a deferred call of a closure made by the same
// function returns (yaegi alone waited for ever for the lock of the
// function's frame); a minute is far more than the cell needs, to tell a
// hang from a loaded machine.
func TestDeferredClosure(t *testing.T) {
	s := newSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := runCtx(ctx, t, s, 1, `func f() (s string) {
	add := func(i int) { s += fmt.Sprint("x", i) }
	defer add(1)
	defer func() { add(2) }()
	s = "a"
	return s + "b"
}
fmt.Println(f())`, nil)
	if o.res.Err != nil {
		t.Fatalf("the cell failed (a hang ends as an interrupt): %v", o.res.Err)
	}
	if o.stdout != "abx2x1\n" {
		t.Errorf("stdout %q, want %q", o.stdout, "abx2x1\n")
	}
}

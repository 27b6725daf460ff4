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
		{"top-level variables defined from *p or an index of a pointer (was: compile crashed, invalid memory address; constant definition loop)", []step{
			{code: "a := [3]int{1, 2, 3}\np := &a\nq := &(*p)[2]\n*q = 9\nx := p[1] + 1\nfmt.Println(a, x)", out: "[1 2 9] 3\n"},
			{code: "type S struct{ f int }\ns := &S{1}\nf := &(*s).f\n*f = 4\nsl := []int{5, 6}\nps := &sl\ny := (*ps)[0] + 1\nfmt.Println(*s, y)", out: "{4} 6\n"},
			{code: "r := &(*p)[0]\n*r = 7\nfmt.Println(a)", out: "[7 2 9]\n"},
			{code: "var v any = &[3]int{1, 2, 3}\npv := v.(*[3]int)"},
			// pv's type comes from its value (a *[3]int) since session 8.
			{code: "w := &(*pv)[2]\n*w = 8\nfmt.Println(*pv)", out: "[1 2 8]\n"},
			// Not when a session type may hide behind that reflect type.
			{code: "type N int\nvar vn any = &[3]N{1, 2, 3}\npn := vn.(*[3]N)"},
			{code: "wn := &(*pn)[2]\n*wn = 9", err: "cannot infer the type of wn, defined at the cell's top level from a pointer's element: write its type, var wn T = ..."},
			{code: "var wn *N = &(*pn)[2]\n*wn = 9\nfmt.Println(*pn)", out: "[1 2 9]\n"},
		}},
		{"len of a nil pointer to an array and a range over it with an index (was: call of reflect.Value.Len on zero Value)", []step{
			{code: `func sum() (int, int) {
	var p *[10]int
	s := 0
	for i := range p {
		s += i
	}
	n := 0
	for i := 0; i < len(p); i++ {
		n++
	}
	return s, n
}
var grid [][4]int
const w = len(grid[3])
fmt.Println(sum())
fmt.Println(w)`, out: "45 10\n4\n"},
		}},
		{"real and imag of complex constants (was: CFG post-order panic: call of reflect.Value.Complex on interface Value)", []step{
			{code: "const C = 1.5 + 2i\nconst Ce complex128 = C * 2"},
			{code: "func parts() (float64, float32) { return real(Ce), float32(imag(C)) }\nfmt.Println(parts())\nfmt.Println(real(C) + 1)", out: "3 2\n2.5\n"},
		}},
		{"constants named like predeclared identifiers (was: CFG post-order panic: index out of range)", []step{
			{code: "const (\n\tappend = 1\n\tbool   = 2\n\tmax    = 3\n)\nfmt.Println(append + bool + max)", out: "6\n"},
			{code: "func f() int { return max * 2 }\nfmt.Println(f(), min(4, 5), len(\"ab\"))", out: "6 4 2\n"},
		}},
		{"&p[i] of a package-level pointer to an array typed by its initializer (was: cannot take address of string)", []step{
			{code: "var (\n\tss = make([]string, 10)\n\ts5 = (*[5]string)(ss)\n)\nfunc same() bool { return &ss[0] == &s5[0] }\nfmt.Println(same())", out: "true\n"},
		}},
		{"a select receiving from an element of a pointer to an array of channels (was: compile crashed, invalid memory address)", []step{
			{code: `func get() (int, int) {
	req := new([2]chan int)
	dat := new([2]chan int)
	r := make(chan int, 1)
	req[0], dat[1] = r, make(chan int, 1)
	dat[1] <- 7
	got := 0
	for n := 0; n < 2; n++ {
		select {
		case req[0] <- 5:
			req[0] = nil
		case got = <-dat[1]:
			dat[1] = nil
		}
	}
	return got, <-r
}
fmt.Println(get())`, out: "7 5\n"},
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

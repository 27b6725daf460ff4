package interp

import "testing"

// TestIssue15More has the scenarios of issue 15's findings that remained
// after TestIssue15: each is what a notebook user wrote, and what compiled
// Go does with it.
func TestIssue15More(t *testing.T) {
	runScenarios(t, []scenario{
		{"math/rand/v2's N takes any integer type (was: cannot use type time.Duration as type int)", []step{
			{code: "import r2 \"math/rand/v2\"\nd := r2.N(10 * time.Second)\nfmt.Printf(\"%T %v\\n\", d, d >= 0 && d < 10*time.Second)", out: "time.Duration true\n"},
			{code: "type Small uint16\nfunc pick() Small { return r2.N[Small](4) }\nvar s Small = pick()\nfmt.Println(s < 4, r2.N(uint8(3)) < 3)", out: "true true\n"},
			{code: "x := r2.N[int32](1000)\nfmt.Printf(\"%T %v\\n\", x, x < 1000)", out: "int32 true\n"},
			{code: "r2.N(0)", err: "panic: invalid argument to N", tb: "cell[4]:1:1: in cell"},
		}},
		{"== on errors holding values of a cell-defined error type (was: false, or comparing uncomparable type interp._error)", []step{
			{code: "import \"errors\"\ntype E struct{ msg string }\nfunc (e *E) Error() string { return e.msg }\nvar ErrX = &E{\"x\"}\nfunc parse() error { return ErrX }\nerr := parse()\nfmt.Println(err == ErrX, err != ErrX)", out: "true false\n"},
			{code: "e := &E{\"y\"}\nw := fmt.Errorf(\"w: %w\", e)\nfmt.Println(errors.Unwrap(w) == e, errors.Unwrap(w) == err)", out: "true false\n"},
			{code: "var ee error = ErrX\nfunc check(x error) bool { return x == ErrX }\nfmt.Println(ee == err, check(ee), check(errors.Unwrap(fmt.Errorf(\"%w\", ErrX))), check(e))", out: "true true true false\n"},
		}},
	})
}

package lib

import (
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestErrorsSeeCellErrorTypes: errors.As finds a cell-defined error type
// in a chain fmt.Errorf built (it panicked), and errors.Is matches a
// wrapped sentinel of a cell-defined type (comparing yaegi's wrappers
// panicked) and a native one.
func TestErrorsSeeCellErrorTypes(t *testing.T) {
	in := yinterp.New(yinterp.Options{})
	if err := in.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := in.Use(Symbols); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval(`import ("errors"; "fmt")
type ParseError struct{ Line int }
func (e *ParseError) Error() string { return fmt.Sprintf("line %d", e.Line) }
var ErrNative = errors.New("native")
var ErrCell error = &ParseError{9}
`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ code, want string }{
		{`func as1() string { var e error = &ParseError{3}; err := fmt.Errorf("wrap: %w", e); var pe *ParseError; ok := errors.As(err, &pe); return fmt.Sprint(ok, " ", pe.Line, " ", err) }`, ""},
		{`as1()`, "true 3 wrap: line 3"},
		{`func as2() string { err := fmt.Errorf("wrap: %w", ErrNative); var pe *ParseError; return fmt.Sprint(errors.As(err, &pe), pe == nil) }`, ""},
		{`as2()`, "false true"},
		{`fmt.Sprint(errors.Is(fmt.Errorf("a: %w", fmt.Errorf("b: %w", ErrCell)), ErrCell), errors.Is(fmt.Errorf("x: %w", ErrNative), ErrNative), errors.Is(ErrCell, ErrNative))`, "true true false"},
		{`fmt.Sprint(errors.Is(errors.Join(ErrNative, ErrCell), ErrCell), errors.Is(nil, ErrCell), errors.Is(nil, nil))`, "true false true"},
	}
	for _, c := range cases {
		v, err := in.Eval(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if c.want == "" {
			continue
		}
		if got, _ := v.Interface().(string); got != c.want {
			t.Errorf("%s = %q, want %q", c.code, got, c.want)
		}
	}
}

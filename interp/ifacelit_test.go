package interp

import "testing"

// TestValueReceiversInInterfaces: a cell type whose methods have value
// receivers keeps them when its composite literal goes into an interface
// variable or a value of it is converted to an interface (issue 15's
// error types; yaegi alone panicked or printed the bare struct).
func TestValueReceiversInInterfaces(t *testing.T) {
	runScenarios(t, []scenario{
		{"an error type with a value receiver, declared, converted and wrapped (was: Method index out of range, not assignable, %!w)", []step{
			{code: "import \"errors\"\ntype NotFound struct{ Key string }\nfunc (e NotFound) Error() string { return \"not found: \" + e.Key }\nvar errTop error = NotFound{\"top\"}"},
			{code: "fmt.Println(errTop.Error(), errTop)", out: "not found: top not found: top\n"},
			{code: "var e error = NotFound{\"a\"}\nconv := error(NotFound{\"c\"})\nfmt.Println(e, conv)", out: "not found: a not found: c\n"},
			{code: "w := fmt.Errorf(\"lookup: %w\", e)\nfmt.Println(w, errors.Is(w, e), errors.Unwrap(w) == e)", out: "lookup: not found: a true true\n"},
			{code: "var a any = NotFound{\"d\"}\nerr, ok := a.(error)\nfmt.Println(ok, err)", out: "true not found: d\n"},
		}},
		{"a Stringer with a value receiver in a cell interface and in fmt.Stringer", []step{
			{code: "type Celsius struct{ D float64 }\nfunc (c Celsius) String() string { return fmt.Sprintf(\"%.1f°C\", c.D) }\ntype Named interface{ String() string }"},
			{code: "var s fmt.Stringer = Celsius{21.5}\nn := Named(Celsius{3})\nfmt.Println(s, n.String())", out: "21.5°C 3.0°C\n"},
			{code: "var a any = Celsius{5}\nfmt.Println(a)", out: "5.0°C\n"},
		}},
	})
}

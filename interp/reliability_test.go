package interp

import "testing"

// TestCellsCannotEndKernel: typos and ordinary mistakes that used to
// overflow the Go stack (a fatal error, not a panic) come back as errors.
func TestCellsCannotEndKernel(t *testing.T) {
	runScenarios(t, []scenario{
		{"a parameter typed by its own func's name", []step{
			{code: "func A(x A) {}", err: "A is a func, not a type"},
			{code: "1 + 1", value: "2"},
		}},
		{"a parameter typed by its func's name, with a result", []step{
			{code: "func f(x f) int { return 0 }", err: "f is a func, not a type"},
			{code: "func f(x int) int { return x }\nf(3)", value: "3"},
		}},
		{"unbounded recursion through a closure variable", []step{
			{code: "var g func(int) int\ng = func(n int) int { return g(n+1) + 1 }\ng(0)", err: "stack overflow"},
			{code: "1 + 1", value: "2"},
		}},
	})
}

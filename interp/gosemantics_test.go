package interp

import "testing"

// TestGoSemantics has one scenario per construct of valid Go that Go's own
// test programs (bench/gotests, issue 15) showed a cell did not run as Go
// does: what the code is, and what compiled Go prints for it.
func TestGoSemantics(t *testing.T) {
	runScenarios(t, []scenario{
		{"a cell's type named T, as the bootstrap's min/max type parameter (was: nil reflect type)", []step{
			{code: "type T chan uint64\nfunc mk() T { return make(T, 3) }\nfmt.Println(cap(mk()), min(2, 1))", out: "3 1\n"},
		}},
	})
}

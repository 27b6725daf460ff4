package interp

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestGoroutinePanicInsideYaegiKeepsTheSession runs Go's own
// test/gcgort.go as a cell: one of its goroutines hits a panic yaegi
// raises in its own code (`!` on an interface value) inside a call it makes
// through reflect, which got past the goroutine's interpreted recover and
// ended the process. The native recover of GoRun reports it; the session
// lives on. (No smaller program has shown the bypass.) The rewrites have
// since fixed that panic (a negation assigned to an interface), so the
// goroutine now meets another of yaegi's own at the same place: a switch
// on an interface whose cases have several types, which yaegi converts
// to the first one's. Without GoRun's recover this crashed 4 of 4 runs.
func TestGoroutinePanicInsideYaegiKeepsTheSession(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "test", "gcgort.go"))
	if err != nil {
		t.Skipf("Go's test programs are not installed: %v", err)
	}
	const at = "a = !a.(bool)"
	if strings.Count(string(src), at) != 1 {
		t.Fatalf("gcgort.go no longer has one %q: the test needs a new place for its panic", at)
	}
	code := strings.Replace(string(src), at, "switch v := a; v {\ncase 42:\ncase false:\n}\n"+at, 1)
	runScenarios(t, []scenario{
		{"gcgort.go", []step{
			{code: code, err: "cannot be converted to type int (in a goroutine)"},
			{code: `"alive"`, value: `"alive"`},
		}},
	})
}

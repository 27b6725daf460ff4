package interp

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestGoroutinePanicInsideYaegiKeepsTheSession runs Go's own
// test/gcgort.go as a cell: one of its goroutines hits a panic yaegi
// raises in its own code (`!` on an interface value) inside a call it makes
// through reflect, which got past the goroutine's interpreted recover and
// ended the process. The native recover of GoRun reports it; the session
// lives on. (No smaller program has shown the bypass.)
func TestGoroutinePanicInsideYaegiKeepsTheSession(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "test", "gcgort.go"))
	if err != nil {
		t.Skipf("Go's test programs are not installed: %v", err)
	}
	runScenarios(t, []scenario{
		{"gcgort.go", []step{
			{code: string(src), err: "SetBool on interface Value (in a goroutine)"},
			{code: `"alive"`, value: `"alive"`},
		}},
	})
}

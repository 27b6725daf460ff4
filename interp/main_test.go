package interp

import (
	"os"
	"testing"

	"github.com/gradlab/gradlab/interp/internal/capture"
)

// TestMain runs the tests and benchmarks with the kernel's collector
// targets (TuneGC), and flushes the captured standard output
// before the test binary exits: the testing package's own reports go
// through the session's pipes once a session has been created.
func TestMain(m *testing.M) {
	TuneGC()
	code := m.Run()
	if c := capture.Installed(); c != nil {
		c.SetDest(nil)
		c.Sync()
	}
	os.Exit(code)
}

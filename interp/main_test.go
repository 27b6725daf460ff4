package interp

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestMain runs the tests and benchmarks with the kernel's collector
// target (unless GOGC is set), and flushes the captured standard output
// before the test binary exits: the testing package's own reports go
// through the session's pipes once a session has been created.
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	code := m.Run()
	if theCapture != nil {
		theCapture.setDest(nil)
		theCapture.sync()
	}
	os.Exit(code)
}

package interp

import (
	"os"
	"testing"
)

// TestMain flushes the captured standard output before the test binary
// exits: the testing package's own reports go through the session's pipes
// once a session has been created.
func TestMain(m *testing.M) {
	code := m.Run()
	if theCapture != nil {
		theCapture.setDest(nil)
		theCapture.sync()
	}
	os.Exit(code)
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestFatalErrorReportedAfterRestart: a Go runtime fatal error, which ends
// the process, is shown by the next kernel started on the same connection
// file.
func TestFatalErrorReportedAfterRestart(t *testing.T) {
	if path := os.Getenv("GRADLAB_TEST_CRASH_FILE"); path != "" {
		watchCrashes(path)
		var mu sync.Mutex
		mu.Unlock() // fatal error: sync: unlock of unlocked mutex
		return
	}
	conn := filepath.Join(t.TempDir(), "kernel-1.json")
	path := crashFile(conn)
	t.Cleanup(func() { os.Remove(path) })
	cmd := exec.Command(os.Args[0], "-test.run=^TestFatalErrorReportedAfterRestart$")
	cmd.Env = append(os.Environ(), "GRADLAB_TEST_CRASH_FILE="+path)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child did not die: %s", out)
	}
	got := watchCrashes(path)
	// The runtime writes the message line ("fatal error: sync: unlock of
	// unlocked mutex") to standard error only; the file has the trace.
	if !strings.Contains(got, "sync.(*Mutex).Unlock") {
		t.Fatalf("the next kernel sees %q (the child wrote %q)", got, out)
	}
	if again := watchCrashes(path); again != "" {
		t.Fatalf("a crash is reported twice: %q", again)
	}
	removeCrashFile(path)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a normal exit leaves the crash file: %v", err)
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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

// TestPruneCrashFiles: a killed kernel's empty crash file is removed by a
// later kernel once it is old; a recent one, a report, the kernel's own
// and other files stay.
func TestPruneCrashFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := write("gradlab-crash-01.txt", "", 8*24*time.Hour)
	recent := write("gradlab-crash-02.txt", "", time.Hour)
	report := write("gradlab-crash-03.txt", "fatal error: ...", 30*24*time.Hour)
	own := write("gradlab-crash-04.txt", "", 30*24*time.Hour)
	other := write("notes.txt", "", 30*24*time.Hour)
	pruneCrashFiles(own, staleCrashAge)
	for p, kept := range map[string]bool{old: false, recent: true, report: true, own: true, other: true} {
		_, err := os.Stat(p)
		if exists := err == nil; exists != kept {
			t.Errorf("%s: kept %v, want %v", filepath.Base(p), exists, kept)
		}
	}
}

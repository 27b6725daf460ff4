package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// A Go runtime fatal error (concurrent map writes, unlock of an unlocked
// mutex, a stack overflow in native code) ends the process whatever the
// interpreter does: it cannot be recovered. Its report goes to the
// original standard error (Jupyter's log); the notebook only shows that the
// kernel died. So the report is also written to a file per connection
// file (the runtime writes the trace there; its message line, such as
// "fatal error: concurrent map writes", only to standard error), and the
// kernel Jupyter restarts on the same connection file shows the trace's
// first lines on the first cell's stderr.

// crashFile is the file where the kernel of connection file conn writes a
// fatal error's report.
func crashFile(conn string) string {
	abs, err := filepath.Abs(conn)
	if err != nil {
		abs = conn
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "gradlab-crash-"+hex.EncodeToString(sum[:8])+".txt")
}

// watchCrashes sends fatal error reports to path too, and returns what a
// previous process left there: "" if it ended normally.
func watchCrashes(path string) (previous string) {
	if b, err := os.ReadFile(path); err == nil {
		previous = crashSummary(string(b))
	}
	f, err := os.Create(path) // truncates the previous report
	if err != nil {
		return previous
	}
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		f.Close()
		os.Remove(path)
		return previous
	}
	f.Close() // SetCrashOutput keeps its own duplicate
	return previous
}

// staleCrashAge is how old an empty crash file of another connection
// file must be for pruneCrashFiles to remove it.
const staleCrashAge = 7 * 24 * time.Hour

// pruneCrashFiles removes the empty crash files of other kernels (other
// connection files) last written more than maxAge ago. A kernel that is
// killed (SIGKILL, as jupyter_client's forced shutdown and test harnesses
// do) cannot remove its own, and every kernel start gets a connection
// file of a new name: without this, /tmp collected one empty file per
// kernel ever killed. A report (a non-empty file) stays for the restart on
// its connection file to show. A kernel still running for longer than
// maxAge would lose the file its runtime writes a fatal error to.
func pruneCrashFiles(keep string, maxAge time.Duration) {
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(keep), "gradlab-crash-*.txt"))
	for _, f := range files {
		if f == keep {
			continue
		}
		if fi, err := os.Stat(f); err == nil && fi.Size() == 0 && time.Since(fi.ModTime()) > maxAge {
			os.Remove(f)
		}
	}
}

// removeCrashFile removes path at a normal exit.
func removeCrashFile(path string) {
	debug.SetCrashOutput(nil, debug.CrashOptions{})
	os.Remove(path)
}

// crashSummary is the head of a fatal error's report: its message and the
// first frames of the goroutine that failed.
func crashSummary(report string) string {
	report = strings.TrimSpace(report)
	if report == "" {
		return ""
	}
	lines := strings.Split(report, "\n")
	if len(lines) > 12 {
		lines = append(lines[:12], "...")
	}
	return strings.Join(lines, "\n")
}

// crashNote is what the first cell of a restarted kernel shows on stderr.
func crashNote(summary string) string {
	return "The previous kernel process ended with a Go runtime fatal error, which no cell can recover from " +
		"(a data race, a misused lock, in the cell that ran last?); its message is in the Jupyter server's log. " +
		"Where it failed:\n" + summary + "\n"
}

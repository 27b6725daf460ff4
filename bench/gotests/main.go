// Command gotests measures how much of Go's own test suite a gradlab cell
// runs correctly: every complete `// run` program of $GOROOT/test (the
// top-level directory, ken/, chan/ and interface/) is run as one cell in a
// fresh session and its output compared with what `go run` prints for the
// same file.
//
//	go run ./bench/gotests                 # all 209 programs, 2 at a time
//	go run ./bench/gotests -run 'chan/'    # the ones whose path matches
//	go run ./bench/gotests -v              # also show each failure's output
//
// Each program runs in a child process of its own (this command started
// with -one), so that a program which ends the process, hangs or leaks
// goroutines affects only itself, and is killed after -timeout. A program
// passes when the cell reports no error (a panic "os.Exit(0)", which is how
// the session turns os.Exit into something a kernel survives, counts as
// exit status 0) and its standard output and error, joined, equal `go
// run`'s combined output with exit status 0. `go run`'s results are cached
// under the user cache directory, keyed by the Go version and the file's
// contents.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gradlab/gradlab/interp"
)

// dirs are the directories of $GOROOT/test the measure covers.
var dirs = []string{".", "ken", "chan", "interface"}

// outcome is what running one program produced, in a cell or with go run.
type outcome struct {
	Out     string // standard output and error, joined
	Stdout  string `json:",omitempty"`
	Stderr  string `json:",omitempty"`
	Exit    int    // 0: success
	Err     string // the cell's error (name: value), or why it did not run
	Timeout bool   `json:",omitempty"`
}

func main() {
	one := flag.String("one", "", "run this file as one cell and print the outcome as JSON (used by the harness itself)")
	runRe := flag.String("run", "", "only programs whose path relative to $GOROOT/test matches this regexp")
	par := flag.Int("p", 2, "programs run at a time")
	timeout := flag.Duration("timeout", 60*time.Second, "time allowed to each program in a cell")
	verbose := flag.Bool("v", false, "print each failure's output")
	flag.Parse()
	if *one != "" {
		runOne(*one, *timeout)
		return
	}
	root := filepath.Join(runtime.GOROOT(), "test")
	cfgDir, err := stdlibImportcfg()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	files, err := programs(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *runRe != "" {
		re := regexp.MustCompile(*runRe)
		var keep []string
		for _, f := range files {
			if re.MatchString(f) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	type result struct {
		file       string
		want, got  outcome
		pass       bool
		why        string
		elapsedSec float64
	}
	results := make([]result, len(files))
	sem := make(chan struct{}, *par)
	var wg sync.WaitGroup
	var printMu sync.Mutex
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			path := filepath.Join(root, f)
			want := goRun(path)
			t0 := time.Now()
			got := inCell(self, path, *timeout)
			r := result{file: f, want: want, got: got, elapsedSec: time.Since(t0).Seconds()}
			r.pass, r.why = judge(want, got)
			results[i] = r
			printMu.Lock()
			defer printMu.Unlock()
			status := "ok  "
			if !r.pass {
				status = "FAIL"
			}
			fmt.Printf("%s %-28s %5.1fs %s\n", status, f, r.elapsedSec, r.why)
			if !r.pass && *verbose {
				fmt.Printf("    --- cell output:\n%s    --- go run output:\n%s", indent(got.Out), indent(want.Out))
			}
		}()
	}
	wg.Wait()
	if cfgDir != "" {
		os.RemoveAll(cfgDir)
	}
	pass := 0
	var failed []string
	for _, r := range results {
		if r.pass {
			pass++
		} else {
			failed = append(failed, fmt.Sprintf("%-28s %s", r.file, r.why))
		}
	}
	sort.Strings(failed)
	fmt.Printf("\n%d of %d programs pass (%.0f%%)\n", pass, len(results), 100*float64(pass)/float64(max(len(results), 1)))
	if len(failed) > 0 {
		fmt.Println("failing:")
		for _, f := range failed {
			fmt.Println("  " + f)
		}
	}
}

// programs lists the complete `// run` programs of the measured
// directories, relative to root.
func programs(root string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join(root, d, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			src, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if action(src) == "run" {
				rel, _ := filepath.Rel(root, f)
				out = append(out, rel)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// action is the test's first line that is a comment but not a build
// constraint: Go's test driver reads the action there ("run", "compile",
// "errorcheck", "run -gcflags=...", ...).
func action(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//go:build") || strings.HasPrefix(line, "// +build") {
			continue
		}
		if strings.HasPrefix(line, "//") {
			return strings.TrimSpace(strings.TrimPrefix(line, "//"))
		}
		return ""
	}
	return ""
}

// judge says whether the cell's outcome matches go run's, and if not why.
func judge(want, got outcome) (bool, string) {
	switch {
	case want.Exit != 0:
		return false, fmt.Sprintf("go run fails (exit %d): %s", want.Exit, firstLine(want.Out))
	case got.Timeout:
		return false, "timeout"
	case got.Err != "":
		return false, firstLine(got.Err)
	case got.Exit != 0:
		return false, fmt.Sprintf("exit %d", got.Exit)
	case got.Out == want.Out:
		return true, ""
	case got.Stdout+got.Stderr == want.Out || got.Stderr+got.Stdout == want.Out:
		// The session reads standard output and error from two pipes, so
		// their interleaving is not kept; the text of each is.
		return true, "(stdout and stderr interleaved differently)"
	}
	return false, "output differs: " + firstDiff(want.Out, got.Out)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

// firstDiff describes the first line where got differs from want.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return firstLine(fmt.Sprintf("line %d: want %q, got %q", i+1, wl, gl))
		}
	}
	return "?"
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "      " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n      ") + "\n"
}

// stdlibImportcfg sets STDLIB_IMPORTCFG, as Go's own test driver does
// (cmd/internal/testdir), to an importcfg file listing the standard
// library's export data: linkobj.go builds with it. go run and the cells
// inherit it.
// It returns the directory it made for the file ("" if it was set).
func stdlibImportcfg() (string, error) {
	if os.Getenv("STDLIB_IMPORTCFG") != "" {
		return "", nil
	}
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-export", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", "std")
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=off")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("listing the standard library's export data for STDLIB_IMPORTCFG: %v", err)
	}
	dir, err := os.MkdirTemp("", "gotests-importcfg")
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "importcfg")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return dir, err
	}
	return dir, os.Setenv("STDLIB_IMPORTCFG", file)
}

// goRun runs path with go run, from the cache when it has the answer.
func goRun(path string) outcome {
	src, err := os.ReadFile(path)
	if err != nil {
		return outcome{Exit: -1, Err: err.Error()}
	}
	key := runtime.Version() + "\x00"
	if bytes.Contains(src, []byte("STDLIB_IMPORTCFG")) {
		key += "importcfg\x00" // results from before the harness set it are stale
	}
	h := sha256.Sum256(append([]byte(key), src...))
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	cache := filepath.Join(cacheDir, "gradlab-gotests", hex.EncodeToString(h[:12])+".json")
	var o outcome
	if b, err := os.ReadFile(cache); err == nil && json.Unmarshal(b, &o) == nil {
		return o
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(runtime.GOROOT(), "bin", "go"), "run", filepath.Base(path))
	cmd.Dir = filepath.Dir(path)
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=off")
	out, err := cmd.CombinedOutput()
	o = outcome{Out: string(out)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		o.Exit = ee.ExitCode()
	case err != nil:
		o.Exit, o.Err = -1, err.Error()
	}
	if ctx.Err() == nil {
		if err := os.MkdirAll(filepath.Dir(cache), 0o755); err == nil {
			b, _ := json.Marshal(o)
			os.WriteFile(cache, b, 0o644)
		}
	}
	return o
}

// inCell runs path as one cell in a child process of this command.
func inCell(self, path string, timeout time.Duration) outcome {
	// The child stops the cell itself after timeout; the kill is for a
	// cell that does not stop (a native call that never returns) or a
	// child that does not exit.
	ctx, cancel := context.WithTimeout(context.Background(), timeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "-one", path, "-timeout", timeout.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Dir = filepath.Dir(path)
	err := cmd.Run()
	var o outcome
	if jerr := json.Unmarshal(stdout.Bytes(), &o); jerr != nil {
		msg := "the child process ended without a result"
		if ctx.Err() != nil {
			return outcome{Timeout: true, Err: "timeout (killed)"}
		}
		if err != nil {
			msg += " (" + err.Error() + ")"
		}
		return outcome{Exit: -1, Err: msg + ": " + firstLine(lastLines(stderr.String(), 3))}
	}
	return o
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

var exitRe = regexp.MustCompile(`^os\.Exit\((-?\d+)\)( called|$)`)

// runOne is the child: it runs the file as one cell in a fresh session and
// prints the outcome as JSON on the process's original standard output.
func runOne(path string, timeout time.Duration) {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s, err := interp.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	stdout, _ := interp.Stdio()
	var mu sync.Mutex
	var all, outb, errb strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res := s.Execute(ctx, interp.Cell{Code: string(src), Count: 1, Out: func(stream, text string) {
		mu.Lock()
		defer mu.Unlock()
		all.WriteString(text)
		if stream == "stdout" {
			outb.WriteString(text)
		} else {
			errb.WriteString(text)
		}
	}})
	s.Close()
	mu.Lock()
	o := outcome{Out: all.String(), Stdout: outb.String(), Stderr: errb.String()}
	mu.Unlock()
	if e := res.Err; e != nil {
		if m := exitRe.FindStringSubmatch(strings.TrimSpace(e.Value)); m != nil && e.Name == "panic" {
			fmt.Sscan(m[1], &o.Exit)
		} else {
			o.Err = e.Name + ": " + e.Value
			if len(e.Traceback) > 0 {
				o.Err += "\n" + strings.Join(e.Traceback, "\n")
			}
		}
		if ctx.Err() != nil {
			o.Timeout = true
		}
	}
	b, _ := json.Marshal(o)
	stdout.Write(append(b, '\n'))
	os.Exit(0)
}

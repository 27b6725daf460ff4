// Command gradlab is a Jupyter kernel for Go with a PyTorch-like autograd
// library and inline plots.
//
//	gradlab install [--prefix DIR | --sys-prefix]   register the kernel with Jupyter
//	gradlab kernel CONNECTION_FILE                  run the kernel (Jupyter calls this)
//	gradlab run [-o DIR] [--keep-going] [--timeout D] NOTEBOOK...   execute notebooks in-process
//	gradlab version
//	gradlab help
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/install"
	"github.com/gradlab/gradlab/internal/parallel"
	"github.com/gradlab/gradlab/interp"
	"github.com/gradlab/gradlab/kernel"
	"github.com/gradlab/gradlab/kernel/notebook"
)

// version is gradlab's release; builds may override it with
// -ldflags "-X main.version=...".
var version = "0.1.0"

const usage = `gradlab: a Jupyter kernel for Go, with tensors, autograd and inline plots.

Usage:
  gradlab install [--prefix DIR | --sys-prefix]   register the "gradlab" kernel with Jupyter
  gradlab kernel CONNECTION_FILE                  run the kernel (Jupyter starts this)
  gradlab run [-o DIR] [--keep-going] [--timeout D] NOTEBOOK...
                                                  execute notebooks in-process, no Jupyter needed,
                                                  writing outputs back (or into DIR); --timeout
                                                  interrupts a cell running longer than D (e.g. 10m)
  gradlab version                                 print the version
  gradlab help                                    print this help
`

func main() {
	// The kernel and `gradlab run` host sessions: the collector's target
	// scaled to the heap it marks (interp.TuneGC), unless GOGC is set, and
	// only the cores other programs leave free (parallel.AdaptProcs),
	// unless GOMAXPROCS is.
	interp.TuneGC()
	parallel.AdaptProcs()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "install":
		return runInstall(args, stdout, stderr)
	case "kernel":
		return runKernel(args, stderr)
	case "run":
		return runNotebooks(args, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "gradlab %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "gradlab: unknown command %q\n\n%s", cmd, usage)
	return 2
}

func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts install.Options
	fs.StringVar(&opts.Prefix, "prefix", "", "install into `DIR`/share/jupyter/kernels")
	fs.BoolVar(&opts.SysPrefix, "sys-prefix", false, "install into the Python environment that runs jupyter")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts.Warn = stderr
	dir, err := install.Install(opts)
	if err != nil {
		fmt.Fprintf(stderr, "gradlab install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Installed kernelspec %s in %s\n", install.KernelName, dir)
	return 0
}

// traceLog is the kernel's message trace, on stderr (which Jupyter shows in
// its log) when GRADLAB_TRACE is set, to find a request or reply that went
// missing.
func traceLog() *log.Logger {
	if os.Getenv("GRADLAB_TRACE") == "" {
		return nil
	}
	return log.New(os.Stderr, "gradlab trace: ", log.LstdFlags|log.Lmicroseconds)
}

func runKernel(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: gradlab kernel CONNECTION_FILE")
		return 2
	}
	ci, err := kernel.ReadConnectionFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "gradlab kernel: %v\n", err)
		return 1
	}
	crashPath := crashFile(args[0])
	previousCrash := watchCrashes(crashPath)
	pruneCrashFiles(crashPath, staleCrashAge)
	defer removeCrashFile(crashPath)
	k, err := kernel.New(kernel.Config{
		Conn: ci,
		NewSession: func() (kernel.Session, error) {
			s, err := newGoSession()
			if err != nil {
				return nil, fmt.Errorf("starting the Go session: %w", err)
			}
			if previousCrash != "" {
				s.note = crashNote(previousCrash)
			}
			return s, nil
		},
		Info: kernel.Info{Version: version, Banner: banner()},
		// Jupyter sets JPY_PARENT_PID: exit with the process that started us.
		WatchParent: os.Getenv("JPY_PARENT_PID") != "",
		History:     kernel.OpenHistory(historyFile()),
		Trace:       traceLog(),
	})
	if err != nil {
		fmt.Fprintf(stderr, "gradlab kernel: %v\n", err)
		return 1
	}
	if err := k.Run(context.Background()); err != nil {
		fmt.Fprintf(stderr, "gradlab kernel: %v\n", err)
		return 1
	}
	return 0
}

func banner() string {
	return fmt.Sprintf("gradlab %s: Go %s with tensors, autograd and plots (ag, nn, data, optim, display, plt preloaded)", version, runtime.Version())
}

// historyFile is where the kernel keeps executed cells across sessions.
func historyFile() string {
	if d, err := install.UserDataDir(); err == nil {
		return filepath.Join(d, "gradlab", "history.jsonl")
	}
	return ""
}

func runNotebooks(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	outDir := fs.String("o", "", "write executed notebooks into `DIR` instead of over the inputs")
	var opts notebook.Options
	fs.BoolVar(&opts.KeepGoing, "keep-going", false, "run the cells after a failing cell too")
	fs.DurationVar(&opts.Timeout, "timeout", 0, "interrupt a cell that runs longer than `D` (e.g. 30s, 10m) and record a CellTimeoutError; 0: no limit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: gradlab run [-o DIR] [--keep-going] [--timeout D] NOTEBOOK...")
		return 2
	}
	dests, err := destinations(fs.Args(), *outDir)
	if err != nil {
		fmt.Fprintf(stderr, "gradlab run: %v\n", err)
		return 2
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			fmt.Fprintf(stderr, "gradlab run: %v\n", err)
			return 1
		}
	}
	status := 0
	for i, path := range fs.Args() {
		nb, err := notebook.Read(path)
		if err != nil {
			fmt.Fprintf(stderr, "gradlab run: %v\n", err)
			status = 1
			continue
		}
		// Each notebook gets a fresh session, as a fresh kernel would.
		sess, err := newGoSession()
		if err != nil {
			fmt.Fprintf(stderr, "gradlab run: starting the Go session: %v\n", err)
			return 1
		}
		errs := notebook.Run(context.Background(), sess, nb, opts)
		dest := dests[i]
		if err := nb.Write(dest); err != nil {
			fmt.Fprintf(stderr, "gradlab run: writing %s: %v\n", dest, err)
			status = 1
			continue
		}
		for _, e := range errs {
			fmt.Fprintf(stderr, "%s: %v\n", path, e)
			status = 1
		}
		fmt.Fprintf(stdout, "%s: %d cells run, %d errors, written to %s\n", path, countCode(nb), len(errs), dest)
	}
	return status
}

// destinations returns where each input notebook is written: over itself,
// or into outDir under its base name. With outDir it refuses, before
// anything runs, a destination that is one of the inputs or that two
// inputs share: -o promises to leave the inputs alone.
func destinations(inputs []string, outDir string) ([]string, error) {
	if outDir == "" {
		return inputs, nil
	}
	dests := make([]string, len(inputs))
	for i, in := range inputs {
		dests[i] = filepath.Join(outDir, filepath.Base(in))
		for _, other := range inputs {
			if samePath(dests[i], other) {
				return nil, fmt.Errorf("-o %s would write %s over the input %s; choose another directory, or leave out -o to update the inputs in place", outDir, in, other)
			}
		}
		for j := range i {
			if samePath(dests[i], dests[j]) {
				return nil, fmt.Errorf("-o %s would write both %s and %s to %s", outDir, inputs[j], in, dests[i])
			}
		}
	}
	return dests, nil
}

// samePath reports whether a and b name the same file, following links
// when both exist.
func samePath(a, b string) bool {
	if sa, err := os.Stat(a); err == nil {
		if sb, err := os.Stat(b); err == nil {
			return os.SameFile(sa, sb)
		}
	}
	aa, errA := filepath.Abs(a)
	bb, errB := filepath.Abs(b)
	return errA == nil && errB == nil && aa == bb
}

func countCode(nb *notebook.Notebook) int {
	n := 0
	for _, c := range nb.Cells {
		if c["cell_type"] == "code" {
			n++
		}
	}
	return n
}

// goSession adapts the Go interpreter's session to kernel.Session, as an
// http.HandlerFunc adapts a function to http.Handler: the kernel and the
// notebook runner name only their own types, and this is the one place
// that knows both.
type goSession struct {
	mu   sync.Mutex // one cell at a time, with its display sink installed
	s    *interp.Session
	note string // for the first cell's stderr: why the previous kernel died (crash.go)
}

func newGoSession() (*goSession, error) {
	s, err := interp.New()
	if err != nil {
		return nil, err
	}
	return &goSession{s: s}, nil
}

// Interrupt stops, between cells, the goroutines earlier cells left running.
func (g *goSession) Interrupt() { g.s.Interrupt() }

// Execute runs c with its display sink installed. The sink stays until the
// next cell that shows output, so that what a goroutine of this cell
// displays after it ended still goes to this cell; a cell whose output is
// discarded (a silent request, a user expression) puts the previous sink
// back when it ends.
func (g *goSession) Execute(ctx context.Context, c kernel.Cell) kernel.Result {
	g.mu.Lock()
	defer g.mu.Unlock()
	// interp wraps the installed sink for the cell's duration, to keep
	// prints and displays in order.
	prev := display.SetSink(c.Display)
	if c.Display == kernel.Discard {
		defer display.SetSink(prev)
	}
	if g.note != "" && c.Out != nil && c.Display != kernel.Discard {
		c.Out("stderr", g.note)
		g.note = ""
	}
	return result(g.s.Execute(ctx, interp.Cell{Code: c.Code, Count: c.Count, Out: c.Out, Input: c.Input}))
}

// result is r in the kernel's terms.
func result(r interp.Result) kernel.Result {
	res := kernel.Result{Value: r.Value, Metadata: r.Metadata, Payload: r.Payload}
	if r.Err != nil {
		res.Err = &kernel.Error{Name: r.Err.Name, Value: r.Err.Value, Traceback: r.Err.Traceback}
	}
	return res
}

// Callback runs f, native code calling back into the cells (a widget's
// observers), as the session runs a cell, with c's display sink installed
// for its duration only: later goroutine output stays with the last cell.
func (g *goSession) Callback(ctx context.Context, c kernel.Cell, f func()) kernel.Result {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer display.SetSink(display.SetSink(c.Display))
	return result(g.s.Callback(ctx, interp.Cell{Count: c.Count, Out: c.Out, Input: c.Input}, f))
}

func (g *goSession) Complete(code string, cursor int) ([]kernel.Completion, int, int) {
	items, start, end := g.s.Completions(code, cursor)
	out := make([]kernel.Completion, len(items))
	for i, c := range items {
		out[i] = kernel.Completion(c)
	}
	return out, start, end
}

func (g *goSession) Inspect(code string, cursor, detail int) (map[string]any, bool) {
	return g.s.Inspect(code, cursor, detail)
}

func (g *goSession) IsComplete(code string) (string, string) { return g.s.IsComplete(code) }

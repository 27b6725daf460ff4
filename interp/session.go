// Package interp is gradlab's Go session: it turns the yaegi interpreter
// into something that behaves like an IPython kernel's namespace for Go
// cells.
//
// A cell goes through a pipeline (run.go): it is read (internal/cellsrc:
// cut into imports, declarations and statements, parsed behind a
// `//line cell[N]:1:1` directive so every position reads in the cell's own
// coordinates, analysed into definitions, dependencies and free names,
// which must all mean something in the session), planned (plan.go: the
// names it changes, the dependants to re-emit, internal names, compile
// units and the facts the rewrites need), compiled on a trial interpreter
// first (trial.go) so that a cell that does not compile changes nothing,
// rewritten into what yaegi can run (internal/rewrite) and compiled and
// run for real (internal/engine), then committed to the session's table
// (table.go). The trial is skipped when it cannot matter: a cell that only
// adds names, or one run again unchanged over the same definitions.
//
// The table records what the cells defined, and its lookup is the one rule
// for what a name means. Redefining a func, method, type, var or const
// re-emits everything that depends on it, and types get fresh internal
// names (yaegi silently ignores a redefined type), so earlier functions see
// the new definitions; earlier code that no longer compiles is removed with
// a note on stderr.
//
// Standard output and error of the whole process are pipes from the first
// New on (internal/capture; Stdio returns the originals, for a frontend's
// own logs). Output that goroutines print after their cell ended goes to
// that cell's Out as stderr, after a line saying whose it is (late.go);
// Interrupt (between cells), %reset and Close stop those goroutines.
//
// Nothing under internal/ imports this package: cellsrc and rewrite are
// pure (source in, source out), capture and engine are mechanisms.
//
// Known limits (yaegi v0.16.1): a panic in an interpreted function that
// native code calls from a goroutine of its own is reported only when the
// function was passed to a package-level function of a preloaded package,
// or as a func() literal to a method named Go (engine/guard.go), or stored
// as a func() error literal in a field named Cancel (exec.Cmd's;
// engine/guardfield.go); reached through another method of a native
// type, another struct field, a slice, an
// `any` parameter or an interface method, it still ends the process;
// interpreted values reach native code as interfaces only through typed
// parameters (never `any` plus a type assertion in native code, never a
// variadic interface parameter); `for i := range n` needs n to be an
// integer the session can see (a literal, a variable or field of integer
// type, a call of a func returning an integer); ranging over a function
// needs the function's type to be declared in a cell (a func type, or
// iter.Seq/Seq2 of the func a cell defines); a panic's index and length
// are known only at a cell's top level; `XX := grid[0]` at a
// cell's top level, grid of a type native code fixed, needs a type the
// session can follow and name (rewrite/typedindex.go); recursive cell
// functions, and func literals assigned to variables that such literals
// call, may nest 20000 calls deep on the cell's goroutines, 3000 on
// other goroutines (deeper is reported as a stack overflow panic, since a
// real one would end the process; engine/natives.go says why two bounds); recursion through
// other func values is not bounded.
package interp

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp/internal/capture"
	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/engine"
	yinterp "github.com/traefik/yaegi/interp"
)

// Cell is one cell to execute.
type Cell struct {
	Code  string
	Count int                                                // execution count shown in cell[N]
	Out   func(stream, text string)                          // "stdout"/"stderr" chunks, in order, while the cell runs
	Input func(prompt string, password bool) (string, error) // nil: no stdin (reads fail with a clear error)
}

// Result is what a cell produced besides its streamed output.
type Result struct {
	Value    map[string]any   // MIME bundle of the cell's value (execute_result), nil if none
	Metadata map[string]any   // the value's display metadata (e.g. an image's display size), may be nil
	Err      *Error           // nil on success
	Payload  []map[string]any // e.g. a pager payload for `fmt.Println?`
}

// Error is a compile error, panic or interrupt, in Jupyter's terms.
type Error struct {
	Name, Value string
	Traceback   []string
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Session is one notebook's interpreter state. Its methods are safe for
// concurrent use; cells run one at a time.
//
// Locks, in the order they are taken (never the reverse):
//
//   - mu: held while a cell is planned, compiled and run (Execute, %reset,
//     and the trial interpreter's idle catch-up, which only tries it);
//     everything else of the session is written under it.
//   - tabMu: the table and the interpreter as Complete and Inspect read
//     them; Execute takes it, under mu, only to change them. While a cell
//     compiles or runs, busy tells the readers to leave the interpreter's
//     globals alone.
//   - stateMu: cur, the running cell, which native callbacks (Show,
//     GoPanic, the guards, Stdin, the trace writer) reach from any
//     goroutine; nothing is called with it held.
//
// The output capture's locks (package capture) are leaves: the capture
// calls no session code with them held.
type Session struct {
	mu sync.Mutex // held while a cell runs

	eng       *engine.Engine // makes the interpreters, with natives that call back here
	in        *yinterp.Interpreter
	reclaimer *engine.Reclaimer // frees what in keeps of the cells it ran (run.go)
	compiled  sync.Map          // import path -> package name of the %%compile cells' packages (native.go)
	trial     *trialInterp
	waiting   atomic.Bool // Execute waits for mu
	closed    atomic.Bool

	tabMu sync.RWMutex // guards tab and in for Complete and Inspect; Execute writes under mu and tabMu
	tab   *table

	globals map[string]reflect.Value // the interpreter's globals, cached for one cell
	busy    atomic.Bool              // interpreted code of a cell is running

	yaegi yaegiTime // what cells spent in yaegi so far (written under mu)

	stateMu sync.Mutex // guards cur (read by native callbacks from goroutines)
	cur     *cellRun
}

// yaegiTime is the time cells spent in yaegi: compiling their own units
// (on the trial interpreter too), compiling earlier cells' units on the
// trial interpreter when it had to catch up or be rebuilt, and running
// their units. %time reports the first, as IPython reports its compiler's;
// the benchmarks subtract all three from a cell's wall time to get the
// session's own work.
type yaegiTime struct{ compile, others, run time.Duration }

// New starts a session. The first session installs the process-wide
// capture of standard output and error.
func New() (*Session, error) {
	capture.Get()
	s := &Session{}
	s.eng = engine.New(engine.Hooks{
		Stdout: capture.Get().Stdout(),
		Stderr: &traceWriter{s: s},
		Stdin:  func() io.Reader { return &stdinReader{s: s} },
		Show:   s.show,
		Panic:  s.goPanicIn,
		Shell:  s.shellLine,
	})
	s.trial = &trialInterp{newInterp: s.eng.Interp}
	if err := s.reset(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops routing captured output to the last cell's Out.
func (s *Session) Close() error {
	s.closed.Store(true)
	if s.mu.TryLock() { // no cell runs: its goroutines stop
		engine.Stop(s.in)
		s.mu.Unlock()
	}
	capture.Get().SetDest(nil)
	return nil
}

func (s *Session) reset() error {
	if s.in != nil {
		engine.Stop(s.in) // goroutines of the cells forgotten
	}
	in, err := s.eng.Interp()
	if err != nil {
		return err
	}
	s.tabMu.Lock()
	defer s.tabMu.Unlock()
	s.in = in
	s.trial.reset()
	s.tab = newTable()
	return nil
}

// packages lists every importable package: import path -> package name.
var packages = engine.Packages()

// symbolsOf returns the exported symbols of an importable package.
func symbolsOf(path string) map[string]reflect.Value { return engine.Symbols(path) }

// autoImports are the packages a cell may use without an import line.
var autoImports = map[string]string{
	"fmt":     "fmt",
	"math":    "math",
	"strings": "strings",
	"sort":    "sort",
	"time":    "time",
	"os":      "os",
	"rand":    "math/rand",
	"ag":      "github.com/gradlab/gradlab/autograd",
	"nn":      "github.com/gradlab/gradlab/autograd/nn",
	"data":    "github.com/gradlab/gradlab/autograd/data",
	"optim":   "github.com/gradlab/gradlab/optim",
	"display": "github.com/gradlab/gradlab/display",
	"plt":     "github.com/gradlab/gradlab/display/plt",
	"widgets": "github.com/gradlab/gradlab/display/widgets",
}

// Execute runs one cell. Cancelling ctx interrupts it; the session keeps
// its state and runs the next cell.
func (s *Session) Execute(ctx context.Context, c Cell) (res Result) {
	return s.run(ctx, c, false, func(ctx context.Context) Result { return s.execute(ctx, c.Code, c.Count) })
}

// run runs body as a cell: under the session's lock, with c's output
// routing and input, the end-of-cell hooks after it. Output printed later
// by goroutines goes to c.Out, unless keepDest keeps it where it went.
// body's context is ctx, also cancelled when a goroutine of the cell
// panics: as a Go program stops there, the cell stops with that panic
// instead of waiting (perhaps for ever) for the goroutine's work.
func (s *Session) run(ctx context.Context, c Cell, keepDest bool, body func(context.Context) Result) (res Result) {
	s.waiting.Store(true) // a catch-up of the trial interpreter yields (trial.go)
	s.mu.Lock()
	s.waiting.Store(false)
	defer s.mu.Unlock()
	capt := capture.Get()
	if keepDest {
		defer capt.SetDest(capt.Dest())
	}
	capt.SetDest(c.Out)
	restoreSink := capture.InstallSyncSink(capt)
	restoreComm := capture.InstallSyncComm(capt)
	outer := ctx
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	run := &cellRun{count: c.Count, input: c.Input, ctx: ctx, stop: stop}
	s.stateMu.Lock()
	s.cur = run
	s.stateMu.Unlock()
	setLibContext(ctx)
	defer func() {
		if r := recover(); r != nil { // a bug of ours or of yaegi must not kill the kernel
			res.Err = &Error{Name: "InternalError", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprint(r)}}
		}
		// A goroutine of the cell that panicked before the cell's code ended
		// reports it here, not on stderr.
		s.eng.AwaitPanics(time.Second)
		func() {
			defer func() { recover() }() // a failing figure hook must not hide the cell's result
			s.stateMu.Lock()
			run.ending = true // a panic in a hook goes to stderr (engine/guard.go)
			s.stateMu.Unlock()
			display.EndCell()
		}()
		restoreSink()
		restoreComm()
		capt.Sync()
		capt.SetDest(lateOut(c.Count, c.Out)) // what its goroutines print from now on
		if outer.Err() == nil {
			// After an interrupt the cancelled context stays, so that a native
			// operation still running (yaegi returns at once) stops at its
			// next check; otherwise goroutines the cell started may go on.
			setLibContext(context.Background())
		}
		s.stateMu.Lock()
		if run.goPanic != nil && (res.Err == nil || context.Cause(ctx) == errGoroutinePanic) {
			res.Err = run.goPanic
		}
		if res.Err == nil && run.value != nil {
			res.Value, res.Metadata = run.value, run.valueMD
			if res.Metadata == nil {
				res.Metadata = map[string]any{} // the wire and nbformat want an object
			}
		}
		s.cur = nil
		s.stateMu.Unlock()
	}()
	res = body(ctx)
	return res
}

// IsComplete tells whether code is ready to run: "complete", "incomplete"
// (with the indent for the next line) or "invalid".
func (s *Session) IsComplete(code string) (status, indent string) { return cellsrc.IsComplete(code) }

// execute handles magics and help requests, then runs Go code.
func (s *Session) execute(ctx context.Context, code string, count int) Result {
	if r, ok := s.magic(ctx, code, count); ok {
		return r
	}
	if r, ok := s.help(code); ok {
		return r
	}
	return Result{Err: s.runGo(ctx, code, count)}
}

// names returns the session's names, sorted, for %who and completion.
func (s *Session) names(kinds ...entKind) []string {
	var out []string
	for n, e := range s.tab.ents {
		if len(kinds) == 0 || containsKind(kinds, e.kind) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func containsKind(ks []entKind, k entKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// Stdio returns the process's original standard output and error, which
// the first session replaced by pipes: frontends write their own logs there.
func Stdio() (stdout, stderr *os.File) { return capture.Stdio() }

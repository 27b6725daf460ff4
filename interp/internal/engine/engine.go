// Package engine is the session's mechanics on yaegi: it makes
// interpreters with the symbol tables (the standard library, os/exec, the
// preloaded packages of interp/lib), the guarded functions that override
// some of them (guard.go) and the session's natives, the package ᐧs the
// rewrites call (natives.go), then compiles the bootstrap; and it runs a
// program and waits for it to stop (Execute, execwait.go).
//
// What the natives do for the running cell (show a value, report a panic,
// run a shell command, read standard input) is the session's: it passes
// them in as Hooks.
package engine

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
	"github.com/gradlab/gradlab/interp/lib"
	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unrestricted"
)

// Hooks are the session's side of the natives.
type Hooks struct {
	Stdout io.Writer                 // the interpreter's standard output
	Stderr io.Writer                 // its standard error, where yaegi writes a panic's call trace
	Stdin  func() io.Reader          // a reader of standard input (one for yaegi, one for ᐧs.Stdin)
	Show   func(vs []any)            // ᐧs.Show: the cell's value
	Panic  func(r any, where string) // a panic nothing would recover, in where ("a goroutine", "a func passed to time.AfterFunc")
	Shell  func(cmd string)          // ᐧs.Shell: a `!cmd` line; panics with the error's text
}

// Engine makes the session's interpreters, all with the same natives.
type Engine struct {
	hooks    Hooks
	nativeMu sync.Mutex
	natives  []yinterp.Exports // compiled cells' symbols (UseNative)
	depth    atomic.Int64      // active frames of recursive cell functions (Enter, Leave)
	live     atomic.Int64      // goroutines of go statements still running (GoStart, goRun)
	methods  *lib.CellMethods  // String and Error of cell types, for fmt (ᐧs.Method)

	overflowMsg atomic.Pointer[string] // the stack overflow a Goexit is unwinding (overflow)
}

// New returns an engine whose natives call h.
func New(h Hooks) *Engine { return &Engine{hooks: h, methods: lib.NewCellMethods()} }

// Interp makes an interpreter with the session's symbols: the standard
// library, os/exec, the preloaded packages, the guarded functions that
// override some of them, the session's natives (ᐧs), then the bootstrap.
func (e *Engine) Interp() (*yinterp.Interpreter, error) {
	in := yinterp.New(yinterp.Options{
		Stdout:       e.hooks.Stdout,
		Stderr:       e.hooks.Stderr,
		Stdin:        e.hooks.Stdin(),
		Args:         []string{"gradlab"},
		Unrestricted: true,
	})
	// yaegi's stdlib has empty tables for the generic packages (extract
	// skips generics): an import would find the empty table before the
	// source packages below.
	std := make(yinterp.Exports, len(stdlib.Symbols))
	for k, v := range stdlib.Symbols {
		std[k] = v
	}
	for pkg := range lib.Generic {
		delete(std, pkg+"/"+pkg)
	}
	if err := in.Use(std); err != nil {
		return nil, err
	}
	// The generic standard library yaegi's stdlib lacks (slices.Sort,
	// maps.Keys, iter...), each source a file of its own: yaegi keys a
	// file's imports by its name.
	for _, pkg := range lib.GenericOrder {
		f, err := parser.ParseFile(in.FileSet(), "gradlab_"+pkg+".go", lib.Generic[pkg], parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if _, err := in.CompileAST(f); err != nil {
			return nil, fmt.Errorf("interp: the generic %s: %v", pkg, err)
		}
	}
	// Only os/exec from the unrestricted set: its os.Exit and log.Fatal
	// would end the kernel.
	if err := in.Use(yinterp.Exports{"os/exec/exec": unrestricted.Symbols["os/exec/exec"]}); err != nil {
		return nil, err
	}
	if err := in.Use(lib.Symbols); err != nil {
		return nil, err
	}
	if err := lib.InstallFmt(in, e.hooks.Stdout, e.methods); err != nil {
		return nil, err
	}
	if err := in.Use(e.guardSymbols()); err != nil { // after the tables it overrides
		return nil, err
	}
	if err := in.Use(e.nativeSymbols()); err != nil {
		return nil, err
	}
	e.nativeMu.Lock()
	natives := e.natives
	e.nativeMu.Unlock()
	for _, x := range natives {
		if err := in.Use(x); err != nil {
			return nil, err
		}
	}
	if err := e.bootstrap(in); err != nil {
		return nil, fmt.Errorf("interp: bootstrap: %v", err)
	}
	return in, nil
}

// UseNative adds the symbols of a compiled cell (%%compile) to the
// interpreters Interp makes from now on; the caller gives them to the
// interpreters it has.
func (e *Engine) UseNative(x yinterp.Exports) {
	e.nativeMu.Lock()
	defer e.nativeMu.Unlock()
	e.natives = append(e.natives, x)
}

// bootstrap compiles and runs, on a new interpreter, the import of the
// natives as ᐧs and the builtins of Go 1.21 yaegi lacks (min, max, clear),
// which the rename rewrite points cells at. They are parsed as cells are
// (cellsrc.Parse): yaegi keys imports by file name.
func (e *Engine) bootstrap(in *yinterp.Interpreter) error {
	f, err := cellsrc.Parse(in.FileSet(), &cellsrc.Piece{Text: "import " + rewrite.Sess + " " + fmt.Sprintf("%q", sessPath), Line: 1, Col: 1}, cellsrc.SegDecl, 0)
	if err != nil {
		return err
	}
	if _, err := in.CompileAST(f); err != nil {
		return err
	}
	f, err = cellsrc.Parse(in.FileSet(), &cellsrc.Piece{Text: builtins, Line: 1, Col: 1}, cellsrc.SegDecl, 0)
	if err != nil {
		return err
	}
	p, err := in.CompileAST(f)
	if err != nil {
		return err
	}
	return e.Execute(context.Background(), in, p)
}

// AwaitPanics waits, for at most max, while a goroutine that a go
// statement of a cell started is panicking (or unwinding a stack
// overflow): its report reaches the session
// only once its deferred calls have run, and one of those (a close(done)
// the cell waits for) may have let the cell's code end first. Cells whose
// goroutines have all ended pay nothing; otherwise the goroutines' stacks
// are looked at, and a panicking one is waited for.
func (e *Engine) AwaitPanics(max time.Duration) {
	if e.live.Load() == 0 {
		return
	}
	deadline := time.Now().Add(max)
	for interpretedPanic() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// interpretedPanic tells whether a goroutine running interpreted code is
// unwinding a panic or a stack overflow.
func interpretedPanic() bool {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		// A traceback shows runtime.gopanic as a frame "panic({...})";
		// a stack overflow unwinds by runtime.Goexit (overflow).
		unwinding := bytes.Contains(g, []byte("\npanic(")) || bytes.Contains(g, []byte("\nruntime.Goexit("))
		if unwinding && bytes.Contains(g, []byte("github.com/traefik/yaegi/")) {
			return true
		}
	}
	return false
}

package interp

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/engine"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
	yinterp "github.com/traefik/yaegi/interp"
)

// runGo runs a cell of Go code.
func (s *Session) runGo(ctx context.Context, src string, count int) *Error {
	return s.runGoThen(ctx, src, count, nil)
}

// runGoThen runs a cell and then hands again, to then, a function that
// runs the cell's statements once more (for %%timeit). It is the
// pipeline: analyse, plan and try, compile, commit, run.
func (s *Session) runGoThen(ctx context.Context, src string, count int, then func(again func() *Error) *Error) *Error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	s.globals = nil
	src = shellLines(src)
	a, err := s.analyse(src, count)
	if err != nil {
		return err
	}
	pl, trial, err := s.planAndTry(src, count, a, then != nil)
	if err != nil {
		return badIndexOr(a, err)
	}
	// From here on the interpreter's tables change (compile) and its frame
	// is written (run): Complete and Inspect must not read its globals.
	s.busy.Store(true)
	defer s.busy.Store(false)
	progs, err := s.compilePlan(pl)
	if err != nil {
		return badIndexOr(a, err)
	}
	if trial {
		s.trial.compiledAlong()
	} else {
		defer s.scheduleCatchUp()
	}
	s.tabMu.Lock()
	s.tab.commit(pl)
	s.tabMu.Unlock()
	s.tab.rememberCompiled(src, a, pl)
	defer s.reclaim() // the temporaries of its top-level statements
	for _, p := range progs {
		if err := s.timedExec(ctx, p); err != nil {
			return err
		}
	}
	if then == nil {
		return nil
	}
	return then(func() *Error {
		for i, p := range progs {
			if pl.units[i].kind == cellsrc.SegStmt {
				if err := s.exec(ctx, s.in, p); err != nil { // %%timeit's loops: not counted
					return err
				}
			}
		}
		return nil
	})
}

// badIndexOr returns, for a cell that failed to compile, Go's error for
// an index of something that cannot be indexed, which crashes yaegi's
// compiler (cellsrc/badindex.go), or err.
func badIndexOr(a *cellsrc.Analysis, err *Error) *Error {
	if a.BadIndex != "" && err.Name == "CompileError" {
		return compileErr(a.BadIndex)
	}
	return err
}

// planAndTry plans the cell and, when a failed compile could damage the
// session, compiles the plan on the trial interpreter first: a cell that
// does not compile must change nothing. Code of earlier cells that depends
// on what this cell redefines and no longer compiles is dropped (with a
// note), as a notebook user expects of a cell that changes a type: the
// cell runs, and the earlier cell can be fixed and run again. noValue
// plans no value (%%timeit shows the timing). trial tells whether the
// trial ran.
func (s *Session) planAndTry(src string, count int, a *cellsrc.Analysis, noValue bool) (pl *plan, trial bool, err *Error) {
	drop := map[*entity]string{}
	for attempt := 0; ; attempt++ {
		if pl, err = s.makePlan(src, count, a, drop); err != nil {
			return nil, false, err
		}
		if noValue {
			for _, u := range pl.units {
				u.show, u.probe = rewrite.ShowNone, false
			}
		}
		if !s.tab.needsTrial(pl) || s.tab.compiledBefore(src, pl) {
			return pl, false, nil
		}
		err := s.trial.compile(pl, &s.yaegi)
		if err == nil {
			return pl, true, nil
		}
		e := pl.reemitAt(err)
		if e == nil || attempt > 30 {
			return nil, false, err
		}
		drop = maps.Clone(pl.why) // what depends on the dropped goes too
		drop[e] = err.Value
	}
}

// compilePlan compiles the plan's units on the session's interpreter,
// recording each for the trial interpreter; imports stay even if a later
// unit fails. A failure leaves the interpreter with half-defined names,
// which the table hides; the types it saw get fresh names from now on.
func (s *Session) compilePlan(pl *plan) ([]*yinterp.Program, *Error) {
	progs := make([]*yinterp.Program, len(pl.units))
	for i, u := range pl.units {
		p, err := compileShow(s.in, u, &s.yaegi.compile)
		if err != nil {
			for n, e := range pl.commit {
				if e.kind == entType {
					s.tab.sent[n], s.tab.sent[e.internal] = true, true
				}
			}
			s.trial.drop()
			s.syncFrame()
			s.tab.gen++ // what it left may change how cells compile: no skipped trials (compiledBefore)
			return nil, err
		}
		progs[i] = p
		if !u.definesNothing {
			s.trial.record(u)
		}
		if u.kind == cellsrc.SegImport {
			s.tabMu.Lock()
			for _, im := range u.imports {
				s.tab.imports[im[0]] = im[1]
			}
			s.tabMu.Unlock()
		}
	}
	return progs, nil
}

// timedExec runs a cell's compiled unit on the live interpreter, adding
// the time to s.yaegi.run.
func (s *Session) timedExec(ctx context.Context, p *yinterp.Program) *Error {
	t0 := time.Now()
	defer func() { s.yaegi.run += time.Since(t0) }()
	return s.exec(ctx, s.in, p)
}

// shellLines turns `!cmd` lines into calls that run cmd, keeping the
// line structure (positions stay right).
func shellLines(src string) string {
	lineStarts := false // only a line starting with ! can be a command: most cells skip the scan
	for l := range strings.Lines(src) {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), "!") {
			lineStarts = true
			break
		}
	}
	if !lineStarts {
		return src
	}
	// A line is a shell command when its first token is ! where a
	// statement starts: not `x &&\n\t!y` nor inside a string.
	starts := map[int]bool{} // byte offsets of ! starting a statement
	var prev token.Token = token.SEMICOLON
	for _, t := range cellsrc.ScanTokens(src) {
		if t.Tok == token.COMMENT {
			continue
		}
		if t.Tok == token.NOT && (prev == token.SEMICOLON || prev == token.LBRACE || prev == token.RBRACE || prev == token.COLON) {
			starts[t.Off] = true
		}
		prev = t.Tok
	}
	if len(starts) == 0 {
		return src
	}
	lines := strings.Split(src, "\n")
	off := 0
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if start := off + len(l) - len(t); starts[start] && len(t) > 1 {
			lines[i] = l[:len(l)-len(t)] + rewrite.Sess + ".Shell(" + strconv.Quote(t[1:]) + ")"
		}
		off += len(l) + 1
	}
	return strings.Join(lines, "\n")
}

// reemitAt returns the re-emitted declaration that err points into.
func (pl *plan) reemitAt(err *Error) *entity {
	m := errPos.FindStringSubmatch(err.Value)
	if m == nil {
		return nil
	}
	cell, _ := strconv.Atoi(m[1])
	line, _ := strconv.Atoi(m[2])
	for _, e := range pl.reemit {
		p := e.piece
		if p != nil && p.Cell == cell && line >= p.Line && line <= p.Line+strings.Count(p.Text, "\n") {
			return e
		}
	}
	return nil
}

var errPos = regexp.MustCompile(`^cell\[(\d+)\]:(\d+):`)

// syncFrame makes yaegi's frame of globals as long as its table of them: a
// compile that fails can leave names in the table beyond the frame (its
// Globals then panics), and running any program grows the frame.
func (s *Session) syncFrame() {
	defer func() { recover() }()
	p, err := compileAST(s.in, &ast.BlockStmt{})
	if err == nil && p != nil {
		s.in.ExecuteWithContext(context.Background(), p)
	}
}

// compileShow compiles u, finding how its last expression can be shown:
// yaegi compiles `v := voidCall()` and fails only when it runs, so a call
// of unknown result count is first compiled as ᐧs.Show(E), which fails
// for void calls.
func compileShow(in *yinterp.Interpreter, u *unit, clock *time.Duration) (*yinterp.Program, *Error) {
	if u.probe {
		u.probe = false
		u.show = rewrite.ShowDirect
		if _, err := compile(in, u, clock); err != nil {
			u.show = rewrite.ShowNone
		} else {
			u.show = rewrite.ShowAssign
		}
	}
	p, err := compile(in, u, clock)
	for err != nil && u.show != rewrite.ShowNone {
		u.show = u.show.Weaker() // multiple values, or a void call
		p, err = compile(in, u, clock)
	}
	return p, err
}

// compile builds u on in's FileSet and compiles it, adding the time yaegi's
// compile took to clock when not nil (cells count theirs in s.yaegi; the
// trial interpreter's background work counts nowhere).
func compile(in *yinterp.Interpreter, u *unit, clock *time.Duration) (p *yinterp.Program, e *Error) {
	var n ast.Node
	defer func() {
		if r := recover(); r != nil {
			p, e = nil, compilePanic(r, u)
			if h := derefHint(n, e.Value); h != "" {
				e.Value += "\n" + h
				e.Traceback = append(e.Traceback, h)
			}
		}
	}()
	n, err := build(in.FileSet(), u)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	prog, cerr := compileAST(in, n)
	engine.DropRoots(in) // yaegi keeps every AST for its debugger
	if clock != nil {
		*clock += time.Since(t0)
	}
	if cerr != nil {
		msg := cerr.Error()
		if h := derefHint(n, msg); h != "" {
			msg += "\n" + h
		}
		return nil, compileErr(msg)
	}
	if prog == nil {
		return nil, nil
	}
	return prog, nil
}

// derefHint says what to write when yaegi's compile of a unit of
// statements failed as it does on a top-level variable whose type it
// cannot infer from a value with *p or p[i] (rewrite.topLevelDerefTypes
// writes the type when go/types knows it): "" for other failures.
func derefHint(n ast.Node, msg string) string {
	b, ok := n.(*ast.BlockStmt)
	if !ok || !strings.Contains(msg, "invalid memory address") && !strings.Contains(msg, "constant definition loop") && !strings.Contains(msg, "index out of range") {
		return ""
	}
	if name := rewrite.UntypedDerefDef(b.List); name != "" {
		return fmt.Sprintf("(the interpreter cannot infer the type of %s, defined at the cell's top level from a pointer's element: write its type, var %s T = ..., or define %s inside a function)", name, name, name)
	}
	return ""
}

// compileAST is in.CompileAST(n), with engine.PanicSite kept off the
// tables it changes (also when it panics).
func compileAST(in *yinterp.Interpreter, n ast.Node) (*yinterp.Program, error) {
	defer engine.Changing()()
	return in.CompileAST(n)
}

func compilePanic(r any, u *unit) *Error {
	msg := fmt.Sprint(r)
	where := ""
	if len(u.pieces) > 0 {
		where = fmt.Sprintf("cell[%d]:%d:%d: ", u.pieces[0].Cell, u.pieces[0].Line, u.pieces[0].Col)
	}
	if strings.Contains(msg, "nil type") {
		msg = "this code uses something the interpreter cannot compile (a range over an int or a function whose type the session cannot see?): " +
			"write `for i := 0; i < n; i++` instead of `for i := range n`, and call an iterator directly as `seq(func(v T) bool { ...; return true })` " +
			"(return false to stop) instead of ranging over it"
	}
	return compileErr(where + msg)
}

// reclaim frees what the interpreter keeps of the cells it ran.
func (s *Session) reclaim() {
	if s.reclaimer == nil || s.reclaimer.In != s.in {
		s.reclaimer = engine.NewReclaimer(s.in)
	}
	s.reclaimer.Reclaim()
}

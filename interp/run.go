package interp

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	yinterp "github.com/traefik/yaegi/interp"
)

// runGo runs a cell of Go code.
func (s *Session) runGo(ctx context.Context, src string, count int) *Error {
	return s.runGoThen(ctx, src, count, nil)
}

// runGoThen runs a cell and then hands again, to then, a function that
// runs the cell's statements once more (for %%timeit).
func (s *Session) runGoThen(ctx context.Context, src string, count int, then func(again func() *Error) *Error) *Error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	s.globals = nil
	src = shellLines(src)
	a, perr := s.analyse(src, count)
	if perr != nil {
		return perr
	}
	// Trial compile: a cell that does not compile must change nothing. Code
	// of earlier cells that depends on what this cell redefines and no
	// longer compiles is removed (with a note), as a notebook user expects
	// of a cell that changes a type: the cell runs, and the earlier cell
	// can be fixed and run again.
	drop := map[*entity]string{}
	var pl *plan
	var trial bool
	for attempt := 0; ; attempt++ {
		var perr *Error
		pl, perr = s.makePlan(src, count, a, drop)
		if perr != nil {
			return perr
		}
		if then != nil { // %%timeit shows the timing, not the value: none is made
			for _, u := range pl.units {
				u.show = 0
			}
		}
		trial = s.needsTrial(pl) && !s.compiledBefore(src, pl)
		if !trial {
			break
		}
		err := s.trial(pl)
		if err == nil {
			break
		}
		e := pl.reemitAt(err)
		if e == nil || attempt > 30 {
			return err
		}
		drop[e] = err.Value
	}
	// From here on the interpreter's tables change (compile) and its frame
	// is written (run): Complete and Inspect must not read its globals.
	s.busy.Store(true)
	defer s.busy.Store(false)
	progs := make([]*yinterp.Program, len(pl.units))
	for i, u := range pl.units {
		p, err := compileShow(s.in, u, &s.yaegi.compile)
		if err != nil {
			// The interpreter may now hold half-defined names, which the
			// session's own table hides; types it saw get fresh names.
			for n, e := range pl.commit {
				if e.kind == entType {
					s.tab.sent[n], s.tab.sent[e.internal] = true, true
				}
			}
			s.dropShadow()
			s.syncFrame()
			s.gen++ // what it left may change how cells compile: no skipped trials (compiledBefore)
			return err
		}
		progs[i] = p
		s.hist = append(s.hist, u)
		if u.kind == segImport { // imports stay, even if a later unit fails
			s.tabMu.Lock()
			for _, im := range u.imports {
				s.tab.imports[im[0]] = im[1]
			}
			s.tabMu.Unlock()
		}
	}
	if trial && s.shadow != nil {
		s.shadowLen = len(s.hist) // the trial compiled the same units
	}
	if !trial {
		defer s.scheduleCatchUp()
	}
	s.commitPlan(pl)
	s.rememberCompiled(src, a, pl)
	for _, p := range progs {
		if err := s.timedExec(ctx, p); err != nil {
			return err
		}
	}
	if then != nil {
		return then(func() *Error {
			for i, p := range progs {
				if pl.units[i].kind != segStmt {
					continue
				}
				if err := s.exec(ctx, s.in, p); err != nil { // %%timeit's loops: not counted
					return err
				}
			}
			return nil
		})
	}
	return nil
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
	for _, t := range scanTokens(src) {
		if t.tok == token.COMMENT {
			continue
		}
		if t.tok == token.NOT && (prev == token.SEMICOLON || prev == token.LBRACE || prev == token.RBRACE || prev == token.COLON) {
			starts[t.off] = true
		}
		prev = t.tok
	}
	if len(starts) == 0 {
		return src
	}
	lines := strings.Split(src, "\n")
	off := 0
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if start := off + len(l) - len(t); starts[start] && len(t) > 1 {
			lines[i] = l[:len(l)-len(t)] + "ᐧs.Shell(" + strconv.Quote(t[1:]) + ")"
		}
		off += len(l) + 1
	}
	return strings.Join(lines, "\n")
}

// needsTrial tells whether a failed compile could damage the session:
// redefinitions, methods and types do; new variables and plain statements
// don't (the session's table hides half-defined new names).
func (s *Session) needsTrial(pl *plan) bool {
	if len(pl.reemit) > 0 {
		return true
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil { // a method added to an existing type
			return true
		}
	}
	for n := range pl.commit {
		if s.tab.lookup(n).defined() {
			return true
		}
	}
	// New names are harmless: the table hides half-defined ones, and a type
	// name the interpreter has seen gets a fresh internal name. Not a
	// builtin's name (len, error) nor a package's (imported, or imported
	// when first used): the table does not hide those.
	return false
}

// compiledCell is what a cell's source compiled against, the last time it
// compiled: the entities its free names and its definitions had.
type compiledCell struct {
	gen     int
	used    map[string]*entity // free names -> their entities (nil: none)
	pkgs    map[string]string  // free names -> import paths
	defined map[string]*entity // the cell's names -> the entities it committed
}

// compiledBefore tells whether the same source compiled before against
// what the session holds now: then it compiles again (yaegi's compile is
// a function of the source and of the definitions it uses), and the cell
// needs no trial, although it redefines names (a cell run again). Anything
// that changes definitions in place (re-emitted dependants, removed ones,
// methods added to a type of another cell) moves s.gen on.
func (s *Session) compiledBefore(src string, pl *plan) bool {
	c := s.compiled[src]
	if c == nil || c.gen != s.gen || len(pl.reemit) > 0 { // (reset forgets s.compiled with the interpreter)
		return false
	}
	for n, e := range c.used {
		if s.tab.ents[n] != e || s.tab.imports[n] != c.pkgs[n] {
			return false
		}
	}
	for n, e := range c.defined {
		if s.tab.ents[n] != e {
			return false
		}
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil {
			return false
		}
	}
	return true
}

// rememberCompiled records what a cell that compiled used (compiledBefore).
func (s *Session) rememberCompiled(src string, a *analysis, pl *plan) {
	if len(pl.reemit) > 0 || len(pl.dropped) > 0 {
		s.gen++
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil {
			s.gen++ // a method on a type of another cell
		}
	}
	if s.compiled == nil || len(s.compiled) >= 1000 {
		s.compiled = map[string]*compiledCell{}
	}
	c := &compiledCell{gen: s.gen, used: map[string]*entity{}, pkgs: map[string]string{}, defined: map[string]*entity{}}
	for n := range a.free {
		c.used[n] = s.tab.ents[n]
		c.pkgs[n] = s.tab.imports[n]
	}
	for n := range pl.commit {
		c.defined[n] = s.tab.ents[n]
	}
	s.compiled[src] = c
}

// commitPlan records in the session's table what a plan changed, once its
// units compiled: dropped dependants leave (with a note on stderr), new
// imports and entities enter, types keep the methods of the type they
// replace, and every type name handed to the interpreter is remembered.
func (s *Session) commitPlan(pl *plan) {
	s.tabMu.Lock()
	defer s.tabMu.Unlock()
	for _, e := range pl.dropped {
		what := e.kind.String() + " " + e.name
		if e.kind == entMethod {
			what = fmt.Sprintf("method %s.%s", e.recv, e.name)
			if t := s.tab.ents[e.recv]; t != nil {
				delete(t.methods, e.name)
			}
		} else if s.tab.ents[e.name] == e {
			delete(s.tab.ents, e.name)
			s.tab.removed[e.name] = fmt.Sprintf("cell[%d] removed it: it no longer compiled after that cell's changes; fix and run cell[%d] again", pl.count, e.cell)
		}
		fmt.Fprintf(os.Stderr, "note: %s (from cell[%d]) was removed: it no longer compiles after this cell's changes:\n  %s\n  fix it and run its cell again.\n", what, e.cell, cleanNames(pl.why[e]))
	}
	for _, im := range pl.imports {
		s.tab.imports[im[0]] = im[1]
	}
	for n, e := range pl.commit {
		if old := s.tab.ents[n]; old != nil && old.kind == entType && e.kind == entType {
			e.methods = map[string]*entity{}
			for mn, m := range old.methods {
				e.methods[mn] = m
			}
		}
		if e.kind == entType && e.methods == nil {
			e.methods = map[string]*entity{}
		}
		s.tab.ents[n] = e
		delete(s.tab.removed, n)
		if e.kind == entType {
			s.tab.sent[e.internal] = true
			s.tab.sent[n] = true
		}
	}
	for _, e := range pl.reemit {
		if e.kind == entType {
			if in, ok := pl.rename[e.name]; ok {
				e.internal = in
			}
			s.tab.sent[e.internal] = true
		}
	}
	for _, m := range pl.methods {
		if t := s.tab.ents[m.recv]; t != nil && t.kind == entType {
			if t.methods == nil {
				t.methods = map[string]*entity{}
			}
			t.methods[m.name] = m
		}
	}
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
		if p != nil && p.cell == cell && line >= p.line && line <= p.line+strings.Count(p.text, "\n") {
			return e
		}
	}
	return nil
}

var errPos = regexp.MustCompile(`^cell\[(\d+)\]:(\d+):`)

// trial compiles the plan on the shadow interpreter.
func (s *Session) trial(pl *plan) *Error {
	s.trials++
	if s.shadow == nil {
		s.adoptShadow(true)
		if s.shadow == nil {
			sh, err := s.buildShadow(s.hist, &s.yaegi.others)
			if err != nil {
				return &Error{Name: "InternalError", Value: "building the trial interpreter: " + err.Error()}
			}
			s.shadow, s.shadowLen = sh, len(s.hist)
		}
	}
	// Catch up with the cells that needed no trial.
	for _, u := range s.hist[s.shadowLen:] {
		if _, err := compile(s.shadow, u, &s.yaegi.others); err != nil {
			s.dropShadow()
			return &Error{Name: "InternalError", Value: "updating the trial interpreter: " + err.Value}
		}
	}
	s.shadowLen = len(s.hist)
	for _, u := range pl.units {
		_, err := compileShow(s.shadow, u, &s.yaegi.compile)
		if err != nil {
			s.dropShadow() // it holds the failed attempt now
			return err
		}
	}
	return nil
}

// adoptShadow makes the trial interpreter built in the background the
// session's, waiting for it with wait; false if it is still being built.
func (s *Session) adoptShadow(wait bool) bool {
	if s.shadowDone == nil {
		return true
	}
	if !wait {
		select {
		case <-s.shadowDone:
		default:
			return false
		}
	}
	<-s.shadowDone
	s.shadow, s.shadowLen, s.shadowDone = s.shadowNext, s.shadowNextLen, nil
	return true
}

// buildShadow makes a trial interpreter with the compile history hist
// (adding yaegi's compile time to clock when not nil, as compile).
func (s *Session) buildShadow(hist []*unit, clock *time.Duration) (*yinterp.Interpreter, error) {
	sh, err := s.newInterp()
	if err != nil {
		return nil, err
	}
	for _, u := range hist {
		if _, err := compile(sh, u, clock); err != nil {
			return nil, err
		}
	}
	return sh, nil
}

// shadowIdle is how long the session waits, after a cell that needed no
// trial, before it compiles that cell on the trial interpreter: only when
// no cell runs (between cells a user types; not in a run of all cells).
const shadowIdle = 150 * time.Millisecond

// scheduleCatchUp arranges for the trial interpreter to compile, once the
// session is idle, the units that cells which needed no trial added, so
// that the next cell that needs a trial does not compile them first.
func (s *Session) scheduleCatchUp() {
	if s.catchUp != nil {
		s.catchUp.Stop()
	}
	s.catchUp = time.AfterFunc(shadowIdle, s.catchUpShadow)
}

// catchUpShadow runs on the timer of scheduleCatchUp: it compiles the
// missing units on the trial interpreter while no cell waits to run.
func (s *Session) catchUpShadow() {
	if s.closed.Load() || !s.mu.TryLock() {
		return // a cell runs; the next trial catches up
	}
	defer s.mu.Unlock()
	if s.shadow == nil && !s.adoptShadow(false) {
		return // still being built
	}
	for s.shadow != nil && s.shadowLen < len(s.hist) && !s.waiting.Load() {
		if _, err := compile(s.shadow, s.hist[s.shadowLen], nil); err != nil {
			s.dropShadow()
			return
		}
		s.shadowLen++
	}
}

// dropShadow discards the trial interpreter and builds a new one in the
// background (building one takes tens of milliseconds), ready for the
// next cell that needs it.
func (s *Session) dropShadow() {
	if s.shadowDone != nil {
		<-s.shadowDone
	}
	s.shadow, s.shadowNext = nil, nil
	hist := append([]*unit(nil), s.hist...)
	done := make(chan struct{})
	s.shadowDone, s.shadowNextLen = done, len(hist)
	go func() {
		defer close(done)
		sh, err := s.buildShadow(hist, nil)
		if err == nil {
			s.shadowNext = sh
		}
	}()
}

// syncFrame makes yaegi's frame of globals as long as its table of them: a
// compile that fails can leave names in the table beyond the frame (its
// Globals then panics), and running any program grows the frame.
func (s *Session) syncFrame() {
	defer func() { recover() }()
	if p, err := s.in.CompileAST(&ast.BlockStmt{}); err == nil && p != nil {
		s.in.ExecuteWithContext(context.Background(), p)
	}
}

// compileShow compiles u, finding how its last expression can be shown:
// yaegi compiles `v := voidCall()` and fails only when it runs, so a call
// of unknown result count is first compiled as ᐧs.Show(E), which fails
// for void calls.
func compileShow(in *yinterp.Interpreter, u *unit, clock *time.Duration) (*yinterp.Program, *Error) {
	if u.show == showProbe {
		u.show = showDirect
		if _, err := compile(in, u, clock); err != nil {
			u.show = 0
		} else {
			u.show = showAssign
		}
	}
	p, err := compile(in, u, clock)
	for err != nil && u.show > 0 {
		u.show-- // multiple values, or a void call
		p, err = compile(in, u, clock)
	}
	return p, err
}

// compile builds u on in's FileSet and compiles it, adding the time yaegi's
// compile took to clock when not nil (cells count theirs in s.yaegi; the
// trial interpreter's background work counts nowhere).
func compile(in *yinterp.Interpreter, u *unit, clock *time.Duration) (p *yinterp.Program, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			p, e = nil, compilePanic(r, u)
		}
	}()
	n, err := build(in.FileSet(), u)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	prog, cerr := in.CompileAST(n)
	if clock != nil {
		*clock += time.Since(t0)
	}
	if cerr != nil {
		return nil, compileErr(cerr.Error())
	}
	if prog == nil {
		return nil, nil
	}
	return prog, nil
}

func compilePanic(r any, u *unit) *Error {
	msg := fmt.Sprint(r)
	where := ""
	if len(u.pieces) > 0 {
		where = fmt.Sprintf("cell[%d]:%d:%d: ", u.pieces[0].cell, u.pieces[0].line, u.pieces[0].col)
	}
	if strings.Contains(msg, "nil type") {
		msg = "this code uses something the interpreter cannot compile (a range over an int or a function whose type the session cannot see?): " +
			"write `for i := 0; i < n; i++` instead of `for i := range n`, and call an iterator directly as `seq(func(v T) bool { ...; return true })` " +
			"(return false to stop) instead of ranging over it"
	}
	return compileErr(where + msg)
}

// compileExec compiles and runs a unit (bootstrap).
func (s *Session) compileExec(ctx context.Context, in *yinterp.Interpreter, u *unit) error {
	p, err := compile(in, u, nil)
	if err != nil {
		return err
	}
	if p == nil {
		return nil
	}
	if e := s.exec(ctx, in, p); e != nil {
		return e
	}
	return nil
}

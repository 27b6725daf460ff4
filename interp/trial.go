package interp

import (
	"time"

	yinterp "github.com/traefik/yaegi/interp"
)

// trialInterp is the trial ("shadow") interpreter: a second interpreter
// with the same compile history as the session's, on which a cell that
// could damage the session compiles first, so that a cell that does not
// compile changes nothing (needsTrial, compiledBefore).
//
// Building one takes tens of milliseconds, so it is built in the
// background after each failure, and it compiles what cells that needed
// no trial added while the session is idle (catchUp). Its methods are
// called with the session's mu held, except the background build, which
// only writes next.
type trialInterp struct {
	newInterp func() (*yinterp.Interpreter, error) // a fresh interpreter with the session's symbols

	in   *yinterp.Interpreter // nil: adopt next or rebuild before use
	n    int                  // how much of hist in has compiled
	hist []*unit              // every unit compiled into the session's interpreter, for rebuilding

	// A trial interpreter being built in the background: next, having
	// compiled nextN units of hist, is set when done is closed.
	done  chan struct{}
	next  *yinterp.Interpreter
	nextN int

	timer  *time.Timer // the pending catch-up (scheduleCatchUp)
	trials int         // trial compiles so far
}

// record adds u, compiled into the session's interpreter, to the history.
func (t *trialInterp) record(u *unit) { t.hist = append(t.hist, u) }

// reset forgets the history (a new session's interpreter) and rebuilds.
func (t *trialInterp) reset() {
	t.hist = nil
	t.drop()
}

// compile compiles the plan on the trial interpreter, after catching it up
// with the cells that needed no trial; clk counts yaegi's time (the plan's
// units are the cell's compile, the rest the session's others).
func (t *trialInterp) compile(pl *plan, clk *yaegiTime) *Error {
	t.trials++
	if t.in == nil {
		t.adopt(true)
		if t.in == nil {
			in, err := t.build(t.hist, &clk.others)
			if err != nil {
				return &Error{Name: "InternalError", Value: "building the trial interpreter: " + err.Error()}
			}
			t.in, t.n = in, len(t.hist)
		}
	}
	for _, u := range t.hist[t.n:] {
		if _, err := compile(t.in, u, &clk.others); err != nil {
			t.drop()
			return &Error{Name: "InternalError", Value: "updating the trial interpreter: " + err.Value}
		}
	}
	t.n = len(t.hist)
	for _, u := range pl.units {
		if _, err := compileShow(t.in, u, &clk.compile); err != nil {
			t.drop() // it holds the failed attempt now
			return err
		}
	}
	return nil
}

// compiledAlong notes that the units just recorded were those the last
// compile tried: the trial interpreter has them.
func (t *trialInterp) compiledAlong() {
	if t.in != nil {
		t.n = len(t.hist)
	}
}

// adopt makes the trial interpreter built in the background the current
// one, waiting for it with wait; false if it is still being built.
func (t *trialInterp) adopt(wait bool) bool {
	if t.done == nil {
		return true
	}
	if !wait {
		select {
		case <-t.done:
		default:
			return false
		}
	}
	<-t.done
	t.in, t.n, t.done = t.next, t.nextN, nil
	return true
}

// build makes a trial interpreter with the compile history hist (adding
// yaegi's compile time to clock when not nil, as compile).
func (t *trialInterp) build(hist []*unit, clock *time.Duration) (*yinterp.Interpreter, error) {
	in, err := t.newInterp()
	if err != nil {
		return nil, err
	}
	for _, u := range hist {
		if _, err := compile(in, u, clock); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// drop discards the trial interpreter and builds a new one in the
// background, ready for the next cell that needs it.
func (t *trialInterp) drop() {
	if t.done != nil {
		<-t.done
	}
	t.in, t.next = nil, nil
	hist := append([]*unit(nil), t.hist...)
	done := make(chan struct{})
	t.done, t.nextN = done, len(hist)
	go func() {
		defer close(done)
		if in, err := t.build(hist, nil); err == nil {
			t.next = in
		}
	}()
}

// settle waits for the background build, if one runs.
func (t *trialInterp) settle() {
	if t.done != nil {
		<-t.done
	}
}

// caughtUp tells whether the trial interpreter has the whole history.
func (t *trialInterp) caughtUp() bool { return t.in != nil && t.n == len(t.hist) }

// catchUp compiles the units the trial interpreter lacks, one at a time,
// until it has them all or stop says a cell waits to run.
func (t *trialInterp) catchUp(stop func() bool) {
	if t.in == nil && !t.adopt(false) {
		return // still being built
	}
	for t.in != nil && t.n < len(t.hist) && !stop() {
		if _, err := compile(t.in, t.hist[t.n], nil); err != nil {
			t.drop()
			return
		}
		t.n++
	}
}

// idleDelay is how long the session waits, after a cell that needed no
// trial, before it compiles that cell on the trial interpreter: only when
// no cell runs (between cells a user types; not in a run of all cells).
const idleDelay = 150 * time.Millisecond

// scheduleCatchUp arranges for the trial interpreter to compile, once the
// session is idle, the units that cells which needed no trial added, so
// that the next cell that needs a trial does not compile them first.
func (s *Session) scheduleCatchUp() {
	if s.trial.timer != nil {
		s.trial.timer.Stop()
	}
	s.trial.timer = time.AfterFunc(idleDelay, func() {
		if s.closed.Load() || !s.mu.TryLock() {
			return // a cell runs; the next trial catches up
		}
		defer s.mu.Unlock()
		s.trial.catchUp(s.waiting.Load)
	})
}

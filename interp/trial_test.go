package interp

import (
	"strings"
	"testing"
)

// trialInterp's unit tests drive the type directly, with a compile history
// taken from a session's cells and plans made by the session's planner.

// planFor analyses and plans src as cell count of s, without running it.
func planFor(t *testing.T, s *Session, count int, src string) *plan {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.analyse(src, count)
	if err != nil {
		t.Fatalf("analyse %q: %v", src, err)
	}
	pl, err := s.makePlan(src, count, a, map[*entity]string{})
	if err != nil {
		t.Fatalf("plan %q: %v", src, err)
	}
	return pl
}

// newTrialFrom returns a trial interpreter, built in the background, with
// the compile history of s.
func newTrialFrom(s *Session) *trialInterp {
	s.mu.Lock()
	defer s.mu.Unlock()
	tr := &trialInterp{newInterp: s.eng.Interp}
	for _, u := range s.trial.hist {
		tr.record(u)
	}
	tr.drop() // starts the background build
	return tr
}

func TestTrialInterpCompilesOnTheHistoryAndForgetsFailures(t *testing.T) {
	s := settled(newSession(t))
	run(t, s, 1, "type P struct{ X int }\nfunc mk() P { return P{X: 1} }")
	tr := newTrialFrom(s)

	if err := tr.compile(planFor(t, s, 2, "q := mk().X"), &yaegiTime{}); err != nil {
		t.Fatalf("a cell using the history's definitions: %v", err)
	}
	if !tr.caughtUp() {
		t.Fatal("after a compile the trial interpreter should hold the whole history")
	}

	err := tr.compile(planFor(t, s, 3, "r := mk().Y"), &yaegiTime{})
	if err == nil || !strings.Contains(err.Value, "Y") {
		t.Fatalf("a field P lacks: want a compile error naming Y, got %v", err)
	}
	if tr.in != nil {
		t.Fatal("the interpreter that saw the failed attempt was kept")
	}
	tr.settle()
	if !tr.adopt(false) || !tr.caughtUp() {
		t.Fatal("the background rebuild did not give an interpreter with the whole history")
	}
	// The rebuilt interpreter has the history and not the failed attempt:
	// a cell defining r compiles.
	if err := tr.compile(planFor(t, s, 4, "r := mk().X + 1"), &yaegiTime{}); err != nil {
		t.Fatalf("after the rebuild: %v", err)
	}
	if tr.trials != 3 {
		t.Errorf("trials = %d, want 3", tr.trials)
	}
}

func TestTrialInterpCatchUpStopsWhenACellWaits(t *testing.T) {
	s := settled(newSession(t))
	run(t, s, 1, "a := 1")
	tr := newTrialFrom(s)
	tr.settle()
	tr.adopt(true)
	pl := planFor(t, s, 2, "func f() int { return a }\nb := f()")
	for _, u := range pl.units {
		tr.record(u) // as compilePlan records what the session compiled without a trial
	}
	s.tabMu.Lock()
	s.tab.commit(pl) // so that the planner of cell 3 knows f and b
	s.tabMu.Unlock()
	if tr.caughtUp() {
		t.Fatal("caughtUp with units recorded but not compiled")
	}
	tr.catchUp(func() bool { return true }) // a cell waits: compile nothing
	if tr.caughtUp() {
		t.Fatal("catchUp compiled although a cell waits")
	}
	tr.catchUp(func() bool { return false })
	if !tr.caughtUp() {
		t.Fatal("catchUp on an idle session left units uncompiled")
	}
	if err := tr.compile(planFor(t, s, 3, "c := f() + b"), &yaegiTime{}); err != nil {
		t.Fatalf("a cell using what catchUp compiled: %v", err)
	}
}

// TestTrialHistoryKeepsOnlyDefinitions: the trial interpreter only
// compiles, so a cell that defines nothing (an expression, a call, a loop)
// must not grow the history it rebuilds from: a long session's memory and
// rebuild time would grow with every such cell.
func TestTrialHistoryKeepsOnlyDefinitions(t *testing.T) {
	s := settled(newSession(t))
	run(t, s, 1, "x := 1\nfmt.Print()") // fmt's import is a unit the history keeps
	histLen := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.trial.hist)
	}
	before := histLen()
	for i, cell := range []string{"x + 1", "fmt.Println(x)", "for k := 0; k < 3; k++ { x += k }", "x"} {
		if o := run(t, s, i+2, cell); o.res.Err != nil {
			t.Fatalf("%q: %v", cell, o.res.Err)
		}
	}
	if got := histLen(); got != before {
		t.Errorf("cells that define nothing grew the trial history from %d to %d units", before, got)
	}
	run(t, s, 9, "y := x * 2")
	if got := histLen(); got != before+1 {
		t.Errorf("a cell defining y: history %d units, want %d", got, before+1)
	}
	// A redefinition, which needs the trial, still sees y.
	if o := run(t, s, 10, "y := \"now a string\"\ny"); o.res.Err != nil || !strings.Contains(o.value(), "now a string") {
		t.Errorf("redefining y after the skipped cells: %q %v", o.value(), o.res.Err)
	}
}

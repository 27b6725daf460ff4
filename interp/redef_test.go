package interp

import (
	"strings"
	"testing"
	"time"
)

func TestRedefinition(t *testing.T) {
	runScenarios(t, []scenario{
		{"func: callers defined earlier see the new body", []step{
			{code: "func h() int { return 1 }\nfunc k() int { return h() * 10 }\nk()", value: "10"},
			{code: "func h() int { return 2 }\nk()", value: "20"},
			{code: "func top() int { return k() + 1 }\ntop()", value: "21"},
			{code: "func h() int { return 3 }\ntop()", value: "31"},
		}},
		{"func: a redefinition re-emits a caller ranging over its result", []step{
			{code: "func n() int { return 3 }", value: ""},
			{code: "func g() int { s := 0; for i := range n() { s += i }; return s }\ng()", value: "3"},
			{code: "func n() int { return 4 }\ng()", value: "6"}, // the cell's own text has no range
		}},
		{"func: a new signature", []step{
			{code: "func f(a int) int { return a }\nfunc g() int { return f(1) }\ng()", value: "1"},
			{code: "func f(a, b int) int { return a + b }\nf(1, 2)", value: "3"},
			{code: "g()", err: "CompileError: cell[3]:1:1: undefined: g (cell[2] removed it: it no longer compiled after that cell's changes; fix and run cell[1] again)"},
			{code: "func g() int { return f(1, 2) }\ng()", value: "3"},
		}},
		{"type: new fields, methods carried over, dependants re-emitted", []step{
			{code: "type T struct{ A int }\nfunc (t T) Get() int { return t.A }\nfunc mk() T { return T{A: 1} }\nmk().Get()", value: "1"},
			{code: "type T struct{ A, B int }\nT{1, 2}.Get()", value: "1"},
			{code: "mk()", value: "{1 0}"},
			{code: "T{A: 3, B: 4}", value: "{3 4}"},
		}},
		{"type: a dependant that no longer compiles is removed with a note", []step{
			{code: "type M struct{ W, B float64 }\nfunc predict(m M, x float64) float64 { return m.W*x + m.B }\nfunc loss(m M) float64 { return predict(m, 1) }\nloss(M{2, 1})", value: "3"},
			{code: "type M struct{ A, C float64 }\nM{1, 2}", value: "{1 2}", eout: "note: func predict (from cell[1]) was removed: it no longer compiles after this cell's changes:\n  cell[1]:2:47: undefined selector: W"},
			{code: "loss(M{1, 2})", err: "undefined: loss"},
			{code: "func predict(m M, x float64) float64 { return m.A*x + m.C }\nfunc loss(m M) float64 { return predict(m, 1) }\nloss(M{1, 2})", value: "3"},
		}},
		{"type: old values keep working", []step{
			{code: "type T struct{ A int }\nold := T{7}", value: ""},
			{code: "type T struct{ A, B int }\nold.A", value: "7"},
			{code: "fmt.Println(old)", out: "{7}"},
		}},
		{"method: redefined body is used by new values", []step{
			{code: "type T struct{ A int }\nfunc (t T) String() string { return fmt.Sprint(\"v1:\", t.A) }\nT{1}", value: "v1:1"},
			{code: "func (t T) String() string { return fmt.Sprint(\"v2:\", t.A) }\nT{2}", value: "v2:2"},
			{code: "func show(t T) string { return t.String() }\nshow(T{3})", value: `"v2:3"`},
			{code: "func (t T) String() string { return fmt.Sprint(\"v3:\", t.A) }\nshow(T{4})", value: `"v3:4"`},
		}},
		{"method: added to an existing type", []step{
			{code: "type C struct{ n int }\nfunc (c *C) Inc() { c.n++ }\nc := &C{}\nc.Inc()\nc.n", value: "1"},
			{code: "func (c *C) Dec() { c.n-- }\nc.Dec()\nc.Dec()\nc.n", value: "-1"},
			{code: "c.Inc()"},
		}},
		{"var: earlier functions read the new variable", []step{
			{code: "x := 1\nfunc get() int { return x }\nget()", value: "1"},
			{code: "x := 5\nget()", value: "5"},
			{code: "x = 6\nget()", value: "6"},
			{code: "var x = \"s\"\nx", value: `"s"`},
			{code: "get()", err: "undefined: get"},
			{code: "func get() string { return x }\nget()", value: `"s"`},
		}},
		{"const: earlier functions see the new value", []step{
			{code: "const N = 3\nfunc n() int { return N }\nn()", value: "3"},
			{code: "const N = 4\nn()", value: "4"},
		}},
		{"a failed cell changes nothing", []step{
			{code: "okA := 1\nfunc goodF() int { return 1 }\nbad := \"x\" + 1", err: "CompileError: cell[1]:3:8"},
			{code: "okA", err: "undefined: okA"},
			{code: "goodF()", err: "undefined: goodF"},
			{code: "v := 10\nfunc fv() int { return v }"},
			{code: "v := \"now a string\"\nfunc fv() int { return 1 }\nw := v + 1", err: "CompileError"},
			{code: "v + fv()", value: "20"},
			{code: "type S struct{ A int }\nS{1}", value: "{1}"},
			{code: "type S struct{ B string }\nfunc (s S) M() int { return s.C }", err: "CompileError"},
			{code: "S{A: 2}", value: "{2}"},
		}},
		{"func main runs once, when its cell runs", []step{
			{code: "func main() { fmt.Println(\"main ran\") }", out: "main ran\n"},
			{code: "1 + 1", value: "2"},
			{code: "main()", out: "main ran\n"},
		}},
		{"a func literal called at the start of a cell runs once", []step{
			{code: "func() { fmt.Println(\"lit\") }()", out: "lit\n"},
			{code: "2", value: "2"},
		}},
	})
}

// TestShadowFollowsInBackground: cells that need no trial are compiled on
// the trial interpreter when the session is idle after them, so that the
// next cell that needs a trial does not compile them first.
func TestShadowFollowsInBackground(t *testing.T) {
	s := settled(newSession(t))
	run(t, s, 1, "a := 1\nfunc f() int { return a }") // new names: no trial
	caughtUp := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.trial.caughtUp()
	}
	for end := time.Now().Add(10 * time.Second); !caughtUp(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the trial interpreter did not catch up while the session was idle")
		}
	}
	if o := run(t, s, 2, "a := 2\nf()"); o.value() != "2" || o.res.Err != nil {
		t.Fatalf("redefinition after the catch-up: %q %+v", o.value(), o.res.Err)
	}
	if o := run(t, s, 3, "a := \"s\"\nb := a + 1"); o.res.Err == nil {
		t.Fatal("want a compile error")
	}
	if o := run(t, s, 4, "f()"); o.value() != "2" {
		t.Fatalf("the failed cell changed the session: %q %+v", o.value(), o.res.Err)
	}
}

// TestRerunNeedsNoTrial: a cell run again, unchanged, over the same
// definitions compiles without a trial; once a definition it uses changed
// in place, it gets a trial again, and failing it changes nothing.
func TestRerunNeedsNoTrial(t *testing.T) {
	s := settled(newSession(t))
	run(t, s, 1, "type U struct{ X int }\ntype T struct{ u U }")
	const cell = "tv := T{u: U{X: 4}}\nv := tv.u.X * 2\nfunc twice() int { return v * 2 }\nv"
	for i := 2; i <= 4; i++ {
		before := s.trial.trials
		if o := run(t, s, i, cell); o.value() != "8" || o.res.Err != nil {
			t.Fatalf("cell[%d]: %q %+v", i, o.value(), o.res.Err)
		}
		if i > 2 && s.trial.trials != before {
			t.Fatalf("cell[%d]: the unchanged cell ran a trial again", i)
		}
	}
	run(t, s, 5, "type U struct{ Y int }") // T is re-emitted: tv.u.X no longer compiles
	before := s.trial.trials
	if o := run(t, s, 6, cell); o.res.Err == nil || !strings.Contains(o.res.Err.Value, "X") {
		t.Fatalf("want a compile error about X, got %+v", o.res.Err)
	}
	if s.trial.trials == before {
		t.Fatal("the cell ran without a trial after a definition it uses changed")
	}
	if o := run(t, s, 7, "v + twice()"); o.value() != "24" {
		t.Fatalf("the failed cell changed the session: %q %+v", o.value(), o.res.Err)
	}
	if o := run(t, s, 8, "func twice() int { return 1 }\ntwice()"); o.value() != "1" {
		t.Fatalf("%q %+v", o.value(), o.res.Err)
	}
}

// TestRerunAfterAFailedCompile: a cell that failed to compile on the
// session's interpreter may have left it changed (a unit that compiled
// before the failing one), so a cell run again unchanged afterwards may not
// compile there as it did: it gets a trial, and its failure changes nothing.
func TestRerunAfterAFailedCompile(t *testing.T) {
	s := settled(newSession(t))
	const cell = "func f() int { return len([]int{1}) }\nf()"
	run(t, s, 1, cell)
	run(t, s, 2, "func len(x []int) string { return \"seven\" }\nzz := 1 + \"s\"") // fails after compiling len
	run(t, s, 3, cell)
	if o := run(t, s, 4, "f()"); o.value() != "1" || o.res.Err != nil {
		t.Fatalf("running the cell again changed the session: %q %+v", o.value(), o.res.Err)
	}
	run(t, s, 5, "zz := 1 + \"s\"") // a cell of new names that fails compiling for real
	before := s.trial.trials
	run(t, s, 6, cell)
	if s.trial.trials == before {
		t.Fatal("the cell ran without a trial after a failed compile")
	}
}

// TestFailedCellDefiningABuiltinOrPackage: a cell that defines the name
// of a builtin or of an imported package and does not compile leaves them
// alone.
func TestFailedCellDefiningABuiltinOrPackage(t *testing.T) {
	runScenarios(t, []scenario{
		{"builtin", []step{
			{code: "func len(x []int) string { return \"seven\" }\nzz := 1 + \"s\"", err: "mismatched types"},
			{code: "n := len([]int{1, 2})\nn", value: "2"},
		}},
		{"auto-imported package", []step{
			{code: "func up() string { return strings.ToUpper(\"a\") }\nup()", value: `"A"`},
			{code: "strings := 5\nzz := 1 + \"s\"", err: "mismatched types"},
			{code: "up()", value: `"A"`},
		}},
		{"package not imported yet", []step{
			{code: "strings := 5\nzz := 1 + \"s\"", err: "mismatched types"},
			{code: "strings.ToUpper(\"a\")", value: `"A"`},
		}},
	})
}

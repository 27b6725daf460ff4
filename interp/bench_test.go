package interp

import (
	"context"
	"fmt"
	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"strings"
	"testing"
	"time"

	"github.com/gradlab/gradlab/interp/internal/engine"
)

// settled waits for the background work of a new session (its trial
// interpreter) so that it does not count in the figures.
func settled(s *Session) *Session {
	s.trial.settle()
	return s
}

func benchCell(b *testing.B, s *Session, code string) {
	b.Helper()
	res := s.Execute(context.Background(), Cell{Code: code, Count: 1, Out: func(string, string) {}})
	if res.Err != nil {
		b.Fatalf("%s: %v", code, res.Err)
	}
}

// ownTime sums, over a benchmark's timed cells, the session's own work: a
// cell's wall time less what it spent in yaegi (compiling, on the trial
// interpreter too, and running its units; the value display and other
// native calls the units make count as running).
type ownTime struct{ own, compile time.Duration }

func (o *ownTime) cell(b *testing.B, s *Session, code string) {
	y0, t0 := s.yaegi, time.Now()
	benchCell(b, s, code)
	wall := time.Since(t0)
	compile, others, run := s.yaegi.compile-y0.compile, s.yaegi.others-y0.others, s.yaegi.run-y0.run
	o.own += wall - compile - others - run
	o.compile += compile + others
}

// report adds session-ns/op (the session's own work per cell) and
// compile-ns/op (yaegi's compile) to the benchmark's figures.
func (o *ownTime) report(b *testing.B) {
	b.ReportMetric(float64(o.own.Nanoseconds())/float64(b.N), "session-ns/op")
	b.ReportMetric(float64(o.compile.Nanoseconds())/float64(b.N), "compile-ns/op")
}

// BenchmarkTrivialCell is the per-cell overhead: parse, analyse, rewrite,
// compile, run, show the value, sync the output pipes.
// yaegi's global frame grows by a few slots per cell and is copied when
// a cell runs, so the session is renewed every 500 cells: the figure is
// that of a notebook of up to 500 cells.
func BenchmarkTrivialCell(b *testing.B) {
	var s *Session
	var o ownTime
	defer o.report(b)
	for i := 0; i < b.N; i++ {
		if i%500 == 0 {
			b.StopTimer()
			if s != nil {
				s.Close() // no background work of its own during the next one's cells
			}
			s = settled(newSession(b))
			benchCell(b, s, "x := 1")
			b.StartTimer()
		}
		o.cell(b, s, "x + 1")
	}
}

// BenchmarkEmptyCell is the floor: the output sync and display hooks.
func BenchmarkEmptyCell(b *testing.B) {
	s := settled(newSession(b))
	for i := 0; i < b.N; i++ {
		benchCell(b, s, "")
	}
}

func cell200() string {
	var sb strings.Builder
	sb.WriteString("func helper(a, b int) int { return a*b + 1 }\n")
	sb.WriteString("type Pt struct{ X, Y float64 }\n")
	sb.WriteString("v0 := 1\n")
	for i := 1; i < 197; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, "v%d := helper(v%d, 2) %% 1000\n", i, i-1)
		case 1:
			fmt.Fprintf(&sb, "v%d := v%d + len(\"abc\")\n", i, i-1)
		case 2:
			fmt.Fprintf(&sb, "v%d := int(Pt{X: float64(v%d)}.X) %% 97\n", i, i-1)
		default:
			fmt.Fprintf(&sb, "if v%d > 50 { v%d = v%d - 50 }; v%d := v%d * 3\n", i-1, i-1, i-1, i, i-1)
		}
	}
	sb.WriteString("v196")
	return sb.String()
}

// BenchmarkFirst200LineCell runs a 200-line cell once in a fresh session
// (defining everything): compare with BenchmarkFirstTrivialCell.
func BenchmarkFirst200LineCell(b *testing.B) {
	code := cell200()
	var o ownTime
	defer o.report(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := settled(newSession(b))
		benchCell(b, s, "1")
		b.StartTimer()
		o.cell(b, s, code)
		b.StopTimer()
		s.Close() // no background work of its own during the next one's cells
		b.StartTimer()
	}
}

// BenchmarkFirstTrivialCell is the same for a trivial cell.
func BenchmarkFirstTrivialCell(b *testing.B) {
	var o ownTime
	defer o.report(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := settled(newSession(b))
		benchCell(b, s, "x := 1")
		b.StartTimer()
		o.cell(b, s, "x + 1")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// Benchmark200LineCell runs a 200-line cell of declarations and
// statements; compare with BenchmarkTrivialCell for the extra cost.
func Benchmark200LineCell(b *testing.B) {
	s := settled(newSession(b))
	code := cell200()
	if n := strings.Count(code, "\n") + 1; n != 200 {
		b.Fatalf("cell has %d lines", n)
	}
	var o ownTime
	defer o.report(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%50 == 0 {
			b.StopTimer()
			s.Close()
			s = settled(newSession(b))
			benchCell(b, s, code) // the first run defines; later runs redefine
			b.StartTimer()
		}
		o.cell(b, s, code)
	}
}

// BenchmarkFloatLoop1e7 is an interpreted float loop of 1e7 iterations,
// the figure compared with gophernotes, ipykernel and GoNB.
func BenchmarkFloatLoop1e7(b *testing.B) {
	s := settled(newSession(b))
	for i := 0; i < b.N; i++ {
		benchCell(b, s, "s := 0.0\nfor i := 0; i < 10000000; i++ { s += float64(i) * 0.5 }\ns")
	}
}

// BenchmarkNativeTensorOp is the cost of one call of a native tensor op
// (a 4-element Add) from interpreted code, per call.
func BenchmarkNativeTensorOp(b *testing.B) {
	s := settled(newSession(b))
	benchCell(b, s, "ta := ag.Ones(4)\ntb := ag.Ones(4)\nvar tc *ag.Tensor")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchCell(b, s, "for i := 0; i < 10000; i++ { tc = ta.Add(tb) }")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/op-call")
}

// BenchmarkNativeTensorOpCompiled is the same loop in compiled Go.
func BenchmarkNativeTensorOpCompiled(b *testing.B) {
	s := settled(newSession(b))
	_ = s
	benchCell(b, s, "1")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nativeAddLoop(10000)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/op-call")
}

// BenchmarkRawYaegi200Line compiles and runs the 200-line cell with yaegi
// alone (Compile + Execute of the same source as one program), for
// reference: the floor under Benchmark*200LineCell.
func BenchmarkRawYaegi200Line(b *testing.B) {
	code := cell200()
	lines := strings.Split(code, "\n")
	decls := strings.Join(lines[:2], "\n")
	body := strings.Join(lines[2:len(lines)-1], "\n")
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		in := yinterp.New(yinterp.Options{})
		in.Use(stdlib.Symbols)
		b.StartTimer()
		if _, err := in.Eval(decls); err != nil {
			b.Fatal(err)
		}
		if _, err := in.Eval(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawYaegiFloatLoop1e7 is the same loop through yaegi's Eval,
// for reference.
func BenchmarkRawYaegiFloatLoop1e7(b *testing.B) {
	in := yinterp.New(yinterp.Options{})
	in.Use(stdlib.Symbols)
	for i := 0; i < b.N; i++ {
		if _, err := in.Eval("s := 0.0\nfor i := 0; i < 10000000; i++ { s += float64(i) * 0.5 }"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuardedCallback is, from an interpreted loop, calls of native
// functions that take a func, and of those funcs: sync.OnceFunc's goes
// through the guards of guard.go, ag.NoGrad's and sort.Search's do not
// (they call their funcs before returning). Compare with
// BenchmarkUnguardedCallback, the same without any guard.
func BenchmarkGuardedCallback(b *testing.B) { benchCallback(b, true) }

// BenchmarkUnguardedCallback is BenchmarkGuardedCallback without the guards.
func BenchmarkUnguardedCallback(b *testing.B) { benchCallback(b, false) }

func benchCallback(b *testing.B, guarded bool) {
	s := settled(newSession(b))
	if !guarded {
		if err := s.in.Use(engine.Unguarded()); err != nil {
			b.Fatal(err)
		}
	}
	benchCell(b, s, "import \"sync\"\nn := 0\nfunc cb() { n++ }\nfunc search(i int) bool { return i >= 1 }")
	code := fmt.Sprintf("for i := 0; i < %d; i++ {\n\tag.NoGrad(cb)\n\tsort.Search(2, search)\n\tsync.OnceFunc(cb)()\n}", b.N)
	b.ResetTimer()
	benchCell(b, s, code)
}

// BenchmarkRedefineAfterNewCells is a one-line cell that redefines a
// variable (so it compiles on the trial interpreter first), run after 20
// cells of 10 new lines each and a pause, as in a notebook: the trial
// interpreter compiled those cells while the session was idle.
func BenchmarkRedefineAfterNewCells(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := settled(newSession(b))
		for c := 0; c < 20; c++ {
			var sb strings.Builder
			for l := 0; l < 10; l++ {
				fmt.Fprintf(&sb, "c%dl%d := %d * 2\n", c, l, l)
			}
			benchCell(b, s, sb.String())
		}
		time.Sleep(2 * idleDelay)
		s.mu.Lock() // the catch-up is done
		s.mu.Unlock()
		b.StartTimer()
		benchCell(b, s, "c0l0 := 5\nc0l0")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

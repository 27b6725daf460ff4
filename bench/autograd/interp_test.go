package autogradbench

import (
	"context"
	"testing"

	"github.com/gradlab/gradlab/interp"
)

// Workload 1 driven from a notebook cell: the same scalar loop as
// BenchmarkScalarLoop, interpreted by yaegi, calling the native library
// (16 native calls per iteration).
func BenchmarkScalarLoopInterp(b *testing.B) { benchInterpLoop(b, scalarCell) }

// The same loop with optim.SGD doing the update (8 native calls per iteration),
// as the notebooks write it.
func BenchmarkScalarLoopInterpOptim(b *testing.B) { benchInterpLoop(b, scalarCellOptim) }

const scalarCell = `a := ag.Scalar(0.5).SetRequiresGrad(true)
c := ag.Scalar(-0.3).SetRequiresGrad(true)
x, t := ag.Scalar(1.5), ag.Scalar(2)
step := func(n int) {
	for i := 0; i < n; i++ {
		loss := a.Mul(x).Add(c).Sub(t).Pow(2).Mean()
		loss.Backward()
		prev := ag.SetGradEnabled(false)
		a.SubInPlace(a.Grad().MulScalar(0.01))
		c.SubInPlace(c.Grad().MulScalar(0.01))
		ag.SetGradEnabled(prev)
		a.ZeroGrad()
		c.ZeroGrad()
	}
}
step(10)`

const scalarCellOptim = `a := ag.Scalar(0.5).SetRequiresGrad(true)
c := ag.Scalar(-0.3).SetRequiresGrad(true)
x, t := ag.Scalar(1.5), ag.Scalar(2)
opt := optim.NewSGD([]*ag.Tensor{a, c}, 0.01)
step := func(n int) {
	for i := 0; i < n; i++ {
		loss := a.Mul(x).Add(c).Sub(t).Pow(2).Mean()
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
}
step(10)`

func benchInterpLoop(b *testing.B, setup string) {
	s, err := interp.New()
	if err != nil {
		b.Fatal(err)
	}
	run := func(code string) {
		r := s.Execute(context.Background(), interp.Cell{Code: code})
		if r.Err != nil {
			b.Fatalf("%s: %s", r.Err.Name, r.Err.Value)
		}
	}
	run(setup)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		run("step(10000)")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/iter")
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/10000, "cpu-ns/iter")
}

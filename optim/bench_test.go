package optim_test

import (
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/optim"
)

// benchParams is one float32 parameter of n elements with a gradient, the
// size bench/optim/torch_step.py times in PyTorch.
func benchParams(n int) []*ag.Tensor {
	v := make([]float32, n)
	g := make([]float32, n)
	for i := range v {
		v[i] = float32(i%1000)/1000 - 0.5
		g[i] = float32(i%777)/777 - 0.3
	}
	p := ag.New32(v, n).SetRequiresGrad(true)
	p.SetGrad(ag.New32(g, n))
	return []*ag.Tensor{p}
}

const benchN = 1_000_000

func benchStep(b *testing.B, opt optim.Optimizer) {
	opt.Step() // allocate the state outside the timing
	b.ReportAllocs()
	b.SetBytes(4 * benchN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opt.Step()
	}
}

func BenchmarkSGDMomentumStep1M(b *testing.B) {
	benchStep(b, optim.NewSGDWith(benchParams(benchN), optim.SGDOptions{LR: 1e-3, Momentum: 0.9}))
}

func BenchmarkSGDNesterovStep1M(b *testing.B) {
	benchStep(b, optim.NewSGDWith(benchParams(benchN), optim.SGDOptions{LR: 1e-3, Momentum: 0.9, Nesterov: true}))
}

func BenchmarkAdamStep1M(b *testing.B) {
	benchStep(b, optim.NewAdam(benchParams(benchN), 1e-3))
}

func BenchmarkAdamWStep1M(b *testing.B) {
	benchStep(b, optim.NewAdamW(benchParams(benchN), 1e-3))
}

func BenchmarkRMSpropStep1M(b *testing.B) {
	benchStep(b, optim.NewRMSprop(benchParams(benchN), 1e-3))
}

func BenchmarkAdagradStep1M(b *testing.B) {
	benchStep(b, optim.NewAdagrad(benchParams(benchN), 1e-3))
}

func BenchmarkAdadeltaStep1M(b *testing.B) {
	benchStep(b, optim.NewAdadelta(benchParams(benchN), 1))
}

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

// benchParams64 is benchParams in float64.
func benchParams64(n int) []*ag.Tensor {
	v := make([]float64, n)
	g := make([]float64, n)
	for i := range v {
		v[i] = float64(i%1000)/1000 - 0.5
		g[i] = float64(i%777)/777 - 0.3
	}
	p := ag.New64(v, n).SetRequiresGrad(true)
	p.SetGrad(ag.New64(g, n))
	return []*ag.Tensor{p}
}

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

// The float64 benchmarks time the Go loops (no assembly for float64).
func BenchmarkSGDMomentumStep1MFloat64(b *testing.B) {
	benchStep(b, optim.NewSGDWith(benchParams64(benchN), optim.SGDOptions{LR: 1e-3, Momentum: 0.9}))
}

func BenchmarkAdamStep1MFloat64(b *testing.B) {
	benchStep(b, optim.NewAdam(benchParams64(benchN), 1e-3))
}

// BenchmarkAdamStep1MGoLoops times the float32 Go loops alone.
func BenchmarkAdamStep1MGoLoops(b *testing.B) {
	defer optim.SetAVX2(optim.SetAVX2(false))
	benchStep(b, optim.NewAdam(benchParams(benchN), 1e-3))
}

// smallParams are seed 004's MLP parameters (Linear(2, 8), Linear(8, 1)) with
// gradients: the per-call overhead the tutorials pay 9600 times.
func smallParams() []*ag.Tensor {
	var ps []*ag.Tensor
	for _, shape := range [][]int{{8, 2}, {8}, {1, 8}, {1}} {
		n := 1
		for _, s := range shape {
			n *= s
		}
		v := make([]float32, n)
		g := make([]float32, n)
		for i := range v {
			v[i] = float32(i)/10 - 0.3
			g[i] = float32(i%3) - 1
		}
		p := ag.New32(v, shape...).SetRequiresGrad(true)
		p.SetGrad(ag.New32(g, shape...))
		ps = append(ps, p)
	}
	return ps
}

func benchSmall(b *testing.B, opt optim.Optimizer) {
	opt.Step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opt.Step()
	}
}

func BenchmarkSGDStepSeed004MLP(b *testing.B) { benchSmall(b, optim.NewSGD(smallParams(), 0.01)) }

func BenchmarkAdamStepSeed004MLP(b *testing.B) { benchSmall(b, optim.NewAdam(smallParams(), 0.01)) }

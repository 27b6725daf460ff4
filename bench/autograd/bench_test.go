// Package autogradbench measures the three autograd workloads of issue 4;
// bench/torch_autograd.py runs the same workloads in PyTorch.
//
//	go test -bench . -benchtime 2s ./bench/autograd/
package autogradbench

import (
	"syscall"
	"testing"
	"time"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
)

// Workload 1: per-op overhead. loss = (a*x + b - t)^2 on 0-d tensors,
// backward, an in-place SGD step and zeroed gradients: one iteration per op.
func BenchmarkScalarLoop(b *testing.B) {
	a := ag.Scalar(0.5).SetRequiresGrad(true)
	c := ag.Scalar(-0.3).SetRequiresGrad(true)
	x, t := ag.Scalar(1.5), ag.Scalar(2)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for i := 0; i < b.N; i++ {
		loss := a.Mul(x).Add(c).Sub(t).Pow(2).Mean()
		loss.Backward()
		prev := ag.SetGradEnabled(false)
		a.AddScaledInPlace(-0.01, a.Grad())
		c.AddScaledInPlace(-0.01, c.Grad())
		ag.SetGradEnabled(prev)
		a.ZeroGrad()
		c.ZeroGrad()
	}
}

// cpuTime is the process's user+system CPU time: on a machine shared with
// other jobs it is steadier than wall time (parallel matmuls count twice).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

type mlp struct{ layers []*nn.Linear }

func newMLP(sizes ...int) *mlp {
	m := &mlp{}
	for i := 0; i+1 < len(sizes); i++ {
		m.layers = append(m.layers, nn.NewLinear(sizes[i], sizes[i+1]))
	}
	return m
}

func (m *mlp) forward(x *ag.Tensor) *ag.Tensor {
	for i, l := range m.layers {
		x = l.Forward(x)
		if i < len(m.layers)-1 {
			x = x.Relu()
		}
	}
	return x
}

func (m *mlp) params() []*ag.Tensor {
	var ps []*ag.Tensor
	for _, l := range m.layers {
		ps = append(ps, l.Parameters()...)
	}
	return ps
}

func sgdStep(ps []*ag.Tensor, lr float64) {
	prev := ag.SetGradEnabled(false)
	for _, p := range ps {
		p.AddScaledInPlace(-lr, p.Grad())
		p.ZeroGrad()
	}
	ag.SetGradEnabled(prev)
}

// sequential is the same MLP as nn.Sequential, as bench/torch_autograd.py
// builds it in PyTorch.
func sequential(sizes ...int) *nn.Sequential {
	s := nn.NewSequential(nil)
	for i := 0; i+1 < len(sizes); i++ {
		s.Add(nn.NewLinear(sizes[i], sizes[i+1]))
		if i+2 < len(sizes) {
			s.Add(nn.NewReLU())
		}
	}
	return s
}

// Workload 2: seed 004 section 5, MLP 1-32-32-1 on 1000 samples, one
// full-batch SGD step (forward, MSE, backward, step), with the model an
// nn.Sequential as on the PyTorch side.
func BenchmarkMLPSmall(b *testing.B) {
	ag.ManualSeed(0)
	m := sequential(1, 32, 32, 1)
	benchSmall(b, m.Forward, m.Parameters())
}

// BenchmarkMLPSmallCustom is workload 2 with the forward pass written out
// as a user's own module would (seed 004's class Model): its activations
// are the caller's, so they cannot be recycled and are allocated afresh.
func BenchmarkMLPSmallCustom(b *testing.B) {
	ag.ManualSeed(0)
	m := newMLP(1, 32, 32, 1)
	benchSmall(b, m.forward, m.params())
}

func benchSmall(b *testing.B, forward func(*ag.Tensor) *ag.Tensor, ps []*ag.Tensor) {
	x := ag.Linspace(-5, 5, 1000).Unsqueeze(1)
	y := x.Pow(2).MulScalar(0.3).Add(ag.Randn(1000, 1))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for i := 0; i < b.N; i++ {
		loss := nn.MSE(forward(x), y)
		loss.Backward()
		sgdStep(ps, 1e-4)
	}
}

// Workload 3: MLP 784-256-256-10, batch 4096, cross-entropy, forward +
// backward + SGD. Reports GFLOP/s of the matrix products (2 * mults).
func BenchmarkMLPLarge(b *testing.B) {
	ag.ManualSeed(0)
	m := newMLP(784, 256, 256, 10)
	x := ag.Randn(4096, 784)
	y := ag.Randint(0, 10, 4096)
	ps := m.params()
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for i := 0; i < b.N; i++ {
		loss := nn.CrossEntropy(m.forward(x), y)
		loss.Backward()
		sgdStep(ps, 0.01)
	}
	b.ReportMetric(largeFlops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// forward 2*B*(784*256+256*256+256*10); backward twice that minus the
// input gradient of the first layer (not needed).
const largeFlops = 3*2*4096*(784*256+256*256+256*10) - 2*4096*784*256

// Matrix products alone, for the kernel's own rate.
func benchMatmul(b *testing.B, m, k, n int) {
	a, c := ag.Randn(m, k), ag.Randn(k, n)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer reportCPU(b, c0)
	for i := 0; i < b.N; i++ {
		a.Matmul(c)
	}
	b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkMatmul4096x784x256(b *testing.B) { benchMatmul(b, 4096, 784, 256) }
func BenchmarkMatmul1000x32x32(b *testing.B)   { benchMatmul(b, 1000, 32, 32) }
func BenchmarkMatmul1024(b *testing.B)         { benchMatmul(b, 1024, 1024, 1024) }

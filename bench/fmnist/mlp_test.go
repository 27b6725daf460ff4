package fmnistbench

import (
	"syscall"
	"testing"
	"time"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/data"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/optim"
)

// BenchmarkMLPStep is one training step of the 784-256-10 MLP at batch 64
// on Fashion-MNIST's training set, as BenchmarkEpochMLP takes it: batch
// gather from the image bytes, forward, cross-entropy, backward, SGD with
// momentum 0.9.
func BenchmarkMLPStep(b *testing.B) {
	train := data.FashionMNIST(root(), true)
	ag.ManualSeed(0)
	model := mlp()
	opt := optim.NewSGDWith(model.Parameters(), optim.SGDOptions{LR: 0.01, Momentum: 0.9})
	benchSteps(b, model, opt, train)
}

// BenchmarkCNNStep is one training step of notebook 06's CNN (cnn) at
// batch 64 on Fashion-MNIST-shaped data, Adam lr 1e-3: the CNN epoch's
// step without the dataset, for profiles.
func BenchmarkCNNStep(b *testing.B) {
	ag.ManualSeed(0)
	x := ag.Rand(6400, 1, 28, 28)
	y := ag.Randint(0, 10, 6400)
	model := cnn()
	opt := optim.NewAdam(model.Parameters(), 1e-3)
	benchSteps(b, model, opt, data.NewTensorDataset(x, y))
}

// benchSteps runs b.N training steps of model on shuffled batches of 64
// from ds (starting the epoch again when it ends), reporting allocations
// and the CPU time per step.
func benchSteps(b *testing.B, model nn.Module, opt optim.Optimizer, ds data.Dataset) {
	loader := data.NewDataLoader(ds, 64, true)
	lossFn := nn.NewCrossEntropyLoss()
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op") }()
	it := loader.Iter()
	for i := 0; i < b.N; i++ {
		if !it.Next() {
			it = loader.Iter()
			it.Next()
		}
		xb, yb := it.Batch()
		loss := lossFn.Forward(model.Forward(xb), yb)
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
}

// cpuTime is the process's user+system CPU time: on a shared machine it
// shows the work a step costs (a parallel product's cores count twice).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

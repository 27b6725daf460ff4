// Package fmnistbench measures gradlab on the first real dataset a learner
// meets, Fashion-MNIST (issue 13): loading the IDX files, and one epoch of
// the 784-256-10 MLP and of notebook 06's CNN, as compiled Go and as a
// notebook cell through the interpreter. bench/fmnist/torch_fmnist.py runs
// the same workloads in PyTorch, alternating with these benchmarks.
//
//	go test -run '^$' -bench . -benchtime 1x ./bench/fmnist/
//
// FMNIST_STEPS limits the steps of an epoch (0: all 938); FMNIST_ROOT is
// the dataset's directory (default: Debian's dataset-fashion-mnist).
package fmnistbench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/data"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/internal/parallel"
	"github.com/gradlab/gradlab/interp"
	"github.com/gradlab/gradlab/optim"
)

func root() string { return os.Getenv("FMNIST_ROOT") }

func steps() int {
	n, _ := strconv.Atoi(os.Getenv("FMNIST_STEPS"))
	return n
}

// BenchmarkLoad reads the four IDX files into datasets and their images
// into float32 tensors in [0, 1] (what numpy's frombuffer path gives).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	c0 := cpuTime()
	defer func() { b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op") }()
	for i := 0; i < b.N; i++ {
		for _, train := range []bool{true, false} {
			d := data.FashionMNIST(root(), train)
			d.Data()
			d.Targets()
		}
	}
}

// mlp is the 784-256-10 MLP; cnn is notebook 06's.
func mlp() *nn.Sequential {
	return nn.NewSequential(nil).Add(nn.NewFlatten()).Add(nn.NewLinear(784, 256)).Add(nn.NewReLU()).Add(nn.NewLinear(256, 10))
}

func cnn() *nn.Sequential {
	return nn.NewSequential(nil).
		Add(nn.NewConv2d(1, 16, 3).WithPadding(1)).Add(nn.NewReLU()).Add(nn.NewMaxPool2d(2)).
		Add(nn.NewConv2d(16, 32, 3).WithPadding(1)).Add(nn.NewReLU()).Add(nn.NewMaxPool2d(2)).
		Add(nn.NewDropout(0.25)).Add(nn.NewFlatten()).
		Add(nn.NewLinear(32*7*7, 128)).Add(nn.NewReLU()).Add(nn.NewLinear(128, 10))
}

// BenchmarkEpochMLP is one epoch of the MLP (batch 64, shuffled, SGD lr
// 0.01 momentum 0.9) in compiled Go.
func BenchmarkEpochMLP(b *testing.B) {
	benchEpoch(b, mlp, func(ps []*ag.Tensor) optim.Optimizer {
		return optim.NewSGDWith(ps, optim.SGDOptions{LR: 0.01, Momentum: 0.9})
	})
}

// BenchmarkEpochCNN is one epoch of the CNN (Adam lr 1e-3) in compiled Go.
func BenchmarkEpochCNN(b *testing.B) {
	benchEpoch(b, cnn, func(ps []*ag.Tensor) optim.Optimizer { return optim.NewAdam(ps, 1e-3) })
}

func benchEpoch(b *testing.B, model func() *nn.Sequential, opt func([]*ag.Tensor) optim.Optimizer) {
	b.StopTimer()
	train := data.FashionMNIST(root(), true)
	for i := 0; i < b.N; i++ {
		ag.ManualSeed(0)
		m := model()
		o := opt(m.Parameters())
		lossFn := nn.NewCrossEntropyLoss()
		loader := data.NewDataLoader(train, 64, true)
		b.ReportAllocs()
		var ms0, ms1 runtimeStats
		ms0.read()
		c0 := cpuTime()
		b.StartTimer()
		n := 0
		for it := loader.Iter(); it.Next(); n++ {
			if s := steps(); s > 0 && n >= s {
				break
			}
			x, y := it.Batch()
			loss := lossFn.Forward(m.Forward(x), y)
			o.ZeroGrad()
			loss.Backward()
			o.Step()
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - c0).Seconds(), "cpu-s/op")
		ms1.read()
		b.ReportMetric(float64(ms1.mallocs-ms0.mallocs)/float64(n), "allocs/step")
	}
}

// The cells a learner writes for the same epochs (notebook 06's style).
const mlpCell = `train := data.FashionMNIST(root, true)
model := nn.NewSequential(nil).Add(nn.NewFlatten()).Add(nn.NewLinear(784, 256)).Add(nn.NewReLU()).Add(nn.NewLinear(256, 10))
opt := optim.NewSGDWith(model.Parameters(), optim.SGDOptions{LR: 0.01, Momentum: 0.9})`

const cnnCell = `train := data.FashionMNIST(root, true)
model := nn.NewSequential(nil).
	Add(nn.NewConv2d(1, 16, 3).WithPadding(1)).Add(nn.NewReLU()).Add(nn.NewMaxPool2d(2)).
	Add(nn.NewConv2d(16, 32, 3).WithPadding(1)).Add(nn.NewReLU()).Add(nn.NewMaxPool2d(2)).
	Add(nn.NewDropout(0.25)).Add(nn.NewFlatten()).
	Add(nn.NewLinear(32*7*7, 128)).Add(nn.NewReLU()).Add(nn.NewLinear(128, 10))
opt := optim.NewAdam(model.Parameters(), 1e-3)`

const epochCell = `lossFn := nn.NewCrossEntropyLoss()
loader := data.NewDataLoader(train, 64, true)
for it, n := loader.Iter(), 0; it.Next() && (steps == 0 || n < steps); n++ {
	x, y := it.Batch()
	loss := lossFn.Forward(model.Forward(x), y)
	opt.ZeroGrad()
	loss.Backward()
	opt.Step()
}`

// BenchmarkEpochMLPCell is BenchmarkEpochMLP written as notebook cells,
// with the kernel's collector targets (interp.TuneGC) and cores
// (parallel.AdaptProcs); the compiled benchmarks run with Go's defaults, as
// a compiled program would.
func BenchmarkEpochMLPCell(b *testing.B) { benchCell(b, mlpCell) }

// BenchmarkEpochCNNCell is BenchmarkEpochCNN written as notebook cells.
func BenchmarkEpochCNNCell(b *testing.B) { benchCell(b, cnnCell) }

func benchCell(b *testing.B, setup string) {
	defer interp.TuneGC()()       // the collector's targets of the kernel's process
	defer parallel.AdaptProcs()() // and its cores
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
	run(fmt.Sprintf("steps := %d\nroot := %q", steps(), root()))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		run("ag.ManualSeed(0)\n" + setup)
		c0 := cpuTime()
		b.StartTimer()
		run(epochCell)
		b.StopTimer()
		b.ReportMetric((cpuTime() - c0).Seconds(), "cpu-s/op")
	}
}

type runtimeStats struct{ mallocs uint64 }

func (s *runtimeStats) read() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.mallocs = m.Mallocs
}

package nn

import (
	"runtime"
	"slices"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// stash is a user's module that keeps its input, as a cell might to plot
// activations: Sequential must not recycle what it kept.
type stash struct{ kept []*ag.Tensor }

func (s *stash) Forward(x *ag.Tensor) *ag.Tensor {
	s.kept = append(s.kept, x)
	return x.MulScalar(1)
}
func (s *stash) Parameters() []*ag.Tensor { return nil }

func mlp(seed int64, extra ...Module) *Sequential {
	g := ag.NewGenerator(seed)
	m := NewSequential(nil).Add(NewLinearWith(1, 64, true, g)).Add(NewReLU())
	for _, e := range extra {
		m.Add(e)
	}
	return m.Add(NewLinearWith(64, 64, true, g)).Add(NewReLU()).Add(NewLinearWith(64, 1, true, g))
}

// trainSteps runs full-batch SGD through forward and returns the losses.
func trainSteps(forward func(*ag.Tensor) *ag.Tensor, ps []*ag.Tensor, steps int) []float64 {
	x := ag.Linspace(-5, 5, 1000).Unsqueeze(1)
	y := x.Pow(2).MulScalar(0.3)
	var losses []float64
	for i := 0; i < steps; i++ {
		loss := MSE(forward(x), y)
		loss.Backward()
		ag.NoGrad(func() {
			for _, p := range ps {
				p.AddScaledInPlace(-1e-4, p.Grad())
				p.ZeroGrad()
			}
		})
		losses = append(losses, loss.Item())
	}
	return losses
}

// Sequential recycles the activations between its layers: training gives
// bit for bit the losses of the same layers called one by one (whose
// activations are never recycled), and a step allocates a small fraction
// of the 1.5 MB of activations it computes.
func TestSequentialRecyclesActivations(t *testing.T) {
	seq := mlp(3)
	plain := mlp(3)
	byHand := func(x *ag.Tensor) *ag.Tensor {
		for _, l := range plain.Layers {
			x = l.Forward(x)
		}
		return x
	}
	want := trainSteps(byHand, plain.Parameters(), 20)
	if got := trainSteps(seq.Forward, seq.Parameters(), 20); !slices.Equal(got, want) {
		t.Fatalf("losses with recycling %v\nwithout %v", got, want)
	}
	allocated := func(f func()) uint64 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc
	}
	seqBytes := allocated(func() { trainSteps(seq.Forward, seq.Parameters(), 10) }) / 10
	handBytes := allocated(func() { trainSteps(byHand, plain.Parameters(), 10) }) / 10
	if seqBytes > handBytes/4 {
		t.Fatalf("a Sequential step allocates %d bytes, the same layers by hand %d: activations not recycled", seqBytes, handBytes)
	}
}

// A user's module in the chain keeps what it is given: the tensors it
// kept still hold their values after later steps.
func TestSequentialLeavesUserModulesAlone(t *testing.T) {
	s := &stash{}
	m := mlp(4, s)
	var snapshots [][]float64
	for i := 0; i < 3; i++ {
		trainSteps(m.Forward, m.Parameters(), 1)
		snapshots = append(snapshots, s.kept[i].Float64s())
	}
	trainSteps(m.Forward, m.Parameters(), 3)
	for i, snap := range snapshots {
		if !slices.Equal(s.kept[i].Float64s(), snap) {
			t.Fatalf("the input kept at step %d changed after later steps", i)
		}
	}
}

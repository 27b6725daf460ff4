package nn_test

import (
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/optim"
)

// newCNN is the notebook's Fashion-MNIST CNN: two conv+ReLU+pool blocks,
// dropout, a linear head (28x28 -> 26 -> 13 -> 11 -> 5).
func newCNN(g *ag.Generator) *nn.Sequential {
	return nn.NewSequential([]nn.Module{
		nn.NewConv2dWith(1, 32, [2]int{3, 3}, 1, true, g), nn.NewReLU(), nn.NewMaxPool2d(2),
		nn.NewConv2dWith(32, 64, [2]int{3, 3}, 1, true, g), nn.NewReLU(), nn.NewMaxPool2d(2),
		&nn.Dropout{P: 0.25, Generator: g}, nn.NewFlatten(), nn.NewLinearWith(64*5*5, 10, true, g),
	})
}

// BenchmarkCNNStep is one training step (forward, cross-entropy, backward,
// SGD update) of the CNN on a batch of 64 28x28 images; bench/torch_cnn.py
// runs the same step in PyTorch.
func BenchmarkCNNStep(b *testing.B) {
	g := ag.NewGenerator(1)
	m := newCNN(g)
	x := g.Randn(64, 1, 28, 28)
	y := g.Randint(0, 10, 64)
	opt := optim.NewSGD(m.Parameters(), 0.01)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		loss := nn.CrossEntropy(m.Forward(x), y)
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
}

func BenchmarkCNNForward(b *testing.B) {
	g := ag.NewGenerator(1)
	m := newCNN(g)
	x := g.Randn(64, 1, 28, 28)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ag.NoGrad(func() { m.Forward(x) })
	}
}

package data

import (
	"fmt"

	ag "github.com/gradlab/gradlab/autograd"
)

// Transform changes a batch of samples (or one sample), as torchvision's
// transforms do; datasets apply their transforms to whole batches.
// Cell-defined types may implement it.
type Transform interface {
	Apply(x *ag.Tensor) *ag.Tensor
}

// pixelwise is a transform of each value on its own, which an
// ImageDataset folds into its conversion from bytes.
type pixelwise interface {
	Transform
	pixel(v float32) float32
}

// Normalize returns the transform (x - mean) / std, as torchvision's
// transforms.Normalize for one channel (Fashion-MNIST's training set has
// mean 0.2860 and std 0.3530 after ToTensor; MNIST's 0.1307 and 0.3081).
func Normalize(mean, std float64) Transform {
	if !(std > 0) || mean != mean {
		fail("data.Normalize: want a finite mean and a positive std, got mean %g, std %g", mean, std)
	}
	return normalize{mean: mean, std: std}
}

type normalize struct{ mean, std float64 }

// Apply computes in the tensor's dtype, as PyTorch's sub_ then div_.
func (n normalize) Apply(x *ag.Tensor) *ag.Tensor { return x.SubScalar(n.mean).DivScalar(n.std) }

func (n normalize) pixel(v float32) float32 { return (v - float32(n.mean)) / float32(n.std) }

func (n normalize) String() string { return fmt.Sprintf("Normalize(mean=%g, std=%g)", n.mean, n.std) }

// Lambda wraps a function as a Transform (torchvision's transforms.Lambda).
func Lambda(f func(x *ag.Tensor) *ag.Tensor) Transform {
	if f == nil {
		fail("data.Lambda: the function is nil")
	}
	return lambda(f)
}

type lambda func(x *ag.Tensor) *ag.Tensor

func (f lambda) Apply(x *ag.Tensor) *ag.Tensor { return f(x) }

// Compose applies transforms in order, as torchvision's
// transforms.Compose.
func Compose(ts ...Transform) Transform {
	for i, t := range ts {
		if t == nil {
			fail("data.Compose: transform %d is nil", i)
		}
	}
	return compose(append([]Transform(nil), ts...))
}

type compose []Transform

func (c compose) Apply(x *ag.Tensor) *ag.Tensor {
	for _, t := range c {
		x = t.Apply(x)
	}
	return x
}

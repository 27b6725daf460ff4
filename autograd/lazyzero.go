package autograd

import "slices"

// Lazily zeroed leaf gradients. A training step zeroes every parameter's
// gradient and then Backward adds the new one into it: for the MLP's
// 784x256 weight that is one pass to clear 800 KB and another to add a
// freshly computed gradient into it, 12% of its step. Instead ZeroGrad
// only marks the gradient (gradZero), and whoever touches it next settles
// the mark: Grad clears the buffer before handing it out, accumulateLeaf
// copies instead of adding, and an op whose backward computes a leaf's
// gradient anyway (Linear's weight) writes it straight into the buffer
// (leafGradInto), storing the product instead of adding it.

// materializeZero clears a gradient marked zero, for a reader.
func (t *Tensor) materializeZero() {
	if t.gradZero {
		t.gradZero = false
		if t.grad != nil {
			t.grad.fill(0)
		}
	}
}

// leafGradInto returns the buffer a backward may write t's gradient into
// directly, and whether it must add (the buffer holds a gradient) or may
// store (the buffer is marked zero); ok is false when t is not a leaf that
// accumulates or has no contiguous gradient of its shape yet: the backward
// then returns the gradient as usual. Once the caller has its buffer, the
// mark is cleared: the caller must write every element.
func leafGradInto(t *Tensor) (dst *Tensor, add, ok bool) {
	g := t.grad
	if t.fn != nil || !t.requiresGrad || g == nil || g.dtype != t.dtype ||
		!slices.Equal(g.shape, t.shape) || !g.IsContiguous() || g.pooled != nil {
		return nil, false, false
	}
	add = !t.gradZero
	t.gradZero = false
	return g, add, true
}

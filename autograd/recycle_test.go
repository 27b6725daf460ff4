package autograd

import (
	"slices"
	"testing"
)

// linearReLU builds relu(x·wᵀ + b) from fresh leaves of a fixed seed, with
// the pre-activation h large enough to borrow pooled storage.
func linearReLU() (x, w, b, h, r *Tensor) {
	g := NewGenerator(1)
	x = g.Randn(100, 64)
	w = g.Randn(64, 64).SetRequiresGrad(true)
	b = g.Randn(64).SetRequiresGrad(true)
	h = Linear(x, w, b)
	return x, w, b, h, h.Relu()
}

// fill takes pooled buffers of h's size and overwrites them, as the ops
// of a next step would.
func fill(n int) {
	for i := 0; i < 4; i++ {
		Full(7, n/64, 64).Relu()
	}
}

// A released tensor that the tape still needs (Relu's backward reads its
// input) keeps its storage until Backward has freed that node; the
// gradients are the same as without Release.
func TestReleaseWaitsForBackward(t *testing.T) {
	_, w0, b0, _, r0 := linearReLU()
	r0.Sum().Backward()

	_, w, b, h, r := linearReLU()
	h.Release()
	if h.d32 == nil {
		t.Fatal("Release recycled a tensor the graph still holds")
	}
	fill(h.Numel())
	r.Sum().Backward()
	if h.d32 != nil {
		t.Fatal("Backward freed the graph but did not recycle the released tensor")
	}
	if !slices.Equal(w.Grad().Float64s(), w0.Grad().Float64s()) || !slices.Equal(b.Grad().Float64s(), b0.Grad().Float64s()) {
		t.Fatal("gradients differ with Release")
	}
}

// With a retained graph the storage stays until the last Backward.
func TestReleaseKeepsRetainedGraph(t *testing.T) {
	_, w0, _, _, r0 := linearReLU()
	r0.Sum().BackwardRetain(nil)
	r0.Sum().Backward()

	_, w, _, h, r := linearReLU()
	h.Release()
	loss := r.Sum()
	loss.BackwardRetain(nil)
	if h.d32 == nil {
		t.Fatal("BackwardRetain let a released tensor go")
	}
	fill(h.Numel())
	loss.Backward()
	if h.d32 != nil {
		t.Fatal("the final Backward did not recycle the released tensor")
	}
	if !slices.Equal(w.Grad().Float64s(), w0.Grad().Float64s()) {
		t.Fatal("gradients differ with Release and a retained graph")
	}
}

// Under NoGrad nothing saves the tensor: Release recycles it at once, and
// the next output of the same size reuses the storage.
func TestReleaseUnderNoGrad(t *testing.T) {
	var h, y *Tensor
	NoGrad(func() {
		g := NewGenerator(1)
		x, w := g.Randn(100, 64), g.Randn(64, 64)
		h = Linear(x, w, nil)
		p := &h.d32[0]
		h.Release()
		h.Release() // twice is harmless
		y = Linear(x, w, nil)
		if &y.d32[0] != p {
			t.Error("the next output did not reuse the released storage")
		}
	})
	mustPanic(t, "", func() { h.Sum() })
	// tensors without pooled storage ignore Release
	s := Scalar(2)
	s.Release()
	if s.Item() != 2 {
		t.Fatal("Release changed a small tensor")
	}
}

// LinearReLU's backward reads its own output: released by its consumer's
// owner, the output waits until that node is freed too.
func TestReleaseWaitsForOwnNode(t *testing.T) {
	run := func(release bool) []float64 {
		g := NewGenerator(2)
		x := g.Randn(100, 64)
		w := g.Randn(64, 64).SetRequiresGrad(true)
		w2 := g.Randn(8, 64)
		h := LinearReLU(x, w, nil)
		y := Linear(h, w2, nil)
		if release {
			h.Release()
			fill(h.Numel())
		}
		y.Sum().Backward()
		if release && h.d32 != nil {
			t.Fatal("not recycled after Backward")
		}
		return w.Grad().Float64s()
	}
	if !slices.Equal(run(true), run(false)) {
		t.Fatal("LinearReLU's gradient differs when its output is released")
	}
}

// A view shares its base's storage for as long as the view lives, which
// nobody knows: Release of a viewed tensor leaves the storage alone, with
// or without a graph (found by review: both printed 7, not 2).
func TestReleaseLeavesViewedStorage(t *testing.T) {
	NoGrad(func() {
		x := Ones(64, 64)
		h := x.Add(x)
		v := h.View(-1)
		h.Release()
		x.Mul(Full(7, 64, 64))
		if got := v.At(0); got != 2 {
			t.Fatalf("a view of a released tensor reads %v, want 2", got)
		}
	})
	x := Ones(64, 64).SetRequiresGrad(true)
	h := x.Add(x)
	v := h.Detach()
	h.Release()
	h.Sum().Backward()
	x.Detach().Mul(Full(7, 64, 64))
	if got := v.At(0, 0); got != 2 {
		t.Fatalf("a detached view of a released tensor reads %v after Backward, want 2", got)
	}
}

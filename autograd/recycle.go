package autograd

import "sync/atomic"

// Recycling activations. PyTorch frees an intermediate tensor the moment
// its last reference goes (reference counting), so a training step reuses
// the same few, cache-warm buffers. Go cannot know when a caller drops a
// *Tensor, and a fresh 128 KB buffer costs more to allocate and clear
// than the op that fills it. So the ops whose outputs are often
// intermediates (Linear, element-wise ops) borrow their storage from the
// buffer pool, and a caller that knows nobody else can see such a tensor
// (nn.Sequential, for the activations between its layers) hands it back
// with Release. The storage returns to the pool once no tape node holds
// the tensor any more: at once under NoGrad, otherwise when Backward has
// freed the nodes that saved it. Anything else is left to the garbage
// collector, as before.

// pooled is the recycling state of a tensor whose storage came from the
// pool: the buffer, how many live tape nodes hold the tensor (as an input,
// or as the output their backward reads), whether its owner has given it
// up (Release), whether a view shares its storage (then it is never
// recycled: a view's lifetime is unknown), and whether it went back.
type pooled struct {
	b32      *[]float32
	b64      *[]float64
	saved    atomic.Int32
	released atomic.Bool
	viewed   atomic.Bool
	returned atomic.Bool
}

// newOutPooled is newOut for ops that overwrite every element of their
// output: large outputs borrow uninitialised storage from the pool.
func newOutPooled(dt DType, shape []int, track bool) *Tensor {
	checkAlloc("", dt, shape)
	n := numelOf(shape)
	if n < poolMin {
		return newOut(dt, shape, track)
	}
	t := blankOut(track)
	t.dtype = dt
	t.setContiguous(shape)
	t.pooled = &pooled{}
	t.pooled.b32, t.pooled.b64 = borrow(t, n)
	return t
}

// borrow gives t, whose dtype is set, n elements of storage from the pool,
// and returns the buffer (one of the two) for the caller to put back.
func borrow(t *Tensor, n int) (b32 *[]float32, b64 *[]float64) {
	if t.dtype == Float64 {
		b64 = storage64.get(n)
		t.d64 = (*b64)[:n]
	} else {
		b32 = storage32.get(n)
		t.d32 = (*b32)[:n]
	}
	return b32, b64
}

// save counts a tape node's reference to an input with pooled storage.
func save(t *Tensor) {
	if t != nil && t.pooled != nil {
		t.pooled.saved.Add(1)
	}
}

// unsave drops a freed node's reference, recycling a released input.
func unsave(t *Tensor) {
	if t != nil && t.pooled != nil && t.pooled.saved.Add(-1) == 0 && t.pooled.released.Load() {
		t.recycle()
	}
}

// Release declares that the caller holds the only reference to t and will
// not use t again: its storage may then be reused by later ops, as soon
// as no recorded op still needs it for Backward. nn.Sequential releases
// the activations between its built-in layers, which nobody else sees.
// Using t after Release panics (its data is gone). Release does nothing
// for tensors that own no pooled storage (views, small tensors, leaves) or
// whose storage a view shares (Detach, View, Reshape, T...: the storage is
// then left to the garbage collector), and a second call does nothing.
func (t *Tensor) Release() {
	if t.pooled == nil || t.pooled.released.Swap(true) {
		return
	}
	if t.pooled.saved.Load() == 0 {
		t.recycle()
	}
}

// recycle returns t's storage to the pool, once (also when Release and a
// Backward on another goroutine both get here), unless a view shares it.
func (t *Tensor) recycle() {
	p := t.pooled
	if p == nil || p.viewed.Load() || !p.returned.CompareAndSwap(false, true) {
		return
	}
	t.pooled, t.d32, t.d64 = nil, nil, nil
	if p.b32 != nil {
		storage32.put(p.b32)
	}
	if p.b64 != nil {
		storage64.put(p.b64)
	}
}

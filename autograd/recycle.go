package autograd

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

// newOutPooled is newOut for ops that overwrite every element of their
// output: large outputs borrow uninitialised storage from the pool.
func newOutPooled(dt DType, shape []int, track bool) *Tensor {
	n := numelOf(shape)
	if n < poolMin {
		return newOut(dt, shape, track)
	}
	var t *Tensor
	if track {
		tn := &tensorNode{}
		t = &tn.t
		t.fn = &tn.n
	} else {
		t = &Tensor{}
	}
	t.dtype = dt
	t.setContiguous(shape)
	if dt == Float64 {
		t.pool64 = storage64.get(n)
		t.d64 = (*t.pool64)[:n]
	} else {
		t.pool32 = storage32.get(n)
		t.d32 = (*t.pool32)[:n]
	}
	return t
}

// save counts a tape node's reference to an input with pooled storage.
func save(t *Tensor) {
	if t != nil && (t.pool32 != nil || t.pool64 != nil) {
		t.saved.Add(1)
	}
}

// unsave drops a freed node's reference, recycling a released input.
func unsave(t *Tensor) {
	if t != nil && (t.pool32 != nil || t.pool64 != nil) && t.saved.Add(-1) == 0 && t.released.Load() {
		t.recycle()
	}
}

// Release declares that the caller holds the only reference to t and will
// not use t again: its storage may then be reused by later ops, as soon
// as no recorded op still needs it for Backward. nn.Sequential releases
// the activations between its built-in layers, which nobody else sees.
// Using t after Release panics (its data is gone). Release does nothing
// for tensors that own no pooled storage (views, small tensors, leaves),
// and a second call does nothing.
func (t *Tensor) Release() {
	if (t.pool32 == nil && t.pool64 == nil) || t.released.Swap(true) {
		return
	}
	if t.saved.Load() == 0 {
		t.recycle()
	}
}

// recycle returns t's storage to the pool, once.
func (t *Tensor) recycle() {
	if b := t.pool32; b != nil {
		t.pool32, t.d32 = nil, nil
		storage32.put(b)
	}
	if b := t.pool64; b != nil {
		t.pool64, t.d64 = nil, nil
		storage64.put(b)
	}
}

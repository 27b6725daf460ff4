package autograd

import "slices"

// In-place updates, for optimiser steps and gradient bookkeeping. Like
// PyTorch, they refuse to modify a tensor the graph depends on while
// recording (wrap the update in NoGrad); they never record anything.

func (t *Tensor) checkGraphInPlace(op string) {
	if t.fn != nil && t.requiresGrad && IsGradEnabled() {
		fail("%s: in-place update of a tensor produced by %s that is part of a graph; use the out-of-place op", op, t.GradFn())
	}
}

func (t *Tensor) checkInPlace(op string) {
	t.checkGraphInPlace(op)
	if t.fn == nil && t.requiresGrad && IsGradEnabled() {
		fail("%s: a leaf tensor that requires grad is used in an in-place operation; wrap the update in ag.NoGrad(func() { ... })", op)
	}
}

// update is an exported in-place op: checked, then t = t kind o.
func (t *Tensor) update(op string, kind int, o *Tensor) *Tensor {
	t.checkInPlace(op)
	t.inPlace(kind, o)
	return t
}

// inPlace computes t = t kind o (o broadcast to t's shape) without checks.
func (t *Tensor) inPlace(kind int, o *Tensor) {
	if o.dtype != t.dtype {
		// as torch: o is cast to t's dtype unless that would lose its kind
		// (a float into an integer tensor), and integers divide as floats
		if category(o.dtype) > category(t.dtype) {
			fail("%sInPlace: result type %v cannot be stored in a %v tensor", binNames[kind], o.dtype, t.dtype)
		}
		o = o.cast(t.dtype)
	}
	if !t.dtype.IsFloat() && (kind == kDiv || t.dtype == Bool) {
		fail("%sInPlace: in-place arithmetic on a %v tensor (convert it with Float() first)", binNames[kind], t.dtype)
	}
	if !slices.Equal(t.shape, o.shape) && !slices.Equal(broadcastShapes(binNames[kind]+"InPlace", t.shape, o.shape), t.shape) {
		fail("%sInPlace: shape %v cannot be broadcast into %v", binNames[kind], o.shape, t.shape)
	}
	if t.IsContiguous() {
		n := t.Numel()
		if t.dtype == Int64 {
			binLoop(kind, t.is.i64[t.offset:t.offset+n], t.is.i64, o.is.i64, t, o, t.shape)
		} else if t.dtype == Float64 {
			binLoop(kind, t.d64[t.offset:t.offset+n], t.d64, o.d64, t, o, t.shape)
		} else {
			binLoop(kind, t.d32[t.offset:t.offset+n], t.d32, o.d32, t, o, t.shape)
		}
		return
	}
	t.assign(binary(kind, t, o))
}

func (t *Tensor) addInPlace(o *Tensor) { t.inPlace(kAdd, o) }

// AddInPlace sets t += o and returns t.
func (t *Tensor) AddInPlace(o *Tensor) *Tensor { return t.update("AddInPlace", kAdd, o) }

// SubInPlace sets t -= o and returns t: w.SubInPlace(w.Grad().MulScalar(lr)).
func (t *Tensor) SubInPlace(o *Tensor) *Tensor { return t.update("SubInPlace", kSub, o) }

// MulInPlace sets t *= o and returns t.
func (t *Tensor) MulInPlace(o *Tensor) *Tensor { return t.update("MulInPlace", kMul, o) }

// DivInPlace sets t /= o and returns t.
func (t *Tensor) DivInPlace(o *Tensor) *Tensor { return t.update("DivInPlace", kDiv, o) }

// AddScalarInPlace sets t += c.
func (t *Tensor) AddScalarInPlace(c float64) *Tensor {
	return t.update("AddScalarInPlace", kAdd, t.scalarLike(c))
}

// MulScalarInPlace sets t *= c.
func (t *Tensor) MulScalarInPlace(c float64) *Tensor {
	return t.update("MulScalarInPlace", kMul, t.scalarLike(c))
}

// AddScaledInPlace sets t += alpha*o without temporaries (an SGD step is
// p.AddScaledInPlace(-lr, p.Grad())).
func (t *Tensor) AddScaledInPlace(alpha float64, o *Tensor) *Tensor {
	t.checkInPlace("AddScaledInPlace")
	needFloat("AddScaledInPlace", t)
	if o.dtype != t.dtype {
		fail("AddScaledInPlace: dtype mismatch: %v and %v", t.dtype, o.dtype)
	}
	if slices.Equal(t.shape, o.shape) && t.IsContiguous() && o.IsContiguous() {
		n := t.Numel()
		if t.dtype == Float64 {
			d, s := t.d64[t.offset:t.offset+n], o.d64[o.offset:o.offset+n]
			for i := range d {
				d[i] += alpha * s[i]
			}
		} else {
			d, s := t.d32[t.offset:t.offset+n], o.d32[o.offset:o.offset+n]
			a := float32(alpha)
			for i := range d {
				d[i] += a * s[i]
			}
		}
		return t
	}
	t.inPlace(kAdd, o.Detach().MulScalar(alpha))
	return t
}

// CopyFrom copies src's values (broadcast to t's shape, converted to t's
// dtype) into t, e.g. to load weights. Returns t.
// Loading values is allowed on leaf parameters without NoGrad, as
// load_state_dict does.
func (t *Tensor) CopyFrom(src *Tensor) *Tensor {
	t.checkGraphInPlace("CopyFrom")
	t.assign(src)
	return t
}

// SetData copies values (row-major, len = Numel) into t.
func (t *Tensor) SetData(values []float64) *Tensor {
	t.checkGraphInPlace("SetData")
	if len(values) != t.Numel() {
		fail("SetData: %d values for a tensor of shape %v", len(values), t.shape)
	}
	src := newTensor(Float64, t.shape)
	copy(src.d64, values)
	t.assign(src)
	return t
}

// Fill sets every element to v.
func (t *Tensor) Fill(v float64) *Tensor {
	t.checkInPlace("Fill")
	return t.fill(v)
}

// Zero sets every element to 0 (x.grad.zero_() in PyTorch).
func (t *Tensor) Zero() *Tensor {
	t.checkInPlace("Zero")
	return t.fill(0)
}

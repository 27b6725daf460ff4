package autograd

import (
	"math"
	"slices"
)

// Softmax and friends are built from differentiable ops, so their
// gradients come from the ops' own backward functions.

// Softmax returns exp(t) / sum(exp(t)) along dim, computed stably.
func (t *Tensor) Softmax(dim int) *Tensor {
	z := t.Sub(t.MaxDim(dim, true).Detach())
	e := z.Exp()
	return e.Div(e.SumDim(dim, true))
}

// LogSoftmax returns log(Softmax(t)) along dim without overflow.
func (t *Tensor) LogSoftmax(dim int) *Tensor {
	z := t.Sub(t.MaxDim(dim, true).Detach())
	return z.Sub(z.Exp().SumDim(dim, true).Log())
}

// LogSumExp returns log(sum(exp(t))) along dim.
func (t *Tensor) LogSumExp(dim int, keepdim bool) *Tensor {
	m := t.MaxDim(dim, true).Detach()
	r := t.Sub(m).Exp().SumDim(dim, true).Log().Add(m)
	if !keepdim {
		r = r.SqueezeDim(dim)
	}
	return r
}

// OneHot returns a [n, classes] tensor (labels' dtype: Int64 for Int64
// labels, as torch.nn.functional.one_hot) with a 1 in column labels[i] of
// row i; labels holds class indices (floats only if integral).
func OneHot(labels *Tensor, classes int) *Tensor {
	idx := classTargets("OneHot", labels).Ints()
	out := newTensor(labels.dtype, []int{len(idx), classes})
	for i, c := range idx {
		if c < 0 || c >= classes {
			fail("OneHot: class index %d out of range [0, %d)", c, classes)
		}
		out.setAt(i*classes+c, 1)
	}
	return out
}

func (t *Tensor) setAt(i int, v float64) {
	switch t.dtype {
	case Int64:
		t.is.i64[t.offset+i] = int64(v)
		return
	case Bool:
		t.is.b[t.offset+i] = v != 0
		return
	}
	if t.dtype == Float64 {
		t.d64[t.offset+i] = v
	} else {
		t.d32[t.offset+i] = float32(v)
	}
}

// Relu is t.Relu(), like torch.relu.
func Relu(t *Tensor) *Tensor { return t.Relu() }

// Sigmoid is t.Sigmoid(), like torch.sigmoid.
func Sigmoid(t *Tensor) *Tensor { return t.Sigmoid() }

// Tanh is t.Tanh(), like torch.tanh.
func Tanh(t *Tensor) *Tensor { return t.Tanh() }

// Softmax is t.Softmax(dim).
func Softmax(t *Tensor, dim int) *Tensor { return t.Softmax(dim) }

// LogSoftmax is t.LogSoftmax(dim).
func LogSoftmax(t *Tensor, dim int) *Tensor { return t.LogSoftmax(dim) }

// BinaryCrossEntropy returns the element-wise loss -(y log p + (1-y) log(1-p))
// for probabilities p and targets y of the same shape, computed as PyTorch
// does: each log clamped at -100, and the gradient (p-y) / max(p(1-p), 1e-12),
// so saturated probabilities (exactly 0 or 1) give finite values and
// gradients. No gradient flows to y.
func BinaryCrossEntropy(p, y *Tensor) *Tensor {
	needFloat("BinaryCrossEntropy", p)
	y = y.cast(p.dtype)
	checkDType("BinaryCrossEntropy", p, y)
	if !slices.Equal(p.shape, y.shape) {
		fail("BinaryCrossEntropy: input shape %v and target shape %v differ", p.shape, y.shape)
	}
	pv, yv := p.Float64s(), y.Float64s()
	vals := make([]float64, len(pv))
	for i, x := range pv {
		vals[i] = (yv[i]-1)*math.Max(math.Log(1-x), -100) - yv[i]*math.Max(math.Log(x), -100)
	}
	out := newTensor(p.dtype, p.shape)
	out.setFloat64s(vals)
	if tracking(p, nil) {
		record(out, "BinaryCrossEntropy", func(g *Tensor, gs []*Tensor) {
			gv := g.Float64s()
			d := make([]float64, len(pv))
			for i, x := range pv {
				d[i] = gv[i] * (x - yv[i]) / math.Max((1-x)*x, 1e-12)
			}
			r := newTensor(p.dtype, p.shape)
			r.setFloat64s(d)
			gs[0] = r
		}, p)
	}
	return out
}

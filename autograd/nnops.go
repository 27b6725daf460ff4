package autograd

import (
	"math"
	"slices"
)

// Element-wise ops of the nn layers: activations (LeakyReLU, GELU),
// dropout, and the losses whose naive formula overflows or needs a branch
// (BCE with logits, Huber, smooth L1). Each is one op next to its
// backward, computed in float64 per element and stored in the dtype.

// LeakyRelu returns x where x > 0 and slope·x elsewhere, as
// torch.nn.functional.leaky_relu (PyTorch's default slope is 0.01).
func (t *Tensor) LeakyRelu(slope float64) *Tensor {
	needFloat("LeakyRelu", t)
	out := unary(t, func(x float64) float64 {
		if x > 0 {
			return x
		}
		return x * slope
	})
	if tracking(t, nil) {
		record(out, "LeakyRelu", func(g *Tensor, gs []*Tensor) {
			gs[0] = g.Mul(unary(t, func(x float64) float64 {
				if x > 0 {
					return 1
				}
				return slope
			}))
		}, t)
	}
	return out
}

// Gelu returns x·Φ(x), Φ the standard normal CDF, as
// torch.nn.functional.gelu; with tanhApprox, PyTorch's approximate="tanh"
// form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
func (t *Tensor) Gelu(tanhApprox bool) *Tensor {
	const k = 0.7978845608028654 // √(2/π)
	f, df := func(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) },
		func(x float64) float64 {
			return 0.5*(1+math.Erf(x/math.Sqrt2)) + x*math.Exp(-0.5*x*x)/math.Sqrt(2*math.Pi)
		}
	op := "Gelu"
	needFloat(op, t)
	if tanhApprox {
		op = "GeluTanh"
		f = func(x float64) float64 { return 0.5 * x * (1 + math.Tanh(k*(x+0.044715*x*x*x))) }
		df = func(x float64) float64 {
			th := math.Tanh(k * (x + 0.044715*x*x*x))
			return 0.5*(1+th) + 0.5*x*(1-th*th)*k*(1+3*0.044715*x*x)
		}
	}
	out := unary(t, f)
	if tracking(t, nil) {
		record(out, op, func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(unary(t, df)) }, t)
	}
	return out
}

// Dropout zeroes each element of t with probability p and scales the rest
// by 1/(1-p), drawing from gen (the global generator when nil), as
// torch.nn.functional.dropout in training mode.
func Dropout(t *Tensor, p float64, gen *Generator) *Tensor {
	if p < 0 || p > 1 || math.IsNaN(p) {
		fail("Dropout: probability has to be between 0 and 1, but got %v", p)
	}
	needFloat("Dropout", t)
	if gen == nil {
		gen = global
	}
	mask := newTensor(t.dtype, t.shape)
	keep := 0.0
	if p < 1 {
		keep = 1 / (1 - p)
	}
	gen.fillWith(mask, func() float64 {
		if gen.uniform() < p {
			return 0
		}
		return keep
	})
	out := binary(kMul, t, mask)
	if tracking(t, nil) {
		record(out, "Dropout", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(mask) }, t)
	}
	return out
}

// pairwise applies f(x, y) -> (loss, dloss/dx) to same-shaped x and y and
// records the op; the gradient of y is -dloss/dx unless dy is given.
func pairwise(op string, x, y *Tensor, f func(x, y float64) (l, dx float64), dy func(x, y float64) float64) *Tensor {
	needFloat(op, x, y)
	checkDType(op, x, y)
	if !slices.Equal(x.shape, y.shape) {
		fail("%s: input shape %v and target shape %v differ", op, x.shape, y.shape)
	}
	xv, yv := x.Float64s(), y.Float64s()
	vals := make([]float64, len(xv))
	for i := range xv {
		vals[i], _ = f(xv[i], yv[i])
	}
	out := newTensor(x.dtype, x.shape)
	out.setFloat64s(vals)
	if tracking(x, y) {
		record(out, op, func(g *Tensor, gs []*Tensor) {
			gv := g.Float64s()
			gx, gy := make([]float64, len(xv)), make([]float64, len(xv))
			for i := range xv {
				_, d := f(xv[i], yv[i])
				gx[i] = gv[i] * d
				if dy != nil {
					gy[i] = gv[i] * dy(xv[i], yv[i])
				} else {
					gy[i] = -gx[i]
				}
			}
			if x.requiresGrad {
				gs[0] = newTensor(x.dtype, x.shape)
				gs[0].setFloat64s(gx)
			}
			if y.requiresGrad {
				gs[1] = newTensor(y.dtype, y.shape)
				gs[1].setFloat64s(gy)
			}
		}, x, y)
	}
	return out
}

// BCEWithLogits returns the element-wise loss
// -(y·log σ(x) + (1-y)·log(1-σ(x))) for logits x and targets y of the same
// shape, computed without overflow as max(x,0) - x·y + log(1+e^-|x|), as
// torch.nn.functional.binary_cross_entropy_with_logits with no reduction.
// posWeight (nil for none) weighs the positive term, broadcast along the
// last dimension as PyTorch's pos_weight.
func BCEWithLogits(x, y, posWeight *Tensor) *Tensor {
	if posWeight == nil {
		return pairwise("BCEWithLogits", x, y, func(x, y float64) (float64, float64) {
			return math.Max(x, 0) - x*y + math.Log1p(math.Exp(-math.Abs(x))), sigmoid(x) - y
		}, func(x, y float64) float64 { return -x })
	}
	checkDType("BCEWithLogits", x, posWeight)
	if !slices.Equal(x.shape, y.shape) {
		fail("BCEWithLogits: input shape %v and target shape %v differ", x.shape, y.shape)
	}
	// l = (1-y)·x + (1+(w-1)·y)·softplus(-x), with w broadcast: (1+(w-1)y) is a tensor op
	lw := posWeight.SubScalar(1).Mul(y).AddScalar(1)
	sp := pairwise("BCEWithLogits", x, ZerosLike(x), func(x, _ float64) (float64, float64) {
		return math.Max(-x, 0) + math.Log1p(math.Exp(-math.Abs(x))), -sigmoid(-x)
	}, func(float64, float64) float64 { return 0 })
	return y.RSubScalar(1).Mul(x).Add(lw.Mul(sp))
}

// HuberLoss returns the element-wise Huber loss of x against y: 0.5·d² where
// |d| < delta, else delta·(|d| - 0.5·delta), d = x - y, as
// torch.nn.functional.huber_loss with no reduction.
func HuberLoss(x, y *Tensor, delta float64) *Tensor {
	if !(delta > 0) {
		fail("HuberLoss: delta must be positive, got %v", delta)
	}
	return pairwise("HuberLoss", x, y, func(x, y float64) (float64, float64) {
		d := x - y
		if math.Abs(d) < delta {
			return 0.5 * d * d, d
		}
		return delta * (math.Abs(d) - 0.5*delta), delta * sign(d)
	}, nil)
}

// SmoothL1Loss returns the element-wise smooth L1 loss: 0.5·d²/beta where
// |d| < beta, else |d| - 0.5·beta, as torch.nn.functional.smooth_l1_loss
// with no reduction (beta 0 is the L1 loss).
func SmoothL1Loss(x, y *Tensor, beta float64) *Tensor {
	if beta < 0 || math.IsNaN(beta) {
		fail("SmoothL1Loss: beta must not be negative, got %v", beta)
	}
	return pairwise("SmoothL1Loss", x, y, func(x, y float64) (float64, float64) {
		d := x - y
		if math.Abs(d) < beta {
			return 0.5 * d * d / beta, d / beta
		}
		return math.Abs(d) - 0.5*beta, sign(d)
	}, nil)
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

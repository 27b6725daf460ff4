package optim

import (
	"math"
	"unsafe"
)

// The update loops below are written once for float32 and float64. Each line
// mirrors one ATen kernel call of PyTorch 1.13's single-tensor optimiser code,
// with the roundings those kernels make on an AVX2 CPU (the capability Debian's
// torch picks here), measured by testdata/probe_rounding.py:
//   - a.add(b, alpha=s) computes fma(b, s, a): one rounding (vec::fmadd, and
//     GCC contracts the scalar tail the same way);
//   - a.addcmul(t1, t2, value=v) computes fma(v*t1, t2, a);
//   - a.addcdiv(t1, t2, value=v) computes a + (v*t1)/t2, each step rounded;
//   - a.mul(s), a / s, sqrt: one rounding each, with the Python float s first
//     rounded to the tensor's dtype.
// Explicit T(...) conversions keep Go from fusing products into adds where
// PyTorch rounds in between (the spec allows fusion, GOAMD64=v3 does it).

type float interface{ float32 | float64 }

// fma returns x*y+z rounded once to T. For float32 the product is exact in
// float64 (24+24 bits), so the float64 sum is the sum rounded once; rounding
// that again to float32 is wrong only when it lies exactly halfway between two
// float32s while the exact sum did not, and then the exact residual (TwoSum)
// says which way to go, out of line since it is rare.
func fma[T float](x, y, z T) T {
	if unsafe.Sizeof(x) == 8 {
		return T(math.FMA(float64(x), float64(y), float64(z)))
	}
	r := float64(x)*float64(y) + float64(z)
	if math.Float64bits(r)&(1<<29-1) == 1<<28 {
		r = fma32Tie(float32(x), float32(y), float32(z), r)
	}
	return T(r)
}

// fma32Tie settles a float64 sum of an exact product that lies halfway
// between two float32s: the TwoSum residual says on which side the exact sum is.
//
//go:noinline
func fma32Tie(x, y, z float32, r float64) float64 {
	p := float64(x) * float64(y) // exact
	bv := r - p
	if e := (p - (r - bv)) + (float64(z) - bv); e != 0 {
		b := math.Float64bits(r)
		if (e > 0) == (r > 0) {
			b++
		} else {
			b--
		}
		r = math.Float64frombits(b)
	}
	return r
}

// sqrt is correctly rounded for both types (a float64 square root of a
// float32, rounded to float32, is the float32 square root).
func sqrt[T float](x T) T { return T(math.Sqrt(float64(x))) }

// powi returns x**n for n >= 0 rounded to nearest, as C's pow (which Python's
// ** calls) returns it: exponentiation by squaring in double-double keeps
// about 100 bits, so the final rounding is the only one that shows.
func powi(x float64, n int) float64 {
	rh, rl := 1.0, 0.0
	bh, bl := x, 0.0
	for n > 0 {
		if n&1 == 1 {
			rh, rl = ddMul(rh, rl, bh, bl)
		}
		n >>= 1
		if n > 0 {
			bh, bl = ddMul(bh, bl, bh, bl)
		}
	}
	return rh + rl
}

func ddMul(ah, al, bh, bl float64) (float64, float64) {
	p := ah * bh
	e := math.FMA(ah, bh, -p)
	e += ah*bl + al*bh
	h := p + e
	return h, e - (h - p)
}

// sgdKernel is torch.optim.SGD's _single_tensor_sgd for one parameter.
// first: the momentum buffer is created from this step's d_p (a copy, as
// torch.clone(d_p)).
func sgdKernel[T float](p, g, buf []T, first bool, lr, mom, damp, wd float64, nesterov, maximize bool) {
	negLR := T(-lr)
	m := T(mom)
	oneMinusDamp := T(1 - damp)
	w := T(wd)
	g = g[:len(p)]
	if buf != nil {
		buf = buf[:len(p)]
	}
	// The common cases get loops without per-element option tests.
	if !maximize && wd == 0 {
		switch {
		case buf == nil:
			for i := range p {
				p[i] = fma(g[i], negLR, p[i])
			}
			return
		case !first && !nesterov:
			for i := range p {
				b := fma(g[i], oneMinusDamp, T(buf[i]*m))
				buf[i] = b
				p[i] = fma(b, negLR, p[i])
			}
			return
		}
	}
	for i := range p {
		d := effectiveGrad(g[i], p[i], w, maximize, wd != 0)
		if buf != nil {
			var b T
			if first {
				b = d
			} else {
				b = fma(d, oneMinusDamp, T(buf[i]*m))
			}
			buf[i] = b
			if nesterov {
				d = fma(b, m, d)
			} else {
				d = b
			}
		}
		p[i] = fma(d, negLR, p[i])
	}
}

// adagradKernel is _single_tensor_adagrad (dense) for one parameter.
func adagradKernel[T float](p, g, sum []T, clr, wd, eps float64, maximize bool) {
	negCLR := T(-clr)
	w := T(wd)
	e := T(eps)
	g = g[:len(p)]
	sum = sum[:len(p)]
	for i := range p {
		d := effectiveGrad(g[i], p[i], w, maximize, wd != 0)
		s := fma(d, d, sum[i]) // state_sum.addcmul_(grad, grad, value=1)
		sum[i] = s
		std := sqrt(s) + e
		p[i] += T(negCLR*d) / std
	}
}

// rmspropKernel is _single_tensor_rmsprop for one parameter; gradAvg is nil
// unless centered, buf nil unless momentum > 0.
func rmspropKernel[T float](p, g, sq, gradAvg, buf []T, lr, alpha, eps, wd, mom float64, maximize bool) {
	negLR := T(-lr)
	a := T(alpha)
	oneMinusA := T(1 - alpha)
	e := T(eps)
	w := T(wd)
	m := T(mom)
	g = g[:len(p)]
	sq = sq[:len(p)]
	for i := range p {
		d := effectiveGrad(g[i], p[i], w, maximize, wd != 0)
		s := fma(T(oneMinusA*d), d, T(sq[i]*a)) // square_avg.mul_(alpha).addcmul_(grad, grad, value=1-alpha)
		sq[i] = s
		var avg T
		if gradAvg != nil {
			ga := fma(d, oneMinusA, T(gradAvg[i]*a)) // grad_avg.mul_(alpha).add_(grad, alpha=1-alpha)
			gradAvg[i] = ga
			avg = sqrt(fma(-ga, ga, s)) // square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
		} else {
			avg = sqrt(s)
		}
		avg += e
		if buf != nil {
			b := T(buf[i]*m) + d/avg // buf.mul_(momentum).addcdiv_(grad, avg)
			buf[i] = b
			p[i] = fma(b, negLR, p[i])
		} else {
			p[i] += T(negLR*d) / avg
		}
	}
}

// adadeltaKernel is _single_tensor_adadelta for one parameter.
func adadeltaKernel[T float](p, g, sq, acc []T, lr, rho, eps, wd float64, maximize bool) {
	negLR := T(-lr)
	r := T(rho)
	oneMinusR := T(1 - rho)
	e := T(eps)
	w := T(wd)
	g = g[:len(p)]
	sq = sq[:len(p)]
	acc = acc[:len(p)]
	for i := range p {
		d := effectiveGrad(g[i], p[i], w, maximize, wd != 0)
		s := fma(T(oneMinusR*d), d, T(sq[i]*r)) // square_avg.mul_(rho).addcmul_(grad, grad, value=1-rho)
		sq[i] = s
		std := sqrt(s + e)
		delta := T(sqrt(acc[i]+e)/std) * d // acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
		acc[i] = fma(T(oneMinusR*delta), delta, T(acc[i]*r))
		p[i] = fma(delta, negLR, p[i])
	}
}

// adamScalars are the per-step numbers of _single_tensor_adam(w), computed in
// float64 as Python computes them, before the kernels round them to the
// tensor's dtype.
type adamScalars struct {
	beta1, oneMinusB1, beta2, oneMinusB2, bc2Sqrt, eps, negStepSize, decay, wd float64
}

func newAdamScalars(step int, lr, beta1, beta2, eps, wd float64) adamScalars {
	bc1 := 1 - powi(beta1, step)
	bc2 := 1 - powi(beta2, step)
	return adamScalars{
		beta1: beta1, oneMinusB1: 1 - beta1, beta2: beta2, oneMinusB2: 1 - beta2,
		bc2Sqrt: math.Sqrt(bc2), eps: eps, negStepSize: -(lr / bc1),
		decay: 1 - float64(lr*wd), // AdamW: param.mul_(1 - lr * weight_decay)
		wd:    wd,
	}
}

// adamKernel is _single_tensor_adam / _single_tensor_adamw for one parameter.
// decoupled selects AdamW's weight decay; maxSq is nil unless amsgrad.
func adamKernel[T float](p, g, m, v, maxSq []T, k adamScalars, decoupled, maximize bool) {
	negStepSize := T(k.negStepSize)
	bc2Sqrt := T(k.bc2Sqrt)
	b1 := T(k.beta1)
	b2 := T(k.beta2)
	oneMinusB1 := T(k.oneMinusB1)
	oneMinusB2 := T(k.oneMinusB2)
	e := T(k.eps)
	wd := k.wd
	w := T(wd)
	decay := T(k.decay)
	g = g[:len(p)]
	m = m[:len(p)]
	v = v[:len(p)]
	if !maximize && wd == 0 && maxSq == nil {
		for i := range p {
			d := g[i]
			mi := fma(d, oneMinusB1, T(m[i]*b1))
			vi := fma(T(oneMinusB2*d), d, T(v[i]*b2))
			m[i] = mi
			v[i] = vi
			denom := T(sqrt(vi)/bc2Sqrt) + e
			p[i] += T(negStepSize*mi) / denom
		}
		return
	}
	for i := range p {
		d := g[i]
		if maximize {
			d = -d
		}
		pi := p[i]
		if wd != 0 {
			if decoupled {
				pi *= decay
			} else {
				d = fma(pi, w, d)
			}
		}
		mi := fma(d, oneMinusB1, T(m[i]*b1)) // exp_avg.mul_(beta1).add_(grad, alpha=1-beta1)
		vi := fma(T(oneMinusB2*d), d, T(v[i]*b2))
		m[i] = mi
		v[i] = vi
		if maxSq != nil {
			mx := maxSq[i]
			if vi > mx || vi != vi { // torch.maximum propagates NaN
				mx = vi
			}
			maxSq[i] = mx
			vi = mx
		}
		denom := T(sqrt(vi)/bc2Sqrt) + e
		p[i] = pi + T(negStepSize*mi)/denom
	}
}

// effectiveGrad is the gradient every kernel steps with: negated to
// maximize, plus the L2 penalty wd·p (grad.add(param, alpha=weight_decay),
// one fused multiply-add as in PyTorch).
func effectiveGrad[T float](g, p, wd T, maximize, decay bool) T {
	if maximize {
		g = -g
	}
	if decay {
		g = fma(p, wd, g)
	}
	return g
}

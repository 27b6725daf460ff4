package optim

import "unsafe"

// The update loops run in assembly (kernels_amd64.s) over whole 32-byte
// blocks of each tensor, 8 float32 or 4 float64 lanes, and in Go over the
// rest. The assembly takes its scalars in these blocks, in the tensor's dtype;
// flags say which options are on.

// useAVX2 selects the assembly (tests turn it off to check the Go loops).
var useAVX2 = detectAVX2FMA()

type (
	sgdArgs[T float] struct {
		mom, oneMinusDamp, negLR, wd T
		flags                        uint32
	}
	adagradArgs[T float] struct {
		negCLR, eps, wd T
		flags           uint32
	}
	rmspropArgs[T float] struct {
		alpha, oneMinusAlpha, eps, negLR, wd, mom T
		flags                                     uint32
	}
	adadeltaArgs[T float] struct {
		rho, oneMinusRho, eps, negLR, wd T
		flags                            uint32
	}
	adamArgs[T float] struct {
		beta1, oneMinusB1, beta2, oneMinusB2, bc2Sqrt, eps, negStepSize, decay, wd T
		flags                                                                      uint32
	}
)

const (
	sgdMomentum    = 1
	sgdNesterov    = 2
	sgdFirst       = 4 // the momentum buffer starts as a copy of d
	sgdMaximize    = 8
	sgdWeightDecay = 16

	optMaximize    = 1 // Adagrad, RMSprop, Adadelta
	optWeightDecay = 2
	rmsCentered    = 4
	rmsMomentum    = 8

	adamMaximize  = 1
	adamL2        = 2 // Adam's weight decay, added to the gradient
	adamDecoupled = 4 // AdamW's, shrinking the parameter
	adamAMSGrad   = 8
)

// bulk returns how many leading elements of an n-element tensor the
// assembly takes: whole 32-byte blocks, none without AVX2.
func bulk[T float](n int) int {
	if !useAVX2 {
		return 0
	}
	return n - n%(32/int(unsafe.Sizeof(T(0))))
}

func is32[T float]() bool { return unsafe.Sizeof(T(0)) == 4 }

// ptr is the address of s's first element, nil for a nil slice (an option
// that is off).
func ptr[T float](s []T) unsafe.Pointer {
	if s == nil {
		return nil
	}
	return unsafe.Pointer(unsafe.SliceData(s))
}

func optFlags(wd float64, maximize bool) uint32 {
	var f uint32
	if maximize {
		f |= optMaximize
	}
	if wd != 0 {
		f |= optWeightDecay
	}
	return f
}

// sgdStep is sgdKernel, the bulk in assembly.
func sgdStep[T float](p, g, buf []T, first bool, lr, mom, damp, wd float64, nesterov, maximize bool) {
	if n := bulk[T](len(p)); n > 0 {
		k := sgdArgs[T]{mom: T(mom), oneMinusDamp: T(1 - damp), negLR: T(-lr), wd: T(wd)}
		if buf != nil {
			buf = buf[:len(p)]
			k.flags |= sgdMomentum
			if nesterov {
				k.flags |= sgdNesterov
			}
			if first {
				k.flags |= sgdFirst
			}
		}
		if maximize {
			k.flags |= sgdMaximize
		}
		if wd != 0 {
			k.flags |= sgdWeightDecay
		}
		g = g[:len(p)]
		if is32[T]() {
			sgdAVX2(ptr(p), ptr(g), ptr(buf), n, unsafe.Pointer(&k))
		} else {
			sgdAVX2F64(ptr(p), ptr(g), ptr(buf), n, unsafe.Pointer(&k))
		}
		p, g = p[n:], g[n:]
		if buf != nil {
			buf = buf[n:]
		}
	}
	sgdKernel(p, g, buf, first, lr, mom, damp, wd, nesterov, maximize)
}

// adagradStep is adagradKernel, the bulk in assembly.
func adagradStep[T float](p, g, sum []T, clr, wd, eps float64, maximize bool) {
	if n := bulk[T](len(p)); n > 0 {
		k := adagradArgs[T]{negCLR: T(-clr), eps: T(eps), wd: T(wd), flags: optFlags(wd, maximize)}
		g, sum = g[:len(p)], sum[:len(p)]
		if is32[T]() {
			adagradAVX2(ptr(p), ptr(g), ptr(sum), n, unsafe.Pointer(&k))
		} else {
			adagradAVX2F64(ptr(p), ptr(g), ptr(sum), n, unsafe.Pointer(&k))
		}
		p, g, sum = p[n:], g[n:], sum[n:]
	}
	adagradKernel(p, g, sum, clr, wd, eps, maximize)
}

// rmspropStep is rmspropKernel, the bulk in assembly.
func rmspropStep[T float](p, g, sq, gradAvg, buf []T, lr, alpha, eps, wd, mom float64, maximize bool) {
	if n := bulk[T](len(p)); n > 0 {
		k := rmspropArgs[T]{alpha: T(alpha), oneMinusAlpha: T(1 - alpha), eps: T(eps), negLR: T(-lr),
			wd: T(wd), mom: T(mom), flags: optFlags(wd, maximize)}
		if gradAvg != nil {
			gradAvg = gradAvg[:len(p)]
			k.flags |= rmsCentered
		}
		if buf != nil {
			buf = buf[:len(p)]
			k.flags |= rmsMomentum
		}
		g, sq = g[:len(p)], sq[:len(p)]
		if is32[T]() {
			rmspropAVX2(ptr(p), ptr(g), ptr(sq), ptr(gradAvg), ptr(buf), n, unsafe.Pointer(&k))
		} else {
			rmspropAVX2F64(ptr(p), ptr(g), ptr(sq), ptr(gradAvg), ptr(buf), n, unsafe.Pointer(&k))
		}
		p, g, sq = p[n:], g[n:], sq[n:]
		if gradAvg != nil {
			gradAvg = gradAvg[n:]
		}
		if buf != nil {
			buf = buf[n:]
		}
	}
	rmspropKernel(p, g, sq, gradAvg, buf, lr, alpha, eps, wd, mom, maximize)
}

// adadeltaStep is adadeltaKernel, the bulk in assembly.
func adadeltaStep[T float](p, g, sq, acc []T, lr, rho, eps, wd float64, maximize bool) {
	if n := bulk[T](len(p)); n > 0 {
		k := adadeltaArgs[T]{rho: T(rho), oneMinusRho: T(1 - rho), eps: T(eps), negLR: T(-lr),
			wd: T(wd), flags: optFlags(wd, maximize)}
		g, sq, acc = g[:len(p)], sq[:len(p)], acc[:len(p)]
		if is32[T]() {
			adadeltaAVX2(ptr(p), ptr(g), ptr(sq), ptr(acc), n, unsafe.Pointer(&k))
		} else {
			adadeltaAVX2F64(ptr(p), ptr(g), ptr(sq), ptr(acc), n, unsafe.Pointer(&k))
		}
		p, g, sq, acc = p[n:], g[n:], sq[n:], acc[n:]
	}
	adadeltaKernel(p, g, sq, acc, lr, rho, eps, wd, maximize)
}

// adamStep is adamKernel, the bulk in assembly.
func adamStep[T float](p, g, m, v, maxSq []T, k adamScalars, decoupled, maximize bool) {
	if n := bulk[T](len(p)); n > 0 {
		a := adamArgs[T]{
			beta1: T(k.beta1), oneMinusB1: T(k.oneMinusB1), beta2: T(k.beta2), oneMinusB2: T(k.oneMinusB2),
			bc2Sqrt: T(k.bc2Sqrt), eps: T(k.eps), negStepSize: T(k.negStepSize), decay: T(k.decay), wd: T(k.wd),
		}
		if maximize {
			a.flags |= adamMaximize
		}
		if k.wd != 0 {
			if decoupled {
				a.flags |= adamDecoupled
			} else {
				a.flags |= adamL2
			}
		}
		if maxSq != nil {
			maxSq = maxSq[:len(p)]
			a.flags |= adamAMSGrad
		}
		g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
		if is32[T]() {
			adamAVX2(ptr(p), ptr(g), ptr(m), ptr(v), ptr(maxSq), n, unsafe.Pointer(&a))
		} else {
			adamAVX2F64(ptr(p), ptr(g), ptr(m), ptr(v), ptr(maxSq), n, unsafe.Pointer(&a))
		}
		p, g, m, v = p[n:], g[n:], m[n:], v[n:]
		if maxSq != nil {
			maxSq = maxSq[n:]
		}
	}
	adamKernel(p, g, m, v, maxSq, k, decoupled, maximize)
}

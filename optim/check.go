package optim

import "math"

func isZeroSentinel(v float64) bool { return v == 0 && math.Signbit(v) }

func checkNonNeg(ctor, what string, v float64) {
	if !(v >= 0) {
		fail("%s: invalid %s: %v (want >= 0)", ctor, what, v)
	}
}

// defaultLR resolves a one-line constructor's lr: 0 means the default.
func lrOrDefault(ctor string, lr, def float64) float64 {
	lr = orDefault(lr, def)
	if !(lr >= 0) {
		fail("%s: invalid learning rate: %v (want lr >= 0)", ctor, lr)
	}
	return lr
}

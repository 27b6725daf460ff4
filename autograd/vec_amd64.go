//go:build amd64 && !purego

package autograd

import (
	"math"
	"unsafe"
)

//go:noescape
func maskPos32AVX(out, x, y unsafe.Pointer, n int)

//go:noescape
func accumF64AVX(acc, x unsafe.Pointer, n int)

// maskPos32 sets out[i] = x[i] where y[i] > 0, else 0.
func maskPos32(out, x, y []float32) {
	n := len(out)
	x, y = x[:n], y[:n]
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		maskPos32AVX(unsafe.Pointer(&out[0]), unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		yi := int32(math.Float32bits(y[i]))
		m := uint32((-yi)>>31) &^ uint32(yi>>31)
		out[i] = math.Float32frombits(math.Float32bits(x[i]) & m)
	}
}

// accumF64 adds float32 values into float64 accumulators.
func accumF64(acc []float64, x []float32) {
	n := len(x)
	acc = acc[:n]
	v := 0
	if hasAVX2FMA && n >= 4 {
		v = n &^ 3
		accumF64AVX(unsafe.Pointer(&acc[0]), unsafe.Pointer(&x[0]), v)
	}
	for i := v; i < n; i++ {
		acc[i] += float64(x[i])
	}
}

//go:noescape
func dot32AVX(x, y unsafe.Pointer, n int) float32

//go:noescape
func axpy32AVX(alpha float32, x, y unsafe.Pointer, n int)

// dot32 returns the sum of x[i]*y[i].
func dot32(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	var s float32
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		s = dot32AVX(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		s += x[i] * y[i]
	}
	return s
}

// axpy32 sets y[i] += alpha*x[i].
func axpy32(alpha float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		axpy32AVX(alpha, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		y[i] += alpha * x[i]
	}
}

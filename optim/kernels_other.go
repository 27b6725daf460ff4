//go:build !amd64 || purego

package optim

import "unsafe"

func detectAVX2FMA() bool { return false }

// The assembly loops exist on amd64 only; useAVX2 is false elsewhere.

func noAVX2() { panic("optim: no AVX2 on this architecture") }

func sgdAVX2(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)             { noAVX2() }
func sgdAVX2F64(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)          { noAVX2() }
func adagradAVX2(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)         { noAVX2() }
func adagradAVX2F64(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)      { noAVX2() }
func adadeltaAVX2(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer)    { noAVX2() }
func adadeltaAVX2F64(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer) { noAVX2() }
func adamAVX2(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer)    { noAVX2() }
func adamAVX2F64(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer) { noAVX2() }

func rmspropAVX2(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer) {
	noAVX2()
}

func rmspropAVX2F64(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer) {
	noAVX2()
}

//go:build amd64 && !purego

package optim

//go:generate go run ./internal/kernelgen

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The assembly loops of kernels_amd64.s, used when the CPU has AVX2 and FMA
// and the OS saves the YMM registers. Pointers are to the first element of
// each tensor (nil for a buffer whose option is off); k points to the
// matching ...Args block.

//go:noescape
func sgdAVX2(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func sgdAVX2F64(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adagradAVX2(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adagradAVX2F64(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func rmspropAVX2(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func rmspropAVX2F64(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adadeltaAVX2(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adadeltaAVX2F64(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adamAVX2(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer)

//go:noescape
func adamAVX2F64(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer)

// detectAVX2FMA reports whether the assembly loops can run: x/sys/cpu
// also checks that the OS saves the YMM registers.
func detectAVX2FMA() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

//go:build amd64 && !purego

package autograd

//go:generate go run ./internal/gemmgen

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func sgemmKernel6x16(k int, a unsafe.Pointer, ars, aps int, b unsafe.Pointer, bps int, c unsafe.Pointer, ldc int, flags int, bias unsafe.Pointer, tiles int)

//go:noescape
func dgemmKernel6x8(k int, a unsafe.Pointer, ars, aps int, b unsafe.Pointer, bps int, c unsafe.Pointer, ldc int, flags int, bias unsafe.Pointer, tiles int)

//go:noescape
func sgemmKernel8x32(k int, a unsafe.Pointer, ars, aps int, b unsafe.Pointer, bps int, c unsafe.Pointer, ldc int, flags int, bias unsafe.Pointer, tiles int)

// hasAVX2FMA reports whether the CPU and OS support the AVX2/FMA kernels
// (x/sys/cpu also checks that the OS saves the YMM registers).
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// hasAVX512 reports whether the float32 kernel can use 8 x 32 tiles in ZMM
// registers (AVX-512F, with the OS saving the opmask and ZMM state).
var hasAVX512 = hasAVX2FMA && cpu.X86.HasAVX512F

// kernel32 runs tiles of C[mr x nr] (+)= A x B over k (as kernelGo), for
// the tile of tileOf.
func kernel32(k int, a []float32, ars, aps int, b []float32, bps int, c []float32, ldc int, add, relu bool, bias []float32, tiles int) {
	if hasAVX512 {
		sgemmKernel8x32(k, unsafe.Pointer(&a[0]), ars, aps, unsafe.Pointer(&b[0]), bps, unsafe.Pointer(&c[0]), ldc, kernelFlags(add, relu), ptr(bias), tiles)
		return
	}
	if hasAVX2FMA {
		sgemmKernel6x16(k, unsafe.Pointer(&a[0]), ars, aps, unsafe.Pointer(&b[0]), bps, unsafe.Pointer(&c[0]), ldc, kernelFlags(add, relu), ptr(bias), tiles)
		return
	}
	mr, nr := tileOf[float32]()
	kernelGo(k, a, ars, aps, b, bps, c, ldc, mr, nr, add, relu, bias, tiles)
}

// ptr is the address of s's first element, or nil for an empty s.
func ptr[T float32 | float64](s []T) unsafe.Pointer {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Pointer(&s[0])
}

// kernelFlags encodes the kernels' flags argument (see internal/gemmgen).
func kernelFlags(add, relu bool) int {
	f := 0
	if add {
		f |= 1
	}
	if relu {
		f |= 2
	}
	return f
}

// kernel64 runs tiles of C[6x8] (+)= A x B over k.
func kernel64(k int, a []float64, ars, aps int, b []float64, bps int, c []float64, ldc int, add, relu bool, bias []float64, tiles int) {
	if hasAVX2FMA {
		dgemmKernel6x8(k, unsafe.Pointer(&a[0]), ars, aps, unsafe.Pointer(&b[0]), bps, unsafe.Pointer(&c[0]), ldc, kernelFlags(add, relu), ptr(bias), tiles)
		return
	}
	mr, nr := tileOf[float64]()
	kernelGo(k, a, ars, aps, b, bps, c, ldc, mr, nr, add, relu, bias, tiles)
}

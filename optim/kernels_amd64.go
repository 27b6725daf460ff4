package optim

import "unsafe"

// The assembly loops of kernels_amd64.s, used when the CPU has AVX2 and FMA
// and the OS saves the YMM registers. Pointers are to the first element of
// each tensor (nil for a buffer whose option is off); k points to the
// matching ...Args block.

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

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

func detectAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&fma == 0 || ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

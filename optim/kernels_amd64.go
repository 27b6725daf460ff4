package optim

// Assembly loops for the float32 hot paths (kernels_amd64.s), used when the
// CPU has AVX2 and FMA and the OS saves the YMM registers.

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

//go:noescape
func sgdAVX2(p, grad, buf *float32, n int, k *sgdConsts)

//go:noescape
func adamAVX2(p, grad, m, v, maxSq *float32, n int, k *adamConsts)

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

//go:noescape
func adagradAVX2(p, grad, sum *float32, n int, k *adagradConsts)

//go:noescape
func rmspropAVX2(p, grad, sq, gradAvg, buf *float32, n int, k *rmspropConsts)

//go:noescape
func adadeltaAVX2(p, grad, sq, acc *float32, n int, k *adadeltaConsts)

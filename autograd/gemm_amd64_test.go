//go:build amd64 && !purego

package autograd

import "testing"

// Every kernel this CPU can run (AVX-512, AVX2/FMA, portable Go), not just
// the one chosen at start-up: the products against the naive product, the
// fused ReLU-mask-and-bias-sum loops against the unfused passes.
func TestGemmEveryKernel(t *testing.T) {
	avx512, avx2, mr, nr := hasAVX512, hasAVX2FMA, mr32, nr32
	defer func() { hasAVX512, hasAVX2FMA, mr32, nr32 = avx512, avx2, mr, nr }()
	configs := []struct {
		name         string
		avx512, avx2 bool
		mr, nr       int
	}{
		{"avx512", true, true, 8, 32},
		{"avx2", false, true, 6, 16},
		{"go", false, false, 6, 16},
	}
	for _, c := range configs {
		if (c.avx512 && !avx512) || (c.avx2 && !avx2) {
			continue
		}
		hasAVX512, hasAVX2FMA, mr32, nr32 = c.avx512, c.avx2, c.mr, c.nr
		t.Run(c.name, checkGemm)
		if c.avx2 { // without AVX2 the fused pass is the unfused one
			t.Run(c.name+"/maskColSum", checkMaskColSum)
		}
	}
}

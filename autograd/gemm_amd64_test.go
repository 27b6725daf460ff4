//go:build amd64 && !purego

package autograd

import "testing"

// Every kernel this CPU can run (AVX-512, AVX2/FMA, portable Go), not just
// the one chosen at start-up: the products against the naive product, the
// fused ReLU-mask-and-bias-sum loops against the unfused passes.
func TestGemmEveryKernel(t *testing.T) {
	avx512, avx2 := hasAVX512, hasAVX2FMA
	defer func() { hasAVX512, hasAVX2FMA = avx512, avx2 }()
	configs := []struct {
		name         string
		avx512, avx2 bool
	}{
		{"avx512", true, true},
		{"avx2", false, true},
		{"go", false, false},
	}
	for _, c := range configs {
		if (c.avx512 && !avx512) || (c.avx2 && !avx2) {
			continue
		}
		if c.avx512 == avx512 && c.avx2 == avx2 {
			continue // the start-up kernel: TestGemmMatchesNaive and TestMaskColSum
		}
		hasAVX512, hasAVX2FMA = c.avx512, c.avx2
		t.Run(c.name, checkGemm)
		if c.avx2 { // without AVX2 the fused pass is the unfused one
			t.Run(c.name+"/maskColSum", checkMaskColSum)
		}
	}
}

//go:build openblas && cgo

package autograd

import "github.com/gradlab/gradlab/autograd/internal/openblas"

// With the openblas build tag, matrix products above a small size go to
// OpenBLAS (which uses its own threads).
const haveBLAS = true

// blasTakes reports whether a product is large enough to be worth the
// call into OpenBLAS.
func blasTakes(m, n, k int) bool { return m*n*k >= 1<<15 && k > 0 }

// blasGemm computes c = a·b (+ c with accumulate) with OpenBLAS.
func blasGemm[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool) {
	beta := 0.0
	if accumulate {
		beta = 1
	}
	switch a := any(a).(type) {
	case []float32:
		openblas.Sgemm(m, n, k, a, lda, ta, any(b).([]float32), ldb, tb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		openblas.Dgemm(m, n, k, a, lda, ta, any(b).([]float64), ldb, tb, beta, any(c).([]float64), ldc)
	}
}

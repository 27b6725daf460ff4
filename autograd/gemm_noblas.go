//go:build !(openblas && cgo)

package autograd

const haveBLAS = false

func blasTakes(m, n, k int) bool { return false }

func blasGemm[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool) {
}

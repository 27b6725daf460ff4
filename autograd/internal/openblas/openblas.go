//go:build openblas && cgo

package openblas

// The prototypes are declared here so no header is needed; Debian's
// libopenblas-dev provides the library.

/*
#cgo LDFLAGS: -lopenblas
void cblas_sgemm(int order, int transa, int transb, int m, int n, int k,
	float alpha, const float *a, int lda, const float *b, int ldb,
	float beta, float *c, int ldc);
void cblas_dgemm(int order, int transa, int transb, int m, int n, int k,
	double alpha, const double *a, int lda, const double *b, int ldb,
	double beta, double *c, int ldc);
*/
import "C"

import "unsafe"

const (
	rowMajor = 101
	noTrans  = 111
	trans    = 112
)

func tr(t bool) C.int {
	if t {
		return trans
	}
	return noTrans
}

// Sgemm computes c = a·b + beta*c for row-major operands; ta/tb mean the
// operand is stored transposed (leading dimensions as in CBLAS).
func Sgemm(m, n, k int, a []float32, lda int, ta bool, b []float32, ldb int, tb bool, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(rowMajor, tr(ta), tr(tb), C.int(m), C.int(n), C.int(k),
		1, (*C.float)(unsafe.Pointer(&a[0])), C.int(lda), (*C.float)(unsafe.Pointer(&b[0])), C.int(ldb),
		C.float(beta), (*C.float)(unsafe.Pointer(&c[0])), C.int(ldc))
}

// Dgemm is Sgemm for float64.
func Dgemm(m, n, k int, a []float64, lda int, ta bool, b []float64, ldb int, tb bool, beta float64, c []float64, ldc int) {
	C.cblas_dgemm(rowMajor, tr(ta), tr(tb), C.int(m), C.int(n), C.int(k),
		1, (*C.double)(unsafe.Pointer(&a[0])), C.int(lda), (*C.double)(unsafe.Pointer(&b[0])), C.int(ldb),
		C.double(beta), (*C.double)(unsafe.Pointer(&c[0])), C.int(ldc))
}

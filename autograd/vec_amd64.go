//go:build amd64 && !purego

package autograd

import (
	"math"
	"unsafe"
)

//go:noescape
func maskPos32AVX(out, x, y unsafe.Pointer, n int)

//go:noescape
func accumF64AVX(acc, x unsafe.Pointer, n int)

// maskPos32 sets out[i] = x[i] where y[i] > 0, else 0.
func maskPos32(out, x, y []float32) {
	n := len(out)
	x, y = x[:n], y[:n]
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		maskPos32AVX(unsafe.Pointer(&out[0]), unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		out[i] = math.Float32frombits(math.Float32bits(x[i]) & posMask32(y[i]))
	}
}

// accumF64 adds float32 values into float64 accumulators.
func accumF64(acc []float64, x []float32) {
	n := len(x)
	acc = acc[:n]
	v := 0
	if hasAVX2FMA && n >= 4 {
		v = n &^ 3
		accumF64AVX(unsafe.Pointer(&acc[0]), unsafe.Pointer(&x[0]), v)
	}
	for i := v; i < n; i++ {
		acc[i] += float64(x[i])
	}
}

//go:noescape
func dot32AVX(x, y unsafe.Pointer, n int) float32

//go:noescape
func axpy32AVX(alpha float32, x, y unsafe.Pointer, n int)

// dot32 returns the sum of x[i]*y[i].
func dot32(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	var s float32
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		s = dot32AVX(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		s += x[i] * y[i]
	}
	return s
}

// axpy32 sets y[i] += alpha*x[i].
func axpy32(alpha float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	v := 0
	if hasAVX2FMA && n >= 8 {
		v = n &^ 7
		axpy32AVX(alpha, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), v)
	}
	for i := v; i < n; i++ {
		y[i] += alpha * x[i]
	}
}

//go:noescape
func gemvRows32AVX(a unsafe.Pointer, lda int, x, y unsafe.Pointer, m, k int)

//go:noescape
func gemvCols32AVX(b unsafe.Pointer, ldb int, x, y unsafe.Pointer, k, n int)

// gemvRows32 sets y[i] += A(i,:)·x for the m x k row-major A (leading dimension lda).
func gemvRows32(a []float32, lda int, x, y []float32, m, k int) {
	v := 0
	if hasAVX2FMA && k >= 8 && m > 0 {
		v = k &^ 7
		_ = a[(m-1)*lda+k-1]
		gemvRows32AVX(unsafe.Pointer(&a[0]), lda, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), m, v)
	}
	if v < k {
		for i := 0; i < m; i++ {
			row := a[i*lda+v : i*lda+k]
			s := y[i]
			for p, av := range row {
				s += av * x[v+p]
			}
			y[i] = s
		}
	}
}

// gemvCols32 sets y += Σ_p x[p]·B(p,:) for the k x n row-major B (leading dimension ldb).
func gemvCols32(b []float32, ldb int, x, y []float32, k, n int) {
	v := 0
	if hasAVX2FMA && n >= 8 && k > 0 {
		v = n &^ 7
		_ = b[(k-1)*ldb+n-1]
		gemvCols32AVX(unsafe.Pointer(&b[0]), ldb, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), k, v)
	}
	if v < n {
		for p := 0; p < k; p++ {
			xp := x[p]
			row := b[p*ldb+v : p*ldb+n]
			for j, bv := range row {
				y[v+j] += xp * bv
			}
		}
	}
}

//go:noescape
func colSumF64AVX(acc, x unsafe.Pointer, rows, cols, ldx int)

//go:noescape
func colSumF64AVX512(acc, x unsafe.Pointer, rows, cols, ldx int)

// colSumF64 adds the rows of the rows x cols float32 matrix x (row-major)
// into float64 accumulators.
func colSumF64(acc []float64, x []float32, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	_ = x[rows*cols-1]
	_ = acc[cols-1]
	v := 0
	if hasAVX512 && cols >= 32 {
		v = cols &^ 31
		colSumF64AVX512(unsafe.Pointer(&acc[0]), unsafe.Pointer(&x[0]), rows, v, cols)
	}
	if hasAVX2FMA && cols-v >= 4 {
		w := (cols - v) &^ 3
		colSumF64AVX(unsafe.Pointer(&acc[v]), unsafe.Pointer(&x[v]), rows, w, cols)
		v += w
	}
	switch {
	case v == cols:
	case cols == 1: // a column vector: one running sum, without slicing per row
		s := acc[0]
		for _, f := range x[:rows] {
			s += float64(f)
		}
		acc[0] = s
	default:
		for i := 0; i < rows; i++ {
			row := x[i*cols+v : i*cols+cols]
			for j, f := range row {
				acc[v+j] += float64(f)
			}
		}
	}
}

//go:noescape
func maskColSum32AVX(out, grad, y, acc unsafe.Pointer, rows, cols int)

//go:noescape
func maskColSum32AVX512(out, grad, y, acc unsafe.Pointer, rows, cols int)

// maskColSum32 sets gz = g where y > 0, else 0 (maskPos32), and adds the
// columns of gz into acc (colSumF64), in one pass when it can.
func maskColSum32(gz, g, y []float32, acc []float64, rows, cols int) {
	n := rows * cols
	if hasAVX2FMA && cols%32 == 0 && n > 0 {
		_, _, _, _ = gz[n-1], g[n-1], y[n-1], acc[cols-1]
		if hasAVX512 {
			maskColSum32AVX512(unsafe.Pointer(&gz[0]), unsafe.Pointer(&g[0]), unsafe.Pointer(&y[0]), unsafe.Pointer(&acc[0]), rows, cols)
			return
		}
		maskColSum32AVX(unsafe.Pointer(&gz[0]), unsafe.Pointer(&g[0]), unsafe.Pointer(&y[0]), unsafe.Pointer(&acc[0]), rows, cols)
		return
	}
	maskColSum32Go(gz, g, y, acc, rows, cols)
}

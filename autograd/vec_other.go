//go:build !amd64 || purego

package autograd

import "math"

// The pure-Go forms of vec_amd64.go's vector loops, for other
// architectures and the purego build.

func maskPos32(out, x, y []float32) {
	x, y = x[:len(out)], y[:len(out)]
	for i := range out {
		out[i] = math.Float32frombits(math.Float32bits(x[i]) & posMask32(y[i]))
	}
}

func accumF64(acc []float64, x []float32) {
	acc = acc[:len(x)]
	for i, v := range x {
		acc[i] += float64(v)
	}
}

func dot32(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func axpy32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func gemvRows32(a []float32, lda int, x, y []float32, m, k int) {
	for i := 0; i < m; i++ {
		y[i] += dot32(a[i*lda:i*lda+k], x)
	}
}

func gemvCols32(b []float32, ldb int, x, y []float32, k, n int) {
	for p := 0; p < k; p++ {
		axpy32(x[p], b[p*ldb:p*ldb+n], y[:n])
	}
}

func colSumF64(acc []float64, x []float32, rows, cols int) {
	for i := 0; i < rows; i++ {
		accumF64(acc, x[i*cols:i*cols+cols])
	}
}

func maskColSum32(gz, g, y []float32, acc []float64, rows, cols int) {
	maskColSum32Go(gz, g, y, acc, rows, cols)
}

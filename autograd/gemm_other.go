//go:build !amd64 || purego

package autograd

const hasAVX2FMA = false

func kernel32(k int, a []float32, ars, aps int, b []float32, bps int, c []float32, ldc int) {
	kernelGo(k, a, ars, aps, b, bps, c, ldc, 16)
}

func kernel64(k int, a []float64, ars, aps int, b []float64, bps int, c []float64, ldc int) {
	kernelGo(k, a, ars, aps, b, bps, c, ldc, 8)
}

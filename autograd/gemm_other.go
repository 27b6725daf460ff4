//go:build !amd64 || purego

package autograd

const (
	hasAVX2FMA = false
	hasAVX512  = false
)

func kernel32(k int, a []float32, ars, aps int, b []float32, bps int, c []float32, ldc int, add, relu bool, bias []float32, tiles int) {
	mr, nr := tileOf[float32]()
	kernelGo(k, a, ars, aps, b, bps, c, ldc, mr, nr, add, relu, bias, tiles)
}

func kernel64(k int, a []float64, ars, aps int, b []float64, bps int, c []float64, ldc int, add, relu bool, bias []float64, tiles int) {
	mr, nr := tileOf[float64]()
	kernelGo(k, a, ars, aps, b, bps, c, ldc, mr, nr, add, relu, bias, tiles)
}

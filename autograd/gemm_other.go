//go:build !amd64 || purego

package autograd

const hasAVX2FMA = false

func kernel32(k int, a, b []float32, c []float32, ldc int) { kernelGo(k, a, b, c, ldc, 16) }
func kernel64(k int, a, b []float64, c []float64, ldc int) { kernelGo(k, a, b, c, ldc, 8) }

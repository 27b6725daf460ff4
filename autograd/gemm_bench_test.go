package autograd

import "testing"

// The micro-kernel alone on cache-resident panels: its peak rate.
func BenchmarkKernel32(b *testing.B) {
	const k = 256
	a := make([]float32, k*gemmMR)
	p := make([]float32, k*nr32)
	c := make([]float32, gemmMR*nr32)
	for i := 0; i < b.N; i++ {
		kernel32(k, a, 1, gemmMR, p, nr32, c, nr32, true, false, nil, 1)
	}
	b.ReportMetric(2*float64(k*gemmMR*nr32)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkKernel64(b *testing.B) {
	const k = 256
	a := make([]float64, k*gemmMR)
	p := make([]float64, k*8)
	c := make([]float64, gemmMR*8)
	for i := 0; i < b.N; i++ {
		kernel64(k, a, 1, gemmMR, p, 8, c, 8, true, false, nil, 1)
	}
	b.ReportMetric(2*float64(k*gemmMR*8)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

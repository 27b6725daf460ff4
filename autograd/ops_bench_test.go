package autograd

import "testing"

func BenchmarkLinearFwd1000x32x32(b *testing.B) {
	x, w, bias := Randn(1000, 32), Randn(32, 32), Randn(32)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Linear(x, w, bias)
	}
}

func BenchmarkRelu1000x32(b *testing.B) {
	x := Randn(1000, 32)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x.Relu()
	}
}

func BenchmarkMM32x1000x32T(b *testing.B) {
	g, x := Randn(1000, 32), Randn(1000, 32)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		mm(g.T(), x)
	}
}

func BenchmarkAlloc1000x32(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		newTensor(Float32, []int{1000, 32})
	}
}

func BenchmarkMaskPos32K(b *testing.B) {
	x := Randn(32000).Data32()
	out := make([]float32, len(x))
	for i := 0; i < b.N; i++ {
		maskPos(out, x, x)
	}
}

func BenchmarkMaskColSum1000x32(b *testing.B) {
	g, y := Randn(32000).Data32(), Randn(32000).Data32()
	out := make([]float32, len(g))
	acc := make([]float64, 32)
	for i := 0; i < b.N; i++ {
		maskColSum32(out, g, y, acc, 1000, 32)
	}
}

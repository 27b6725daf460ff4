package autograd

import "testing"

func BenchmarkMaxPool2dFwd64x32x26(b *testing.B) {
	x := Randn(64, 32, 26, 26)
	o := Pool2dOptions{Kernel: [2]int{2, 2}}
	for i := 0; i < b.N; i++ {
		MaxPool2d(x, o)
	}
}

func BenchmarkConv2dFwd64x32to64(b *testing.B) {
	x, w, bias := Randn(64, 32, 13, 13), Randn(64, 32, 3, 3), Randn(64)
	for i := 0; i < b.N; i++ {
		Conv2d(x, w, bias, Conv2dOptions{})
	}
}

func BenchmarkConv2dStep64x32to64(b *testing.B) {
	x, w, bias := Randn(64, 32, 13, 13).SetRequiresGrad(true), Randn(64, 32, 3, 3).SetRequiresGrad(true), Randn(64).SetRequiresGrad(true)
	for i := 0; i < b.N; i++ {
		Conv2d(x, w, bias, Conv2dOptions{}).Sum().Backward()
	}
}

// BenchmarkMaxPool2dStep is the forward and backward of the 2x2 max
// pooling after notebook 06's first convolution (64x16x28x28).
func BenchmarkMaxPool2dStep64x16x28(b *testing.B) {
	x := Randn(64, 16, 28, 28).SetRequiresGrad(true)
	o := Pool2dOptions{Kernel: [2]int{2, 2}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MaxPool2d(x, o).Sum().Backward()
	}
}

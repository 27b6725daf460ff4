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

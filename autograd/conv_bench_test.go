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
	defer benchCPU(b)()
	for i := 0; i < b.N; i++ {
		MaxPool2d(x, o).Sum().Backward()
	}
}

// BenchmarkConv2dStepFMNIST1 and 2 are the forward and backward of
// notebook 06's two convolutions at batch 64: 1->16 channels on 28x28
// (the input needs no gradient) and 16->32 on 14x14, 3x3, padding 1.
func BenchmarkConv2dStepFMNIST1(b *testing.B) {
	x, w, bias := Rand(64, 1, 28, 28), Randn(16, 1, 3, 3).SetRequiresGrad(true), Randn(16).SetRequiresGrad(true)
	benchConvStep(b, x, w, bias)
}

func BenchmarkConv2dStepFMNIST2(b *testing.B) {
	x, w, bias := Randn(64, 16, 14, 14).SetRequiresGrad(true), Randn(32, 16, 3, 3).SetRequiresGrad(true), Randn(32).SetRequiresGrad(true)
	benchConvStep(b, x, w, bias)
}

func benchConvStep(b *testing.B, x, w, bias *Tensor) {
	o := Conv2dOptions{Padding: [2]int{1, 1}}
	g := RandnLike(Conv2d(x, w, bias, o))
	b.ReportAllocs()
	b.ResetTimer()
	defer benchCPU(b)()
	for i := 0; i < b.N; i++ {
		y := Conv2d(x, w, bias, o)
		y.BackwardWith(g)
		y.Release() // as nn.Sequential does: the next step reuses the storage
	}
}

package autograd

import "testing"

// Loading Fashion-MNIST's training images: 60000 x 28 x 28 bytes (47 MB).
const mnistBytes = 60000 * 28 * 28

func BenchmarkFromUint8MNIST(b *testing.B) {
	pix := make([]uint8, mnistBytes)
	for i := range pix {
		pix[i] = uint8(i * 7)
	}
	b.SetBytes(mnistBytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		FromUint8(pix, 60000, 28, 28)
	}
}

// BenchmarkNewFromFloat64sMNIST is the way there was before FromUint8:
// convert to []float64 in Go, then New.
func BenchmarkNewFromFloat64sMNIST(b *testing.B) {
	pix := make([]uint8, mnistBytes)
	b.SetBytes(mnistBytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f := make([]float64, len(pix))
		for j, v := range pix {
			f[j] = float64(v)
		}
		New(f, 60000, 28, 28)
	}
}

func BenchmarkFromUint8LongLabels(b *testing.B) {
	lab := make([]uint8, 60000)
	b.SetBytes(60000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		FromUint8Long(lab)
	}
}

func BenchmarkFromIntsLabels(b *testing.B) {
	lab := make([]int, 60000)
	b.SetBytes(60000 * 8)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		FromInts(lab)
	}
}

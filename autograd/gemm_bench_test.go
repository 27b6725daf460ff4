package autograd

import "testing"

// The micro-kernel alone on cache-resident panels: its peak rate.
func BenchmarkKernel32(b *testing.B) {
	const k = 256
	mr32, nr32 := tileOf[float32]()
	a := make([]float32, k*mr32)
	p := make([]float32, k*nr32)
	c := make([]float32, mr32*nr32)
	for i := 0; i < b.N; i++ {
		kernel32(k, a, 1, mr32, p, nr32, c, nr32, true, false, nil, 1)
	}
	b.ReportMetric(2*float64(k*mr32*nr32)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkKernel64(b *testing.B) {
	const k = 256
	mr, nr := tileOf[float64]()
	a := make([]float64, k*mr)
	p := make([]float64, k*nr)
	c := make([]float64, mr*nr)
	for i := 0; i < b.N; i++ {
		kernel64(k, a, 1, mr, p, nr, c, nr, true, false, nil, 1)
	}
	b.ReportMetric(2*float64(k*mr*nr)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// The small MLP's three 1M-multiply-add products (forward x·Wᵀ, backward
// G·W and Gᵀ·X) and its two rank-1 products (the 1-wide layers' x·Wᵀ and
// G·W) into a reused output, on one goroutine: what the step's products
// cost without allocation.
func BenchmarkGemmSmallMLP(b *testing.B) {
	for _, c := range []struct {
		name    string
		m, n, k int
		ta, tb  bool
	}{{"xWt", 1000, 32, 32, false, true}, {"GW", 1000, 32, 32, false, false}, {"GtX", 32, 32, 1000, true, false}, {"rank1", 1000, 32, 1, false, false}} {
		b.Run(c.name, func(b *testing.B) {
			a, bm, out := make([]float32, c.m*c.k), make([]float32, c.k*c.n), make([]float32, c.m*c.n)
			for i := range a {
				a[i] = float32(i%7) - 3
			}
			for i := range bm {
				bm[i] = float32(i%5) - 2
			}
			lda, ldb := c.k, c.n
			if c.ta {
				lda = c.m
			}
			if c.tb {
				ldb = c.k
			}
			for i := 0; i < b.N; i++ {
				gemm(c.m, c.n, c.k, a, lda, c.ta, bm, ldb, c.tb, out, c.n, false, nil, false)
			}
			b.ReportMetric(2*float64(c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkKernel32Parallel runs the micro-kernel on every P at once: with
// -cpu 1,2 it shows whether a second core adds vector throughput (on the
// project's 2-vCPU VM it does not).
func BenchmarkKernel32Parallel(b *testing.B) {
	const k = 256
	mr32, nr32 := tileOf[float32]()
	b.RunParallel(func(pb *testing.PB) {
		a := make([]float32, k*mr32)
		p := make([]float32, k*nr32)
		c := make([]float32, mr32*nr32)
		for pb.Next() {
			kernel32(k, a, 1, mr32, p, nr32, c, nr32, true, false, nil, 1)
		}
	})
	b.ReportMetric(2*float64(k*mr32*nr32)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkPackBTransposed packs the transposed weight of a 784->256
// linear layer (the forward product x·Wᵀ of the Fashion-MNIST MLP) into
// the float32 kernel's panels, every block of k.
func BenchmarkPackBTransposed(b *testing.B) {
	w := make([]float32, 256*784)
	_, nr := tileOf[float32]()
	dst := make([]float32, (256+nr-1)/nr*gemmKC*nr)
	defer benchCPU(b)()
	for i := 0; i < b.N; i++ {
		for pc := 0; pc < 784; pc += gemmKC {
			packB(dst, w, 784, true, pc, min(gemmKC, 784-pc), 0, 256, nr)
		}
	}
}

// BenchmarkLinearReLUFMNIST is the Fashion-MNIST MLP's first layer
// forward, relu(x·Wᵀ + b) for a batch of 64 through 784->256, computed
// directly (packing Wᵀ) and swapped (Cᵀ = W·xᵀ, packing xᵀ).
func BenchmarkLinearReLUFMNIST(b *testing.B) {
	g := NewGenerator(1)
	x, w, bias := g.Randn(64, 784), g.Randn(256, 784), g.Randn(256)
	out := Zeros(64, 256)
	for _, noSwap := range []bool{true, false} {
		b.Run(map[bool]string{true: "direct", false: "swapped"}[noSwap], func(b *testing.B) {
			gemmNoSwap = noSwap
			defer func() { gemmNoSwap = false }()
			defer benchCPU(b)()
			for i := 0; i < b.N; i++ {
				mmAcc(out, x, false, w, true, false, bias, true)
			}
		})
	}
}

// BenchmarkTransposeFMNIST transposes the swapped first layer's 256x64
// result into the 64x256 output.
func BenchmarkTransposeFMNIST(b *testing.B) {
	src, dst := make([]float32, 256*64), make([]float32, 64*256)
	defer benchCPU(b)()
	for i := 0; i < b.N; i++ {
		transposeInto(dst, 256, src, 64, 256, 64)
	}
}

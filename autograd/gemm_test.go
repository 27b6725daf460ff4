package autograd

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/gradlab/gradlab/internal/costsplit"
)

// naive reference product in float64
func naiveMM(a, b *Tensor) []float64 {
	m, k, n := a.shape[0], a.shape[1], b.shape[1]
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for p := 0; p < k; p++ {
				s += a.At(i, p) * b.At(p, j)
			}
			out[i*n+j] = s
		}
	}
	return out
}

// The blocked kernel against a naive product, over sizes that exercise
// edge tiles, several k blocks, the parallel path split by rows (m >= n)
// and by column panels (m < n, with a partial last panel) and transposed operands;
// with a bias, and accumulating.
func TestGemmMatchesNaive(t *testing.T) { checkGemm(t) }

func checkGemm(t *testing.T) {
	t.Helper()
	g := NewGenerator(11)
	sizes := [][3]int{{1, 1, 1}, {7, 5, 3}, {13, 300, 17}, {6, 16, 16}, {37, 33, 70}, {200, 520, 90}, {5, 1, 600}, {1000, 32, 1}, {1, 1000, 32}, {20, 30, 1024}, {33, 17, 1}, {1, 9, 40}, {1000, 32, 32}, {32, 1000, 32}, {14, 3000, 20}, {4, 50, 40}, {100, 1, 32}, {203, 520, 90}, {9, 512, 512}, {9, 512, 520}, {64, 784, 250}}
	for _, s := range sizes {
		m, k, n := s[0], s[1], s[2]
		for _, dt := range []DType{Float32, Float64} {
			for tr := 0; tr < 4; tr++ {
				// a and b are the operands (transposed as views); mmAcc
				// below reads the stored as and bs transposed by its flags
				aT, bT := tr&1 != 0, tr&2 != 0
				as, bs := g.Randn(m, k).To(dt), g.Randn(k, n).To(dt)
				a, b := as, bs
				if aT {
					as = g.Randn(k, m).To(dt)
					a = as.T()
				}
				if bT {
					bs = g.Randn(n, k).To(dt)
					b = bs.T()
				}
				bias := g.Randn(n).To(dt)
				want := naiveMM(a, b)
				tol := 1e-12
				if dt == Float32 {
					tol = 1e-5
				}
				near := func(what string, got []float64, want func(i int) float64) {
					t.Helper()
					for i, v := range got {
						w := want(i)
						if math.Abs(v-w) > tol*float64(k+1)*(1+math.Abs(w)) {
							t.Fatalf("%v %dx%dx%d transposes %d, %s: element %d = %v, want %v", dt, m, k, n, tr, what, i, v, w)
						}
					}
				}
				// the output buffer may hold garbage (pooled buffers): start from NaN
				out := Full(math.NaN(), m, n).To(dt)
				mmInto(out, a, b)
				near("product", out.Float64s(), func(i int) float64 { return want[i] })
				out = Full(math.NaN(), m, n).To(dt)
				mmAcc(out, as, aT, bs, bT, false, bias, false)
				bv := bias.Float64s()
				near("with bias", out.Float64s(), func(i int) float64 { return want[i] + bv[i%n] })
				// accumulate mode adds to what is there
				acc := Ones(m, n).To(dt)
				mmAcc(acc, as, aT, bs, bT, true, nil, false)
				near("accumulated", acc.Float64s(), func(i int) float64 { return 1 + want[i] })
				acc = Ones(m, n).To(dt)
				mmAcc(acc, as, aT, bs, bT, true, bias, false)
				near("accumulated with bias", acc.Float64s(), func(i int) float64 { return 1 + want[i] + bv[i%n] })
				// the ReLU goes on after bias and accumulation
				acc = Full(-0.5, m, n).To(dt)
				mmAcc(acc, as, aT, bs, bT, true, bias, true)
				near("accumulated with bias and ReLU", acc.Float64s(), func(i int) float64 { return max(0, -0.5+want[i]+bv[i%n]) })
				out = Full(math.NaN(), m, n).To(dt)
				mmAcc(out, as, aT, bs, bT, false, nil, true)
				near("with ReLU", out.Float64s(), func(i int) float64 { return max(0, want[i]) })
			}
		}
	}
}

// The vector loops against their definitions, across lengths with tails.
func TestVectorLoops(t *testing.T) {
	g := NewGenerator(5)
	for _, n := range []int{1, 7, 8, 9, 33, 45, 1000, 3000} {
		x, y := g.Randn(n).Data32(), g.Randn(n).Data32()
		y[0] = float32(math.Copysign(0, -1))
		out := make([]float32, n)
		maskPos32(out, x, y)
		acc := make([]float64, n)
		acc[n-1] = 1
		accumF64(acc, x)
		// colSumF64 over the same values as 1 x n and as (n/k) x k
		cs := make([]float64, n)
		colSumF64(cs, x, 1, n)
		for i := range cs {
			if cs[i] != float64(x[i]) {
				t.Fatalf("n=%d colSumF64 1 x n [%d] = %v, want %v", n, i, cs[i], x[i])
			}
		}
		if n%3 == 0 {
			cs := make([]float64, n/3)
			colSumF64(cs, x, 3, n/3)
			for j := range cs {
				w := float64(x[j]) + float64(x[n/3+j]) + float64(x[2*n/3+j])
				if math.Abs(cs[j]-w) > 1e-12 {
					t.Fatalf("n=%d colSumF64 3 x %d [%d] = %v, want %v", n, n/3, j, cs[j], w)
				}
			}
		}
		for i := range out {
			want := float32(0)
			if y[i] > 0 {
				want = x[i]
			}
			if out[i] != want {
				t.Fatalf("n=%d maskPos32[%d] = %v, want %v", n, i, out[i], want)
			}
			w := float64(x[i])
			if i == n-1 {
				w++
			}
			if acc[i] != w {
				t.Fatalf("n=%d accumF64[%d] = %v, want %v", n, i, acc[i], w)
			}
		}
	}
}

// The column kernels keep their sums in registers in chunks of 32/16 and
// 8/4 columns: every mix of chunk sizes and tails against a float64
// reference.
func TestColumnKernels(t *testing.T) {
	g := NewGenerator(5)
	for _, rows := range []int{1, 2, 7, 64, 1000} {
		for _, cols := range []int{1, 3, 4, 8, 15, 16, 17, 31, 32, 33, 40, 70} {
			b := g.Randn(rows, cols).Data32()
			x := g.Randn(rows).Data32()
			sums := make([]float64, cols)
			sums[0] = 1 // both kernels add to what is there
			colSumF64(sums, b, rows, cols)
			y := make([]float32, cols)
			y[0] = 1
			gemvCols32(b, cols, x, y, rows, cols)
			for j := 0; j < cols; j++ {
				var ws, wy float64
				if j == 0 {
					ws, wy = 1, 1
				}
				for i := 0; i < rows; i++ {
					ws += float64(b[i*cols+j])
					wy += float64(x[i]) * float64(b[i*cols+j])
				}
				if math.Abs(sums[j]-ws) > 1e-9 {
					t.Fatalf("%dx%d colSumF64[%d] = %v, want %v", rows, cols, j, sums[j], ws)
				}
				if math.Abs(float64(y[j])-wy) > 1e-5*float64(rows) {
					t.Fatalf("%dx%d gemvCols32[%d] = %v, want %v", rows, cols, j, y[j], wy)
				}
			}
		}
	}
}

// The fused ReLU mask and bias sum against maskPos32 and colSumF64, bit
// for bit (NaN and -0 included); on amd64, TestGemmEveryKernel runs it
// with the AVX-512 and the AVX2 loop (shapes with a multiple of 32 columns;
// the others take the unfused passes).
func TestMaskColSum(t *testing.T) { checkMaskColSum(t) }

func checkMaskColSum(t *testing.T) {
	g := NewGenerator(6)
	for _, shape := range [][2]int{{1, 32}, {7, 64}, {1000, 32}, {3, 96}, {4, 40}} {
		rows, cols := shape[0], shape[1]
		grad, y := g.Randn(rows, cols).Data32(), g.Randn(rows, cols).Data32()
		y[0], y[1], grad[2] = float32(math.NaN()), float32(math.Copysign(0, -1)), float32(math.Inf(1))
		out, acc := make([]float32, rows*cols), make([]float64, cols)
		acc[0] = 0.5
		maskColSum32(out, grad, y, acc, rows, cols)
		wantOut, wantAcc := make([]float32, rows*cols), make([]float64, cols)
		wantAcc[0] = 0.5
		maskPos32(wantOut, grad, y)
		colSumF64(wantAcc, wantOut, rows, cols)
		for i := range out {
			if math.Float32bits(out[i]) != math.Float32bits(wantOut[i]) {
				t.Fatalf("%dx%d: out[%d] = %v, want %v", rows, cols, i, out[i], wantOut[i])
			}
		}
		for j := range acc {
			if math.Float64bits(acc[j]) != math.Float64bits(wantAcc[j]) {
				t.Fatalf("%dx%d: acc[%d] = %v, want %v", rows, cols, j, acc[j], wantAcc[j])
			}
		}
	}
}

// Broadcast views (rows sharing storage, stride 0) cannot be read in place
// by gemm: they are copied first, for either operand and either side of a
// transpose.
func TestMatmulBroadcastOperands(t *testing.T) {
	g := NewGenerator(3)
	row, col := g.Randn(1, 3), g.Randn(3, 1)
	cases := []struct {
		name string
		a, b *Tensor
	}{
		{"expanded row as A", row.Expand(4, 3), g.Randn(3, 5)},
		{"expanded column as B", g.Randn(2, 3), col.Expand(3, 5)},
		{"expanded row as B", g.Randn(6, 4), row.Expand(4, 3)},
		{"expanded column transposed as A", col.Expand(3, 4).T(), g.Randn(3, 2)},
	}
	for _, c := range cases {
		want := naiveMM(c.a, c.b)
		got := c.a.Matmul(c.b).Float64s()
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-5*(1+math.Abs(want[i])) {
				t.Fatalf("%s: element %d = %v, want %v", c.name, i, got[i], want[i])
			}
		}
	}
}

// A NaN input gives 0 through Relu whatever the tensor's length (vector
// loop or scalar tail) and dtype, and LinearReLU agrees with Linear then
// Relu on it: one rule, y > 0, everywhere.
func TestReluNaNRule(t *testing.T) {
	nan, negZero := math.NaN(), math.Copysign(0, -1)
	for _, dt := range []DType{Float32, Float64} {
		for n := 1; n <= 19; n++ {
			vals := make([]float64, n)
			for i := range vals {
				vals[i] = []float64{nan, 1.5, -2, negZero, math.Inf(1), -nan}[i%6]
			}
			x := New(vals, 1, n).To(dt)
			for i, v := range x.Relu().Float64s() {
				want := max(vals[i], 0)
				if !(vals[i] > 0) {
					want = 0
				}
				if math.Float64bits(v) != math.Float64bits(want) {
					t.Fatalf("%v n=%d: Relu(%v) = %v, want %v", dt, n, vals[i], v, want)
				}
			}
			w := Eye(n).To(dt)
			fused, plain := LinearReLU(x, w, nil).Float64s(), Linear(x, w, nil).Relu().Float64s()
			for i := range fused {
				if math.Float64bits(fused[i]) != math.Float64bits(plain[i]) {
					t.Fatalf("%v n=%d element %d: LinearReLU %v, Linear then Relu %v", dt, n, i, fused[i], plain[i])
				}
			}
		}
	}
}

// C = A·Bᵀ computed as Cᵀ = B·Aᵀ (gemmSwapped, for products with fewer
// rows than columns) gives the direct path's values bit for bit: plain,
// with a bias, accumulating, and with the ReLU.
func TestGemmSwappedMatchesDirect(t *testing.T) {
	g := NewGenerator(5)
	for _, s := range [][3]int{{64, 784, 256}, {20, 256, 64}, {13, 300, 17}, {9, 520, 512}, {37, 33, 70}} {
		m, k, n := s[0], s[1], s[2]
		for _, dt := range []DType{Float32, Float64} {
			x, w, bias := g.Randn(m, k).To(dt), g.Randn(n, k).To(dt), g.Randn(n).To(dt)
			c0 := g.Randn(m, n).To(dt)
			for _, o := range []struct {
				acc, bias, relu bool
			}{{false, false, false}, {false, true, false}, {false, true, true}, {true, false, false}, {true, false, true}, {false, false, true}} {
				var bv *Tensor
				if o.bias {
					bv = bias
				}
				run := func(noSwap bool) []float64 {
					gemmNoSwap = noSwap
					defer func() { gemmNoSwap = false }()
					out := c0.copyData()
					mmAcc(out, x, false, w, true, o.acc, bv, o.relu)
					return out.Float64s()
				}
				if !swapTransposed(m, n, false, true, o.acc, o.bias) {
					t.Fatalf("%dx%dx%d %+v: the product does not take the swapped path", m, k, n, o)
				}
				direct, swapped := run(true), run(false)
				for i := range direct {
					if direct[i] != swapped[i] {
						t.Fatalf("%v %dx%dx%d %+v: element %d is %v swapped, %v direct", dt, m, k, n, o, i, swapped[i], direct[i])
					}
				}
			}
		}
	}
}

// gemm times a large product's first runs both ways, serial and split
// over the cores (then keeps the faster): both give the same values, bit
// for bit.
func TestGemmPolicyTriesBothWays(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	g := NewGenerator(9)
	x, w := g.Randn(96, 300), g.Randn(300, 200) // above gemmParallelMin
	var first []float64
	for i := 0; i < 2*costsplit.Warmup; i++ {
		out := Full(math.NaN(), 96, 200)
		mmInto(out, x, w)
		if i == 0 {
			first = out.Float64s()
		} else if !slices.Equal(out.Float64s(), first) {
			t.Fatalf("run %d differs from the first", i)
		}
	}
	serial, split := gemmPolicy(96, 200, 300, false, false).Tries()
	if serial < costsplit.Warmup || split < costsplit.Warmup {
		t.Fatalf("the product was timed %d times serial and %d split, want %d each", serial, split, costsplit.Warmup)
	}
}

// A product that takes the swapped path serially takes it chunk by chunk
// when split (gemm times both ways first, TestGemmPolicyTriesBothWays):
// serial and split runs give the direct path's values bit for bit, with a
// bias and the ReLU (a Linear layer's forward at batch 64).
func TestGemmSwappedSplitMatchesDirect(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	g := NewGenerator(11)
	x, w, bias := g.Randn(64, 784), g.Randn(256, 784), g.Randn(256)
	run := func() []float64 {
		out := Full(math.NaN(), 64, 256)
		mmAcc(out, x, false, w, true, false, bias, true)
		return out.Float64s()
	}
	gemmNoSwap = true
	direct := run()
	gemmNoSwap = false
	for i := 0; i < 2*costsplit.Warmup; i++ {
		if got := run(); !slices.Equal(got, direct) {
			t.Fatalf("run %d differs from the direct product", i)
		}
	}
	serial, split := gemmPolicy(64, 256, 784, false, true).Tries()
	if serial < costsplit.Warmup || split < costsplit.Warmup {
		t.Fatalf("the product was timed %d times serial and %d split, want %d each", serial, split, costsplit.Warmup)
	}
}

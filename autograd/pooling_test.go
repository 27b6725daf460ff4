package autograd

import (
	"fmt"
	"math"
	"testing"
)

// naivePool is the definition of max/avg pooling with padding, window by window.
func naivePool(x *Tensor, o Pool2dOptions, isMax bool) *Tensor {
	g := poolGeometry("naive", x, o)
	out := Zeros64(g.n, g.c, g.oh, g.ow)
	for n := 0; n < g.n; n++ {
		for c := 0; c < g.c; c++ {
			for i := 0; i < g.oh; i++ {
				for j := 0; j < g.ow; j++ {
					best, sum := math.Inf(-1), 0.0
					for ki := 0; ki < g.kh; ki++ {
						for kj := 0; kj < g.kw; kj++ {
							ih, iw := i*g.sh-g.ph+ki*g.dh, j*g.sw-g.pw+kj*g.dw
							if ih < 0 || ih >= g.h || iw < 0 || iw >= g.w {
								continue
							}
							v := x.At(n, c, ih, iw)
							best = math.Max(best, v)
							sum += v
						}
					}
					r := sum / float64(g.kh*g.kw)
					if isMax {
						r = best
					}
					out.d64[((n*g.c+c)*g.oh+i)*g.ow+j] = r
				}
			}
		}
	}
	return out
}

var poolCases = []Pool2dOptions{
	{Kernel: [2]int{2, 2}},
	{Kernel: [2]int{3, 2}, Stride: [2]int{2, 1}, Padding: [2]int{1, 1}},
	{Kernel: [2]int{3, 3}, Stride: [2]int{1, 2}, Dilation: [2]int{2, 1}},
	{Kernel: [2]int{3, 2}, Stride: [2]int{1, 2}}, // no padding: the bounds-free path
}

func TestMaxPoolNaNAndTies(t *testing.T) {
	nan := math.NaN()
	for _, o := range []Pool2dOptions{{Kernel: [2]int{2, 2}}, {Kernel: [2]int{2, 2}, Dilation: [2]int{1, 1}, Padding: [2]int{1, 0}}} {
		// window 0 has a NaN in its last place, window 1 ties at 5
		x := New64([]float64{1, 2, 5, 5, 3, nan, 0, 5}, 1, 1, 2, 4).SetRequiresGrad(true)
		y := MaxPool2d(x, o)
		y.Sum().Backward()
		v := y.Float64s()
		if o.Padding[0] == 0 {
			if !math.IsNaN(v[0]) || v[1] != 5 {
				t.Fatalf("%+v: max pool %v, want [NaN 5]", o, v)
			}
			if g := x.Grad().Float64s(); g[5] != 1 || g[2] != 1 || g[3] != 0 || g[7] != 0 {
				t.Fatalf("%+v: gradient %v: want it at the NaN and at the first of the tied maxima", o, g)
			}
		}
	}
}

func closeAll(t *testing.T, name string, got, want *Tensor, tol float64) {
	t.Helper()
	if fmt.Sprint(got.Shape()) != fmt.Sprint(want.Shape()) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape(), want.Shape())
	}
	gv, wv := got.Float64s(), want.Float64s()
	for i := range gv {
		if math.Abs(gv[i]-wv[i]) > tol*(1+math.Abs(wv[i])) {
			t.Fatalf("%s: element %d = %v, want %v", name, i, gv[i], wv[i])
		}
	}
}

func TestPoolingMatchesDefinition(t *testing.T) {
	for _, o := range poolCases {
		x := rnd(2, 3, 7, 8)
		closeAll(t, fmt.Sprintf("MaxPool2d%+v", o), MaxPool2d(x, o), naivePool(x, o, true), 0)
		closeAll(t, fmt.Sprintf("MaxPool2d32%+v", o), MaxPool2d(x.Float(), o), naivePool(x, o, true), 1e-6)
		if o.Dilation == [2]int{} {
			closeAll(t, fmt.Sprintf("AvgPool2d%+v", o), AvgPool2d(x, o), naivePool(x, o, false), 1e-12)
		}
		gradCheck(t, fmt.Sprintf("MaxPool2d%+v", o), func(v []*Tensor) *Tensor { return MaxPool2d(v[0], o) }, x)
		if o.Dilation == [2]int{} {
			gradCheck(t, fmt.Sprintf("AvgPool2d%+v", o), func(v []*Tensor) *Tensor { return AvgPool2d(v[0], o) }, x)
		}
	}
	// a large batch takes the parallel path
	x := rnd(8, 16, 16, 16)
	closeAll(t, "MaxPool2d parallel", MaxPool2d(x, poolCases[0]), naivePool(x, poolCases[0], true), 0)
}

func TestAdaptiveAvgPool2d(t *testing.T) {
	x := rnd(2, 2, 7, 5)
	// 7 rows into 3: [0,3) [2,5) [4,7); 5 columns into 2: [0,3) [2,5)
	got := AdaptiveAvgPool2d(x, 3, 2)
	want := func(n, c, r0, r1, c0, c1 int) float64 {
		s := 0.0
		for r := r0; r < r1; r++ {
			for k := c0; k < c1; k++ {
				s += x.At(n, c, r, k)
			}
		}
		return s / float64((r1-r0)*(c1-c0))
	}
	if v, w := got.At(1, 1, 1, 1), want(1, 1, 2, 5, 2, 5); math.Abs(v-w) > 1e-12 {
		t.Fatalf("window (1,1): %v, want %v", v, w)
	}
	if v, w := got.At(0, 1, 2, 0), want(0, 1, 4, 7, 0, 3); math.Abs(v-w) > 1e-12 {
		t.Fatalf("window (2,0): %v, want %v", v, w)
	}
	closeAll(t, "AdaptiveAvgPool2d(1,1) is the mean", AdaptiveAvgPool2d(x, 1, 1), x.MeanDims([]int{2, 3}, true), 1e-12)
	gradCheck(t, "AdaptiveAvgPool2d", func(v []*Tensor) *Tensor { return AdaptiveAvgPool2d(v[0], 3, 2) }, x)
	gradCheck(t, "AdaptiveAvgPool2d up", func(v []*Tensor) *Tensor { return AdaptiveAvgPool2d(v[0], 9, 6) }, x)
}

func TestPoolingErrors(t *testing.T) {
	mustPanic(t, "MaxPool2d: input must be 4-D [N, C, H, W], got shape [4 4]", func() { MaxPool2d(Zeros(4, 4), Pool2dOptions{Kernel: [2]int{2, 2}}) })
	mustPanic(t, "MaxPool2d: kernel size [0 2] must be positive", func() { MaxPool2d(Zeros(1, 1, 4, 4), Pool2dOptions{Kernel: [2]int{0, 2}}) })
	mustPanic(t, "AvgPool2d: input [1 1 2 2] with padding [0 0] is smaller than the kernel [3 3]", func() {
		AvgPool2d(Zeros(1, 1, 2, 2), Pool2dOptions{Kernel: [2]int{3, 3}})
	})
	mustPanic(t, "padding [2 0] should be at most half of the kernel size [3 3]", func() {
		MaxPool2d(Zeros(1, 1, 8, 8), Pool2dOptions{Kernel: [2]int{3, 3}, Padding: [2]int{2, 0}})
	})
}

// naiveMaxPoolGrad is max pooling's gradient by its definition: each
// output's gradient goes to its window's first NaN, else its first
// maximum.
func naiveMaxPoolGrad(x []float64, shape []int, o Pool2dOptions, g []float64) []float64 {
	xt := New64(x, shape...)
	p := poolGeometry("naive", xt, o)
	dx := make([]float64, len(x))
	for pl := 0; pl < p.n*p.c; pl++ {
		for i := 0; i < p.oh; i++ {
			for j := 0; j < p.ow; j++ {
				at := -1
				for ki := 0; ki < p.kh; ki++ {
					for kj := 0; kj < p.kw; kj++ {
						ih, iw := i*p.sh-p.ph+ki*p.dh, j*p.sw-p.pw+kj*p.dw
						if ih < 0 || ih >= p.h || iw < 0 || iw >= p.w {
							continue
						}
						k := pl*p.h*p.w + ih*p.w + iw
						switch {
						case at >= 0 && math.IsNaN(x[at]):
						case at < 0 || math.IsNaN(x[k]) || x[k] > x[at]:
							at = k
						}
					}
				}
				dx[at] += g[pl*p.hw+i*p.ow+j]
			}
		}
	}
	return dx
}

// maxPoolPaths are geometries that take each path of max pooling: the
// 2x2 fast path on planes it tiles and on planes it does not, overlapping
// windows, a larger kernel, padding, and a batch split over the cores.
var maxPoolPaths = []struct {
	shape []int
	o     Pool2dOptions
}{
	{[]int{3, 5, 8, 6}, Pool2dOptions{Kernel: [2]int{2, 2}}},
	{[]int{2, 3, 7, 9}, Pool2dOptions{Kernel: [2]int{2, 2}}},
	{[]int{2, 3, 6, 6}, Pool2dOptions{Kernel: [2]int{2, 2}, Stride: [2]int{1, 1}}},
	{[]int{2, 3, 7, 7}, Pool2dOptions{Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}}},
	{[]int{2, 3, 6, 6}, Pool2dOptions{Kernel: [2]int{2, 2}, Padding: [2]int{1, 1}}},
	{[]int{16, 16, 12, 12}, Pool2dOptions{Kernel: [2]int{2, 2}}}, // parallel
}

// TestMaxPoolGradientPositions checks the recorded positions of the
// maxima (ties and NaNs included) against the definition, for the 2x2
// fast path on planes it tiles and on planes it does not, overlapping
// windows, the general paths, both float types, and a graph retained for
// a second backward (the positions must outlive the first).
func TestMaxPoolGradientPositions(t *testing.T) {
	gen := NewGenerator(7)
	for _, c := range maxPoolPaths {
		n := numelOf(c.shape)
		// few distinct values, so windows tie, and some NaNs
		x := gen.Randint(0, 3, n).Double().Float64s()
		for k := 0; k < n; k += 1 + int(gen.Randint(0, 23, 1).Float64s()[0]) {
			x[k] = math.NaN()
		}
		for _, dt := range []DType{Float64, Float32} {
			xt := New64(x, c.shape...).To(dt).Detach().SetRequiresGrad(true)
			y := MaxPool2d(xt, c.o)
			g := gen.Randn(y.Shape()...).Double().Float64s()
			want := naiveMaxPoolGrad(x, c.shape, c.o, g)
			gt := New64(g, y.Shape()...).To(dt)
			y.BackwardRetain(gt)
			got := xt.Grad().Float64s()
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-6 {
					t.Fatalf("%v %+v %v: gradient[%d] = %v, want %v", c.shape, c.o, dt, k, got[k], want[k])
				}
			}
			y.BackwardWith(gt)
			got = xt.Grad().Float64s()
			for k := range want {
				if math.Abs(got[k]-2*want[k]) > 1e-6 {
					t.Fatalf("%v %+v %v, second backward: gradient[%d] = %v, want %v", c.shape, c.o, dt, k, got[k], 2*want[k])
				}
			}
		}
	}
}

// TestReLUMaxPool2dIsMaxPoolOfRelu checks the fused op against
// MaxPool2d(x.Relu()): values, and gradients element for element, with
// negative windows, ties, zeros and NaNs, on each path of max pooling.
func TestReLUMaxPool2dIsMaxPoolOfRelu(t *testing.T) {
	gen := NewGenerator(3)
	for _, c := range maxPoolPaths {
		n := numelOf(c.shape)
		// values in -2..2: negative and zero windows, ties; and NaNs
		x := gen.Randint(-2, 3, n).Double().Float64s()
		for k := 0; k < n; k += 1 + int(gen.Randint(0, 13, 1).Float64s()[0]) {
			x[k] = math.NaN()
		}
		for _, dt := range []DType{Float64, Float32} {
			a := New64(x, c.shape...).To(dt).Detach().SetRequiresGrad(true)
			b := New64(x, c.shape...).To(dt).Detach().SetRequiresGrad(true)
			fused, plain := ReLUMaxPool2d(a, c.o), MaxPool2d(b.Relu(), c.o)
			name := fmt.Sprintf("%v %+v %v", c.shape, c.o, dt)
			fv, pv := fused.Float64s(), plain.Float64s()
			for k := range pv {
				if fv[k] != pv[k] {
					t.Fatalf("%s: output[%d] = %v, want %v", name, k, fv[k], pv[k])
				}
			}
			g := New64(gen.Randn(fused.Shape()...).Double().Float64s(), fused.Shape()...).To(dt)
			fused.BackwardWith(g)
			plain.BackwardWith(g)
			fg, pg := a.Grad().Float64s(), b.Grad().Float64s()
			for k := range pg {
				if fg[k] != pg[k] {
					t.Fatalf("%s: gradient[%d] = %v, want %v", name, k, fg[k], pg[k])
				}
			}
		}
	}
}

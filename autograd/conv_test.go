package autograd

import (
	"fmt"
	"math"
	"testing"
)

// naiveConv2d is the definition of conv2d, loop by loop, in float64.
func naiveConv2d(x, w, b *Tensor, o Conv2dOptions) *Tensor {
	o = o.norm()
	g := convGeometry("naive", x, w, o)
	out := Zeros64(g.n, g.o, g.oh, g.ow)
	for n := 0; n < g.n; n++ {
		for oc := 0; oc < g.o; oc++ {
			grp := oc / g.og
			for i := 0; i < g.oh; i++ {
				for j := 0; j < g.ow; j++ {
					s := 0.0
					if b != nil {
						s = b.At(oc)
					}
					for c := 0; c < g.cg; c++ {
						for ki := 0; ki < g.kh; ki++ {
							for kj := 0; kj < g.kw; kj++ {
								ih := i*g.sh - g.ph + ki*g.dh
								iw := j*g.sw - g.pw + kj*g.dw
								if ih < 0 || ih >= g.h || iw < 0 || iw >= g.w {
									continue
								}
								s += x.At(n, grp*g.cg+c, ih, iw) * w.At(oc, c, ki, kj)
							}
						}
					}
					out.d64[((n*g.o+oc)*g.oh+i)*g.ow+j] = s
				}
			}
		}
	}
	return out
}

var convCases = []struct {
	x, w []int
	bias bool
	o    Conv2dOptions
}{
	{[]int{2, 3, 7, 6}, []int{4, 3, 3, 3}, true, Conv2dOptions{}},
	{[]int{3, 2, 8, 9}, []int{5, 2, 3, 2}, false, Conv2dOptions{Stride: [2]int{2, 3}, Padding: [2]int{1, 2}}},
	{[]int{2, 4, 9, 9}, []int{6, 2, 3, 3}, true, Conv2dOptions{Padding: [2]int{2, 2}, Dilation: [2]int{2, 1}, Groups: 2}},
	{[]int{2, 4, 5, 5}, []int{4, 1, 2, 2}, true, Conv2dOptions{Stride: [2]int{2, 2}, Groups: 4}},
	{[]int{3, 4, 5, 4}, []int{3, 4, 1, 1}, true, Conv2dOptions{}}, // the direct (1x1) path
	{[]int{1, 1, 4, 4}, []int{2, 1, 5, 5}, true, Conv2dOptions{Padding: [2]int{2, 2}, Stride: [2]int{3, 3}}},
	// "same" geometries (stride 1, output as wide as the input): the
	// unrolled rows are whole shifted planes
	{[]int{2, 3, 6, 5}, []int{4, 3, 3, 3}, true, Conv2dOptions{Padding: [2]int{1, 1}}},
	{[]int{2, 1, 7, 7}, []int{3, 1, 3, 3}, true, Conv2dOptions{Padding: [2]int{1, 1}}}, // one input channel
	{[]int{2, 2, 8, 7}, []int{2, 2, 3, 3}, false, Conv2dOptions{Padding: [2]int{2, 2}, Dilation: [2]int{2, 2}}},
	{[]int{2, 4, 6, 6}, []int{4, 2, 5, 3}, true, Conv2dOptions{Padding: [2]int{1, 1}, Groups: 2}}, // output shorter than the input
	{[]int{1, 2, 3, 9}, []int{2, 2, 3, 1}, true, Conv2dOptions{Padding: [2]int{2, 0}}},            // output taller
}

func TestConv2dMatchesDefinition(t *testing.T) {
	for _, c := range convCases {
		for _, dt := range []DType{Float64, Float32} {
			x, w, b := rnd(c.x...), rnd(c.w...), rnd(c.w[0])
			if !c.bias {
				b = nil
			}
			want := naiveConv2d(x, w, b, c.o)
			xd, wd, bd := x.To(dt), w.To(dt), b
			if b != nil {
				bd = b.To(dt)
			}
			got := Conv2d(xd, wd, bd, c.o)
			if fmt.Sprint(got.Shape()) != fmt.Sprint(want.Shape()) {
				t.Fatalf("%v %v %+v: shape %v, want %v", c.x, c.w, c.o, got.Shape(), want.Shape())
			}
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-5
			}
			gv, wv := got.Float64s(), want.Float64s()
			for i := range gv {
				if math.Abs(gv[i]-wv[i]) > tol*(1+math.Abs(wv[i])) {
					t.Fatalf("%v %v %+v %v: element %d = %v, want %v", c.x, c.w, c.o, dt, i, gv[i], wv[i])
				}
			}
		}
	}
}

// TestConv2dGradFloat32 compares Conv2d's float32 gradients (the
// vectorised paths) with its float64 ones, which gradCheck checks.
func TestConv2dGradFloat32(t *testing.T) {
	for _, c := range convCases {
		x, w, b := rnd(c.x...), rnd(c.w...), rnd(c.w[0])
		if !c.bias {
			b = nil
		}
		var grads [2][]*Tensor
		var up *Tensor // the upstream gradient, the same for both
		for i, dt := range []DType{Float64, Float32} {
			ins := []*Tensor{x.To(dt).Detach().SetRequiresGrad(true), w.To(dt).Detach().SetRequiresGrad(true)}
			var bd *Tensor
			if b != nil {
				bd = b.To(dt).Detach().SetRequiresGrad(true)
				ins = append(ins, bd)
			}
			y := Conv2d(ins[0], ins[1], bd, c.o)
			if up == nil {
				up = rnd(y.Shape()...)
			}
			y.BackwardWith(up.To(dt))
			for _, in := range ins {
				grads[i] = append(grads[i], in.Grad())
			}
		}
		for k := range grads[0] {
			closeAll(t, fmt.Sprintf("Conv2d%v%v%+v float32 gradient %d", c.x, c.w, c.o, k), grads[1][k], grads[0][k], 1e-4)
		}
	}
}

func TestGradConv2d(t *testing.T) {
	for _, c := range convCases {
		x, w, b := rnd(c.x...), rnd(c.w...), rnd(c.w[0])
		name := fmt.Sprintf("Conv2d%v%v%+v", c.x, c.w, c.o)
		if c.bias {
			gradCheck(t, name, func(v []*Tensor) *Tensor { return Conv2d(v[0], v[1], v[2], c.o) }, x, w, b)
		} else {
			gradCheck(t, name, func(v []*Tensor) *Tensor { return Conv2d(v[0], v[1], nil, c.o) }, x, w)
		}
	}
	// a non-contiguous input (a transposed view) takes the copying path
	x, w := rnd(2, 3, 6, 5), rnd(2, 3, 2, 2)
	gradCheck(t, "Conv2d transposed input", func(v []*Tensor) *Tensor {
		return Conv2d(v[0].Transpose(2, 3), v[1], nil, Conv2dOptions{})
	}, x, w)
}

func TestConv2dErrors(t *testing.T) {
	mustPanic(t, "Conv2d: input must be 4-D [N, C, H, W], got shape [3 8 8]", func() {
		Conv2d(Zeros(3, 8, 8), Zeros(4, 3, 3, 3), nil, Conv2dOptions{})
	})
	mustPanic(t, "Conv2d: input [1 2 8 8] has 2 channels but weight [4 3 3 3] expects 3", func() {
		Conv2d(Zeros(1, 2, 8, 8), Zeros(4, 3, 3, 3), nil, Conv2dOptions{})
	})
	mustPanic(t, "smaller than the kernel 5x5", func() {
		Conv2d(Zeros(1, 3, 4, 4), Zeros(4, 3, 5, 5), nil, Conv2dOptions{})
	})
	mustPanic(t, "groups=2 must divide both in_channels 3", func() {
		Conv2d(Zeros(1, 3, 4, 4), Zeros(4, 1, 1, 1), nil, Conv2dOptions{Groups: 2})
	})
	mustPanic(t, "Conv2d: expected a floating point tensor, got int64", func() {
		Conv2d(FromInts([]int{1, 2, 3, 4}, 1, 1, 2, 2), Zeros(1, 1, 1, 1), nil, Conv2dOptions{})
	})
	mustPanic(t, "MaxPool2d: expected a floating point tensor, got int64", func() {
		MaxPool2d(FromInts([]int{1, 2, 3, 4}, 1, 1, 2, 2), Pool2dOptions{Kernel: [2]int{2, 2}})
	})
	mustPanic(t, "Conv2d: bias shape [3], want [4]", func() {
		Conv2d(Zeros(1, 3, 4, 4), Zeros(4, 3, 1, 1), Zeros(3), Conv2dOptions{})
	})
}

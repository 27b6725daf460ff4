package autograd

import "math"

// 2-D pooling over NCHW tensors, as torch.nn.functional's max_pool2d,
// avg_pool2d and adaptive_avg_pool2d. Each (image, channel) plane is
// independent, so the planes are split over the cores. (pool.go is the
// buffer pool, not this.)

// Pool2dOptions are a pooling window's geometry: kernel size, stride
// (zero means the kernel size, PyTorch's default), zero padding (implicit
// -inf for max pooling) and dilation (max pooling only; zero means 1).
type Pool2dOptions struct {
	Kernel, Stride, Padding, Dilation [2]int
}

func poolGeometry(op string, x *Tensor, o Pool2dOptions) convGeom {
	needFloat(op, x)
	if len(x.shape) != 4 {
		fail("%s: input must be 4-D [N, C, H, W], got shape %v", op, x.shape)
	}
	for i := 0; i < 2; i++ {
		if o.Kernel[i] <= 0 {
			fail("%s: kernel size %v must be positive", op, o.Kernel)
		}
		if o.Stride[i] == 0 {
			o.Stride[i] = o.Kernel[i]
		}
		if o.Dilation[i] == 0 {
			o.Dilation[i] = 1
		}
		if o.Stride[i] < 0 || o.Padding[i] < 0 || o.Dilation[i] < 0 {
			fail("%s: stride %v, padding %v and dilation %v must not be negative", op, o.Stride, o.Padding, o.Dilation)
		}
		if 2*o.Padding[i] > o.Kernel[i] {
			fail("%s: padding %v should be at most half of the kernel size %v", op, o.Padding, o.Kernel)
		}
	}
	g := convGeom{n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3],
		kh: o.Kernel[0], kw: o.Kernel[1], sh: o.Stride[0], sw: o.Stride[1],
		ph: o.Padding[0], pw: o.Padding[1], dh: o.Dilation[0], dw: o.Dilation[1], groups: 1}
	eh, ew := g.h+2*g.ph-g.dh*(g.kh-1)-1, g.w+2*g.pw-g.dw*(g.kw-1)-1
	if eh < 0 || ew < 0 {
		fail("%s: input %v with padding %v is smaller than the kernel %v (dilation %v)", op, x.shape, o.Padding, o.Kernel, o.Dilation)
	}
	g.oh, g.ow = eh/g.sh+1, ew/g.sw+1
	g.hw = g.oh * g.ow
	return g
}

// planeWorkers splits planes of size elements over the cores: one
// goroutine when the whole job is small.
func planeWorkers(planes, size int) int {
	if planes*size < 1<<15 {
		return 1
	}
	return convWorkers(planes)
}

// MaxPool2d returns the maximum over each window of x [N, C, H, W]. The
// gradient goes to the (first) maximal element of each window.
func MaxPool2d(x *Tensor, o Pool2dOptions) *Tensor { return maxPool2d("MaxPool2d", x, o, false) }

// ReLUMaxPool2d returns MaxPool2d(x.Relu(), o) as one op, as nn.Sequential
// runs a ReLU followed by a MaxPool2d: the same values and gradients
// (NaN counts as 0, as Relu makes it), without the ReLU's pass over the
// input and its backward's over the gradient.
func ReLUMaxPool2d(x *Tensor, o Pool2dOptions) *Tensor {
	return maxPool2d("ReLUMaxPool2d", x, o, true)
}

func maxPool2d(op string, x *Tensor, o Pool2dOptions, relu bool) *Tensor {
	g := poolGeometry(op, x, o)
	xc := x.contiguousData()
	track := tracking(x, nil)
	out := newOutPooled(x.dtype, []int{g.n, g.c, g.oh, g.ow}, track)
	var st *maxPoolState
	var at []int32
	if track {
		// the positions of the maxima, for the backward (as PyTorch's
		// indices): finding them again there costs another pass over x
		st = &maxPoolState{g: g, at: indices32.get(g.n * g.c * g.hw), relu: relu}
		at = *st.at
	}
	if x.dtype == Float64 {
		maxPool(&g, slab[float64](xc), out.d64, at, relu)
	} else {
		maxPool(&g, slab[float32](xc), out.d32, at, relu)
	}
	if track {
		attach(out, op, maxPoolBackward, x, nil).aux = st
	}
	return out
}

// maxPoolState is what MaxPool2d's backward reads: the geometry and, per
// output, the position of its window's maximum in the input plane.
type maxPoolState struct {
	g    convGeom
	at   *[]int32
	relu bool // ReLUMaxPool2d: a negative position (^pos) passes no gradient
}

func (s *maxPoolState) release() {
	if s.at != nil {
		indices32.put(s.at)
		s.at = nil
	}
}

// poolState is what a mean pooling op's backward reads: the geometry, the
// contiguous input and the windows of a mean.
type poolState struct {
	g          convGeom
	xc         *Tensor
	rows, cols func(int) (int, int)
}

// maxPoolBackward adds each output's gradient to its window's (first)
// maximal input, at the position the forward recorded.
func maxPoolBackward(p *pass, n *node, gr *Tensor, gs []*Tensor) {
	st := n.aux.(*maxPoolState)
	x := n.in[0]
	gr = gr.contiguousData()
	dx := p.alloc(x.dtype, x.shape)
	switch {
	case st.relu && dx.dtype == Float64:
		maxPoolScatterReLU64(&st.g, *st.at, slab[float64](gr), dx.d64)
	case st.relu:
		maxPoolScatterReLU32(&st.g, *st.at, slab[float32](gr), dx.d32)
	case dx.dtype == Float64:
		maxPoolScatter(&st.g, *st.at, slab[float64](gr), dx.d64)
	default:
		maxPoolScatter(&st.g, *st.at, slab[float32](gr), dx.d32)
	}
	gs[0] = dx
}

// maxPoolScatter sets dx to zero but for gr's values added at the
// positions at.
func maxPoolScatter[T float32 | float64](g *convGeom, at []int32, gr, dx []T) {
	planes, in := g.n*g.c, g.h*g.w
	tiled := g.tiled()
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		d := dx[p*in : (p+1)*in]
		gp, ap := gr[p*g.hw:(p+1)*g.hw], at[p*g.hw:(p+1)*g.hw]
		if !tiled {
			clear(d)
			for j, v := range gp {
				d[ap[j]] += v
			}
			return
		}
		band := g.kh * g.w
		for i := 0; i < g.oh; i++ {
			clear(d[i*band : (i+1)*band])
			ai := ap[i*g.ow : (i+1)*g.ow]
			for j, v := range gp[i*g.ow : (i+1)*g.ow] {
				d[ai[j]] = v
			}
		}
	})
}

// tiled reports whether the windows tile the plane row by row (2x2
// stride 2 on even sizes): the scatter then clears each band of rows just
// before it, while it is in cache, instead of the whole plane first.
func (g *convGeom) tiled() bool {
	return g.sh == g.kh && g.sw == g.kw && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1 &&
		g.h == g.oh*g.kh && g.w == g.ow*g.kw
}

// maxPoolScatterReLU32 is maxPoolScatter for ReLUMaxPool2d: a position
// ^pos (negative) marks a window whose output was 0, which passes no
// gradient. The value is masked by its bits, not chosen by a branch.
func maxPoolScatterReLU32(g *convGeom, at []int32, gr, dx []float32) {
	planes, in := g.n*g.c, g.h*g.w
	tiled := g.tiled()
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		d := dx[p*in : (p+1)*in]
		gp, ap := gr[p*g.hw:(p+1)*g.hw], at[p*g.hw:(p+1)*g.hw]
		if !tiled {
			clear(d)
		}
		band := g.kh * g.w
		for i := 0; i < g.oh; i++ {
			ai := ap[i*g.ow : (i+1)*g.ow]
			if tiled {
				clear(d[i*band : (i+1)*band])
				for j, v := range gp[i*g.ow : (i+1)*g.ow] {
					off := ai[j] >> 31 // 0, or -1 for no gradient
					d[ai[j]^off] = math.Float32frombits(math.Float32bits(v) &^ uint32(off))
				}
				continue
			}
			for j, v := range gp[i*g.ow : (i+1)*g.ow] {
				off := ai[j] >> 31
				d[ai[j]^off] += math.Float32frombits(math.Float32bits(v) &^ uint32(off))
			}
		}
	})
}

// maxPoolScatterReLU64 is maxPoolScatterReLU32 for float64.
func maxPoolScatterReLU64(g *convGeom, at []int32, gr, dx []float64) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		d := dx[p*in : (p+1)*in]
		clear(d)
		ap := at[p*g.hw : (p+1)*g.hw]
		for j, v := range gr[p*g.hw : (p+1)*g.hw] {
			a := ap[j]
			off := a >> 31
			d[a^off] += math.Float64frombits(math.Float64bits(v) &^ uint64(int64(off)))
		}
	})
}

// maxPool stores each window's maximum of x in out (NaN wins, as in
// PyTorch; the first of equal maxima) and, when at is not nil, its
// position in the plane. With relu it pools x.Relu() (NaN counts as 0): a
// window whose maximum is not positive gives 0 and the position ^pos.
func maxPool[T float32 | float64](g *convGeom, x, out []T, at []int32, relu bool) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		src, o := x[p*in:(p+1)*in], out[p*g.hw:(p+1)*g.hw]
		var a []int32
		if at != nil {
			a = at[p*g.hw : (p+1)*g.hw]
		}
		if g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1 {
			if g.kh == 2 && g.kw == 2 {
				maxPool2x2(src, o, a, g.w, g.oh, g.ow, g.sh, g.sw, relu)
			} else {
				maxPoolPlane(src, o, a, g.w, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, relu)
			}
			return
		}
		for i := 0; i < g.oh; i++ {
			for j := 0; j < g.ow; j++ {
				best, pos := T(0), -1
				for ki := 0; ki < g.kh; ki++ {
					ih := i*g.sh - g.ph + ki*g.dh
					if ih < 0 || ih >= g.h {
						continue
					}
					for kj := 0; kj < g.kw; kj++ {
						iw := j*g.sw - g.pw + kj*g.dw
						if iw < 0 || iw >= g.w {
							continue
						}
						v := src[ih*g.w+iw]
						if relu && !(v > 0) {
							v = 0
						}
						if pos < 0 || v > best || v != v {
							best, pos = v, ih*g.w+iw
							if v != v {
								ki, kj = g.kh, g.kw
							}
						}
					}
				}
				o[i*g.ow+j] = best
				if a != nil {
					if relu && !(best > 0) {
						pos = ^pos
					}
					a[i*g.ow+j] = int32(pos)
				}
			}
		}
	})
}

// maxPool2x2 is maxPool for one plane and 2x2 windows without padding or
// dilation (the usual MaxPool2d(2)). It is branch-free but for NaNs:
// random compares mispredict half the time, so each compare only picks
// an index (a conditional move) and the maximum is loaded from there.
func maxPool2x2[T float32 | float64](src, o []T, at []int32, w, oh, ow, sh, sw int, relu bool) {
	for i := 0; i < oh; i++ {
		base := i * sh * w
		span := (ow-1)*sw + 2
		r0, r1 := src[base:base+span], src[base+w:base+w+span]
		orow := o[i*ow : (i+1)*ow]
		for j := range orow {
			c := j * sw
			p0, p1 := r0[c:c+2], r1[c:c+2]
			a, b, cc, d := p0[0], p0[1], p1[0], p1[1]
			// the first maximum of each row, then of the two rows
			k0, k1 := 0, 0
			if b > a {
				k0 = 1
			}
			if d > cc {
				k1 = 1
			}
			hi := 0 // the second row wins (as an integer: a conditional move)
			if p1[k1] > p0[k0] {
				hi = 1
			}
			pos := c + k0 + -hi&(w+k1-k0)
			if s := a + b + cc + d; s != s { // a NaN (or inf-inf)
				pos = maxPos2x2(a, b, cc, d, c, w, relu)
			}
			m := src[base+pos]
			k := int32(base + pos)
			if relu {
				// the ReLU of the maximum (the value at pos is NaN only
				// when none is positive: then 0, as the ReLU makes it)
				keep := int32(0)
				if m > 0 {
					keep = -1
				}
				k ^= ^keep // ^pos: no gradient
				m = max(m, 0)
				if m != m {
					m = 0
				}
			}
			orow[j] = m
			if at != nil {
				at[i*ow+j] = k
			}
		}
	}
}

// maxPos2x2 is the offset in the window (c; c+1; c+w; c+w+1) of the
// maximum of a 2x2 window holding a NaN: the first NaN, or with relu
// (NaN counts as 0) the first maximum of the values made non-negative.
func maxPos2x2[T float32 | float64](a, b, cc, d T, c, w int, relu bool) int {
	vs, offs := [4]T{a, b, cc, d}, [4]int{c, c + 1, c + w, c + w + 1}
	best, pos := T(0), -1
	for k, v := range vs {
		if relu && !(v > 0) {
			v = 0
		}
		if pos < 0 || v > best || v != v {
			best, pos = v, offs[k]
			if v != v {
				break
			}
		}
	}
	return pos
}

// maxPoolPlane is maxPool for one plane without padding or dilation,
// where every window lies inside the image: no bounds to check.
func maxPoolPlane[T float32 | float64](src, o []T, at []int32, w, oh, ow, kh, kw, sh, sw int, relu bool) {
	for i := 0; i < oh; i++ {
		orow := o[i*ow : (i+1)*ow]
		for j := range orow {
			base := i*sh*w + j*sw
			best, pos := src[base], base
			if relu && !(best > 0) {
				best = 0
			}
			if best == best {
			window:
				for ki := 0; ki < kh; ki++ {
					row := src[base+ki*w : base+ki*w+kw]
					for kj, v := range row {
						if relu && !(v > 0) {
							v = 0
						}
						if v > best || v != v {
							best, pos = v, base+ki*w+kj
							if v != v {
								break window
							}
						}
					}
				}
			}
			orow[j] = best
			if at != nil {
				if relu && !(best > 0) {
					pos = ^pos
				}
				at[i*ow+j] = int32(pos)
			}
		}
	}
}

// AvgPool2d returns the mean over each window of x [N, C, H, W]; padded
// positions count as zeros in the mean (count_include_pad=True, PyTorch's
// default).
func AvgPool2d(x *Tensor, o Pool2dOptions) *Tensor {
	if o.Dilation != [2]int{} && o.Dilation != [2]int{1, 1} {
		fail("AvgPool2d: dilation is not supported (got %v)", o.Dilation)
	}
	g := poolGeometry("AvgPool2d", x, o)
	// window i covers rows [i·s - p, i·s - p + k) clipped to the image
	rows := func(i int) (int, int) { return max(i*g.sh-g.ph, 0), min(i*g.sh-g.ph+g.kh, g.h) }
	cols := func(j int) (int, int) { return max(j*g.sw-g.pw, 0), min(j*g.sw-g.pw+g.kw, g.w) }
	return windowMean("AvgPool2d", x, &g, rows, cols, float64(g.kh*g.kw))
}

// AdaptiveAvgPool2d averages x [N, C, H, W] into an [N, C, outH, outW]
// grid of windows that cover the input as evenly as possible (window i
// spans rows floor(i·H/outH) to ceil((i+1)·H/outH)), as PyTorch does.
func AdaptiveAvgPool2d(x *Tensor, outH, outW int) *Tensor {
	if len(x.shape) != 4 {
		fail("AdaptiveAvgPool2d: input must be 4-D [N, C, H, W], got shape %v", x.shape)
	}
	needFloat("AdaptiveAvgPool2d", x)
	if outH <= 0 || outW <= 0 {
		fail("AdaptiveAvgPool2d: output size %dx%d must be positive", outH, outW)
	}
	g := convGeom{n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3], oh: outH, ow: outW, hw: outH * outW}
	rows := func(i int) (int, int) { return i * g.h / g.oh, ((i+1)*g.h + g.oh - 1) / g.oh }
	cols := func(j int) (int, int) { return j * g.w / g.ow, ((j+1)*g.w + g.ow - 1) / g.ow }
	return windowMean("AdaptiveAvgPool2d", x, &g, rows, cols, 0)
}

// windowMean averages the windows rows(i) x cols(j) of each plane,
// dividing by div, or by the window's own size when div is 0.
func windowMean(op string, x *Tensor, g *convGeom, rows, cols func(int) (int, int), div float64) *Tensor {
	xc := x.contiguousData()
	track := tracking(x, nil)
	out := newOutPooled(x.dtype, []int{g.n, g.c, g.oh, g.ow}, track)
	if x.dtype == Float64 {
		windowMeanForward(g, slab[float64](xc), out.d64, rows, cols, div)
	} else {
		windowMeanForward(g, slab[float32](xc), out.d32, rows, cols, div)
	}
	if track {
		nd := attach(out, op, windowMeanGrad, x, nil)
		nd.aux, nd.c = &poolState{*g, xc, rows, cols}, div
	}
	return out
}

// windowMeanGrad spreads each output's gradient evenly over its window.
func windowMeanGrad(p *pass, n *node, gr *Tensor, gs []*Tensor) {
	st := n.aux.(*poolState)
	gr = gr.contiguousData()
	dx := p.alloc(st.xc.dtype, st.xc.shape)
	if dx.dtype == Float64 {
		windowMeanBackward(&st.g, slab[float64](gr), dx.d64, st.rows, st.cols, n.c)
	} else {
		windowMeanBackward(&st.g, slab[float32](gr), dx.d32, st.rows, st.cols, n.c)
	}
	gs[0] = dx
}

func windowMeanForward[T float32 | float64](g *convGeom, x, out []T, rows, cols func(int) (int, int), div float64) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		src, dst := x[p*in:(p+1)*in], out[p*g.hw:(p+1)*g.hw]
		for i := 0; i < g.oh; i++ {
			r0, r1 := rows(i)
			for j := 0; j < g.ow; j++ {
				c0, c1 := cols(j)
				var s T
				for r := r0; r < r1; r++ {
					for _, v := range src[r*g.w+c0 : r*g.w+c1] {
						s += v
					}
				}
				d := div
				if d == 0 {
					d = float64((r1 - r0) * (c1 - c0))
				}
				dst[i*g.ow+j] = s / T(d)
			}
		}
	})
}

func windowMeanBackward[T float32 | float64](g *convGeom, gr, dx []T, rows, cols func(int) (int, int), div float64) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		src, dst := gr[p*g.hw:(p+1)*g.hw], dx[p*in:(p+1)*in]
		clear(dst)
		for i := 0; i < g.oh; i++ {
			r0, r1 := rows(i)
			for j := 0; j < g.ow; j++ {
				c0, c1 := cols(j)
				d := div
				if d == 0 {
					d = float64((r1 - r0) * (c1 - c0))
				}
				v := src[i*g.ow+j] / T(d)
				for r := r0; r < r1; r++ {
					row := dst[r*g.w+c0 : r*g.w+c1]
					for k := range row {
						row[k] += v
					}
				}
			}
		}
	})
}

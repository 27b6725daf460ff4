package autograd

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
func MaxPool2d(x *Tensor, o Pool2dOptions) *Tensor {
	g := poolGeometry("MaxPool2d", x, o)
	xc := x.contiguousData()
	track := tracking(x, nil)
	out := newOutPooled(x.dtype, []int{g.n, g.c, g.oh, g.ow}, track)
	arg := make([]int32, g.n*g.c*g.hw) // each output's input position in its plane
	if x.dtype == Float64 {
		maxPoolForward(&g, slab[float64](xc), out.d64, arg)
	} else {
		maxPoolForward(&g, slab[float32](xc), out.d32, arg)
	}
	if track {
		record(out, "MaxPool2d", func(gr *Tensor, gs []*Tensor) {
			gr = gr.contiguousData()
			dx := newTensor(x.dtype, x.shape)
			if x.dtype == Float64 {
				maxPoolBackward(&g, slab[float64](gr), dx.d64, arg)
			} else {
				maxPoolBackward(&g, slab[float32](gr), dx.d32, arg)
			}
			gs[0] = dx
		}, x)
	}
	return out
}

func maxPoolForward[T float32 | float64](g *convGeom, x, out []T, arg []int32) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		src, dst, ai := x[p*in:(p+1)*in], out[p*g.hw:(p+1)*g.hw], arg[p*g.hw:(p+1)*g.hw]
		for i := 0; i < g.oh; i++ {
			for j := 0; j < g.ow; j++ {
				best, at := T(0), int32(-1)
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
						// NaN wins, as in PyTorch (v != v)
						if at < 0 || v > best || v != v {
							best, at = v, int32(ih*g.w+iw)
							if v != v {
								ki, kj = g.kh, g.kw
							}
						}
					}
				}
				dst[i*g.ow+j], ai[i*g.ow+j] = best, at
			}
		}
	})
}

func maxPoolBackward[T float32 | float64](g *convGeom, gr, dx []T, arg []int32) {
	planes, in := g.n*g.c, g.h*g.w
	parallelItems(planes, planeWorkers(planes, in), func(p, _ int) {
		d := dx[p*in : (p+1)*in]
		for k, v := range gr[p*g.hw : (p+1)*g.hw] {
			d[arg[p*g.hw+k]] += v
		}
	})
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
		record(out, op, func(gr *Tensor, gs []*Tensor) {
			gr = gr.contiguousData()
			dx := newTensor(x.dtype, x.shape)
			if x.dtype == Float64 {
				windowMeanBackward(g, slab[float64](gr), dx.d64, rows, cols, div)
			} else {
				windowMeanBackward(g, slab[float32](gr), dx.d32, rows, cols, div)
			}
			gs[0] = dx
		}, x)
	}
	return out
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

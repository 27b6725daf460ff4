package autograd

import (
	"runtime"
	"sync/atomic"

	"github.com/gradlab/gradlab/internal/parallel"
)

// 2-D convolution, as torch.nn.functional.conv2d, by im2col: each image's
// receptive fields are unrolled into a [C/groups·KH·KW, OH·OW] matrix and
// one matrix product with the weight gives the image's output in NCHW
// order, with no transpose. The images of a batch go to the cores as they
// come free, each with its own scratch buffers; the backward recomputes
// the unrolled matrix rather than keeping it (it is KH·KW times the input).

// Conv2dOptions are conv2d's geometry: stride, zero padding and dilation
// per spatial dimension (height, width), and the number of groups. Zero
// values mean PyTorch's defaults (stride 1, padding 0, dilation 1, groups 1).
type Conv2dOptions struct {
	Stride, Padding, Dilation [2]int
	Groups                    int
}

// convGeom is a checked conv2d (or pooling) problem.
type convGeom struct {
	n, c, h, w     int // input
	o, kh, kw      int // output channels, kernel
	sh, sw         int
	ph, pw         int
	dh, dw         int
	groups         int
	oh, ow         int
	cg, og, kk, hw int // channels per group in and out, cg·kh·kw, oh·ow
}

func (o Conv2dOptions) norm() Conv2dOptions {
	for i := 0; i < 2; i++ {
		if o.Stride[i] == 0 {
			o.Stride[i] = 1
		}
		if o.Dilation[i] == 0 {
			o.Dilation[i] = 1
		}
	}
	if o.Groups == 0 {
		o.Groups = 1
	}
	return o
}

func convGeometry(op string, x, w *Tensor, o Conv2dOptions) convGeom {
	o = o.norm()
	if len(x.shape) != 4 {
		fail("%s: input must be 4-D [N, C, H, W], got shape %v", op, x.shape)
	}
	if len(w.shape) != 4 {
		fail("%s: weight must be 4-D [out_channels, in_channels/groups, kH, kW], got shape %v", op, w.shape)
	}
	for i := 0; i < 2; i++ {
		if o.Stride[i] < 0 || o.Padding[i] < 0 || o.Dilation[i] < 0 {
			fail("%s: stride %v, padding %v and dilation %v must not be negative", op, o.Stride, o.Padding, o.Dilation)
		}
	}
	g := convGeom{n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3],
		o: w.shape[0], kh: w.shape[2], kw: w.shape[3],
		sh: o.Stride[0], sw: o.Stride[1], ph: o.Padding[0], pw: o.Padding[1],
		dh: o.Dilation[0], dw: o.Dilation[1], groups: o.Groups}
	if g.groups < 0 || g.c%g.groups != 0 || g.o%g.groups != 0 {
		fail("%s: groups=%d must divide both in_channels %d and out_channels %d", op, g.groups, g.c, g.o)
	}
	g.cg, g.og = g.c/g.groups, g.o/g.groups
	if w.shape[1] != g.cg {
		fail("%s: input %v has %d channels but weight %v expects %d (in_channels/groups with groups=%d)", op, x.shape, g.c, w.shape, w.shape[1]*g.groups, g.groups)
	}
	g.oh = (g.h+2*g.ph-g.dh*(g.kh-1)-1)/g.sh + 1
	g.ow = (g.w+2*g.pw-g.dw*(g.kw-1)-1)/g.sw + 1
	if g.h+2*g.ph-g.dh*(g.kh-1)-1 < 0 || g.w+2*g.pw-g.dw*(g.kw-1)-1 < 0 || g.oh <= 0 || g.ow <= 0 {
		fail("%s: input %v with padding %v is smaller than the kernel %dx%d (dilation %v)", op, x.shape, o.Padding, g.kh, g.kw, o.Dilation)
	}
	g.kk, g.hw = g.cg*g.kh*g.kw, g.oh*g.ow
	return g
}

// direct reports whether the unrolled matrix of one group is the input
// itself (1x1 kernel, stride 1, no padding).
func (g *convGeom) direct() bool {
	return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0
}

// Conv2d returns the 2-D convolution (cross-correlation, as in PyTorch) of
// x [N, C, H, W] with w [O, C/groups, kH, kW], plus the bias b [O] (nil for
// none): an [N, O, OH, OW] tensor.
func Conv2d(x, w, b *Tensor, o Conv2dOptions) *Tensor {
	needFloat("Conv2d", x, w)
	checkDType("Conv2d", x, w)
	g := convGeometry("Conv2d", x, w, o)
	if b != nil {
		checkDType("Conv2d", x, b)
		if len(b.shape) != 1 || b.shape[0] != g.o {
			fail("Conv2d: bias shape %v, want [%d]", b.shape, g.o)
		}
	}
	track := tracking(x, w) || (b != nil && tracking(b, nil))
	xc, wc := x.contiguousData(), w.contiguousData()
	out := newOutPooled(x.dtype, []int{g.n, g.o, g.oh, g.ow}, track)
	if x.dtype == Float64 {
		convForward(&g, slab[float64](xc), slab[float64](wc), biasOf[float64](b), out.d64)
	} else {
		convForward(&g, slab[float32](xc), slab[float32](wc), biasOf[float32](b), out.d32)
	}
	if track {
		nd := attach(out, "Conv2d", conv2dBackward, x, w)
		if b != nil {
			nd.in[2] = b
			nd.inputs = nd.in[:3]
			save(b)
		}
		nd.aux = &convState{g, xc, wc}
	}
	return out
}

// slab is the contiguous data of t as a []T.
func slab[T float32 | float64](t *Tensor) []T {
	n := t.Numel()
	if t.dtype == Float64 {
		return any(t.d64[t.offset : t.offset+n]).([]T)
	}
	return any(t.d32[t.offset : t.offset+n]).([]T)
}

func biasOf[T float32 | float64](b *Tensor) []T {
	if b == nil {
		return nil
	}
	return slab[T](b.contiguousData())
}

// contiguousData is t when contiguous, else a contiguous copy outside the graph.
func (t *Tensor) contiguousData() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.copyData()
}

// sameShift reports whether every row of the unrolled matrix is the
// input plane shifted as a whole (stride 1, output as wide as the input:
// a "same" convolution such as 3x3 with padding 1). Output (oh, ow) of
// kernel position (ki, kj) then reads input (oh+ki·dh-ph, ow+kj·dw-pw),
// which is plane[oh·w+ow + shift] wherever it lies inside the image.
func (g *convGeom) sameShift() bool { return g.sh == 1 && g.sw == 1 && g.ow == g.w }

// shiftSpan is, for kernel position (ki, kj) of a sameShift geometry, the
// shift and the span [d0, d1) of a row of the unrolled matrix whose
// elements can be read at d+shift (the rest of the row is outside the
// image vertically), and the valid output columns [lo, hi) of each of its
// image rows (the others read across the image's left or right edge).
func (g *convGeom) shiftSpan(ki, kj int) (shift, r0, r1, d0, d1, lo, hi int) {
	rowOff, colOff := ki*g.dh-g.ph, kj*g.dw-g.pw
	shift = rowOff*g.w + colOff
	r0, r1 = max(0, -rowOff), min(g.oh, g.h-rowOff)
	if r1 < r0 {
		r1 = r0
	}
	lo, hi = validRange(colOff, 1, g.w, g.ow)
	// positions outside the plane are all in invalid columns: clip them
	d0, d1 = max(r0*g.ow, -shift), min(r1*g.ow, g.h*g.w-shift)
	if d1 < d0 {
		d1 = d0
	}
	return shift, r0, r1, d0, d1, lo, hi
}

// im2col unrolls group gi of one image x [C, H, W] into cols [kk, oh·ow].
func im2col[T float32 | float64](g *convGeom, x []T, gi int, cols []T) {
	if g.sameShift() {
		// one copy per row of cols, and its edge columns cleared, instead
		// of a short copy per image row
		for c := 0; c < g.cg; c++ {
			plane := x[(gi*g.cg+c)*g.h*g.w:][:g.h*g.w]
			for ki := 0; ki < g.kh; ki++ {
				for kj := 0; kj < g.kw; kj++ {
					row := cols[((c*g.kh+ki)*g.kw+kj)*g.hw:][:g.hw]
					shift, r0, r1, d0, d1, lo, hi := g.shiftSpan(ki, kj)
					clear(row[:d0])
					copy(row[d0:d1], plane[d0+shift:d1+shift])
					clear(row[d1:])
					for r := r0; r < r1; r++ {
						rr := row[r*g.ow : (r+1)*g.ow]
						for j := 0; j < lo; j++ {
							rr[j] = 0
						}
						for j := hi; j < len(rr); j++ {
							rr[j] = 0
						}
					}
				}
			}
		}
		return
	}
	for c := 0; c < g.cg; c++ {
		plane := x[(gi*g.cg+c)*g.h*g.w:]
		for ki := 0; ki < g.kh; ki++ {
			for kj := 0; kj < g.kw; kj++ {
				row := cols[((c*g.kh+ki)*g.kw+kj)*g.hw:][:g.hw]
				colOffset := kj*g.dw - g.pw
				// the output columns whose input column is inside the image
				lo, hi := validRange(colOffset, g.sw, g.w, g.ow)
				for oh := 0; oh < g.oh; oh++ {
					ih := oh*g.sh - g.ph + ki*g.dh
					dst := row[oh*g.ow : (oh+1)*g.ow]
					if ih < 0 || ih >= g.h {
						clear(dst)
						continue
					}
					src := plane[ih*g.w:]
					clear(dst[:lo])
					if g.sw == 1 {
						copy(dst[lo:hi], src[lo+colOffset:hi+colOffset])
					} else {
						for ow := lo; ow < hi; ow++ {
							dst[ow] = src[ow*g.sw+colOffset]
						}
					}
					clear(dst[hi:])
				}
			}
		}
	}
}

// col2im adds cols [kk, oh·ow] back into group gi of one image's gradient
// dx [C, H, W] (the adjoint of im2col). For a sameShift geometry it
// clears cols' elements that fall outside the image (cols is scratch) and
// adds each row as a whole.
func col2im[T float32 | float64](g *convGeom, cols []T, gi int, dx []T) {
	if g.sameShift() {
		for c := 0; c < g.cg; c++ {
			plane := dx[(gi*g.cg+c)*g.h*g.w:][:g.h*g.w]
			for ki := 0; ki < g.kh; ki++ {
				for kj := 0; kj < g.kw; kj++ {
					row := cols[((c*g.kh+ki)*g.kw+kj)*g.hw:][:g.hw]
					shift, r0, r1, d0, d1, lo, hi := g.shiftSpan(ki, kj)
					for r := r0; r < r1; r++ {
						rr := row[r*g.ow : (r+1)*g.ow]
						for j := 0; j < lo; j++ {
							rr[j] = 0
						}
						for j := hi; j < len(rr); j++ {
							rr[j] = 0
						}
					}
					addTo(plane[d0+shift:d1+shift], row[d0:d1])
				}
			}
		}
		return
	}
	for c := 0; c < g.cg; c++ {
		plane := dx[(gi*g.cg+c)*g.h*g.w:]
		for ki := 0; ki < g.kh; ki++ {
			for kj := 0; kj < g.kw; kj++ {
				row := cols[((c*g.kh+ki)*g.kw+kj)*g.hw:][:g.hw]
				colOffset := kj*g.dw - g.pw
				lo, hi := validRange(colOffset, g.sw, g.w, g.ow)
				if lo >= hi {
					continue
				}
				for oh := 0; oh < g.oh; oh++ {
					ih := oh*g.sh - g.ph + ki*g.dh
					if ih < 0 || ih >= g.h {
						continue
					}
					src := row[oh*g.ow : (oh+1)*g.ow]
					dst := plane[ih*g.w:]
					if g.sw == 1 {
						d := dst[lo+colOffset : hi+colOffset]
						for j, v := range src[lo:hi] {
							d[j] += v
						}
					} else {
						for ow := lo; ow < hi; ow++ {
							dst[ow*g.sw+colOffset] += src[ow]
						}
					}
				}
			}
		}
	}
}

// fillConst sets every element of dst to v: one element, then copies of
// the filled part doubling each time.
func fillConst[T float32 | float64](dst []T, v T) {
	if len(dst) == 0 {
		return
	}
	dst[0] = v
	for k := 1; k < len(dst); k *= 2 {
		copy(dst[k:], dst[:k])
	}
}

// ones32 returns n float32 ones (shared: read only).
func ones32(n int) []float32 {
	if p := onesCache.Load(); p != nil && len(*p) >= n {
		return (*p)[:n]
	}
	o := make([]float32, max(n, 1024))
	fillConst(o, 1)
	onesCache.Store(&o)
	return o[:n]
}

var onesCache atomic.Pointer[[]float32]

// addTo sets dst[i] += src[i].
func addTo[T float32 | float64](dst, src []T) {
	if d, ok := any(dst).([]float32); ok {
		axpy32(1, any(src).([]float32), d) // y + 1·x, rounded once: the sum
		return
	}
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}

// validRange returns the output positions [lo, hi) whose input position
// o·stride + off lies in [0, size).
func validRange(off, stride, size, outs int) (lo, hi int) {
	if off < 0 {
		lo = (-off + stride - 1) / stride
	}
	hi = outs
	if last := (size - 1 - off); last < 0 {
		hi = 0
	} else if h := last/stride + 1; h < hi {
		hi = h
	}
	if lo > hi {
		lo = hi
	}
	return lo, hi
}

// parallelItems runs work(i, worker) for i in [0, n), handing items to up
// to workers goroutines (the caller's included) as they come free. A panic
// in any item (an interrupt) is re-raised on the caller's goroutine.
func parallelItems(n, workers int, work func(i, worker int)) { parallel.For(n, workers, work) }

// convWorkers is how many goroutines share a batch of n images.
func convWorkers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }

// gemmSerial is gemm on the calling goroutine when others already share
// the work (the batch is split instead of each product).
func gemmSerial[T float32 | float64](shared bool, m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool) {
	if shared && m*n*k >= gemmParallelMin && m > 1 && n > 1 && !blasTakes(m, n, k) {
		gemmBlocked(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate, nil, false, nil)
		return
	}
	gemm(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate, nil, false)
}

func convForward[T float32 | float64](g *convGeom, x, w, bias, out []T) {
	workers := convWorkers(g.n)
	var scratch []*[]T
	if !g.direct() {
		scratch = make([]*[]T, workers)
		defer func() {
			for _, s := range scratch {
				if s != nil {
					putBuf(s)
				}
			}
		}()
	}
	imgIn, imgOut := g.c*g.h*g.w, g.o*g.hw
	parallelItems(g.n, workers, func(i, wk int) {
		CheckInterrupt("Conv2d")
		xi, oi := x[i*imgIn:(i+1)*imgIn], out[i*imgOut:(i+1)*imgOut]
		if bias != nil {
			// the product adds itself to the bias (bias + Σ, rounded
			// once: as adding the bias after), instead of a pass of its own
			for c := 0; c < g.o; c++ {
				fillConst(oi[c*g.hw:(c+1)*g.hw], bias[c])
			}
		}
		for gi := 0; gi < g.groups; gi++ {
			var cols []T
			if g.direct() {
				cols = xi[gi*g.cg*g.hw:]
			} else {
				if scratch[wk] == nil {
					scratch[wk] = getBuf[T](g.kk * g.hw)
				}
				cols = *scratch[wk]
				im2col(g, xi, gi, cols)
			}
			gemmSerial(workers > 1, g.og, g.hw, g.kk, w[gi*g.og*g.kk:], g.kk, false, cols, g.hw, false, oi[gi*g.og*g.hw:], g.hw, bias != nil)
		}
	})
}

// convState is what Conv2d's backward reads: the geometry and the
// contiguous input and weight.
type convState struct {
	g      convGeom
	xc, wc *Tensor
}

// conv2dBackward computes the gradients of Conv2d's inputs for the output
// gradient gr: dx by col2im of Wᵀ·G per image, dW as the sum over images
// of G·colsᵀ (one accumulator per worker, added up at the end), db as G's
// sums per channel. dx and dW live in the pass's recycled buffers.
func conv2dBackward(p *pass, n *node, gr *Tensor, gs []*Tensor) {
	st := n.aux.(*convState)
	x, w, b := n.in[0], n.in[1], n.in[2]
	gr = gr.contiguousData()
	var dx, dw, db *Tensor
	if x.requiresGrad {
		dx = p.alloc(x.dtype, x.shape) // cleared image by image by the workers
	}
	if w.requiresGrad {
		dw = p.alloc(w.dtype, w.shape)
		dw.fill(0)
	}
	if b != nil && b.requiresGrad {
		db = newTensor(b.dtype, b.shape)
	}
	if x.dtype == Float64 {
		convGrads(&st.g, slab[float64](st.xc), slab[float64](st.wc), slab[float64](gr), dx, dw, db)
	} else {
		convGrads(&st.g, slab[float32](st.xc), slab[float32](st.wc), slab[float32](gr), dx, dw, db)
	}
	gs[0], gs[1] = dx, dw
	if b != nil {
		gs[2] = db
	}
}

func convGrads[T float32 | float64](g *convGeom, x, w, gr []T, dx, dw, db *Tensor) {
	workers := convWorkers(g.n)
	type scratchT struct {
		cols, dcols, dwt *[]T
		dw               []T
		db               []float64
		sums             *[]float32
	}
	sc := make([]scratchT, workers)
	defer func() {
		for _, s := range sc {
			for _, b := range []*[]T{s.cols, s.dcols, s.dwt} {
				if b != nil {
					putBuf(b)
				}
			}
			if s.sums != nil {
				putBuf(s.sums)
			}
		}
	}()
	// dW = G·colsᵀ packs colsᵀ (hw x kk) for every image; with fewer output
	// channels than unrolled rows, dWᵀ = cols·Gᵀ packs Gᵀ (hw x og) instead:
	// the same products, in the same order, from a smaller copy.
	transposed := !g.direct() && g.og < g.kk
	var dxs []T
	if dx != nil {
		dxs = slab[T](dx)
	}
	imgIn, imgOut := g.c*g.h*g.w, g.o*g.hw
	parallelItems(g.n, workers, func(i, wk int) {
		CheckInterrupt("Conv2dBackward")
		s := &sc[wk]
		xi, gi := x[i*imgIn:(i+1)*imgIn], gr[i*imgOut:(i+1)*imgOut]
		for grp := 0; grp < g.groups; grp++ {
			gg := gi[grp*g.og*g.hw:]
			wg := w[grp*g.og*g.kk:]
			if dw != nil && transposed {
				if s.dwt == nil {
					s.dwt = getBuf[T](len(w))
					clear(*s.dwt)
				}
				if s.cols == nil {
					s.cols = getBuf[T](g.kk * g.hw)
				}
				cols := *s.cols
				im2col(g, xi, grp, cols)
				gemmSerial(workers > 1, g.kk, g.og, g.hw, cols, g.hw, false, gg, g.hw, true, (*s.dwt)[grp*g.og*g.kk:], g.og, true)
			} else if dw != nil {
				if s.dw == nil {
					if wk == 0 {
						s.dw = slab[T](dw) // worker 0 accumulates in place
					} else {
						s.dw = make([]T, len(w))
					}
				}
				var cols []T
				if g.direct() {
					cols = xi[grp*g.cg*g.hw:]
				} else {
					if s.cols == nil {
						s.cols = getBuf[T](g.kk * g.hw)
					}
					cols = *s.cols
					im2col(g, xi, grp, cols)
				}
				gemmSerial(workers > 1, g.og, g.kk, g.hw, gg, g.hw, false, cols, g.hw, true, s.dw[grp*g.og*g.kk:], g.kk, true)
			}
			if dx != nil {
				dxi := dxs[i*imgIn : (i+1)*imgIn]
				if grp == 0 {
					clear(dxi)
				}
				if g.direct() {
					gemmSerial(workers > 1, g.kk, g.hw, g.og, wg, g.kk, true, gg, g.hw, false, dxi[grp*g.cg*g.hw:], g.hw, false)
				} else {
					if s.dcols == nil {
						s.dcols = getBuf[T](g.kk * g.hw)
					}
					dcols := *s.dcols
					gemmSerial(workers > 1, g.kk, g.hw, g.og, wg, g.kk, true, gg, g.hw, false, dcols, g.hw, false)
					col2im(g, dcols, grp, dxi)
				}
			}
		}
		if db != nil {
			if s.db == nil {
				s.db = make([]float64, g.o)
			}
			if g32, ok := any(gi).([]float32); ok {
				// the channels' sums as a product with ones (vectorised)
				if s.sums == nil {
					s.sums = getBuf[float32](g.o)
				}
				sums := *s.sums
				clear(sums)
				gemvRows32(g32, g.hw, ones32(g.hw), sums, g.o, g.hw)
				for c, v := range sums {
					s.db[c] += float64(v)
				}
			} else {
				for c := 0; c < g.o; c++ {
					var sum T
					for _, v := range gi[c*g.hw : (c+1)*g.hw] {
						sum += v
					}
					s.db[c] += float64(sum)
				}
			}
		}
	})
	if dw != nil && transposed {
		d := slab[T](dw)
		for _, s := range sc {
			if s.dwt == nil {
				continue
			}
			for grp := 0; grp < g.groups; grp++ {
				dg, tg := d[grp*g.og*g.kk:], (*s.dwt)[grp*g.og*g.kk:]
				for o := 0; o < g.og; o++ {
					row := dg[o*g.kk : (o+1)*g.kk]
					for k := range row {
						row[k] += tg[k*g.og+o]
					}
				}
			}
		}
	} else if dw != nil {
		d := slab[T](dw)
		for _, s := range sc[1:] {
			for j, v := range s.dw {
				d[j] += v
			}
		}
	}
	if db != nil {
		acc := make([]float64, g.o)
		for _, s := range sc {
			for c, v := range s.db {
				acc[c] += v
			}
		}
		db.setFloat64s(acc)
	}
}

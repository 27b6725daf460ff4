package autograd

import (
	"math"
	"sort"
)

// normDims validates dims (negative count from the end) and returns them
// sorted and unique; nil or empty means all dimensions.
func (t *Tensor) normDims(op string, dims []int) []int {
	if len(dims) == 0 {
		all := make([]int, len(t.shape))
		for i := range all {
			all[i] = i
		}
		return all
	}
	seen := make(map[int]bool, len(dims))
	out := make([]int, 0, len(dims))
	for _, d := range dims {
		nd := t.normDim(op, d)
		if seen[nd] {
			fail("%s: dimension %d appears twice in %v", op, d, dims)
		}
		seen[nd] = true
		out = append(out, nd)
	}
	sort.Ints(out)
	return out
}

// reducedShape returns the output shape of reducing dims (sorted).
func reducedShape(shape, dims []int, keepdim bool) []int {
	out := []int{}
	j := 0
	for i, s := range shape {
		if j < len(dims) && dims[j] == i {
			j++
			if keepdim {
				out = append(out, 1)
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// grouped returns t's values reordered so each output element's inputs are
// contiguous: kept dims first, reduced dims last. groups x r values.
func grouped(t *Tensor, dims []int) (vals []float64, groups, r int) {
	perm := make([]int, 0, len(t.shape))
	red := map[int]bool{}
	for _, d := range dims {
		red[d] = true
	}
	r = 1
	for i := range t.shape {
		if !red[i] {
			perm = append(perm, i)
		}
	}
	for _, d := range dims {
		perm = append(perm, d)
		r *= t.shape[d]
	}
	n := t.Numel()
	if r > 0 {
		groups = n / r
	} else {
		groups = numelOf(reducedShape(t.shape, dims, false))
	}
	p := t.permuteView(perm)
	return p.Float64s(), groups, r
}

// reduce computes sum/max/min/argmax/argmin over dims (nil = all) without
// recording a graph. arg kinds return the flat row-major input index.
func reduce(kind string, t *Tensor, dims []int, keepdim bool) *Tensor {
	return reduceOut(kind, t, dims, keepdim, false)
}

// reduceOut is reduce whose output is allocated with its tape node when
// the caller will record the op (track).
func reduceOut(kind string, t *Tensor, dims []int, keepdim, track bool) *Tensor {
	dims = t.normDims(kind, dims)
	outShape := reducedShape(t.shape, dims, keepdim)
	if !t.dtype.IsFloat() && kind == "sum" {
		return sumInt(t, dims, outShape)
	}
	outDT := t.dtype
	if kind == "argmax" || kind == "argmin" {
		outDT = Int64
	}
	out := newOut(outDT, outShape, track)
	if kind == "sum" && len(dims) == len(t.shape) && t.IsContiguous() { // everything: one loop
		s := 0.0
		if t.dtype == Float64 {
			for _, v := range t.d64[t.offset : t.offset+t.Numel()] {
				s += v
			}
		} else {
			for _, v := range t.d32[t.offset : t.offset+t.Numel()] {
				s += float64(v)
			}
		}
		out.setAt(0, s)
		return out
	}
	if kind == "sum" && t.IsContiguous() && leadingDims(dims) {
		// sum over leading dims of a contiguous tensor (bias gradients): add rows
		r := 1
		for _, d := range dims {
			r *= t.shape[d]
		}
		m := t.Numel() / max(r, 1)
		acc := make([]float64, m)
		if t.dtype == Float64 {
			src := t.d64[t.offset : t.offset+t.Numel()]
			for i := 0; i < r; i++ {
				row := src[i*m : i*m+m]
				for j, v := range row {
					acc[j] += v
				}
			}
		} else {
			colSumF64(acc, t.d32[t.offset:t.offset+t.Numel()], r, m)
		}
		out.setFloat64s(acc)
		return out
	}
	vals, groups, r := grouped(t, dims)
	if r == 0 && kind != "sum" {
		fail("%s: cannot reduce an empty dimension of shape %v", kind, t.shape)
	}
	var idx []float64
	if kind != "sum" {
		idx, _, _ = grouped(Arange64(0, float64(max(t.Numel(), 1)), 1).reshapeNoGrad(t.shape), dims)
	}
	res := make([]float64, groups)
	for gI := 0; gI < groups; gI++ {
		g := vals[gI*r : gI*r+r]
		switch kind {
		case "sum":
			s := 0.0
			for _, v := range g {
				s += v
			}
			res[gI] = s
		case "max", "argmax", "min", "argmin":
			best := 0
			for i, v := range g {
				b := g[best]
				if math.IsNaN(b) {
					break
				}
				if math.IsNaN(v) || ((kind == "max" || kind == "argmax") && v > b) || ((kind == "min" || kind == "argmin") && v < b) {
					best = i
				}
			}
			if kind == "max" || kind == "min" {
				res[gI] = g[best]
			} else {
				res[gI] = idx[gI*r+best]
			}
		}
	}
	out.setFloat64s(res)
	return out
}

func leadingDims(dims []int) bool {
	for i, d := range dims {
		if d != i {
			return false
		}
	}
	return true
}

// setFloat64s fills a contiguous tensor from float64 values.
func (t *Tensor) setFloat64s(v []float64) {
	switch t.dtype {
	case Int64:
		d := t.is.i64[t.offset : t.offset+len(v)]
		for i, x := range v {
			d[i] = int64(x)
		}
		return
	case Bool:
		d := t.is.b[t.offset : t.offset+len(v)]
		for i, x := range v {
			d[i] = x != 0
		}
		return
	}
	if t.dtype == Float64 {
		copy(t.d64[t.offset:], v)
		return
	}
	d := t.d32[t.offset : t.offset+len(v)]
	for i, x := range v {
		d[i] = float32(x)
	}
}

// expandGrad broadcasts the gradient of a reduction back over the input shape.
func expandGrad(g *Tensor, inShape, dims []int) *Tensor {
	return g.reshapeNoGrad(reducedShape(inShape, dims, true)).expandTo("Backward", inShape)
}

// Sum returns the sum of all elements as a 0-d tensor.
func (t *Tensor) Sum() *Tensor { return t.SumDims(nil, false) }

// SumDim sums over one dimension.
func (t *Tensor) SumDim(dim int, keepdim bool) *Tensor { return t.SumDims([]int{dim}, keepdim) }

// SumDims sums over the given dimensions (all if empty). The sum of an
// Int64 or Bool tensor is Int64 (mask.Sum() counts the true elements).
func (t *Tensor) SumDims(dims []int, keepdim bool) *Tensor {
	nd := t.normDims("Sum", dims)
	track := tracking(t, nil)
	out := reduceOut("sum", t, nd, keepdim, track)
	if track {
		n := attach(out, "Sum", sumBackward, t, nil)
		n.dims, n.c = nd, 1
	}
	return out
}

// sumBackward: every input element gets the gradient of its sum.
func sumBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	gs[0] = spread(g, n.in[0].shape, n.dims, n.c)
}

// Mean returns the mean of all elements as a 0-d tensor (Float32 for an
// Int64 or Bool tensor: pred.Eq(y).Mean() is the accuracy).
func (t *Tensor) Mean() *Tensor { return t.MeanDims(nil, false) }

// MeanDim averages over one dimension.
func (t *Tensor) MeanDim(dim int, keepdim bool) *Tensor { return t.MeanDims([]int{dim}, keepdim) }

// MeanDims averages over the given dimensions (all if empty).
func (t *Tensor) MeanDims(dims []int, keepdim bool) *Tensor {
	nd := t.normDims("Mean", dims)
	count := 1
	for _, d := range nd {
		count *= t.shape[d]
	}
	if !t.dtype.IsFloat() {
		// torch refuses the mean of integers; the mean of a mask is the
		// fraction of true elements (an accuracy): an exact count, then
		// one division in Float32
		out := sumInt(t, nd, reducedShape(t.shape, nd, keepdim)).convert(Float32)
		out.divInPlaceScalar(float64(count))
		return out
	}
	track := tracking(t, nil)
	out := reduceOut("sum", t, nd, keepdim, track)
	out.divInPlaceScalar(float64(count))
	if track {
		n := attach(out, "Mean", meanBackward, t, nil)
		n.dims, n.c = nd, float64(count)
	}
	return out
}

// meanBackward: every input element gets the gradient of its mean / count.
func meanBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	gs[0] = spread(g, n.in[0].shape, n.dims, n.c)
}

// spread broadcasts the gradient of a reduction over dims back to shape,
// divided by div (in the tensor's dtype, as PyTorch divides).
func spread(g *Tensor, shape, dims []int, div float64) *Tensor {
	if g.Numel() == 1 { // a full reduction: one value everywhere
		out := newTensor(g.dtype, shape)
		if g.dtype == Float64 {
			out.fill(g.d64[g.offset] / div)
		} else {
			out.fill(float64(g.d32[g.offset] / float32(div)))
		}
		return out
	}
	if div != 1 {
		g = g.DivScalar(div)
	}
	return expandGrad(g, shape, dims)
}

// divInPlaceScalar divides a fresh contiguous tensor by c.
func (t *Tensor) divInPlaceScalar(c float64) {
	if t.dtype == Float64 {
		for i := range t.d64 {
			t.d64[i] /= c
		}
		return
	}
	f := float32(c)
	for i := range t.d32 {
		t.d32[i] /= f
	}
}

// maxMin implements Max/Min: the gradient goes to the selected element.
func (t *Tensor) maxMin(op, kind, argKind string, dims []int, keepdim bool) *Tensor {
	nd := t.normDims(op, dims)
	out := reduce(kind, t, nd, keepdim)
	if tracking(t, nil) {
		record(out, op, func(g *Tensor, gs []*Tensor) {
			pos := reduce(argKind, t.Detach(), nd, keepdim).Float64s()
			gv := g.Float64s()
			acc := make([]float64, t.Numel())
			for i, p := range pos {
				acc[int(p)] += gv[i]
			}
			r := newTensor(t.dtype, t.shape)
			r.setFloat64s(acc)
			gs[0] = r
		}, t)
	}
	return out
}

// Max returns the largest element as a 0-d tensor.
func (t *Tensor) Max() *Tensor { return t.maxMin("Max", "max", "argmax", nil, false) }

// MaxDim returns the largest values along dim (see ArgmaxDim for indices).
func (t *Tensor) MaxDim(dim int, keepdim bool) *Tensor {
	return t.maxMin("Max", "max", "argmax", []int{dim}, keepdim)
}

// Min returns the smallest element as a 0-d tensor.
func (t *Tensor) Min() *Tensor { return t.maxMin("Min", "min", "argmin", nil, false) }

// MinDim returns the smallest values along dim.
func (t *Tensor) MinDim(dim int, keepdim bool) *Tensor {
	return t.maxMin("Min", "min", "argmin", []int{dim}, keepdim)
}

// argAlong converts flat input positions to indices along dim.
func (t *Tensor) argAlong(kind string, dim int, keepdim bool) *Tensor {
	d := t.normDim(kind, dim)
	flat := reduce(kind, t.Detach(), []int{d}, keepdim)
	stride := numelOf(t.shape[d+1:])
	v := flat.Float64s()
	for i, p := range v {
		v[i] = float64((int(p) / stride) % t.shape[d])
	}
	flat.setFloat64s(v)
	return flat
}

// Argmax returns the flat index of the largest element (0-d Int64, no gradient).
func (t *Tensor) Argmax() *Tensor { return reduce("argmax", t.Detach(), nil, false) }

// ArgmaxDim returns the Int64 indices of the largest values along dim.
func (t *Tensor) ArgmaxDim(dim int, keepdim bool) *Tensor { return t.argAlong("argmax", dim, keepdim) }

// Argmin returns the flat index of the smallest element.
func (t *Tensor) Argmin() *Tensor { return reduce("argmin", t.Detach(), nil, false) }

// ArgminDim returns the Int64 indices of the smallest values along dim.
func (t *Tensor) ArgminDim(dim int, keepdim bool) *Tensor { return t.argAlong("argmin", dim, keepdim) }

// Var returns the unbiased variance of all elements (like torch.var).
func (t *Tensor) Var() *Tensor { return t.VarDims(nil, true, false) }

// Std returns the unbiased standard deviation of all elements.
func (t *Tensor) Std() *Tensor { return t.Var().Sqrt() }

// VarDim is the variance along dim; unbiased divides by n-1 as torch does by default.
func (t *Tensor) VarDim(dim int, unbiased, keepdim bool) *Tensor {
	return t.VarDims([]int{dim}, unbiased, keepdim)
}

// StdDim is the standard deviation along dim.
func (t *Tensor) StdDim(dim int, unbiased, keepdim bool) *Tensor {
	return t.VarDims([]int{dim}, unbiased, keepdim).Sqrt()
}

// VarDims is the variance over dims (all if empty). Built from
// differentiable ops, so its gradient needs no code of its own.
func (t *Tensor) VarDims(dims []int, unbiased, keepdim bool) *Tensor {
	t = t.asFloat()
	nd := t.normDims("Var", dims)
	n := 1
	for _, d := range nd {
		n *= t.shape[d]
	}
	dev := t.Sub(t.MeanDims(nd, true))
	div := float64(n)
	if unbiased {
		div = float64(n - 1)
	}
	return dev.Mul(dev).SumDims(nd, keepdim).DivScalar(div)
}

// sumInt sums an Int64 or Bool tensor over dims into an Int64 tensor of
// shape outShape, exactly (no float rounding).
func sumInt(t *Tensor, dims, outShape []int) *Tensor {
	perm := make([]int, 0, len(t.shape))
	red := make([]bool, len(t.shape))
	r := 1
	for _, d := range dims {
		red[d] = true
		r *= t.shape[d]
	}
	for i := range t.shape {
		if !red[i] {
			perm = append(perm, i)
		}
	}
	perm = append(perm, dims...)
	p := t.permuteView(perm)
	out := newTensor(Int64, outShape)
	if t.dtype == Bool { // count in place: a mask of a data set is large
		groupSums(out.is.i64, p.contigBool(), r)
	} else {
		groupSums(out.is.i64, p.cast(Int64).contigI64(), r)
	}
	return out
}

// groupSums sets out[g] to the sum of vals[g*r : g*r+r] (true counts 1).
func groupSums[T int64 | bool](out []int64, vals []T, r int) {
	for g := range out {
		s := int64(0)
		switch v := any(vals[g*r : g*r+r]).(type) {
		case []int64:
			for _, x := range v {
				s += x
			}
		case []bool:
			for _, x := range v {
				if x {
					s++
				}
			}
		}
		out[g] = s
	}
}

// All reports, as a 0-d Bool tensor, whether every element is true
// (non-zero), as torch.all.
func (t *Tensor) All() *Tensor { return t.allAny("All", nil, false, true) }

// Any reports, as a 0-d Bool tensor, whether some element is true.
func (t *Tensor) Any() *Tensor { return t.allAny("Any", nil, false, false) }

// AllDim is All along one dimension.
func (t *Tensor) AllDim(dim int, keepdim bool) *Tensor {
	return t.allAny("All", []int{dim}, keepdim, true)
}

// AnyDim is Any along one dimension.
func (t *Tensor) AnyDim(dim int, keepdim bool) *Tensor {
	return t.allAny("Any", []int{dim}, keepdim, false)
}

func (t *Tensor) allAny(op string, dims []int, keepdim, all bool) *Tensor {
	nd := t.normDims(op, dims)
	// count the true elements of each group: all means count == group size
	count := sumInt(t.cast(Bool), nd, reducedShape(t.shape, nd, keepdim))
	r := int64(1)
	for _, d := range nd {
		r *= int64(t.shape[d])
	}
	out := newTensor(Bool, count.shape)
	for i, c := range count.is.i64 {
		if all {
			out.is.b[i] = c == r
		} else {
			out.is.b[i] = c > 0
		}
	}
	return out
}

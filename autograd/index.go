package autograd

import (
	"slices"
)

// Indexing by tensors. Gather, MaskedSelect, IndexBy, Sort, Topk and Repeat
// all pick elements of their input by position, so they share one op,
// take, whose backward adds each output's gradient back at the position it
// came from; Scatter and ScatterAdd share scatterOp.

// take returns the elements of t at the row-major positions pos, as a new
// tensor of shape and t's dtype. Differentiable: the gradient of an input
// element is the sum of the gradients of the outputs taken from it.
func (t *Tensor) take(op string, pos []int, shape []int) *Tensor {
	out := newTensor(t.dtype, shape)
	switch t.dtype {
	case Float64:
		takeInto(out.d64, t.contig64(), pos)
	case Int64:
		takeInto(out.is.i64, t.contigI64(), pos)
	case Bool:
		takeInto(out.is.b, t.contigBool(), pos)
	default:
		takeInto(out.d32, t.contig32(), pos)
	}
	if tracking(t, nil) {
		record(out, op, func(g *Tensor, gs []*Tensor) { gs[0] = addAt(g, pos, t.shape) }, t)
	}
	return out
}

func takeInto[T elem](out, src []T, pos []int) {
	for i, p := range pos {
		out[i] = src[p]
	}
}

// addAt returns zeros of shape (g's dtype) with g's elements added at the
// row-major positions pos: the backward of take.
func addAt(g *Tensor, pos []int, shape []int) *Tensor {
	r := newTensor(g.dtype, shape)
	if g.dtype == Float64 {
		addAtInto(r.d64, g.contig64(), pos)
	} else {
		addAtInto(r.d32, g.contig32(), pos)
	}
	return r
}

func addAtInto[T float32 | float64](dst, g []T, pos []int) {
	for i, p := range pos {
		dst[p] += g[i]
	}
}

// forEachIndex calls f with every multi-index of shape in row-major order
// (and its row-major number). idx is reused between calls.
func forEachIndex(shape []int, f func(i int, idx []int)) {
	n := numelOf(shape)
	idx := make([]int, len(shape))
	for i := 0; i < n; i++ {
		f(i, idx)
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
}

// needIndex fails unless index is an Int64 tensor.
func needIndex(op, what string, index *Tensor) {
	if index.dtype != Int64 {
		fail("%s: %s must be an int64 tensor, got %v (convert it with Long())", op, what, index.dtype)
	}
}

// indexPositions checks index against t for Gather/Scatter along d (same
// number of dimensions, no larger than limit outside d, values in range)
// and returns the row-major position in t of each index element.
func indexPositions(op string, t *Tensor, d int, index *Tensor, limit []int, limitName string) []int {
	needIndex(op, "index", index)
	if len(index.shape) != len(t.shape) {
		fail("%s: index has %d dimensions (shape %v), the input %d (shape %v); they must match", op, len(index.shape), index.shape, len(t.shape), t.shape)
	}
	for i, s := range index.shape {
		if (i != d && s > t.shape[i]) || s > limit[i] {
			fail("%s: index shape %v is larger than %s shape %v in dimension %d", op, index.shape, limitName, limit, i)
		}
	}
	st := contiguousStrides(t.shape)
	iv := index.contigI64()
	pos := make([]int, len(iv))
	n := t.shape[d]
	forEachIndex(index.shape, func(k int, idx []int) {
		v := iv[k]
		if v < 0 || v >= int64(n) {
			fail("%s: index %d out of range for dimension %d with size %d", op, v, d, n)
		}
		p := int(v) * st[d]
		for i, x := range idx {
			if i != d {
				p += x * st[i]
			}
		}
		pos[k] = p
	})
	return pos
}

// positionsIn returns the row-major position, in a tensor of shape, of
// each element of the (no larger) shape sub, with the same multi-index.
func positionsIn(shape, sub []int) []int {
	st := contiguousStrides(shape)
	pos := make([]int, numelOf(sub))
	forEachIndex(sub, func(k int, idx []int) {
		p := 0
		for i, x := range idx {
			p += x * st[i]
		}
		pos[k] = p
	})
	return pos
}

// Gather returns out[i][j][k] = t[index[i][j][k]][j][k] for dim 0 (and so
// on for other dims), as torch.gather: index is Int64 with t's number of
// dimensions, and the output has index's shape. Picking each row's target
// logit is logp.Gather(1, y.Unsqueeze(1)).
func (t *Tensor) Gather(dim int, index *Tensor) *Tensor {
	d := t.normDim("Gather", dim)
	pos := indexPositions("Gather", t, d, index, t.shape, "input")
	return t.take("Gather", pos, index.shape)
}

// Scatter returns a copy of t with src's values written at the positions
// index names along dim (out[index[i][j]][j] = src[i][j] for dim 0), as
// torch.scatter. index is Int64 with t's number of dimensions and no larger
// than src; where index repeats a position the last write wins.
func (t *Tensor) Scatter(dim int, index, src *Tensor) *Tensor {
	return t.scatterAlong("Scatter", dim, index, src, false)
}

// ScatterAdd returns a copy of t with src's values added at the positions
// index names along dim, as torch.scatter_add (repeats accumulate).
func (t *Tensor) ScatterAdd(dim int, index, src *Tensor) *Tensor {
	return t.scatterAlong("ScatterAdd", dim, index, src, true)
}

func (t *Tensor) scatterAlong(op string, dim int, index, src *Tensor, add bool) *Tensor {
	d := t.normDim(op, dim)
	if len(src.shape) != len(t.shape) {
		fail("%s: src has %d dimensions (shape %v), the input %d (shape %v); they must match", op, len(src.shape), src.shape, len(t.shape), t.shape)
	}
	pos := indexPositions(op, t, d, index, src.shape, "src")
	vals := src
	if !slices.Equal(index.shape, src.shape) || !src.IsContiguous() {
		vals = src.take(op, positionsIn(src.shape, index.shape), index.shape)
	}
	if vals.dtype != t.dtype {
		if category(vals.dtype) > category(t.dtype) {
			fail("%s: src of dtype %v cannot be written into a %v tensor", op, vals.dtype, t.dtype)
		}
		vals = vals.To(t.dtype)
	}
	return scatterOp(op, t, pos, vals, add)
}

// scatterOp returns a copy of t with vals (row-major) written, or added, at
// the row-major positions pos. Its backward: t gets the gradient except
// where a value was written over it; vals get the gradient at pos.
func scatterOp(op string, t *Tensor, pos []int, vals *Tensor, add bool) *Tensor {
	out := t.copyData()
	switch t.dtype {
	case Float64:
		scatterInto(out.d64, vals.contig64(), pos, add)
	case Int64:
		scatterInto(out.is.i64, vals.contigI64(), pos, add)
	case Bool:
		if add {
			fail("%s: cannot add into a bool tensor", op)
		}
		scatterInto(out.is.b, vals.contigBool(), pos, false)
	default:
		scatterInto(out.d32, vals.contig32(), pos, add)
	}
	if tracking(t, vals) {
		record(out, op, func(g *Tensor, gs []*Tensor) {
			if t.requiresGrad {
				if add {
					gs[0] = g
				} else {
					gt := g.copyData()
					gt.fillAt(pos, 0)
					gs[0] = gt
				}
			}
			if vals.requiresGrad {
				gs[1] = g.take(op, pos, vals.shape)
			}
		}, t, vals)
	}
	return out
}

func scatterInto[T elem](dst, vals []T, pos []int, add bool) {
	if !add {
		for i, p := range pos {
			dst[p] = vals[i]
		}
		return
	}
	switch d := any(dst).(type) {
	case []float32:
		v := any(vals).([]float32)
		for i, p := range pos {
			d[p] += v[i]
		}
	case []float64:
		v := any(vals).([]float64)
		for i, p := range pos {
			d[p] += v[i]
		}
	case []int64:
		v := any(vals).([]int64)
		for i, p := range pos {
			d[p] += v[i]
		}
	}
}

// fillAt sets the elements of a fresh contiguous float tensor at pos to v.
func (t *Tensor) fillAt(pos []int, v float64) {
	for _, p := range pos {
		t.setAt(p, v)
	}
}

// MaskedSelect returns the elements of t where the Bool mask is true, as a
// 1-D tensor (t and mask broadcast together), as torch.masked_select:
// x.MaskedSelect(y.EqScalar(3)).
func (t *Tensor) MaskedSelect(mask *Tensor) *Tensor {
	if mask.dtype != Bool {
		fail("MaskedSelect: mask must be a bool tensor, got %v (make one with a comparison, or Bool())", mask.dtype)
	}
	shape := broadcastShapes("MaskedSelect", t.shape, mask.shape)
	m := mask.expandTo("MaskedSelect", shape).contigBool()
	var pos []int
	for i, b := range m {
		if b {
			pos = append(pos, i)
		}
	}
	src := t
	if !slices.Equal(t.shape, shape) {
		src = t.Expand(shape...)
	}
	return src.take("MaskedSelect", pos, []int{len(pos)})
}

// MaskedFill returns t with v wherever the Bool mask (broadcast to t's
// shape) is true, as torch.masked_fill; no gradient flows to the filled
// elements.
func (t *Tensor) MaskedFill(mask *Tensor, v float64) *Tensor {
	if mask.dtype != Bool {
		fail("MaskedFill: mask must be a bool tensor, got %v (make one with a comparison, or Bool())", mask.dtype)
	}
	shape := broadcastShapes("MaskedFill", t.shape, mask.shape)
	if !slices.Equal(shape, t.shape) {
		fail("MaskedFill: mask shape %v does not broadcast to the input's shape %v", mask.shape, t.shape)
	}
	return Where(mask, t.scalarLike(v), t)
}

// IndexBy returns t[index] as torch indexes with a tensor: an Int64 index
// picks entries of dimension 0 (negative counts from the end), giving shape
// index.shape + t.shape[1:]; a Bool index of shape t.shape[:k] picks the
// entries where it is true, giving [count] + t.shape[k:].
func (t *Tensor) IndexBy(index *Tensor) *Tensor {
	switch index.dtype {
	case Bool:
		k := len(index.shape)
		if k > len(t.shape) || !slices.Equal(index.shape, t.shape[:k]) {
			fail("IndexBy: mask of shape %v does not match the input's shape %v", index.shape, t.shape)
		}
		inner := numelOf(t.shape[k:])
		var pos []int
		count := 0
		for i, b := range index.contigBool() {
			if b {
				count++
				for j := 0; j < inner; j++ {
					pos = append(pos, i*inner+j)
				}
			}
		}
		return t.take("IndexBy", pos, append([]int{count}, t.shape[k:]...))
	case Int64:
		if len(t.shape) == 0 {
			fail("IndexBy: cannot index a 0-d tensor")
		}
		n := t.shape[0]
		inner := numelOf(t.shape[1:])
		iv := index.contigI64()
		pos := make([]int, 0, len(iv)*inner)
		for _, v := range iv {
			if v < 0 {
				v += int64(n)
			}
			if v < 0 || v >= int64(n) {
				fail("IndexBy: index %d out of range for dimension 0 with size %d", v, n)
			}
			for j := 0; j < inner; j++ {
				pos = append(pos, int(v)*inner+j)
			}
		}
		return t.take("IndexBy", pos, append(append([]int{}, index.shape...), t.shape[1:]...))
	}
	fail("IndexBy: index must be an int64 or bool tensor, got %v", index.dtype)
	return nil
}

// Repeat tiles t reps[i] times along dimension i, as torch's Tensor.repeat
// (reps may have more entries than t has dimensions: t gains leading ones).
func (t *Tensor) Repeat(reps ...int) *Tensor {
	if len(reps) < len(t.shape) {
		fail("Repeat: %d repeats for a tensor of %d dimensions (shape %v); give at least one per dimension", len(reps), len(t.shape), t.shape)
	}
	for _, r := range reps {
		if r < 0 {
			fail("Repeat: negative repeat count in %v", reps)
		}
	}
	in := make([]int, len(reps))
	for i := range in {
		in[i] = 1
	}
	copy(in[len(reps)-len(t.shape):], t.shape)
	shape := make([]int, len(reps))
	for i, r := range reps {
		shape[i] = in[i] * r
	}
	checkAlloc("Repeat", t.dtype, shape)
	st := contiguousStrides(in)
	pos := make([]int, numelOf(shape))
	forEachIndex(shape, func(k int, idx []int) {
		p := 0
		for i, x := range idx {
			p += (x % in[i]) * st[i]
		}
		pos[k] = p
	})
	return t.take("Repeat", pos, shape)
}

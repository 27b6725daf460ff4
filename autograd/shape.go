package autograd

import "slices"

// Shape ops. Transpose, permute, expand, narrow and select are views that
// share storage; reshape is a view when the layout allows, a copy otherwise.

func (t *Tensor) resolveShape(op string, shape []int) []int {
	n := t.Numel()
	if len(shape) == 0 {
		if n != 1 {
			fail("%s: shape [] is invalid for input of shape %v", op, t.shape)
		}
		return []int{}
	}
	sh := append([]int(nil), shape...)
	neg, p := -1, 1
	for i, s := range sh {
		switch {
		case s == -1 && neg < 0:
			neg = i
		case s < 0:
			fail("%s: invalid shape %v", op, shape)
		default:
			p *= s
		}
	}
	if neg >= 0 {
		if p == 0 || n%p != 0 {
			fail("%s: shape %v is invalid for input of shape %v", op, shape, t.shape)
		}
		sh[neg] = n / p
		p *= sh[neg]
	}
	if p != n {
		fail("%s: shape %v is invalid for input of shape %v (%d elements)", op, shape, t.shape, n)
	}
	return sh
}

func (t *Tensor) reshapeNoGrad(shape []int) *Tensor {
	if slices.Equal(shape, t.shape) {
		return t
	}
	sh := t.resolveShape("Reshape", shape)
	src := t
	if !t.IsContiguous() {
		src = t.copyData()
	}
	return src.view(sh, contiguousStrides(sh), src.offset)
}

// Reshape returns t with a new shape (one dimension may be -1); a view when
// t is contiguous.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	out := t.reshapeNoGrad(shape)
	if out == t {
		out = t.view(t.shape, t.strides, t.offset)
	}
	if tracking(t, nil) {
		record(out, "Reshape", func(g *Tensor, gs []*Tensor) { gs[0] = g.reshapeNoGrad(t.shape) }, t)
	}
	return out
}

// View is Reshape that refuses to copy: t must be contiguous.
func (t *Tensor) View(shape ...int) *Tensor {
	if !t.IsContiguous() {
		fail("View: tensor with shape %v and strides %v is not contiguous; use Reshape", t.shape, t.strides)
	}
	return t.Reshape(shape...)
}

// Flatten returns t as 1-D.
func (t *Tensor) Flatten() *Tensor { return t.Reshape(-1) }

// FlattenDims merges dimensions start..end (inclusive; negative counts from
// the end) into one, as torch.flatten(t, start, end): x.FlattenDims(1, -1)
// turns a batch of images [N, C, H, W] into rows [N, C*H*W].
func (t *Tensor) FlattenDims(start, end int) *Tensor {
	if len(t.shape) == 0 {
		return t.Reshape(1)
	}
	s, e := t.normDim("FlattenDims", start), t.normDim("FlattenDims", end)
	if s > e {
		fail("FlattenDims: start dimension %d comes after end dimension %d (shape %v)", start, end, t.shape)
	}
	sh := append(append(append([]int{}, t.shape[:s]...), numelOf(t.shape[s:e+1])), t.shape[e+1:]...)
	return t.Reshape(sh...)
}

// Split cuts t along dim into pieces of size elements (the last may be
// smaller), as torch.split with an int: views, differentiable.
func (t *Tensor) Split(size, dim int) []*Tensor {
	d := t.normDim("Split", dim)
	if size <= 0 {
		fail("Split: size must be positive, got %d", size)
	}
	n := t.shape[d]
	var out []*Tensor
	for s := 0; s < n; s += size {
		out = append(out, t.Narrow(d, s, min(size, n-s)))
	}
	if n == 0 {
		out = append(out, t.Narrow(d, 0, 0))
	}
	return out
}

// SplitSizes cuts t along dim into pieces of the given sizes, which must
// add up to the size of dim (torch.split with a list).
func (t *Tensor) SplitSizes(sizes []int, dim int) []*Tensor {
	d := t.normDim("SplitSizes", dim)
	total := 0
	for _, s := range sizes {
		if s < 0 {
			fail("SplitSizes: negative size in %v", sizes)
		}
		total += s
	}
	if total != t.shape[d] {
		fail("SplitSizes: sizes %v add up to %d, but dimension %d has size %d (shape %v)", sizes, total, dim, t.shape[d], t.shape)
	}
	out := make([]*Tensor, len(sizes))
	p := 0
	for i, s := range sizes {
		out[i] = t.Narrow(d, p, s)
		p += s
	}
	return out
}

// Chunk cuts t along dim into at most chunks pieces of equal size (the
// last may be smaller, and there may be fewer), as torch.chunk.
func (t *Tensor) Chunk(chunks, dim int) []*Tensor {
	d := t.normDim("Chunk", dim)
	if chunks <= 0 {
		fail("Chunk: number of chunks must be positive, got %d", chunks)
	}
	n := t.shape[d]
	return t.Split(max(1, (n+chunks-1)/chunks), d)
}

func (t *Tensor) permuteView(perm []int) *Tensor {
	v := t.view(nil, nil, t.offset)
	v.shape, v.strides = layout(len(perm))
	for i, p := range perm {
		v.shape[i] = t.shape[p]
		v.strides[i] = t.strides[p]
	}
	return v
}

// Permute reorders the dimensions (a view).
func (t *Tensor) Permute(dims ...int) *Tensor {
	if len(dims) != len(t.shape) {
		fail("Permute: %d dimensions %v for a tensor of shape %v", len(dims), dims, t.shape)
	}
	perm := make([]int, len(dims))
	inv := make([]int, len(dims))
	seen := make([]bool, len(dims))
	for i, d := range dims {
		p := t.normDim("Permute", d)
		if seen[p] {
			fail("Permute: repeated dimension in %v", dims)
		}
		seen[p] = true
		perm[i] = p
		inv[p] = i
	}
	out := t.permuteView(perm)
	if tracking(t, nil) {
		record(out, "Permute", func(g *Tensor, gs []*Tensor) { gs[0] = g.permuteView(inv) }, t)
	}
	return out
}

// Transpose swaps two dimensions (a view).
func (t *Tensor) Transpose(d0, d1 int) *Tensor {
	a, b := t.normDim("Transpose", d0), t.normDim("Transpose", d1)
	perm := make([]int, len(t.shape))
	for i := range perm {
		perm[i] = i
	}
	perm[a], perm[b] = b, a
	return t.Permute(perm...)
}

// T transposes a matrix (tensors with fewer than 2 dimensions are returned as is).
func (t *Tensor) T() *Tensor {
	if len(t.shape) < 2 {
		return t
	}
	if len(t.shape) > 2 {
		fail("T: expects a tensor with <= 2 dimensions, got shape %v (use Transpose or Permute)", t.shape)
	}
	return t.Transpose(0, 1)
}

// Unsqueeze inserts a dimension of size 1 at dim (negative counts from the end).
func (t *Tensor) Unsqueeze(dim int) *Tensor {
	n := len(t.shape) + 1
	d := dim
	if d < 0 {
		d += n
	}
	if d < 0 || d >= n {
		fail("Unsqueeze: dimension %d out of range for shape %v", dim, t.shape)
	}
	sh := make([]int, 0, n)
	st := make([]int, 0, n)
	sh = append(append(append(sh, t.shape[:d]...), 1), t.shape[d:]...)
	inner := 1
	if d < len(t.shape) {
		inner = t.strides[d] * t.shape[d]
	}
	st = append(append(append(st, t.strides[:d]...), inner), t.strides[d:]...)
	out := t.view(sh, st, t.offset)
	if tracking(t, nil) {
		record(out, "Unsqueeze", func(g *Tensor, gs []*Tensor) { gs[0] = g.reshapeNoGrad(t.shape) }, t)
	}
	return out
}

// Squeeze removes all dimensions of size 1.
func (t *Tensor) Squeeze() *Tensor {
	var dims []int
	for i, s := range t.shape {
		if s == 1 {
			dims = append(dims, i)
		}
	}
	return t.squeeze(dims)
}

// SqueezeDim removes dimension dim if its size is 1.
func (t *Tensor) SqueezeDim(dim int) *Tensor {
	d := t.normDim("SqueezeDim", dim)
	if t.shape[d] != 1 {
		return t.squeeze(nil)
	}
	return t.squeeze([]int{d})
}

func (t *Tensor) squeeze(dims []int) *Tensor {
	sh, st := []int{}, []int{}
	j := 0
	for i := range t.shape {
		if j < len(dims) && dims[j] == i {
			j++
			continue
		}
		sh = append(sh, t.shape[i])
		st = append(st, t.strides[i])
	}
	out := t.view(sh, st, t.offset)
	if tracking(t, nil) {
		record(out, "Squeeze", func(g *Tensor, gs []*Tensor) { gs[0] = g.reshapeNoGrad(t.shape) }, t)
	}
	return out
}

// Expand broadcasts t to shape (a view; -1 keeps a dimension).
func (t *Tensor) Expand(shape ...int) *Tensor {
	sh := append([]int(nil), shape...)
	off := len(sh) - len(t.shape)
	for i := range sh {
		if sh[i] == -1 {
			if i < off {
				fail("Expand: -1 not allowed in new leading dimension %d of %v", i, shape)
			}
			sh[i] = t.shape[i-off]
		}
	}
	out := t.expandTo("Expand", sh)
	if out == t {
		out = t.view(t.shape, t.strides, t.offset)
	}
	if tracking(t, nil) {
		record(out, "Expand", func(g *Tensor, gs []*Tensor) { gs[0] = sumTo(g, t.shape) }, t)
	}
	return out
}

// ExpandAs broadcasts t to o's shape.
func (t *Tensor) ExpandAs(o *Tensor) *Tensor { return t.Expand(o.shape...) }

// Narrow returns length elements of dim starting at start (a view).
func (t *Tensor) Narrow(dim, start, length int) *Tensor {
	d := t.normDim("Narrow", dim)
	if start < 0 {
		start += t.shape[d]
	}
	if start < 0 || length < 0 || start+length > t.shape[d] {
		fail("Narrow: start %d length %d out of range for dimension %d of shape %v", start, length, dim, t.shape)
	}
	sh := append([]int(nil), t.shape...)
	sh[d] = length
	out := t.view(sh, append([]int(nil), t.strides...), t.offset+start*t.strides[d])
	if tracking(t, nil) {
		record(out, "Narrow", func(g *Tensor, gs []*Tensor) {
			full := newTensor(g.dtype, t.shape)
			full.narrowView(d, start, length).assign(g)
			gs[0] = full
		}, t)
	}
	return out
}

func (t *Tensor) narrowView(d, start, length int) *Tensor {
	sh := append([]int(nil), t.shape...)
	sh[d] = length
	return t.view(sh, append([]int(nil), t.strides...), t.offset+start*t.strides[d])
}

// Slice returns elements start..end-1 of dim (negative values count from
// the end; end is clamped like Python slicing).
func (t *Tensor) Slice(dim, start, end int) *Tensor {
	d := t.normDim("Slice", dim)
	n := t.shape[d]
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = min(max(start, 0), n)
	end = min(max(end, start), n)
	return t.Narrow(d, start, end-start)
}

// Select returns index i of dimension dim, removing that dimension (a view).
func (t *Tensor) Select(dim, i int) *Tensor {
	d := t.normDim("Select", dim)
	if i < -t.shape[d] || i >= t.shape[d] {
		fail("Select: index %d out of range for dimension %d of shape %v", i, dim, t.shape)
	}
	if i < 0 {
		i += t.shape[d]
	}
	return t.Narrow(d, i, 1).SqueezeDim(d)
}

// Index returns t[i] (Select along dimension 0).
func (t *Tensor) Index(i int) *Tensor { return t.Select(0, i) }

// IndexSelect gathers the entries idx of dimension dim into a new tensor.
func (t *Tensor) IndexSelect(dim int, idx []int) *Tensor {
	d := t.normDim("IndexSelect", dim)
	n := t.shape[d]
	for _, i := range idx {
		if i < 0 || i >= n {
			fail("IndexSelect: index %d out of range for dimension %d of shape %v", i, dim, t.shape)
		}
	}
	sh := append([]int(nil), t.shape...)
	sh[d] = len(idx)
	out := newTensor(t.dtype, sh)
	if d == 0 && t.IsContiguous() { // rows of a contiguous tensor: block copies
		row := numelOf(t.shape[1:])
		for k, i := range idx {
			switch t.dtype {
			case Int64:
				copy(out.is.i64[k*row:(k+1)*row], t.is.i64[t.offset+i*row:])
			case Bool:
				copy(out.is.b[k*row:(k+1)*row], t.is.b[t.offset+i*row:])
			case Float64:
				copy(out.d64[k*row:(k+1)*row], t.d64[t.offset+i*row:])
			default:
				copy(out.d32[k*row:(k+1)*row], t.d32[t.offset+i*row:])
			}
		}
	} else {
		for k, i := range idx {
			out.narrowView(d, k, 1).assign(t.narrowView(d, i, 1))
		}
	}
	if tracking(t, nil) {
		idx = append([]int(nil), idx...)
		record(out, "IndexSelect", func(g *Tensor, gs []*Tensor) {
			full := newTensor(g.dtype, t.shape)
			for k, i := range idx {
				dst := full.narrowView(d, i, 1)
				dst.addInPlace(g.narrowView(d, k, 1))
			}
			gs[0] = full
		}, t)
	}
	return out
}

// Cat concatenates tensors along dim; all other dimensions must match, and
// mixed dtypes are promoted to the largest (bool < int64 < float32 <
// float64).
func Cat(ts []*Tensor, dim int) *Tensor {
	if len(ts) == 0 {
		fail("Cat: expected a non-empty list of tensors")
	}
	// mixed dtypes promote as element-wise ops do (torch.cat)
	dt := ts[0].dtype
	for _, t := range ts[1:] {
		dt = PromoteTypes(dt, t.dtype)
	}
	if slices.ContainsFunc(ts, func(t *Tensor) bool { return t.dtype != dt }) {
		conv := make([]*Tensor, len(ts))
		for i, t := range ts {
			conv[i] = t.To(dt)
		}
		ts = conv
	}
	d := ts[0].normDim("Cat", dim)
	sh := append([]int(nil), ts[0].shape...)
	total := 0
	for _, t := range ts {
		if len(t.shape) != len(sh) {
			fail("Cat: tensors have shapes %v and %v", ts[0].shape, t.shape)
		}
		for i := range sh {
			if i != d && t.shape[i] != sh[i] {
				fail("Cat: sizes must match except in dimension %d, got shapes %v and %v", d, ts[0].shape, t.shape)
			}
		}
		total += t.shape[d]
	}
	sh[d] = total
	out := newTensor(ts[0].dtype, sh)
	starts := make([]int, len(ts))
	p := 0
	for i, t := range ts {
		starts[i] = p
		out.narrowView(d, p, t.shape[d]).assign(t)
		p += t.shape[d]
	}
	if trackingAny(ts) {
		ins := append([]*Tensor(nil), ts...)
		record(out, "Cat", func(g *Tensor, gs []*Tensor) {
			for i, t := range ins {
				if t.requiresGrad {
					gs[i] = g.narrowView(d, starts[i], t.shape[d])
				}
			}
		}, ins...)
	}
	return out
}

// Stack joins same-shaped tensors along a new dimension dim.
func Stack(ts []*Tensor, dim int) *Tensor {
	if len(ts) == 0 {
		fail("Stack: expected a non-empty list of tensors")
	}
	us := make([]*Tensor, len(ts))
	for i, t := range ts {
		if !slices.Equal(t.shape, ts[0].shape) {
			fail("Stack: all tensors must have the same shape, got %v and %v", ts[0].shape, t.shape)
		}
		us[i] = t.Unsqueeze(dim)
	}
	return Cat(us, dim)
}

// Meshgrid returns coordinate grids for 1-D tensors xs. indexing "ij"
// (torch's default) gives shape [len(x0), len(x1), ...]; "xy" (numpy's
// default) swaps the first two.
func Meshgrid(xs []*Tensor, indexing string) []*Tensor {
	if indexing != "ij" && indexing != "xy" {
		fail("Meshgrid: indexing must be \"ij\" or \"xy\", got %q", indexing)
	}
	n := len(xs)
	for _, x := range xs {
		if len(x.shape) != 1 {
			fail("Meshgrid: expects 1-D tensors, got shape %v", x.shape)
		}
	}
	ord := make([]*Tensor, n)
	copy(ord, xs)
	swap := indexing == "xy" && n >= 2
	if swap {
		ord[0], ord[1] = ord[1], ord[0]
	}
	shape := make([]int, n)
	for i, x := range ord {
		shape[i] = x.shape[0]
	}
	out := make([]*Tensor, n)
	for i, x := range ord {
		vs := make([]int, n)
		for j := range vs {
			vs[j] = 1
		}
		vs[i] = -1
		out[i] = x.Reshape(vs...).Expand(shape...)
	}
	if swap {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

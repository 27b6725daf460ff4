package autograd

import (
	"fmt"
	"math"
)

// DType is a tensor's element type.
type DType int

const (
	// Float32 is the default element type, as in PyTorch.
	Float32 DType = iota
	// Float64 is used on request (gradient checks, numpy-style code).
	Float64
	// Int64 holds indices and class labels (PyTorch's torch.long).
	Int64
	// Bool holds masks: the result of comparisons.
	Bool
)

func (d DType) String() string {
	switch d {
	case Float64:
		return "float64"
	case Int64:
		return "int64"
	case Bool:
		return "bool"
	}
	return "float32"
}

// IsFloat reports whether d is Float32 or Float64, the dtypes that carry
// gradients.
func (d DType) IsFloat() bool { return d == Float32 || d == Float64 }

// Tensor is an n-dimensional array of float32, float64, int64 or bool
// values with an optional gradient. Storage is flat and row-major; shape
// and strides select a view of it, so transposes, slices and broadcasts
// share storage.
type Tensor struct {
	dtype DType
	d32   []float32
	d64   []float64
	// Int64 and Bool storage sit behind one pointer, so a float tensor grows
	// by 8 bytes only and stays in its allocation size class (176 bytes, 320
	// with its tape node): the float hot paths allocate as before.
	is      *istore
	offset  int
	shape   []int
	strides []int

	requiresGrad bool
	grad         *Tensor
	gradZero     bool  // ZeroGrad was called: grad's values stand for 0 until read or written (lazyzero.go)
	fn           *node // the op that produced this tensor; nil for leaves
	retain       bool  // RetainGrad: keep .grad on a non-leaf
	isGrad       bool  // a gradient inside Backward: ops on it are not recorded

	pooled *pooled // storage borrowed from the buffer pool (recycle.go); nil otherwise

	// one-element storage lives inline: 0-d tensors cost one allocation.
	small32 [1]float32
	small64 [1]float64
}

// layout returns shape and strides slices of n dimensions in one
// allocation (capacity-limited, so an append cannot run into the other).
// Not inline in the tensor: most tensors of a scalar loop have no shape,
// and every byte of a tensor is allocated and scanned per op.
func layout(n int) (shape, strides []int) {
	buf := make([]int, 2*n)
	return buf[:n:n], buf[n:]
}

// setContiguous gives t a copy of shape and row-major strides.
func (t *Tensor) setContiguous(shape []int) {
	if len(shape) == 0 {
		t.shape, t.strides = nil, nil
		return
	}
	t.shape, t.strides = layout(len(shape))
	copy(t.shape, shape)
	rowMajor(t.strides, shape)
}

// Error is the panic value of every failed tensor op.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func fail(format string, args ...any) {
	panic(&Error{Msg: fmt.Sprintf(format, args...)})
}

func numelOf(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func contiguousStrides(shape []int) []int {
	if len(shape) == 0 {
		return nil
	}
	return rowMajor(make([]int, len(shape)), shape)
}

// rowMajor fills st with the row-major strides of shape and returns it.
func rowMajor(st, shape []int) []int {
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= shape[i]
	}
	return st
}

func checkShape(op string, shape []int) {
	for _, s := range shape {
		if s < 0 {
			fail("%s: negative dimension in shape %v", op, shape)
		}
	}
}

// checkNew is checkShape, then checkAlloc for a new tensor of dtype dt, so
// a creation function's error names the function.
func checkNew(op string, dt DType, shape []int) {
	checkShape(op, shape)
	checkAlloc(op, dt, shape)
}

// newTensor allocates a zero-filled contiguous tensor that owns its storage.
func newTensor(dt DType, shape []int) *Tensor {
	t := &Tensor{}
	initTensor(t, dt, shape)
	return t
}

func initTensor(t *Tensor, dt DType, shape []int) {
	checkAlloc("", dt, shape)
	n := numelOf(shape)
	t.dtype = dt
	t.setContiguous(shape)
	switch dt {
	case Int64:
		t.is = &istore{i64: make([]int64, n)}
		return
	case Bool:
		t.is = &istore{b: make([]bool, n)}
		return
	}
	if dt == Float64 {
		if n == 1 {
			t.d64 = t.small64[:]
		} else {
			t.d64 = make([]float64, n)
		}
	} else {
		if n == 1 {
			t.d32 = t.small32[:]
		} else {
			t.d32 = make([]float32, n)
		}
	}
}

// view returns a tensor sharing t's storage with another shape/strides.
func (t *Tensor) view(shape, strides []int, offset int) *Tensor {
	if t.pooled != nil { // the storage now has a second user: never recycle it
		t.pooled.viewed.Store(true)
	}
	return &Tensor{dtype: t.dtype, d32: t.d32, d64: t.d64, is: t.is, offset: offset, shape: shape, strides: strides}
}

// ---- accessors ----

// DType returns the element type.
func (t *Tensor) DType() DType { return t.dtype }

// Shape returns a copy of the shape (empty for a 0-d tensor).
func (t *Tensor) Shape() []int { return append([]int{}, t.shape...) }

// Size returns the size of dimension dim (negative counts from the end).
func (t *Tensor) Size(dim int) int { return t.shape[t.normDim("Size", dim)] }

// Dim returns the number of dimensions.
func (t *Tensor) Dim() int { return len(t.shape) }

// Numel returns the number of elements.
func (t *Tensor) Numel() int { return numelOf(t.shape) }

// Strides returns a copy of the strides, in elements.
func (t *Tensor) Strides() []int { return append([]int{}, t.strides...) }

// IsContiguous reports whether the elements are laid out row-major without gaps.
func (t *Tensor) IsContiguous() bool {
	s := 1
	for i := len(t.shape) - 1; i >= 0; i-- {
		if t.shape[i] != 1 && t.strides[i] != s {
			return false
		}
		s *= t.shape[i]
	}
	return true
}

// Item returns the value of a one-element tensor.
func (t *Tensor) Item() float64 {
	if t.Numel() != 1 {
		fail("Item: only one-element tensors can be converted to a number (got shape %v)", t.shape)
	}
	return t.valueAt(t.offset)
}

// valueAt is the element at storage position p, as a float64.
func (t *Tensor) valueAt(p int) float64 {
	switch t.dtype {
	case Float64:
		return t.d64[p]
	case Int64:
		return float64(t.is.i64[p])
	case Bool:
		return b2f(t.is.b[p])
	}
	return float64(t.d32[p])
}

// Float64s returns the values, row-major, as a new slice.
func (t *Tensor) Float64s() []float64 {
	out := make([]float64, t.Numel())
	switch t.dtype {
	case Float64:
		gather(out, t.d64, t.shape, t.strides, t.offset)
		return out
	case Int64, Bool:
		convertInto(out, t)
		return out
	}
	tmp := t.Float32s()
	for i, v := range tmp {
		out[i] = float64(v)
	}
	return out
}

// Float32s returns the values, row-major, as a new slice.
func (t *Tensor) Float32s() []float32 {
	out := make([]float32, t.Numel())
	switch t.dtype {
	case Float32:
		gather(out, t.d32, t.shape, t.strides, t.offset)
		return out
	case Int64, Bool:
		convertInto(out, t)
		return out
	}
	tmp := t.Float64s()
	for i, v := range tmp {
		out[i] = float32(v)
	}
	return out
}

// Ints returns the values rounded towards zero as ints (for index tensors).
func (t *Tensor) Ints() []int {
	if t.dtype == Int64 || t.dtype == Bool {
		out := make([]int, t.Numel())
		convertInto(out, t)
		return out
	}
	v := t.Float64s()
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

// Data32 returns the live backing slice of a contiguous float32 tensor, for
// optimisers that update parameters in place.
func (t *Tensor) Data32() []float32 {
	if t.dtype != Float32 {
		fail("Data32: tensor is %v, not float32", t.dtype)
	}
	if !t.IsContiguous() {
		fail("Data32: tensor with shape %v and strides %v is not contiguous (use Contiguous())", t.shape, t.strides)
	}
	return t.d32[t.offset : t.offset+t.Numel()]
}

// Data64 returns the live backing slice of a contiguous float64 tensor.
func (t *Tensor) Data64() []float64 {
	if t.dtype != Float64 {
		fail("Data64: tensor is %v, not float64", t.dtype)
	}
	if !t.IsContiguous() {
		fail("Data64: tensor with shape %v and strides %v is not contiguous (use Contiguous())", t.shape, t.strides)
	}
	return t.d64[t.offset : t.offset+t.Numel()]
}

// At returns the element at the given indices (one per dimension).
func (t *Tensor) At(idx ...int) float64 {
	if len(idx) != len(t.shape) {
		fail("At: %d indices for a tensor with shape %v", len(idx), t.shape)
	}
	p := t.offset
	for i, x := range idx {
		if x < 0 {
			x += t.shape[i]
		}
		if x < 0 || x >= t.shape[i] {
			fail("At: index %d out of range for dimension %d of shape %v", idx[i], i, t.shape)
		}
		p += x * t.strides[i]
	}
	return t.valueAt(p)
}

// Grad returns the accumulated gradient (nil before any backward).
func (t *Tensor) Grad() *Tensor {
	t.materializeZero()
	return t.grad
}

// SetGrad replaces the gradient (nil clears it).
func (t *Tensor) SetGrad(g *Tensor) { t.grad, t.gradZero = g, false }

// RequiresGrad reports whether gradients flow to or through this tensor.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// SetRequiresGrad marks a leaf tensor as a parameter whose gradient Backward
// accumulates. It returns t so it chains: ag.Zeros(3).SetRequiresGrad(true).
func (t *Tensor) SetRequiresGrad(b bool) *Tensor {
	if b && !t.dtype.IsFloat() {
		fail("SetRequiresGrad: only floating point tensors can require gradients, this one is %v (convert it with Float())", t.dtype)
	}
	if t.fn != nil && !b {
		fail("SetRequiresGrad: can only change requires_grad of leaf tensors (use Detach())")
	}
	t.requiresGrad = b
	return t
}

// IsLeaf reports whether t was created by the user rather than by an op that
// records a graph.
func (t *Tensor) IsLeaf() bool { return t.fn == nil }

// RetainGrad makes Backward keep the gradient of a non-leaf tensor.
func (t *Tensor) RetainGrad() *Tensor { t.retain = true; return t }

// ZeroGrad zeroes the gradient in place (keeping its buffer), if there is
// one. The zeroing is lazy: the buffer is cleared when Grad next reads it,
// or overwritten by the next Backward without being cleared first (see
// lazyzero.go); a gradient tensor fetched before ZeroGrad keeps its old
// values until then.
func (t *Tensor) ZeroGrad() {
	if t.grad != nil {
		t.gradZero = true
	}
}

// GradFn names the op that produced t ("" for leaves), like PyTorch's grad_fn.
func (t *Tensor) GradFn() string {
	if t.fn == nil {
		return ""
	}
	return t.fn.op + "Backward"
}

// ---- creation ----

func shapeFor(op string, n int, shape []int) []int {
	if len(shape) == 0 {
		return []int{n}
	}
	checkShape(op, shape)
	sh := append([]int(nil), shape...)
	neg := -1
	p := 1
	for i, s := range sh {
		if s == -1 && neg < 0 {
			neg = i
			continue
		}
		p *= s
	}
	if neg >= 0 && p > 0 && n%p == 0 {
		sh[neg] = n / p
		p *= sh[neg]
	}
	if p != n {
		fail("%s: %d values do not fill shape %v", op, n, shape)
	}
	return sh
}

// New returns a float32 tensor holding data with the given shape (1-D if no
// shape is given; one dimension may be -1).
func New(data []float64, shape ...int) *Tensor {
	t := newTensor(Float32, shapeFor("New", len(data), shape))
	for i, v := range data {
		t.d32[i] = float32(v)
	}
	return t
}

// New64 is New for float64.
func New64(data []float64, shape ...int) *Tensor {
	t := newTensor(Float64, shapeFor("New64", len(data), shape))
	copy(t.d64, data)
	return t
}

// New32 returns a float32 tensor holding a copy of data.
func New32(data []float32, shape ...int) *Tensor {
	t := newTensor(Float32, shapeFor("New32", len(data), shape))
	copy(t.d32, data)
	return t
}

// Scalar returns a 0-d float32 tensor.
func Scalar(v float64) *Tensor {
	t := newTensor(Float32, nil)
	t.d32[0] = float32(v)
	return t
}

// Scalar64 returns a 0-d float64 tensor.
func Scalar64(v float64) *Tensor {
	t := newTensor(Float64, nil)
	t.d64[0] = v
	return t
}

// Zeros returns a float32 tensor of zeros; with no shape, a 0-d zero.
func Zeros(shape ...int) *Tensor { checkNew("Zeros", Float32, shape); return newTensor(Float32, shape) }

// Zeros64 is Zeros for float64.
func Zeros64(shape ...int) *Tensor {
	checkNew("Zeros64", Float64, shape)
	return newTensor(Float64, shape)
}

// Ones returns a float32 tensor of ones.
func Ones(shape ...int) *Tensor { checkNew("Ones", Float32, shape); return Full(1, shape...) }

// Ones64 is Ones for float64.
func Ones64(shape ...int) *Tensor {
	checkNew("Ones64", Float64, shape)
	return Zeros64(shape...).fill(1)
}

// Full returns a float32 tensor filled with v.
func Full(v float64, shape ...int) *Tensor {
	checkNew("Full", Float32, shape)
	return Zeros(shape...).fill(v)
}

// ZerosLike returns zeros with t's shape and dtype.
func ZerosLike(t *Tensor) *Tensor { return newTensor(t.dtype, t.shape) }

// OnesLike returns ones with t's shape and dtype.
func OnesLike(t *Tensor) *Tensor { return newTensor(t.dtype, t.shape).fill(1) }

// FullLike returns t's shape and dtype filled with v.
func FullLike(t *Tensor, v float64) *Tensor { return newTensor(t.dtype, t.shape).fill(v) }

// Linspace returns steps evenly spaced float32 values from start to end inclusive.
func Linspace(start, end float64, steps int) *Tensor {
	return Linspace64(start, end, steps).To(Float32)
}

// Linspace64 is Linspace for float64.
func Linspace64(start, end float64, steps int) *Tensor {
	if steps < 0 {
		fail("Linspace: number of steps must be non-negative, got %d", steps)
	}
	t := newTensor(Float64, []int{steps})
	if steps == 1 {
		t.d64[0] = start
		return t
	}
	step := (end - start) / float64(steps-1)
	half := steps / 2
	for i := 0; i < steps; i++ {
		// fill from both ends as torch does, so the last value is exactly end
		if i < half {
			t.d64[i] = start + step*float64(i)
		} else {
			t.d64[i] = end - step*float64(steps-1-i)
		}
	}
	return t
}

// Arange returns float32 values start, start+step, ... below end.
func Arange(start, end, step float64) *Tensor { return Arange64(start, end, step).To(Float32) }

// Arange64 is Arange for float64.
func Arange64(start, end, step float64) *Tensor {
	if step == 0 || (end-start)/step < 0 {
		fail("Arange: step %v cannot go from %v to %v", step, start, end)
	}
	n := int(math.Ceil((end - start) / step))
	t := newTensor(Float64, []int{n})
	for i := range t.d64 {
		t.d64[i] = start + float64(i)*step
	}
	return t
}

// Eye returns the n x n float32 identity matrix.
func Eye(n int) *Tensor {
	t := Zeros(n, n)
	for i := 0; i < n; i++ {
		t.d32[i*n+i] = 1
	}
	return t
}

// fill sets every element of t (any layout) to v and returns t.
func (t *Tensor) fill(v float64) *Tensor {
	if t.IsContiguous() {
		n := t.Numel()
		switch t.dtype {
		case Int64:
			fillSlice(t.is.i64[t.offset:t.offset+n], int64(v))
			return t
		case Bool:
			fillSlice(t.is.b[t.offset:t.offset+n], v != 0)
			return t
		}
		if t.dtype == Float64 {
			s := t.d64[t.offset : t.offset+n]
			for i := range s {
				s[i] = v
			}
		} else {
			s := t.d32[t.offset : t.offset+n]
			f := float32(v)
			for i := range s {
				s[i] = f
			}
		}
		return t
	}
	t.assign(FullLike(t, v))
	return t
}

// To returns t converted to dtype dt (t itself if it already has it). The
// conversion is differentiable.
func (t *Tensor) To(dt DType) *Tensor {
	if t.dtype == dt {
		return t
	}
	if !dt.IsFloat() || !t.dtype.IsFloat() {
		return t.convert(dt) // no gradient flows through an integer tensor
	}
	out := newTensor(dt, t.shape)
	if dt == Float64 {
		src := t.Float32s()
		for i, v := range src {
			out.d64[i] = float64(v)
		}
	} else {
		src := t.Float64s()
		for i, v := range src {
			out.d32[i] = float32(v)
		}
	}
	from := t.dtype
	record(out, "To", func(g *Tensor, gs []*Tensor) { gs[0] = g.To(from) }, t)
	return out
}

// Double returns t as float64.
func (t *Tensor) Double() *Tensor { return t.To(Float64) }

// Float returns t as float32.
func (t *Tensor) Float() *Tensor { return t.To(Float32) }

// Contiguous returns t if it is laid out row-major, else a contiguous copy.
func (t *Tensor) Contiguous() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.Clone()
}

// Clone returns a differentiable copy with its own contiguous storage.
func (t *Tensor) Clone() *Tensor {
	out := t.copyData()
	record(out, "Clone", func(g *Tensor, gs []*Tensor) { gs[0] = g }, t)
	return out
}

// copyData returns a contiguous copy with no graph.
func (t *Tensor) copyData() *Tensor {
	out := newTensor(t.dtype, t.shape)
	switch t.dtype {
	case Int64:
		gather(out.is.i64, t.is.i64, t.shape, t.strides, t.offset)
		return out
	case Bool:
		gather(out.is.b, t.is.b, t.shape, t.strides, t.offset)
		return out
	}
	if t.dtype == Float64 {
		gather(out.d64, t.d64, t.shape, t.strides, t.offset)
	} else {
		gather(out.d32, t.d32, t.shape, t.strides, t.offset)
	}
	return out
}

// Detach returns a tensor sharing t's storage that is cut from the graph.
func (t *Tensor) Detach() *Tensor {
	return t.view(t.shape, t.strides, t.offset)
}

// contig returns the contiguous values of t as a slice of its dtype: the live
// storage when t is contiguous, a copy otherwise.
func (t *Tensor) contig32() []float32 {
	if t.IsContiguous() {
		return t.d32[t.offset : t.offset+t.Numel()]
	}
	return t.copyData().d32
}

func (t *Tensor) contig64() []float64 {
	if t.IsContiguous() {
		return t.d64[t.offset : t.offset+t.Numel()]
	}
	return t.copyData().d64
}

// stridedRows calls row(pos, o) for each innermost row of the strided
// view (shape, strides, off), in row-major order: pos is the row's first
// element in the strided storage, o its index in a contiguous copy.
func stridedRows(shape, strides []int, off int, row func(pos, o int)) {
	nd := len(shape)
	if nd == 0 {
		row(off, 0)
		return
	}
	if numelOf(shape) == 0 {
		return
	}
	var idxBuf [8]int
	idx := idxBuf[:0]
	if nd > 8 {
		idx = make([]int, nd)
	} else {
		idx = idxBuf[:nd]
	}
	inner := shape[nd-1]
	pos, o := off, 0
	for {
		row(pos, o)
		o += inner
		d := nd - 2
		for ; d >= 0; d-- {
			idx[d]++
			pos += strides[d]
			if idx[d] < shape[d] {
				break
			}
			pos -= strides[d] * shape[d]
			idx[d] = 0
		}
		if d < 0 {
			return
		}
	}
}

// innerOf is the length and stride of the innermost dimension (1, 1 for 0-d).
func innerOf(shape, strides []int) (n, stride int) {
	if len(shape) == 0 {
		return 1, 1
	}
	return shape[len(shape)-1], strides[len(shape)-1]
}

// gather copies the strided view (shape, strides, off) of src into dst, row-major.
func gather[T elem](dst, src []T, shape, strides []int, off int) {
	inner, is := innerOf(shape, strides)
	stridedRows(shape, strides, off, func(pos, o int) {
		if is == 1 {
			copy(dst[o:o+inner], src[pos:pos+inner])
			return
		}
		d := dst[o : o+inner]
		for j := range d {
			d[j] = src[pos]
			pos += is
		}
	})
}

// scatter writes contiguous src into the strided view (shape, strides, off) of dst.
func scatter[T elem](dst, src []T, shape, strides []int, off int) {
	inner, is := innerOf(shape, strides)
	stridedRows(shape, strides, off, func(pos, o int) {
		for _, v := range src[o : o+inner] {
			dst[pos] = v
			pos += is
		}
	})
}

// assign copies src's values (broadcast to t's shape) into t's view.
func (t *Tensor) assign(src *Tensor) {
	if src.dtype != t.dtype {
		src = src.Detach().To(t.dtype)
	}
	s := src.expandTo("CopyFrom", t.shape)
	switch t.dtype {
	case Int64:
		assignInto(t, t.is.i64, s.copyData().is.i64)
		return
	case Bool:
		assignInto(t, t.is.b, s.copyData().is.b)
		return
	}
	if t.dtype == Float64 {
		vals := s.contig64()
		if t.IsContiguous() {
			copy(t.d64[t.offset:t.offset+t.Numel()], vals)
		} else {
			scatter(t.d64, vals, t.shape, t.strides, t.offset)
		}
	} else {
		vals := s.contig32()
		if t.IsContiguous() {
			copy(t.d32[t.offset:t.offset+t.Numel()], vals)
		} else {
			scatter(t.d32, vals, t.shape, t.strides, t.offset)
		}
	}
}

func (t *Tensor) normDim(op string, dim int) int {
	n := len(t.shape)
	d := dim
	if d < 0 {
		d += n
	}
	if d < 0 || d >= n {
		fail("%s: dimension %d out of range for shape %v", op, dim, t.shape)
	}
	return d
}

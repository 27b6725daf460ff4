package autograd

import (
	"unsafe"

	"github.com/gradlab/gradlab/autograd/internal/hugepage"
)

// Integer and bool tensors: storage, conversion, bulk constructors and the
// type promotion of mixed arithmetic. The float paths do not change: an
// Int64 or Bool tensor keeps its elements in an istore, and the ops that
// accept one convert it (or its partner) where they start.

// istore is the storage of an Int64 (i64) or Bool (b) tensor; views share
// it, as float views share d32/d64.
type istore struct {
	i64 []int64
	b   []bool
}

// elem is every element type a tensor stores.
type elem interface {
	float32 | float64 | int64 | bool
}

// number is every element type arithmetic runs on (bool is promoted to
// int64 first).
type number interface {
	float32 | float64 | int64
}

func fillSlice[T elem](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

// assignInto writes contiguous vals into t's view of storage dst.
func assignInto[T elem](t *Tensor, dst, vals []T) {
	if t.IsContiguous() {
		copy(dst[t.offset:t.offset+t.Numel()], vals)
		return
	}
	scatter(dst, vals, t.shape, t.strides, t.offset)
}

// convertInto writes the row-major values of t, of any dtype, into out:
// float to integer rounds towards zero as Go's conversion and torch do,
// anything non-zero is true, and true is 1.
func convertInto[T int | float32 | float64 | int64](out []T, t *Tensor) {
	switch t.dtype {
	case Int64:
		src := t.contigI64()
		for i, v := range src {
			out[i] = T(v)
		}
	case Bool:
		src := t.contigBool()
		for i, v := range src {
			if v {
				out[i] = 1
			} else {
				out[i] = 0
			}
		}
	case Float64:
		src := t.contig64()
		for i, v := range src {
			out[i] = T(v)
		}
	default:
		src := t.contig32()
		for i, v := range src {
			out[i] = T(v)
		}
	}
}

func (t *Tensor) contigI64() []int64 {
	if t.IsContiguous() {
		return t.is.i64[t.offset : t.offset+t.Numel()]
	}
	return t.copyData().is.i64
}

func (t *Tensor) contigBool() []bool {
	if t.IsContiguous() {
		return t.is.b[t.offset : t.offset+t.Numel()]
	}
	return t.copyData().is.b
}

// convert returns a new tensor of dtype dt holding t's values, with no
// graph (conversions to and from integers carry no gradient, as in torch).
func (t *Tensor) convert(dt DType) *Tensor {
	out := newTensor(dt, t.shape)
	switch dt {
	case Float32:
		convertInto(out.d32, t)
	case Float64:
		convertInto(out.d64, t)
	case Int64:
		convertInto(out.is.i64, t)
	case Bool:
		switch t.dtype {
		case Float32:
			for i, v := range t.contig32() {
				out.is.b[i] = v != 0
			}
		case Float64:
			for i, v := range t.contig64() {
				out.is.b[i] = v != 0
			}
		case Int64:
			for i, v := range t.contigI64() {
				out.is.b[i] = v != 0
			}
		}
	}
	return out
}

// Long returns t as Int64 (floats round towards zero), like torch's .long().
func (t *Tensor) Long() *Tensor { return t.To(Int64) }

// Bool returns t as Bool (non-zero is true), like torch's .bool().
func (t *Tensor) Bool() *Tensor { return t.To(Bool) }

// Int64s returns the values, row-major, as a new slice of int64 (floats
// round towards zero).
func (t *Tensor) Int64s() []int64 {
	out := make([]int64, t.Numel())
	convertInto(out, t)
	return out
}

// Bools returns the values, row-major, as a new slice (non-zero is true).
func (t *Tensor) Bools() []bool {
	if t.dtype == Bool {
		return append([]bool{}, t.contigBool()...)
	}
	return t.convert(Bool).is.b
}

// ItemInt returns the value of a one-element tensor as an int (floats
// round towards zero): correct := pred.Eq(y).Sum().ItemInt().
func (t *Tensor) ItemInt() int {
	if t.Numel() != 1 {
		fail("ItemInt: only one-element tensors can be converted to a number (got shape %v)", t.shape)
	}
	p := t.offset
	switch t.dtype {
	case Int64:
		return int(t.is.i64[p])
	case Bool:
		if t.is.b[p] {
			return 1
		}
		return 0
	}
	return int(t.valueAt(p))
}

// DataInt64 returns the live backing slice of a contiguous Int64 tensor.
func (t *Tensor) DataInt64() []int64 {
	if t.dtype != Int64 {
		fail("DataInt64: tensor is %v, not int64", t.dtype)
	}
	if !t.IsContiguous() {
		fail("DataInt64: tensor with shape %v and strides %v is not contiguous (use Contiguous())", t.shape, t.strides)
	}
	return t.is.i64[t.offset : t.offset+t.Numel()]
}

// ---- creation ----

// FromInts returns an Int64 tensor holding data (labels, indices), as
// torch.tensor([1, 2, 3]) does.
func FromInts(data []int, shape ...int) *Tensor {
	t := newTensor(Int64, shapeFor("FromInts", len(data), shape))
	for i, v := range data {
		t.is.i64[i] = int64(v)
	}
	return t
}

// FromInt64s returns an Int64 tensor holding a copy of data.
func FromInt64s(data []int64, shape ...int) *Tensor {
	t := newTensor(Int64, shapeFor("FromInt64s", len(data), shape))
	copy(t.is.i64, data)
	return t
}

// FromBools returns a Bool tensor holding a copy of data.
func FromBools(data []bool, shape ...int) *Tensor {
	t := newTensor(Bool, shapeFor("FromBools", len(data), shape))
	copy(t.is.b, data)
	return t
}

// FromUint8 returns a float32 tensor holding bytes as the values 0..255:
// image pixels, e.g. ag.FromUint8(pixels, 60000, 28, 28).DivScalar(255).
// One native loop, so loading a data set costs no interpreted loop. For
// []byte too ([]byte and []uint8 are the same type).
func FromUint8(data []uint8, shape ...int) *Tensor {
	t := newTensor(Float32, shapeFor("FromUint8", len(data), shape))
	d := t.d32[:len(data)]
	if len(d) > 0 {
		hugepage.Advise(unsafe.Pointer(&d[0]), 4*len(d))
	}
	// A dataset's worth (188 MB of float32 for Fashion-MNIST) is split
	// over the cores: the conversion, and the page faults of the fresh
	// memory, which cost as much.
	const chunk = 1 << 20
	chunks := (len(data) + chunk - 1) / chunk
	parallelItems(chunks, convWorkers(chunks), func(c, _ int) {
		lo, hi := c*chunk, min(len(data), (c+1)*chunk)
		src, dst := data[lo:hi], d[lo:hi]
		for i, v := range src {
			dst[i] = float32(v)
		}
	})
	return t
}

// FromUint8Long returns an Int64 tensor holding bytes as the values
// 0..255: class labels stored one byte each.
func FromUint8Long(data []uint8, shape ...int) *Tensor {
	t := newTensor(Int64, shapeFor("FromUint8Long", len(data), shape))
	d := t.is.i64[:len(data)]
	for i, v := range data {
		d[i] = int64(v)
	}
	return t
}

// ZerosOf returns zeros of dtype dt: ag.ZerosOf(ag.Int64, 3) is
// torch.zeros(3, dtype=torch.long).
func ZerosOf(dt DType, shape ...int) *Tensor {
	checkDTypeValue("ZerosOf", dt)
	checkNew("ZerosOf", dt, shape)
	return newTensor(dt, shape)
}

// FullOf returns a tensor of dtype dt filled with v (converted to dt).
func FullOf(dt DType, v float64, shape ...int) *Tensor { return ZerosOf(dt, shape...).fill(v) }

// ArangeLong returns the Int64 values start, start+step, ... below end,
// as torch.arange with integer arguments.
func ArangeLong(start, end, step int) *Tensor {
	if step == 0 || (step > 0 && end < start) || (step < 0 && end > start) {
		fail("ArangeLong: step %d cannot go from %d to %d", step, start, end)
	}
	n := 0
	if step > 0 {
		n = (end - start + step - 1) / step
	} else {
		n = (start - end - step - 1) / -step
	}
	t := newTensor(Int64, []int{n})
	for i := range t.is.i64 {
		t.is.i64[i] = int64(start + i*step)
	}
	return t
}

func checkDTypeValue(op string, dt DType) {
	if dt < Float32 || dt > Bool {
		fail("%s: unknown dtype %d", op, int(dt))
	}
}

// ---- type promotion ----

// category orders the kinds of dtype as torch's promotion does: bool <
// integer < floating point.
func category(dt DType) int {
	switch dt {
	case Bool:
		return 0
	case Int64:
		return 1
	}
	return 2
}

// rank orders dtypes within and across categories.
func rank(dt DType) int {
	switch dt {
	case Bool:
		return 0
	case Int64:
		return 1
	case Float32:
		return 2
	}
	return 3
}

// ResultType returns the dtype of an element-wise op on a and b, as
// torch.result_type: the larger dtype (bool < int64 < float32 < float64),
// except that a 0-d tensor does not widen a dimensioned tensor of its own
// category (Float32 tensor + 0-d Float64 is Float32, as in torch).
func ResultType(a, b *Tensor) DType {
	da, db := a.dtype, b.dtype
	if da == db {
		return da
	}
	if (len(a.shape) == 0) != (len(b.shape) == 0) {
		dim, zero := da, db
		if len(a.shape) == 0 {
			dim, zero = db, da
		}
		if category(zero) <= category(dim) {
			return dim
		}
		return zero
	}
	return PromoteTypes(da, db)
}

// PromoteTypes returns the smallest dtype both a and b convert to without
// losing their kind, as torch.promote_types: bool < int64 < float32 <
// float64.
func PromoteTypes(a, b DType) DType {
	if rank(a) > rank(b) {
		return a
	}
	return b
}

// promote converts a and b to the dtype an op on both computes in (see
// ResultType); float conversions are recorded, so gradients flow back in
// each input's own dtype.
func promote(a, b *Tensor) (*Tensor, *Tensor) {
	dt := ResultType(a, b)
	return a.To(dt), b.To(dt)
}

// asFloat returns t, or t as Float32 when it is an integer or bool tensor,
// for the ops whose result is a float whatever the input (Exp, Div, Mean).
func (t *Tensor) asFloat() *Tensor {
	if t.dtype.IsFloat() {
		return t
	}
	return t.convert(Float32)
}

// needFloat fails unless every tensor is floating point, for ops that have
// no integer version (Matmul, Linear, losses).
func needFloat(op string, ts ...*Tensor) {
	for _, t := range ts {
		if !t.dtype.IsFloat() {
			fail("%s: expected a floating point tensor, got %v with shape %v (convert it with Float())", op, t.dtype, t.shape)
		}
	}
}

// promoteArith is promote for arithmetic kind: bool arithmetic computes in
// Int64, and division of integers is true division in Float32, as torch's
// a / b.
func promoteArith(kind int, a, b *Tensor) (*Tensor, *Tensor) {
	dt := ResultType(a, b)
	if dt == Bool {
		dt = Int64
	}
	if kind == kDiv && !dt.IsFloat() {
		dt = Float32
	}
	return a.To(dt), b.To(dt)
}

// cast is t in dtype dt without a graph (for comparisons and indices).
func (t *Tensor) cast(dt DType) *Tensor {
	if t.dtype == dt {
		return t
	}
	return t.convert(dt)
}

// compare returns the Bool mask kind(a, b) (kGt ... kNe), broadcasting.
func compare(kind int, a, b *Tensor) *Tensor {
	op := binNames[kind]
	dt := ResultType(a, b)
	if dt == Bool {
		dt = Int64 // false < true, as 0 < 1
	}
	a, b = a.cast(dt), b.cast(dt)
	shape := broadcastShapes(op, a.shape, b.shape)
	out := newTensor(Bool, shape)
	switch dt {
	case Float64:
		cmpLoop(kind, out.is.b, a.d64, b.d64, a, b, shape)
	case Int64:
		cmpLoop(kind, out.is.b, a.is.i64, b.is.i64, a, b, shape)
	default:
		cmpLoop(kind, out.is.b, a.d32, b.d32, a, b, shape)
	}
	return out
}

func cmpLoop[T number](kind int, out []bool, ad, bd []T, a, b *Tensor, shape []int) {
	walk2("compare", a, b, shape, func(o, ap, as, bp, bs, n int) {
		for i := o; i < o+n; i++ {
			x, y := ad[ap], bd[bp]
			var r bool
			switch kind {
			case kGt:
				r = x > y
			case kGe:
				r = x >= y
			case kLt:
				r = x < y
			case kLe:
				r = x <= y
			case kEq:
				r = x == y
			case kNe:
				r = x != y
			}
			out[i] = r
			ap += as
			bp += bs
		}
	})
}

// walk2 calls row for each innermost row of a and b broadcast to shape:
// the row's first output index o, each input's position and stride, and
// the row's length; op names the operation in a broadcast error.
func walk2(op string, a, b *Tensor, shape []int, row func(o, ap, as, bp, bs, n int)) {
	if numelOf(shape) == 0 {
		return
	}
	if len(shape) == 0 {
		row(0, a.offset, 0, b.offset, 0, 1)
		return
	}
	as, bs := bstrides(op, a, shape), bstrides(op, b, shape)
	nd := len(shape)
	inner := shape[nd-1]
	idx := make([]int, nd)
	ap, bp, o := a.offset, b.offset, 0
	for {
		row(o, ap, as[nd-1], bp, bs[nd-1], inner)
		o += inner
		d := nd - 2
		for ; d >= 0; d-- {
			idx[d]++
			ap += as[d]
			bp += bs[d]
			if idx[d] < shape[d] {
				break
			}
			ap -= as[d] * shape[d]
			bp -= bs[d] * shape[d]
			idx[d] = 0
		}
		if d < 0 {
			return
		}
	}
}

func whereInto[T elem](out []T, c []bool, x, y []T) {
	for i := range out {
		if c[i] {
			out[i] = x[i]
		} else {
			out[i] = y[i]
		}
	}
}

// NeScalar returns the mask t != c (Bool).
func (t *Tensor) NeScalar(c float64) *Tensor { return compare(kNe, t, t.scalarLike(c)) }

// ---- logical ops on masks ----

// LogicalNot returns the mask of t's false (zero) elements.
func (t *Tensor) LogicalNot() *Tensor {
	b := t.cast(Bool).contigBool()
	out := newTensor(Bool, t.shape)
	for i, v := range b {
		out.is.b[i] = !v
	}
	return out
}

// LogicalAnd returns the mask t && o (non-zero is true), broadcasting.
func (t *Tensor) LogicalAnd(o *Tensor) *Tensor { return logical("LogicalAnd", t, o, 0) }

// LogicalOr returns the mask t || o, broadcasting.
func (t *Tensor) LogicalOr(o *Tensor) *Tensor { return logical("LogicalOr", t, o, 1) }

// LogicalXor returns the mask t != o as truth values, broadcasting.
func (t *Tensor) LogicalXor(o *Tensor) *Tensor { return logical("LogicalXor", t, o, 2) }

func logical(op string, a, b *Tensor, kind int) *Tensor {
	a, b = a.cast(Bool), b.cast(Bool)
	shape := broadcastShapes(op, a.shape, b.shape)
	out := newTensor(Bool, shape)
	walk2(op, a, b, shape, func(o, ap, as, bp, bs, n int) {
		for i := o; i < o+n; i++ {
			x, y := a.is.b[ap], b.is.b[bp]
			switch kind {
			case 0:
				out.is.b[i] = x && y
			case 1:
				out.is.b[i] = x || y
			default:
				out.is.b[i] = x != y
			}
			ap += as
			bp += bs
		}
	})
	return out
}

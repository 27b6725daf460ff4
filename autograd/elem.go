package autograd

import (
	"math"
	"slices"
)

// Element-wise ops. Each op is followed by its backward; broadcasting ops
// reduce their gradient back to each input's shape with sumTo.

const (
	kAdd = iota
	kSub
	kMul
	kDiv
	kPow
	kMaximum
	kMinimum
	kGt
	kGe
	kLt
	kLe
	kEq
	kNe
	kMaskPos // a where b > 0, else 0 (ReLU's backward)
)

var binNames = [...]string{"Add", "Sub", "Mul", "Div", "Pow", "Maximum", "Minimum", "Gt", "Ge", "Lt", "Le", "Eq", "Ne", "MaskPos"}

func broadcastShapes(op string, a, b []int) []int {
	if slices.Equal(a, b) {
		return a
	}
	n := len(a)
	if len(b) > n {
		n = len(b)
	}
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db, db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			fail("%s: shapes %v and %v do not broadcast", op, a, b)
		}
	}
	return out
}

// bstrides returns t's strides for a broadcast to shape (0 on broadcast dims).
func bstrides(op string, t *Tensor, shape []int) []int {
	st := make([]int, len(shape))
	off := len(shape) - len(t.shape)
	if off < 0 {
		fail("%s: cannot broadcast shape %v to %v", op, t.shape, shape)
	}
	for i := range t.shape {
		switch {
		case t.shape[i] == shape[off+i]:
			st[off+i] = t.strides[i]
		case t.shape[i] == 1:
			st[off+i] = 0
		default:
			fail("%s: cannot broadcast shape %v to %v", op, t.shape, shape)
		}
	}
	return st
}

// expandTo is a broadcast view of t with the given shape (no graph).
func (t *Tensor) expandTo(op string, shape []int) *Tensor {
	if slices.Equal(t.shape, shape) {
		return t
	}
	return t.view(append([]int(nil), shape...), bstrides(op, t, shape), t.offset)
}

func checkDType(op string, a, b *Tensor) {
	if a.dtype != b.dtype {
		fail("%s: dtype mismatch: %v and %v (convert one with Float() or Double())", op, a.dtype, b.dtype)
	}
}

// binary computes kind(a, b) with broadcasting into a new tensor of the
// operands' dtype (comparisons give 0/1 of it: the masks of backward
// functions). a and b have one dtype.
func binary(kind int, a, b *Tensor) *Tensor { return binaryAlloc(kind, a, b, false) }

// binaryOp is binary recorded with a static backward, after promoting the
// operands to a common dtype.
func binaryOp(kind int, a, b *Tensor, bw staticBackward) *Tensor {
	if a.dtype != b.dtype || !a.dtype.IsFloat() {
		a, b = promoteArith(kind, a, b)
	}
	track := tracking(a, b)
	out := binaryAlloc(kind, a, b, track)
	if track {
		attach(out, binNames[kind], bw, a, b)
	}
	return out
}

func binaryAlloc(kind int, a, b *Tensor, track bool) *Tensor {
	op := binNames[kind]
	checkDType(op, a, b)
	shape := broadcastShapes(op, a.shape, b.shape)
	if !slices.Equal(a.shape, b.shape) { // a broadcast can make a tensor larger than both
		checkAlloc(op, a.dtype, shape)
	}
	if a.dtype == Bool { // internal callers: bool arithmetic computes in int64
		a, b = a.convert(Int64), b.convert(Int64)
	}
	if a.dtype == Int64 {
		out := newTensor(Int64, shape)
		binLoop(kind, out.is.i64, a.is.i64, b.is.i64, a, b, shape)
		return out
	}
	out := newOutPooled(a.dtype, shape, track)
	if a.dtype == Float64 {
		binLoop(kind, out.d64, a.d64, b.d64, a, b, shape)
	} else {
		binLoop(kind, out.d32, a.d32, b.d32, a, b, shape)
	}
	return out
}

func binLoop[T number](kind int, out, ad, bd []T, a, b *Tensor, shape []int) {
	n := len(out)
	if n == 0 {
		return
	}
	if slices.Equal(a.shape, b.shape) && a.IsContiguous() && b.IsContiguous() {
		binInner(kind, out, ad, a.offset, 1, bd, b.offset, 1)
		return
	}
	if a.Numel() == 1 && b.IsContiguous() && slices.Equal(b.shape, shape) {
		binInner(kind, out, ad, a.offset, 0, bd, b.offset, 1)
		return
	}
	if b.Numel() == 1 && a.IsContiguous() && slices.Equal(a.shape, shape) {
		binInner(kind, out, ad, a.offset, 1, bd, b.offset, 0)
		return
	}
	walk2(binNames[kind], a, b, shape, func(o, ap, as, bp, bs, n int) {
		binInner(kind, out[o:o+n], ad, ap, as, bd, bp, bs)
	})
}

// binInner runs one row: out[i] = a[ap+i*as] kind b[bp+i*bs]. The hot
// arithmetic kinds get tight loops for the contiguous and scalar cases.
func binInner[T number](kind int, out, a []T, ap, as int, b []T, bp, bs int) {
	n := len(out)
	switch {
	case as == 1 && bs == 1:
		x, y := a[ap:ap+n], b[bp:bp+n]
		switch kind {
		case kAdd:
			for i := range out {
				out[i] = x[i] + y[i]
			}
			return
		case kSub:
			for i := range out {
				out[i] = x[i] - y[i]
			}
			return
		case kMul:
			for i := range out {
				out[i] = x[i] * y[i]
			}
			return
		case kDiv:
			for i := range out {
				out[i] = x[i] / y[i]
			}
			return
		case kMaskPos:
			maskPos(out, x, y)
			return
		}
	case as == 1 && bs == 0:
		x, v := a[ap:ap+n], b[bp]
		switch kind {
		case kAdd:
			for i := range out {
				out[i] = x[i] + v
			}
			return
		case kSub:
			for i := range out {
				out[i] = x[i] - v
			}
			return
		case kMul:
			for i := range out {
				out[i] = x[i] * v
			}
			return
		case kDiv:
			for i := range out {
				out[i] = x[i] / v
			}
			return
		}
	case as == 0 && bs == 1:
		v, y := a[ap], b[bp:bp+n]
		switch kind {
		case kAdd:
			for i := range out {
				out[i] = v + y[i]
			}
			return
		case kSub:
			for i := range out {
				out[i] = v - y[i]
			}
			return
		case kMul:
			for i := range out {
				out[i] = v * y[i]
			}
			return
		case kDiv:
			for i := range out {
				out[i] = v / y[i]
			}
			return
		}
	}
	for i := range out {
		out[i] = binOne(kind, a[ap], b[bp])
		ap += as
		bp += bs
	}
}

// maskPos sets out[i] = x[i] where y[i] > 0, else 0, with integer masks
// instead of branches: ReLU's inputs are positive or negative at random,
// which defeats the branch predictor. As integers, y > 0 exactly when
// -y has its sign bit set and y has not (-0.0 is the one exception to
// the first test and fails the second).
func maskPos[T number](out, x, y []T) {
	switch o := any(out).(type) {
	case []float32:
		maskPos32(o, any(x).([]float32), any(y).([]float32))
	case []float64:
		xs, ys := any(x).([]float64), any(y).([]float64)
		xs, ys = xs[:len(o)], ys[:len(o)]
		for i := range o {
			o[i] = math.Float64frombits(math.Float64bits(xs[i]) & posMask64(ys[i]))
		}
	}
}

// maskColSum32Go is maskColSum32 as two passes: maskPos32, then colSumF64.
func maskColSum32Go(gz, g, y []float32, acc []float64, rows, cols int) {
	n := rows * cols
	maskPos32(gz[:n], g[:n], y[:n])
	colSumF64(acc, gz, rows, cols)
}

// posMask32 is all ones where y > 0, else 0 (NaN included, as the vector
// compare does): the ReLU mask without a branch. In y's bits as an
// integer, y > 0 is 0 < bits <= +Inf's bits.
func posMask32(y float32) uint32 {
	yi := int32(math.Float32bits(y))
	return uint32((-yi)>>31) & uint32((yi-0x7F800001)>>31) &^ uint32(yi>>31)
}

// posMask64 is posMask32 for float64.
func posMask64(y float64) uint64 {
	yi := int64(math.Float64bits(y))
	return uint64((-yi)>>63) & uint64((yi-0x7FF0000000000001)>>63) &^ uint64(yi>>63)
}

func b2f(c bool) float64 {
	if c {
		return 1
	}
	return 0
}

func binOne[T number](kind int, x, y T) T {
	switch kind {
	case kAdd:
		return x + y
	case kSub:
		return x - y
	case kMul:
		return x * y
	case kDiv:
		return x / y
	case kPow:
		return T(powf(float64(x), float64(y)))
	case kMaximum:
		if x != x || x > y {
			return x
		}
		return y
	case kMinimum:
		if x != x || x < y {
			return x
		}
		return y
	case kGt:
		return T(b2f(x > y))
	case kGe:
		return T(b2f(x >= y))
	case kLt:
		return T(b2f(x < y))
	case kLe:
		return T(b2f(x <= y))
	case kEq:
		return T(b2f(x == y))
	case kNe:
		return T(b2f(x != y))
	case kMaskPos:
		if y > 0 {
			return x
		}
		return 0
	}
	panic("unknown kind")
}

// powf is math.Pow with the exponents PyTorch special-cases computed the
// same way (x*x for 2, sqrt for 0.5, ...).
func powf(x, e float64) float64 {
	switch e {
	case 1:
		return x
	case 2:
		return x * x
	case 3:
		return x * x * x
	case 0.5:
		return math.Sqrt(x)
	case -1:
		return 1 / x
	case -2:
		return 1 / (x * x)
	}
	return math.Pow(x, e)
}

// scalarLike returns a 0-d tensor of t's dtype holding v, as torch wraps a
// Python number: an integer or bool tensor gets an Int64 scalar for an
// integral v and a Float32 one otherwise (so int_tensor + 0.5 is float32).
func (t *Tensor) scalarLike(v float64) *Tensor {
	if !t.dtype.IsFloat() {
		if v == math.Trunc(v) && math.Abs(v) < 1<<63 {
			s := newTensor(Int64, nil)
			s.is.i64[0] = int64(v)
			return s
		}
		return Scalar(v)
	}
	s := newTensor(t.dtype, nil)
	if t.dtype == Float64 {
		s.d64[0] = v
	} else {
		s.d32[0] = float32(v)
	}
	return s
}

// sumTo sums g over the dimensions that were broadcast to reach g's shape
// from shape (the backward of broadcasting).
func sumTo(g *Tensor, shape []int) *Tensor {
	if slices.Equal(g.shape, shape) {
		return g
	}
	lead := len(g.shape) - len(shape)
	var dims []int
	for i := range g.shape {
		if i < lead || (shape[i-lead] == 1 && g.shape[i] != 1) {
			dims = append(dims, i)
		}
	}
	r := reduce("sum", g, dims, true)
	return r.reshapeNoGrad(shape)
}

// Add returns t + o with broadcasting.
func (t *Tensor) Add(o *Tensor) *Tensor { return binaryOp(kAdd, t, o, addBackward) }

// addBackward: both inputs get g, summed over the dims they were broadcast along.
func addBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	gs[0] = sumTo(g, n.in[0].shape)
	gs[1] = sumTo(g, n.in[1].shape)
}

// Sub returns t - o with broadcasting.
func (t *Tensor) Sub(o *Tensor) *Tensor { return binaryOp(kSub, t, o, subBackward) }

func subBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	a, b := n.in[0], n.in[1]
	gs[0] = sumTo(g, a.shape)
	if b.requiresGrad {
		gs[1] = sumTo(g.Neg(), b.shape)
	}
}

// Mul returns t * o element-wise with broadcasting.
func (t *Tensor) Mul(o *Tensor) *Tensor { return binaryOp(kMul, t, o, mulBackward) }

// mulBackward: d(a*b)/da = b, d(a*b)/db = a.
func mulBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	a, b := n.in[0], n.in[1]
	if a.requiresGrad {
		gs[0] = sumTo(g.Mul(b), a.shape)
	}
	if b.requiresGrad {
		gs[1] = sumTo(g.Mul(a), b.shape)
	}
}

// Div returns t / o element-wise with broadcasting.
func (t *Tensor) Div(o *Tensor) *Tensor { return binaryOp(kDiv, t, o, divBackward) }

// divBackward: d(a/b)/da = 1/b, d(a/b)/db = -a/b².
func divBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	a, b := n.in[0], n.in[1]
	if a.requiresGrad {
		gs[0] = sumTo(g.Div(b), a.shape)
	}
	if b.requiresGrad { // gradient first, so nothing here is recorded
		gs[1] = sumTo(g.Mul(a).Div(b).Div(b).Neg(), b.shape)
	}
}

// PowTensor returns t ** e element-wise with broadcasting.
func (t *Tensor) PowTensor(e *Tensor) *Tensor {
	t, e = promoteArith(kPow, t, e)
	out := binary(kPow, t, e)
	if tracking(t, e) {
		record(out, "Pow", func(g *Tensor, gs []*Tensor) {
			if t.requiresGrad { // e * t^(e-1)
				gs[0] = sumTo(g.Mul(binary(kMul, e, binary(kPow, t, binary(kSub, e, e.scalarLike(1))))), t.shape)
			}
			if e.requiresGrad { // t^e * log t
				gs[1] = sumTo(g.Mul(binary(kMul, out, unary(t, math.Log))), e.shape)
			}
		}, t, e)
	}
	return out
}

// Maximum returns the element-wise maximum of t and o (gradient to the larger).
func (t *Tensor) Maximum(o *Tensor) *Tensor {
	t, o = promoteArith(kMaximum, t, o)
	out := binary(kMaximum, t, o)
	if tracking(t, o) {
		record(out, "Maximum", func(g *Tensor, gs []*Tensor) {
			m := binary(kGe, t, o) // ties go to t
			gs[0] = sumTo(g.Mul(m), t.shape)
			gs[1] = sumTo(g.Mul(m.RSubScalar(1)), o.shape)
		}, t, o)
	}
	return out
}

// Minimum returns the element-wise minimum of t and o.
func (t *Tensor) Minimum(o *Tensor) *Tensor {
	t, o = promoteArith(kMinimum, t, o)
	out := binary(kMinimum, t, o)
	if tracking(t, o) {
		record(out, "Minimum", func(g *Tensor, gs []*Tensor) {
			m := binary(kLe, t, o)
			gs[0] = sumTo(g.Mul(m), t.shape)
			gs[1] = sumTo(g.Mul(m.RSubScalar(1)), o.shape)
		}, t, o)
	}
	return out
}

// Scalar variants: the scalar is converted to t's dtype, as PyTorch does.

// AddScalar returns t + c.
func (t *Tensor) AddScalar(c float64) *Tensor { return t.Add(t.scalarLike(c)) }

// SubScalar returns t - c.
func (t *Tensor) SubScalar(c float64) *Tensor { return t.Sub(t.scalarLike(c)) }

// MulScalar returns t * c.
func (t *Tensor) MulScalar(c float64) *Tensor { return t.Mul(t.scalarLike(c)) }

// DivScalar returns t / c.
func (t *Tensor) DivScalar(c float64) *Tensor { return t.Div(t.scalarLike(c)) }

// RSubScalar returns c - t.
func (t *Tensor) RSubScalar(c float64) *Tensor { return t.scalarLike(c).Sub(t) }

// RDivScalar returns c / t.
func (t *Tensor) RDivScalar(c float64) *Tensor { return t.scalarLike(c).Div(t) }

// Comparisons return Bool tensors (after promoting the operands to a common
// dtype) and carry no gradient.

// Gt returns the mask t > o (Bool).
func (t *Tensor) Gt(o *Tensor) *Tensor { return compare(kGt, t, o) }

// Ge returns the mask t >= o (Bool).
func (t *Tensor) Ge(o *Tensor) *Tensor { return compare(kGe, t, o) }

// Lt returns the mask t < o (Bool).
func (t *Tensor) Lt(o *Tensor) *Tensor { return compare(kLt, t, o) }

// Le returns the mask t <= o (Bool).
func (t *Tensor) Le(o *Tensor) *Tensor { return compare(kLe, t, o) }

// Eq returns the mask t == o (Bool).
func (t *Tensor) Eq(o *Tensor) *Tensor { return compare(kEq, t, o) }

// Ne returns the mask t != o (Bool).
func (t *Tensor) Ne(o *Tensor) *Tensor { return compare(kNe, t, o) }

// GtScalar returns t > c (Bool).
func (t *Tensor) GtScalar(c float64) *Tensor { return compare(kGt, t, t.scalarLike(c)) }

// LtScalar returns t < c (Bool).
func (t *Tensor) LtScalar(c float64) *Tensor { return compare(kLt, t, t.scalarLike(c)) }

// GeScalar returns t >= c (Bool).
func (t *Tensor) GeScalar(c float64) *Tensor { return compare(kGe, t, t.scalarLike(c)) }

// LeScalar returns t <= c (Bool).
func (t *Tensor) LeScalar(c float64) *Tensor { return compare(kLe, t, t.scalarLike(c)) }

// EqScalar returns t == c (Bool).
func (t *Tensor) EqScalar(c float64) *Tensor { return compare(kEq, t, t.scalarLike(c)) }

// ---- unary ----

// unary applies f element-wise into a new contiguous tensor (an Int64
// result for a bool input).
func unary(t *Tensor, f func(float64) float64) *Tensor {
	if t.dtype == Bool {
		t = t.convert(Int64)
	}
	out := newTensor(t.dtype, t.shape)
	unaryInto(out, t, f)
	return out
}

func unaryInto(out, t *Tensor, f func(float64) float64) {
	switch t.dtype {
	case Int64: // the ops that keep integers integral (Neg, Abs, Clamp, Pow)
		for i, v := range t.contigI64() {
			out.is.i64[i] = int64(f(float64(v)))
		}
		return
	case Bool:
		fail("unary op on a bool tensor (convert it with Long() or Float())")
	}
	if t.dtype == Float64 {
		src := t.contig64()
		for i, v := range src {
			out.d64[i] = f(v)
		}
	} else {
		src := t.contig32()
		for i, v := range src {
			out.d32[i] = float32(f(float64(v)))
		}
	}
}

// Pow returns t ** e for a scalar exponent.
func (t *Tensor) Pow(e float64) *Tensor {
	switch {
	case !t.dtype.IsFloat() && (e != math.Trunc(e) || e < 0):
		t = t.asFloat() // an integer tensor to a fractional or negative power is float
	case t.dtype == Bool:
		t = t.convert(Int64)
	}
	track := tracking(t, nil)
	var out *Tensor
	if e == 2 { // the common square, without a call per element
		out = binaryAlloc(kMul, t, t, track)
	} else {
		out = newOut(t.dtype, t.shape, track)
		unaryInto(out, t, func(x float64) float64 { return powf(x, e) })
	}
	if track {
		attach(out, "Pow", powBackward, t, nil).c = e
	}
	return out
}

// powBackward: d(t^e)/dt = e * t^(e-1).
func powBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	t, e := n.in[0], n.c
	if e == 2 { // g * 2t in one pass (scaling by 2 is exact)
		gs[0] = binary(kMul, g, t).scaleInPlace(2)
		return
	}
	gs[0] = g.Mul(unary(t, func(x float64) float64 { return powf(x, e-1) }).scaleInPlace(e))
}

// scaleInPlace multiplies a fresh contiguous tensor by c (in its dtype).
func (t *Tensor) scaleInPlace(c float64) *Tensor {
	if t.dtype == Float64 {
		for i := range t.d64 {
			t.d64[i] *= c
		}
		return t
	}
	f := float32(c)
	for i := range t.d32 {
		t.d32[i] *= f
	}
	return t
}

// Neg returns -t.
func (t *Tensor) Neg() *Tensor {
	out := unary(t, func(x float64) float64 { return -x })
	if tracking(t, nil) {
		record(out, "Neg", func(g *Tensor, gs []*Tensor) { gs[0] = g.Neg() }, t)
	}
	return out
}

// Exp returns e^t.
func (t *Tensor) Exp() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Exp)
	if tracking(t, nil) {
		record(out, "Exp", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(out) }, t)
	}
	return out
}

// Log returns the natural logarithm.
func (t *Tensor) Log() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Log)
	if tracking(t, nil) {
		record(out, "Log", func(g *Tensor, gs []*Tensor) { gs[0] = g.Div(t) }, t)
	}
	return out
}

// Sqrt returns the square root.
func (t *Tensor) Sqrt() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Sqrt)
	if tracking(t, nil) {
		record(out, "Sqrt", func(g *Tensor, gs []*Tensor) { gs[0] = g.Div(out).DivScalar(2) }, t)
	}
	return out
}

// Abs returns |t| (gradient sign(t), 0 at 0 as in PyTorch).
func (t *Tensor) Abs() *Tensor {
	out := unary(t, math.Abs)
	if tracking(t, nil) {
		record(out, "Abs", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(t.Sign()) }, t)
	}
	return out
}

// Sign returns -1, 0 or 1 per element (no gradient).
func (t *Tensor) Sign() *Tensor {
	return unary(t, func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	})
}

// Log1p returns log(1 + t), accurate for small t.
func (t *Tensor) Log1p() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Log1p)
	if tracking(t, nil) {
		record(out, "Log1p", func(g *Tensor, gs []*Tensor) { gs[0] = g.Div(t.AddScalar(1)) }, t)
	}
	return out
}

// Expm1 returns exp(t) - 1, accurate for small t.
func (t *Tensor) Expm1() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Expm1)
	if tracking(t, nil) {
		record(out, "Expm1", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(out.AddScalar(1)) }, t)
	}
	return out
}

// Sin returns sin(t).
func (t *Tensor) Sin() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Sin)
	if tracking(t, nil) {
		record(out, "Sin", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(unary(t, math.Cos)) }, t)
	}
	return out
}

// Cos returns cos(t).
func (t *Tensor) Cos() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Cos)
	if tracking(t, nil) {
		record(out, "Cos", func(g *Tensor, gs []*Tensor) { gs[0] = g.Mul(unary(t, math.Sin)).Neg() }, t)
	}
	return out
}

// Tanh returns tanh(t).
func (t *Tensor) Tanh() *Tensor {
	t = t.asFloat()
	out := unary(t, math.Tanh)
	if tracking(t, nil) {
		record(out, "Tanh", func(g *Tensor, gs []*Tensor) { // 1 - tanh²
			gs[0] = g.Mul(unary(out, func(y float64) float64 { return 1 - y*y }))
		}, t)
	}
	return out
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Sigmoid returns 1 / (1 + e^-t).
func (t *Tensor) Sigmoid() *Tensor {
	t = t.asFloat()
	out := unary(t, sigmoid)
	if tracking(t, nil) {
		record(out, "Sigmoid", func(g *Tensor, gs []*Tensor) { // σ(1-σ)
			gs[0] = g.Mul(unary(out, func(y float64) float64 { return y * (1 - y) }))
		}, t)
	}
	return out
}

// Relu returns max(t, 0).
func (t *Tensor) Relu() *Tensor {
	if !t.dtype.IsFloat() {
		return t.ClampMin(0)
	}
	track := tracking(t, nil)
	out := binaryAlloc(kMaskPos, t, t, track)
	if track {
		attach(out, "Relu", reluBackward, t, nil)
	}
	return out
}

// reluBackward passes g where the input was positive.
func reluBackward(p *pass, n *node, g *Tensor, gs []*Tensor) { gs[0] = reluGrad(p, g, n.in[0]) }

// reluGrad is g where x > 0, else 0: in one of the pass's buffers when g
// and x are contiguous and of one shape, else as a broadcasting op.
func reluGrad(p *pass, g, x *Tensor) *Tensor {
	if !slices.Equal(g.shape, x.shape) || !g.IsContiguous() || !x.IsContiguous() {
		return binary(kMaskPos, g, x)
	}
	out := p.alloc(x.dtype, x.shape)
	k := x.Numel()
	if x.dtype == Float64 {
		maskPos(out.d64, g.d64[g.offset:g.offset+k], x.d64[x.offset:x.offset+k])
	} else {
		maskPos(out.d32, g.d32[g.offset:g.offset+k], x.d32[x.offset:x.offset+k])
	}
	return out
}

// Clamp limits t to [lo, hi]; use math.Inf for a one-sided clamp.
func (t *Tensor) Clamp(lo, hi float64) *Tensor {
	out := unary(t, func(x float64) float64 {
		if x < lo {
			return lo
		}
		if x > hi {
			return hi
		}
		return x
	})
	if tracking(t, nil) {
		record(out, "Clamp", func(g *Tensor, gs []*Tensor) {
			gs[0] = g.Mul(t.GeScalar(lo).Mul(t.LeScalar(hi)))
		}, t)
	}
	return out
}

// ClampMin is Clamp(lo, +Inf).
func (t *Tensor) ClampMin(lo float64) *Tensor { return t.Clamp(lo, math.Inf(1)) }

// ClampMax is Clamp(-Inf, hi).
func (t *Tensor) ClampMax(hi float64) *Tensor { return t.Clamp(math.Inf(-1), hi) }

// Where returns x where cond is true (non-zero) and y elsewhere,
// broadcasting all three; x and y are promoted to a common dtype.
func Where(cond, x, y *Tensor) *Tensor {
	x, y = promote(x, y)
	shape := broadcastShapes("Where", broadcastShapes("Where", cond.shape, x.shape), y.shape)
	c := cond.expandTo("Where", shape).Bools()
	out := newTensor(x.dtype, shape)
	switch x.dtype {
	case Int64:
		whereInto(out.is.i64, c, x.expandTo("Where", shape).contigI64(), y.expandTo("Where", shape).contigI64())
		return out
	case Bool:
		whereInto(out.is.b, c, x.expandTo("Where", shape).contigBool(), y.expandTo("Where", shape).contigBool())
		return out
	}
	if x.dtype == Float64 {
		xv, yv := x.expandTo("Where", shape).contig64(), y.expandTo("Where", shape).contig64()
		for i := range out.d64 {
			if c[i] {
				out.d64[i] = xv[i]
			} else {
				out.d64[i] = yv[i]
			}
		}
	} else {
		xv, yv := x.expandTo("Where", shape).contig32(), y.expandTo("Where", shape).contig32()
		for i := range out.d32 {
			if c[i] {
				out.d32[i] = xv[i]
			} else {
				out.d32[i] = yv[i]
			}
		}
	}
	if tracking(x, y) {
		record(out, "Where", func(g *Tensor, gs []*Tensor) {
			zero := ZerosLike(g)
			if x.requiresGrad {
				gs[0] = sumTo(Where(cond, g, zero), x.shape)
			}
			if y.requiresGrad {
				gs[1] = sumTo(Where(cond, zero, g), y.shape)
			}
		}, x, y)
	}
	return out
}

// Package autograd is gradlab's tensor library: n-dimensional tensors with
// NumPy broadcasting, views, and reverse-mode automatic differentiation in
// the style of PyTorch (define-by-run tape, gradients that accumulate until
// zeroed, a no-grad scope).
//
// Cells use it as `ag`:
//
//	x := ag.Randn(100, 1)
//	w := ag.Zeros(1).SetRequiresGrad(true)
//	loss := x.Mul(w).Sub(y).Pow(2).Mean()
//	loss.Backward()
//	ag.NoGrad(func() { w.SubInPlace(w.Grad().MulScalar(0.1)) })
//
// # Dtypes
//
// Float32 is the default, Float64 on request; Int64 holds indices and class
// labels (FromInts, ArangeLong, Argmax, Long()) and Bool holds masks (the
// result of Eq, Gt, ...; Bool()). Only float tensors take part in autograd:
// SetRequiresGrad(true) on an integer tensor panics, and conversions to and
// from integers carry no gradient. Element-wise ops promote mixed operands
// as torch.result_type does (bool < int64 < float32 < float64, a 0-d tensor
// does not widen a dimensioned one of its own kind): float32 + float64 is
// float64, int64 + float32 is float32, int64 / int64 is float32, and
// arithmetic on bools computes in int64. Sum of an Int64 or Bool tensor is
// Int64 (a count); Mean of one is Float32 (mask.Mean() is an accuracy, where
// torch would refuse). Int64 tensors print as torch prints them:
// tensor([1, 2, 3]), tensor([ True, False]).
//
// Float storage is two typed slices (float32/float64); integer and bool
// storage sits behind one pointer, so float tensors keep their allocation
// size and the float ops their code. Bulk constructors (FromUint8,
// FromUint8Long, FromInts, FromInt64s, FromBools) convert Go slices in one
// native loop.
//
// Where torch returns an int64 tensor and gradlab does not: Randint stays
// float32 (notebooks make parameters of it), and Item returns a float64 for
// any dtype (ItemInt returns an int). Ints, Int64s and Float64s read any
// dtype.
//
// # Indexing and classification
//
// Gather, Scatter, ScatterAdd, MaskedSelect, MaskedFill, IndexBy, Sort,
// Topk and Repeat take Int64 indices or Bool masks; the ops that pick
// elements share one differentiable op (take). NLLLoss and
// CrossEntropyLoss take Int64 class targets (integral floats are accepted,
// a fractional one is an error), class probabilities, a class weight,
// ignore_index and label_smoothing, with torch's reductions. Their values
// and gradients are checked against PyTorch 1.13 on the same inputs
// (testdata/gen_torch_ref.py).
//
// # Memory
//
// A tensor of 64 MiB or more is checked before it is allocated against
// what the process can still get (MemAvailable, the cgroup limit less its
// usage, RLIMIT_AS): ag.Zeros(1000000, 1000000) fails with an error naming
// the shape and the bytes it needs, where the runtime would end the whole
// process (and the notebook's kernel) with an uncatchable out-of-memory.
//
// Every op is written next to its backward. Bad input panics with an error
// (*Error) naming the op and what was wrong, e.g. "Mul: shapes [3 2] and
// [4] do not broadcast"; the interpreter reports it as the cell's error.
// The exported API is concrete (no generics, no variadic interfaces) so the
// yaegi interpreter can drive it.
package autograd

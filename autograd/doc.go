// Package autograd is gradlab's tensor library: n-dimensional float32/float64
// tensors with NumPy broadcasting, views, and reverse-mode automatic
// differentiation in the style of PyTorch (define-by-run tape, gradients that
// accumulate until zeroed, a no-grad scope).
//
// Cells use it as `ag`:
//
//	x := ag.Randn(100, 1)
//	w := ag.Zeros(1).SetRequiresGrad(true)
//	loss := x.Mul(w).Sub(y).Pow(2).Mean()
//	loss.Backward()
//	ag.NoGrad(func() { w.SubInPlace(w.Grad().MulScalar(0.1)) })
//
// Every op is written next to its backward. Bad input panics with an error
// naming the op and the shapes, e.g. "Mul: shapes [3 2] and [4] do not
// broadcast". The exported API is concrete (no generics, no variadic
// interfaces) so the yaegi interpreter can drive it.
package autograd

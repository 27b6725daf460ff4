// Package openblas binds OpenBLAS's sgemm and dgemm through cgo for the
// autograd package's openblas build tag (cgo packages cannot hold Go
// assembly, so the binding lives apart from autograd's kernels). Without
// the tag the package is empty.
package openblas

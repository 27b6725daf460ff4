package autograd

import (
	"cmp"
	"math"
	"slices"
)

// Sort returns t's values sorted along dim and, as Int64, the index along
// dim each came from, as torch.sort with stable=True: equal values keep
// their order, and NaN sorts above every number. The values are
// differentiable (each gets the gradient of the element it came from).
func (t *Tensor) Sort(dim int, descending bool) (values, indices *Tensor) {
	d := t.normDimOrScalar("Sort", dim)
	n := 1
	if len(t.shape) > 0 {
		n = t.shape[d]
	}
	return t.sortedPrefix("Sort", d, n, descending)
}

// Argsort returns the Int64 indices that sort t along dim (stable).
func (t *Tensor) Argsort(dim int, descending bool) *Tensor {
	_, idx := t.Detach().Sort(dim, descending)
	return idx
}

// Topk returns the k largest (largest=true) or smallest values along dim,
// in order, and their Int64 indices, as torch.topk with sorted=True.
func (t *Tensor) Topk(k, dim int, largest bool) (values, indices *Tensor) {
	d := t.normDimOrScalar("Topk", dim)
	n := 1
	if len(t.shape) > 0 {
		n = t.shape[d]
	}
	if k < 0 || k > n {
		fail("Topk: k=%d is out of range for dimension %d with size %d", k, dim, n)
	}
	return t.sortedPrefix("Topk", d, k, largest)
}

// normDimOrScalar is normDim that also accepts 0 or -1 for a 0-d tensor.
func (t *Tensor) normDimOrScalar(op string, dim int) int {
	if len(t.shape) == 0 && (dim == 0 || dim == -1) {
		return 0
	}
	return t.normDim(op, dim)
}

// sortedPrefix sorts every slice of t along d and keeps its first k
// elements: values (a take of t) and indices.
func (t *Tensor) sortedPrefix(op string, d, k int, descending bool) (values, indices *Tensor) {
	shape := append([]int{}, t.shape...)
	if len(shape) == 0 {
		idx := newTensor(Int64, nil)
		return t.take(op, []int{0}, nil), idx
	}
	n := shape[d]
	shape[d] = k
	st := contiguousStrides(t.shape)
	outer := numelOf(t.shape[:d])
	inner := numelOf(t.shape[d+1:])
	pos := make([]int, numelOf(shape))
	idx := newTensor(Int64, shape)
	order := make([]int, n)
	var less func(a, b int) int
	if t.dtype.IsFloat() {
		v := t.Float64s()
		less = func(a, b int) int { return cmpFloat(v[a], v[b]) }
	} else {
		v := t.cast(Int64).contigI64()
		less = func(a, b int) int { return cmp.Compare(v[a], v[b]) }
	}
	for o := 0; o < outer; o++ {
		for in := 0; in < inner; in++ {
			base := o*n*inner + in
			for i := range order {
				order[i] = i
			}
			slices.SortStableFunc(order, func(a, b int) int {
				c := less(base+a*st[d], base+b*st[d])
				if descending {
					return -c
				}
				return c
			})
			for j := 0; j < k; j++ {
				q := o*k*inner + j*inner + in
				pos[q] = base + order[j]*st[d]
				idx.is.i64[q] = int64(order[j])
			}
		}
	}
	return t.take(op, pos, shape), idx
}

// cmpFloat orders floats with NaN above everything, as torch sorts.
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

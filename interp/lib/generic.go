package lib

import (
	"math/rand/v2"
	"reflect"

	"github.com/traefik/yaegi/stdlib"
)

// Generic lists interpreted Go sources that complete the generic standard
// library for yaegi: `yaegi extract` skips generic functions, and the
// sources yaegi itself compiles for cmp, maps and slices (Go 1.22) leave
// out sorting, Min/Max, BinarySearch and everything built on iterators.
// A session compiles each after yaegi's stdlib, as a file of its own (the
// file name keys a file's imports), into the same packages, so `slices.Sort`
// sits next to yaegi's `slices.Contains`.
//
// They are written for what yaegi v0.16.1 can interpret: a slice parameter
// is []E, not S ~[]E (yaegi cannot infer E from S's core type: "undefined
// type for E"), so a named slice type must be converted ([]int(xs)) and
// the functions return plain slices. The algorithms are our own: heapsort
// for Sort (unstable, as Go's), a bottom-up merge sort for the stable sort.
var Generic = map[string]string{
	"iter": `package iter

// Seq is an iterator over single values.
type Seq[V any] func(yield func(V) bool)

// Seq2 is an iterator over pairs.
type Seq2[K, V any] func(yield func(K, V) bool)
`,
	"slices": `package slices

import (
	"cmp"
	"iter"
)

// Sort sorts x in increasing order (NaNs first).
func Sort[E cmp.Ordered](x []E) {
	n := len(x)
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(x, i, n)
	}
	for end := n - 1; end > 0; end-- {
		x[0], x[end] = x[end], x[0]
		siftDown(x, 0, end)
	}
}

// siftDown moves x[r] down the max-heap x[:n] to its place.
func siftDown[E cmp.Ordered](x []E, r, n int) {
	for {
		c := 2*r + 1
		if c >= n {
			return
		}
		if c+1 < n && cmp.Less(x[c], x[c+1]) {
			c++
		}
		if !cmp.Less(x[r], x[c]) {
			return
		}
		x[r], x[c] = x[c], x[r]
		r = c
	}
}

// SortFunc sorts x in the order cmp gives (negative: a before b).
func SortFunc[E any](x []E, cmp func(a, b E) int) {
	n := len(x)
	for i := n/2 - 1; i >= 0; i-- {
		siftDownFunc(x, i, n, cmp)
	}
	for end := n - 1; end > 0; end-- {
		x[0], x[end] = x[end], x[0]
		siftDownFunc(x, 0, end, cmp)
	}
}

func siftDownFunc[E any](x []E, r, n int, cmp func(a, b E) int) {
	for {
		c := 2*r + 1
		if c >= n {
			return
		}
		if c+1 < n && cmp(x[c], x[c+1]) < 0 {
			c++
		}
		if cmp(x[r], x[c]) >= 0 {
			return
		}
		x[r], x[c] = x[c], x[r]
		r = c
	}
}

// SortStableFunc sorts x in the order cmp gives, keeping equal elements in
// their original order.
func SortStableFunc[E any](x []E, cmp func(a, b E) int) {
	n := len(x)
	buf := make([]E, n)
	src, dst := x, buf
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := lo+width, lo+2*width
			if mid > n {
				mid = n
			}
			if hi > n {
				hi = n
			}
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if cmp(src[j], src[i]) < 0 {
					dst[k] = src[j]
					j++
				} else {
					dst[k] = src[i]
					i++
				}
				k++
			}
			for i < mid {
				dst[k] = src[i]
				i++
				k++
			}
			for j < hi {
				dst[k] = src[j]
				j++
				k++
			}
		}
		src, dst = dst, src
	}
	if n > 1 && &src[0] != &x[0] {
		copy(x, src)
	}
}

// IsSorted reports whether x is in increasing order.
func IsSorted[E cmp.Ordered](x []E) bool {
	for i := len(x) - 1; i > 0; i-- {
		if cmp.Less(x[i], x[i-1]) {
			return false
		}
	}
	return true
}

// IsSortedFunc reports whether x is in the order cmp gives.
func IsSortedFunc[E any](x []E, cmp func(a, b E) int) bool {
	for i := len(x) - 1; i > 0; i-- {
		if cmp(x[i], x[i-1]) < 0 {
			return false
		}
	}
	return true
}

// Min returns the smallest element of x (a NaN if there is one); it
// panics on an empty slice.
func Min[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Min: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if x[i] != x[i] {
			return x[i]
		}
		if x[i] < m {
			m = x[i]
		}
	}
	return m
}

// Max returns the largest element of x (a NaN if there is one); it
// panics on an empty slice.
func Max[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Max: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if x[i] != x[i] {
			return x[i]
		}
		if x[i] > m {
			m = x[i]
		}
	}
	return m
}

// MinFunc returns the first minimal element of x by cmp.
func MinFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MinFunc: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if cmp(x[i], m) < 0 {
			m = x[i]
		}
	}
	return m
}

// MaxFunc returns the first maximal element of x by cmp.
func MaxFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MaxFunc: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if cmp(x[i], m) > 0 {
			m = x[i]
		}
	}
	return m
}

// BinarySearch finds target in the sorted x: its position, or where it
// would be inserted, and whether it is there.
func BinarySearch[E cmp.Ordered](x []E, target E) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmp.Less(x[m], target) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x) && cmp.Compare(x[lo], target) == 0
}

// BinarySearchFunc is BinarySearch with a comparison of an element and
// the target.
func BinarySearchFunc[E, T any](x []E, target T, cmp func(E, T) int) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmp(x[m], target) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x) && cmp(x[lo], target) == 0
}

// All iterates over the indexes and values of s.
func All[E any](s []E) iter.Seq2[int, E] {
	return func(yield func(int, E) bool) {
		for i, v := range s {
			if !yield(i, v) {
				return
			}
		}
	}
}

// Values iterates over the values of s.
func Values[E any](s []E) iter.Seq[E] {
	return func(yield func(E) bool) {
		for _, v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

// Backward iterates over the indexes and values of s from the end.
func Backward[E any](s []E) iter.Seq2[int, E] {
	return func(yield func(int, E) bool) {
		for i := len(s) - 1; i >= 0; i-- {
			if !yield(i, s[i]) {
				return
			}
		}
	}
}

// AppendSeq appends the values of seq to s.
func AppendSeq[E any](s []E, seq func(yield func(E) bool)) []E {
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	return s
}

// Collect gathers the values of seq in a new slice.
func Collect[E any](seq func(yield func(E) bool)) []E {
	var s []E
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	return s
}

// Sorted gathers the values of seq in a new slice and sorts it.
func Sorted[E cmp.Ordered](seq func(yield func(E) bool)) []E {
	var s []E
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	Sort(s)
	return s
}

// SortedFunc gathers the values of seq and sorts them by cmp.
func SortedFunc[E any](seq func(yield func(E) bool), cmp func(E, E) int) []E {
	var s []E
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	SortFunc(s, cmp)
	return s
}

// Repeat returns a new slice holding x count times.
func Repeat[E any](x []E, count int) []E {
	if count < 0 {
		panic("cannot be negative")
	}
	out := make([]E, 0, len(x)*count)
	for i := 0; i < count; i++ {
		out = append(out, x...)
	}
	return out
}
`,
	"maps": `package maps

import "iter"

// Keys iterates over the keys of m, in no particular order.
func Keys[K comparable, V any](m map[K]V) iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Values iterates over the values of m, in no particular order.
func Values[K comparable, V any](m map[K]V) iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// All iterates over the key-value pairs of m.
func All[K comparable, V any](m map[K]V) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m {
			if !yield(k, v) {
				return
			}
		}
	}
}

// Collect gathers the pairs of seq in a new map.
func Collect[K comparable, V any](seq func(yield func(K, V) bool)) map[K]V {
	m := map[K]V{}
	seq(func(k K, v V) bool {
		m[k] = v
		return true
	})
	return m
}

// Insert adds the pairs of seq to m.
func Insert[K comparable, V any](m map[K]V, seq func(yield func(K, V) bool)) {
	seq(func(k K, v V) bool {
		m[k] = v
		return true
	})
}
`,
}

// GenericOrder is the order to compile Generic's sources in: a package
// before the packages that import it.
var GenericOrder = []string{"iter", "slices", "maps"}

// rand.N of math/rand/v2 is generic over integer types; as a native
// function it takes and returns int, the type of an untyped constant
// argument (rand.N(10)). A session points cells' calls of it at an
// interpreted generic version for every integer type
// (interp/internal/rewrite/pkgfuncs.go); this one serves the symbol table
// (completion, inspection).
func init() {
	m := map[string]reflect.Value{}
	for k, v := range stdlib.Symbols["math/rand/v2/rand"] {
		m[k] = v
	}
	m["N"] = reflect.ValueOf(func(n int) int { return rand.N(n) })
	Symbols["math/rand/v2/rand"] = m
}

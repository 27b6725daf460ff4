package engine

import (
	"fmt"
	"math"
	"reflect"

	"github.com/gradlab/gradlab/interp/internal/rterr"
)

// maxAlloc is the most the runtime allocates at once on 64-bit Linux
// (runtime.maxAlloc, 1<<48); a slice whose elements take more makes
// Go's make panic.
const maxAlloc = 1 << 48

// makeLen is ᐧs.MakeLen (rewrite.checkedMakeSlices): the checks of Go's
// makeslice on a length l and capacity c of any integer types, for
// elements of size bytes, and the length as an int.
func makeLen(l, c any, size int64) int {
	ln, lok := sizeArg(l)
	cn, cok := sizeArg(c)
	fits := func(n int64, ok bool) bool { return ok && n >= 0 && (size == 0 || n <= maxAlloc/size) }
	if !fits(cn, cok) || !fits(ln, lok) || ln > cn {
		if !fits(ln, lok) {
			panic(rterr.New("runtime error: makeslice: len out of range"))
		}
		panic(rterr.New("runtime error: makeslice: cap out of range"))
	}
	return int(ln)
}

// makeLen1 is ᐧs.MakeLen1: makeLen of a make without a capacity.
func makeLen1(l any, size int64) int { return makeLen(l, l, size) }

// makeCap is ᐧs.MakeCap: the capacity makeLen checked, as an int.
func makeCap(c any) int {
	n, _ := sizeArg(c)
	return int(n)
}

// sizeArg returns an integer of any type as an int64, and false when it
// does not fit an int.
func sizeArg(x any) (int64, bool) {
	v := reflect.ValueOf(x)
	switch {
	case v.CanInt():
		return v.Int(), true
	case v.CanUint():
		if u := v.Uint(); u <= math.MaxInt64 {
			return int64(u), true
		}
	}
	return 0, false
}

// sliceConv is ᐧs.SliceConv (rewrite.checkedSliceConversions): Go's check
// of a slice of length n converted to an array, or a pointer to an array,
// of length want. It returns 0, where a slice expression starts to leave
// the slice as it is.
func sliceConv(n, want int) int {
	if n < want {
		panic(rterr.New(fmt.Sprintf("runtime error: cannot convert slice with length %d to array or pointer to array with length %d", n, want)))
	}
	return 0
}

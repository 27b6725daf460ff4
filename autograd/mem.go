package autograd

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// A tensor too large for the machine (ag.Zeros(1000000, 1000000), a typo
// for 1000) must fail as a cell error: left to the runtime, the allocation
// ends the whole process with "fatal error: runtime: out of memory", which
// no recover can catch, and the notebook's kernel dies. So every
// allocation of bigAlloc bytes or more is checked first against what the
// process can still get (memAvailable, per platform).

const bigAlloc = 64 << 20 // smaller allocations are not checked: one compare

// elemSize is the bytes per element of dt.
func elemSize(dt DType) uint64 {
	switch dt {
	case Float64, Int64:
		return 8
	case Bool:
		return 1
	}
	return 4
}

// checkAlloc fails unless a tensor of dtype dt and shape can be allocated
// by this process; op names the caller ("" for an op's output).
func checkAlloc(op string, dt DType, shape []int) {
	n, over := uint64(1), false
	for _, s := range shape {
		if s < 0 {
			return // checkShape reports negative sizes
		}
		hi, lo := bits.Mul64(n, uint64(s))
		if hi != 0 || lo > math.MaxInt {
			over = true
		}
		n = lo
	}
	hi, need := bits.Mul64(n, elemSize(dt))
	if !over && hi == 0 && need < bigAlloc {
		return
	}
	allocFail(op, dt, slices.Clone(shape), need, over || hi != 0)
}

// allocFail reports a tensor that checkAlloc refused, or returns if it
// fits. Apart so checkAlloc's shape does not escape: the callers' shapes
// stay on their stacks.
func allocFail(op string, dt DType, shape []int, need uint64, over bool) {
	if op == "" {
		op = "cannot allocate"
	}
	if over {
		fail("%s: a %v tensor of shape %v has more elements than memory can address", op, dt, shape)
	}
	if avail, what := memAvailable(); avail > 0 && need > avail {
		fail("%s: a %v tensor of shape %v needs %s (%d bytes), more than this process can get: %s (%s)",
			op, dt, shape, humanBytes(need), need, humanBytes(avail), what)
	}
}

// humanBytes prints n as torch's allocator errors do: 3.73 GiB.
func humanBytes(n uint64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.2f %s", v, units[u])
}

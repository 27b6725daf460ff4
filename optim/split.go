package optim

import (
	"runtime"
	"time"

	"github.com/gradlab/gradlab/internal/costsplit"
	"github.com/gradlab/gradlab/internal/parallel"
)

// splitUpdateMin is the parameter size (elements) from which an update
// may be split over the cores: the MLP's 784x256 weight (200,704) is;
// its biases and the small models' layers are not.
const splitUpdateMin = 1 << 16

// splitUpdate runs update over the elements [0, n) of a parameter, on the
// caller or in one contiguous part per core, as pol measures faster. An
// update is memory-bound (SGD with momentum reads and writes 2.4 MB for
// the 784x256 weight) and elementwise, so its parts give the same values
// as the whole. The parts are cut at 16-element (cache line) boundaries
// and in order, so that the first part goes to the caller and the rows
// it updates are the ones whose products it takes when the next forward
// product is split the same way (gemm's chunks): fewer cache lines move
// between the cores.
func splitUpdate(pol *costsplit.Policy, n int, update func(lo, hi int)) {
	procs := runtime.GOMAXPROCS(0)
	if n < splitUpdateMin || procs < 2 {
		update(0, n)
		return
	}
	split := pol.Choose(n)
	start := time.Now()
	if split {
		parallel.For(procs, procs, func(i, _ int) {
			lo, hi := n*i/procs&^15, n*(i+1)/procs&^15
			if i == procs-1 {
				hi = n
			}
			update(lo, hi)
		})
	} else {
		update(0, n)
	}
	pol.Record(n, split, time.Since(start))
}

// part is s[lo:hi], or nil for a nil s (a buffer whose option is off).
func part[T float](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

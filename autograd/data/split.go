package data

import (
	"runtime"
	"time"

	"github.com/gradlab/gradlab/internal/costsplit"
)

// Whether splitting a batch gather over the cores pays depends on the
// batch size and on whether the other cores are free, which on a shared
// machine changes by the minute. So the gather measures: a splitPolicy
// times gathers done each way and picks the faster (costsplit.Policy).

// splitMinValues is the size under which a gather is always serial: a
// 64-image batch of 28x28 (50,176 values) converts in 25-60 us, about the
// cost of starting and joining the goroutines (BenchmarkGatherSplit).
const splitMinValues = 1 << 15

// splitPolicy chooses serial or split gathers of one size (in values) by
// their measured cost.
type splitPolicy struct{ p costsplit.Policy }

// choose reports whether a gather of n values should be split.
func (p *splitPolicy) choose(n int) bool {
	if n < splitMinValues || runtime.GOMAXPROCS(0) < 2 {
		return false
	}
	return p.p.Choose(n)
}

// record adds the time a gather of n values took, split or not.
func (p *splitPolicy) record(n int, split bool, d time.Duration) { p.p.Record(n, split, d) }

package data

import (
	"runtime"
	"sync"
	"time"
)

// Whether splitting a batch gather over the cores pays depends on the
// batch size and on whether the other cores are free, which on a shared
// machine changes by the minute. So the gather measures: a splitPolicy
// times gathers done each way and picks the faster, trying the other way
// again now and then.

// splitMinValues is the size under which a gather is always serial: a
// 64-image batch of 28x28 (50,176 values) converts in 25-60 us, about the
// cost of starting and joining the goroutines (BenchmarkGatherSplit).
const splitMinValues = 1 << 15

const (
	splitWarmup = 3   // gathers timed each way before choosing
	splitRetry  = 64  // every splitRetry-th gather goes the other way
	splitSmooth = 0.2 // weight of a new timing in the running average
)

// splitPolicy chooses serial or split gathers of one size (in values) by
// their measured cost.
type splitPolicy struct {
	mu sync.Mutex
	splitTimes
}

// splitTimes are the timings of one gather size.
type splitTimes struct {
	size  int
	avg   [2]float64 // running average ns per gather: serial, split
	tries [2]int
	calls int
}

// choose reports whether a gather of n values should be split.
func (p *splitPolicy) choose(n int) bool {
	if n < splitMinValues || runtime.GOMAXPROCS(0) < 2 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n != p.size { // timings are per size: start again
		p.splitTimes = splitTimes{size: n}
	}
	p.calls++
	if p.tries[0] < splitWarmup || p.tries[1] < splitWarmup {
		return p.tries[1] < p.tries[0]
	}
	faster := p.avg[1] < p.avg[0]
	if p.calls%splitRetry == 0 {
		return !faster
	}
	return faster
}

// record adds the time a gather of n values took, split or not.
func (p *splitPolicy) record(n int, split bool, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n != p.size {
		return
	}
	k := 0
	if split {
		k = 1
	}
	ns := float64(d.Nanoseconds())
	if p.tries[k] == 0 {
		p.avg[k] = ns
	} else {
		p.avg[k] += splitSmooth * (ns - p.avg[k])
	}
	p.tries[k]++
}

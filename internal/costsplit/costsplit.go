// Package costsplit decides whether to split a piece of work over the
// cores by its measured cost. Whether splitting pays depends on the
// work's size and on whether the other cores are free, which on a shared
// machine changes by the minute: a Policy times the work done each way
// and picks the faster, trying the other way again now and then. The
// batch gather (autograd/data), the matrix product (autograd) and SGD's
// update of a large parameter (optim) use it.
package costsplit

import (
	"sync"
	"time"
)

const (
	// Warmup is how many runs are timed each way before choosing.
	Warmup = 3
	// Retry: every Retry-th run goes the other way.
	Retry  = 64
	smooth = 0.2 // weight of a new timing in the running average
	// outlier bounds a new timing to this many times the running average.
	outlier = 2
)

// Policy chooses serial or split runs of one size of work by their
// measured wall time; a new size starts the timings again. The zero value
// is ready; it is safe for concurrent use.
type Policy struct {
	// Favour is how much slower than the serial runs (a fraction of their
	// time) the split runs may be timed and still be chosen: for work
	// whose split saves time elsewhere that its own timing cannot see.
	// Set it before the first Choose.
	Favour float64

	mu sync.Mutex
	times
}

// times are the timings of one size.
type times struct {
	size  int
	avg   [2]float64 // running average ns per run: serial, split
	tries [2]int
	calls int
}

// Choose reports whether a run of the given size should be split.
func (p *Policy) Choose(size int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if size != p.size { // timings are per size: start again
		p.times = times{size: size}
	}
	p.calls++
	if p.tries[0] < Warmup || p.tries[1] < Warmup {
		return p.tries[1] < p.tries[0]
	}
	faster := p.avg[1] < p.avg[0]*(1+p.Favour)
	if p.calls%Retry == 0 {
		return !faster
	}
	return faster
}

// Record adds the time a run of the given size took, split or not.
func (p *Policy) Record(size int, split bool, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if size != p.size {
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
		// A run the scheduler or the collector held up for a millisecond
		// would otherwise tip the average over for the next Retry runs
		// and more: count at most outlier times the average. A lasting
		// change still moves it, by up to 20% a run.
		ns = min(ns, outlier*p.avg[k])
		p.avg[k] += smooth * (ns - p.avg[k])
	}
	p.tries[k]++
}

// Tries returns how many runs of the current size were timed each way.
func (p *Policy) Tries() (serial, split int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tries[0], p.tries[1]
}

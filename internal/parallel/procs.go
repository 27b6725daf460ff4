package parallel

import (
	"os"
	"runtime"
	"time"

	"github.com/gradlab/gradlab/internal/tuning"
)

// Other programs' threads and this one's share the cores: on a 2-core
// machine with one core taken by another program, a training step at
// GOMAXPROCS 2 took 560-660 us against 480-520 at 1, even with every
// split off (bench/README.md, "The second core when another program takes
// one"): the scheduler shares the free core among this program's threads
// and moves them between the cores. AdaptProcs measures what the others
// use and gives the runtime only the cores they leave.
const (
	// adaptEvery is how often AdaptProcs measures the other programs.
	adaptEvery = 500 * time.Millisecond
	// takenAt: other programs using this fraction of a core or more take
	// it from this one.
	takenAt = 0.7
)

// procsLoop is AdaptProcs's loop.
var procsLoop tuning.Loop

// AdaptProcs keeps GOMAXPROCS at the number of cores (of those it was
// given) that other programs leave free, at least one, measuring their
// CPU time every half second (/proc/stat less this process's). It does
// nothing when GOMAXPROCS is set in the environment, or where the
// machine's CPU time cannot be read. The gradlab kernel calls it at start,
// as do the benchmarks that measure what a notebook gets; stop ends it
// and gives the runtime back the cores it had.
func AdaptProcs() (stop func()) {
	if os.Getenv("GOMAXPROCS") != "" {
		return func() {}
	}
	last, ok := cpuTimes()
	if !ok {
		return func() {}
	}
	var ceiling, current int
	begin := func() { ceiling = runtime.GOMAXPROCS(0); current = ceiling }
	next := func() func() {
		now, ok := cpuTimes()
		if !ok {
			return nil
		}
		want := procsFor(ceiling, runtime.NumCPU(), now.others(last))
		last = now
		if want == current {
			return nil
		}
		return func() { runtime.GOMAXPROCS(want); current = want }
	}
	return procsLoop.Start(adaptEvery, begin, next, func() { runtime.GOMAXPROCS(ceiling) })
}

// procsFor is the GOMAXPROCS for a process allowed ceiling of the
// machine's cpus cores while other programs use others cores' worth of
// CPU: a core is theirs from takenAt of it.
func procsFor(ceiling, cpus int, others float64) int {
	taken := int(others + 1 - takenAt)
	return max(1, min(ceiling, cpus-taken))
}

// cpuSample is the machine's busy CPU time and this process's, at a time.
type cpuSample struct {
	busy, own time.Duration
	at        time.Time
}

// others is how many cores' worth of CPU other programs used between s0
// and s.
func (s cpuSample) others(s0 cpuSample) float64 {
	wall := s.at.Sub(s0.at)
	if wall <= 0 {
		return 0
	}
	return max(0, float64((s.busy-s0.busy)-(s.own-s0.own))/float64(wall))
}

package interp

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/gradlab/gradlab/internal/tuning"
)

// GCPercent is the collector's target (GOGC) for a heap that is all
// pointers, which TuneGC scales down for pointer-free data. A session's
// live heap is mostly its symbol tables, large and full of pointers, so
// each collection marks for a millisecond or more, while compiling a cell
// allocates a few MB and keeps little: with Go's default of 100 the
// collector ran every few cells (35% of the CPU of a 200-line cell; 7.0
// against 9.8 ms per 200-line cell, 77 against 109 us per trivial cell, in
// `go test ./interp -bench '200LineCell$|TrivialCell$'` with GOGC=400 and
// 100).
const GCPercent = 400

// minGCPercent bounds the scaled target: a heap of a few GB of tensors
// still waits for a tenth of itself.
const minGCPercent = 10

// minGCWait is the least allocation (bytes) a scaled target waits for: a
// process with little but tensors would otherwise collect after every
// step of a batch-4096 MLP (20-30 MB of activations a step, in a heap of
// 14 MB).
const minGCWait = 32 << 20

// gcRetune is how often TuneGC's goroutine looks at the heap.
const gcRetune = 100 * time.Millisecond

// gcLoop is TuneGC's loop.
var gcLoop tuning.Loop

// TuneGC sets the collector's target for a process running sessions,
// unless GOGC is set (the user's choice stands). A collection costs what
// it marks, the heap's pointers; what it saves is the fresh memory a
// program would write before the runtime reuses any. The runtime scales
// the allocation it waits for with all of the live heap, so pointer-free
// data, which costs nothing to mark, made it wait for more: with
// Fashion-MNIST's 47 MB of pixels in memory, a training loop wrote 190 MB
// of fresh batches before the first collection at 400, every page faulted
// in on first touch (the MLP's first epoch from a cell: 0.67-0.85 s at
// 400, 0.47-0.61 s scaled; bench/README.md, "The kernel's collector
// target"). So TuneGC has the runtime wait for GCPercent of the
// scannable heap (and at least minGCWait): every 100 ms it sets GOGC from
// the heap's figures (scaledGCPercent). The gradlab kernel calls it at
// start, as do the tests and benchmarks that measure what a notebook
// gets; restore stops it and puts the old target back.
func TuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/heap:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
	}
	var old int
	current := GCPercent
	begin := func() { old = debug.SetGCPercent(GCPercent) }
	next := func() func() {
		metrics.Read(samples)
		p := scaledGCPercent(samples[0].Value.Uint64(), samples[1].Value.Uint64(),
			samples[2].Value.Uint64()+samples[3].Value.Uint64())
		if p == current {
			return nil
		}
		return func() { debug.SetGCPercent(p); current = p }
	}
	return gcLoop.Start(gcRetune, begin, next, func() { debug.SetGCPercent(old) })
}

// scaledGCPercent is the GOGC at which the runtime, whose goal is live +
// (live + roots) x GOGC/100, waits for GCPercent/100 of the scannable heap
// and roots, or for minGCWait if that is more: rounded down to a multiple
// of 10 (small changes of the heap do not move it), between minGCPercent
// and GCPercent.
func scaledGCPercent(live, scan, roots uint64) int {
	if live+roots == 0 {
		return GCPercent
	}
	wait := max(GCPercent*(scan+roots)/100, minGCWait)
	p := int(100*wait/(live+roots)) / 10 * 10
	return max(minGCPercent, min(GCPercent, p))
}

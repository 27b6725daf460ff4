package autogradbench

import "github.com/gradlab/gradlab/interp"

// The benchmarks run with the gradlab kernel's collector target
// (interp.TuneGC: GCPercent, scaled down for a heap of pointer-free data).
func init() { interp.TuneGC() }

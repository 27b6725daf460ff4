package autogradbench

import "github.com/gradlab/gradlab/interp"

// The benchmarks run with the gradlab kernel's collector targets
// (interp.TuneGC): the library's own at GCPercent, which is what a short
// cell gets; the cells' loops lowering it as the kernel does once a cell
// runs long.
func init() { interp.TuneGC() }

package autogradbench

import (
	"os"
	"runtime/debug"

	"github.com/gradlab/gradlab/interp"
)

// Training loops allocate a few tensors per op and keep little alive, so
// with Go's default pacing the collector runs every few steps. The
// gradlab binary sets interp.GCPercent for its sessions; the benchmarks do
// the same so they measure what a notebook gets.
func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(interp.GCPercent)
	}
}

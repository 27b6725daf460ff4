//go:build !linux

package capture

import (
	"os"
	"sync/atomic"
)

// pipeBuffered is unknown here: the capture always syncs with a marker.
func pipeBuffered(*os.File) (int, bool) { return 0, false }

// readPipe reads r into buf (the capture syncs with a marker every time
// here, so inflight only needs to be roughly right).
func readPipe(r *os.File, buf []byte, inflight *atomic.Bool) (int, error) {
	inflight.Store(true)
	return r.Read(buf)
}

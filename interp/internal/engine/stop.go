package engine

import (
	"sync/atomic"

	yinterp "github.com/traefik/yaegi/interp"
)

// Stop stops every interpreted goroutine of in at its next step, and makes
// its cancellable channel operations return, as an interrupt of a running
// program does (Execute): goroutines that cells started and that outlived
// them (a `for {}` spinning while the kernel is idle) stop on an interrupt
// while idle, on %reset and on Close. The next program runs normally.
func Stop(in *yinterp.Interpreter) {
	f, ok := fieldsOf(in)
	if !ok {
		return
	}
	f.mutex.Lock()
	defer f.mutex.Unlock()
	atomic.AddUint64(f.id, 1)
	if *f.done != nil {
		select {
		case <-*f.done: // closed by an interrupt
		default:
			close(*f.done)
		}
	}
}

// Package tuning runs the loops that keep one of the Go runtime's
// process-wide settings (the collector's target in interp.TuneGC,
// GOMAXPROCS in parallel.AdaptProcs) fitted to what the process and the
// machine do: one loop per setting, replaced by a second Start, ended by
// the function Start returns.
package tuning

import (
	"sync"
	"time"
)

// Loop is one setting's loop. The zero value is ready.
type Loop struct {
	mu   sync.Mutex
	stop chan struct{} // closes to end the running loop; nil when none runs
}

// Start ends l's running loop, if any, calls begin, and starts a loop that
// calls next every period: next measures and returns the change to make,
// or nil for none. begin, the changes and restore run under l's lock, and
// only while this loop is l's current one, so that a replaced or stopped
// loop never undoes its successor's setting. stop ends the loop and calls
// restore.
func (l *Loop) Start(period time.Duration, begin func(), next func() (change func()), restore func()) (stop func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop != nil {
		close(l.stop)
	}
	ch := make(chan struct{})
	l.stop = ch
	begin()
	go l.run(ch, period, next)
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.stop == ch {
			close(ch)
			l.stop = nil
			restore()
		}
	}
}

func (l *Loop) run(stop chan struct{}, period time.Duration, next func() func()) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		change := next()
		if change == nil {
			continue
		}
		l.mu.Lock()
		if l.stop == stop {
			change()
		}
		l.mu.Unlock()
	}
}

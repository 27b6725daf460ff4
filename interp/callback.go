package interp

import (
	"context"

	"github.com/gradlab/gradlab/display/comm"
)

// Callback runs f, native code that calls back into the cells' functions
// (a widget's observers when the frontend moved a slider), as the session
// runs a cell: serialised with cells, its output (prints, displays,
// figures) routed to c.Out and the display sink, a panic reported as the
// result's error instead of ending the kernel. c.Code is not run. Output
// that earlier cells' goroutines print afterwards still goes to the last
// cell.
//
// Known limit: interrupting does not stop a callback (yaegi checks for
// cancellation only in code a cell runs; bumping its run id would stop
// every stored closure for good).
func (s *Session) Callback(ctx context.Context, c Cell, f func()) Result {
	return s.run(ctx, c, true, func() (res Result) {
		defer func() {
			if r := recover(); r != nil {
				s.stateMu.Lock()
				var trace []string
				if s.cur != nil {
					trace = s.cur.takeTrace()
				}
				s.stateMu.Unlock()
				res.Err = panicError(r, trace)
			}
		}()
		f()
		return Result{}
	})
}

func (c *capture) getDest() func(stream, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dest
}

// syncComm wraps the kernel's comm transport while a cell runs, as
// syncSink wraps the display sink: before each comm message it hands over
// the output printed so far, so that an output widget's capture starts
// and ends where the prints around it were made.
type syncComm struct {
	capt  *capture
	inner comm.Transport
}

func installSyncComm(capt *capture) (restore func()) {
	return comm.WrapTransport(func(t comm.Transport) comm.Transport { return &syncComm{capt: capt, inner: t} })
}

func (t *syncComm) Open(id, target string, m comm.Msg) {
	t.capt.sync()
	t.inner.Open(id, target, m)
}

func (t *syncComm) Send(id string, m comm.Msg) {
	t.capt.sync()
	t.inner.Send(id, m)
}

func (t *syncComm) Close(id string, m comm.Msg) {
	t.capt.sync()
	t.inner.Close(id, m)
}

func (t *syncComm) Parent() string { return t.inner.Parent() }

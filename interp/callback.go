package interp

import "context"

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
	return s.run(ctx, c, true, func(context.Context) (res Result) {
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

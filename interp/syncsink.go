package interp

import "github.com/gradlab/gradlab/display"

// syncSink wraps the frontend's display sink while a cell runs: before
// each display message it hands over the output printed so far, so that
// a cell's prints and displays reach the notebook in the order they were
// made (print, plot, print shows as text, figure, text), as with ipykernel.
type syncSink struct {
	capt  *capture
	inner display.Sink
}

// installSyncSink puts a syncSink in front of the current sink and returns
// a func that restores it.
func installSyncSink(capt *capture) (restore func()) {
	s := &syncSink{capt: capt}
	s.inner = display.SetSink(s)
	return func() { display.SetSink(s.inner) }
}

func (s *syncSink) Display(b display.Bundle, metadata map[string]any, displayID string, update bool) {
	s.capt.sync()
	if s.inner != nil {
		s.inner.Display(b, metadata, displayID, update)
	}
}

func (s *syncSink) ClearOutput(wait bool) {
	s.capt.sync()
	if s.inner != nil {
		s.inner.ClearOutput(wait)
	}
}

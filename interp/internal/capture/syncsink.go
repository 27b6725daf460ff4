package capture

import "github.com/gradlab/gradlab/display"

// SyncSink wraps the frontend's display sink while a cell runs: before
// each display message it hands over the output printed so far, so that
// a cell's prints and displays reach the notebook in the order they were
// made (print, plot, print shows as text, figure, text), as with ipykernel.
type SyncSink struct {
	capt  *Capture
	inner display.Sink
}

// InstallSyncSink puts a SyncSink in front of display's current sink and
// returns a func that restores it.
func InstallSyncSink(capt *Capture) (restore func()) {
	s := &SyncSink{capt: capt}
	s.inner = display.SetSink(s)
	return func() { display.SetSink(s.inner) }
}

func (s *SyncSink) Display(b display.Bundle, metadata map[string]any, displayID string, update bool) {
	s.capt.Sync()
	if s.inner != nil {
		s.inner.Display(b, metadata, displayID, update)
	}
}

func (s *SyncSink) ClearOutput(wait bool) {
	s.capt.Sync()
	if s.inner != nil {
		s.inner.ClearOutput(wait)
	}
}

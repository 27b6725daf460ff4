package interp

import "github.com/gradlab/gradlab/interp/internal/engine"

// Interrupt stops the goroutines that earlier cells started and that still
// run, at their next step (a native call they are in finishes first). A
// frontend calls it on an interrupt that arrives while no cell runs; an
// interrupt of a running cell cancels the context given to Execute, which
// stops them too. It does nothing while a cell runs.
func (s *Session) Interrupt() {
	if !s.mu.TryLock() {
		return
	}
	defer s.mu.Unlock()
	engine.Stop(s.in)
}

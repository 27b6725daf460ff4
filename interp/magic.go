package interp

import "context"

// magic runs IPython-style magics (%time, %who, !cmd, ...).
func (s *Session) magic(ctx context.Context, code string, count int) (Result, bool) {
	return Result{}, false
}

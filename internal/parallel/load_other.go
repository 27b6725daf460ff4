//go:build !linux

package parallel

// loadAverage is not read outside Linux: only descheduled spins turn
// spinning off there.
func loadAverage() (float64, bool) { return 0, false }

package display

import "sync"

var (
	hooksMu  sync.Mutex
	endHooks []func()
)

// OnCellEnd registers f to run when the frontend finishes running a cell,
// before the cell's value is shown. display/plt uses it to show figures
// still open, like matplotlib's inline backend.
func OnCellEnd(f func()) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	endHooks = append(endHooks, f)
}

// EndCell runs the hooks registered with OnCellEnd. Frontends call it once
// after each cell.
func EndCell() {
	hooksMu.Lock()
	hooks := append([]func(){}, endHooks...)
	hooksMu.Unlock()
	for _, f := range hooks {
		f()
	}
}

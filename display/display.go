// Package display is how Go code shows rich output in a notebook: MIME
// bundles, display handles updated in place, clear_output, and progress bars.
//
// It knows nothing of Jupyter or of the math packages. A frontend (the
// gradlab kernel, or gradlab run) plugs in a Sink; without one, output goes
// to standard output as text, so a plain Go program or a test can use the
// same calls.
package display

import (
	"sync"
)

// Bundle maps MIME types to data, as in Jupyter's display_data. Text types
// ("text/plain", "text/html", "image/svg+xml", ...) hold a string; binary
// types ("image/png") hold a []byte, which the frontend base64-encodes;
// "application/json" holds any JSON-encodable value.
type Bundle map[string]any

// Bundler is implemented by values that offer their own rich
// representation. A cell whose value implements it displays the bundle.
// The method returns a plain map so that a package can implement Bundler
// without importing display (autograd's Tensor does).
type Bundler interface {
	MIMEBundle() map[string]any
}

// Sink receives display output. The kernel implements it by publishing
// display_data, update_display_data and clear_output messages.
type Sink interface {
	// Display shows b. A non-empty displayID names the output so that later
	// calls with update set replace it in place.
	Display(b Bundle, metadata map[string]any, displayID string, update bool)
	// ClearOutput clears the output area of the running cell; with wait,
	// the clearing happens when the next output arrives.
	ClearOutput(wait bool)
}

var (
	mu   sync.RWMutex
	sink Sink = textSink{}
)

// SetSink routes all display output to s and returns the previous sink.
// A nil s restores the default text sink.
func SetSink(s Sink) Sink {
	mu.Lock()
	defer mu.Unlock()
	old := sink
	if s == nil {
		s = textSink{}
	}
	sink = s
	return old
}

func current() Sink {
	mu.RLock()
	defer mu.RUnlock()
	return sink
}

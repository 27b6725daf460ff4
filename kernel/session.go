package kernel

import (
	"context"

	"github.com/gradlab/gradlab/display"
)

// Session is what the kernel needs from a language session, as net/http's
// Handler is what its Server needs from an application. The kernel owns
// the request and result types; `gradlab kernel` adapts the Go
// interpreter's session to them, so this package never links the
// interpreter.
type Session interface {
	// Execute runs one cell. Cancelling ctx interrupts it.
	Execute(ctx context.Context, c Cell) Result
	Complete(code string, cursor int) (matches []string, start, end int)
	Inspect(code string, cursor, detail int) (data map[string]any, found bool)
	IsComplete(code string) (status, indent string)
}

// Cell is one cell to execute, with where its output goes while it runs.
type Cell struct {
	Code  string
	Count int                                                // execution count shown in cell[N]
	Out   func(stream, text string)                          // "stdout"/"stderr" chunks, in order
	Input func(prompt string, password bool) (string, error) // nil: no stdin (reads fail with a clear error)
	// Display receives the cell's display calls (display_data,
	// update_display_data, clear_output). It stays valid after the cell
	// ends: a goroutine the cell started may still display, and its output
	// belongs to this cell.
	Display display.Sink
}

// Result is what a cell produced besides its streamed and displayed output.
type Result struct {
	Value    map[string]any   // MIME bundle of the cell's value (execute_result), nil if none
	Metadata map[string]any   // the value's display metadata, may be nil
	Err      *Error           // nil on success
	Payload  []map[string]any // e.g. a pager payload
}

// Error is a compile error, panic or interrupt, in Jupyter's terms.
type Error struct {
	Name, Value string
	Traceback   []string
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// The functions below map results to the content of Jupyter messages.
// nbformat's outputs have the same shape (plus output_type), so the other
// frontend, package notebook, uses them too.

// ExecuteResult returns the content of the execute_result message for
// the cell's value, or nil when the cell has no value.
func (r Result) ExecuteResult(count int) map[string]any {
	if r.Value == nil {
		return nil
	}
	md := r.Metadata
	if md == nil {
		md = map[string]any{} // the wire and nbformat want an object
	}
	return map[string]any{"execution_count": count, "data": display.Bundle(r.Value).JSONData(), "metadata": md}
}

// Content returns the content of the error message: ename, evalue and a
// traceback that is a list even when empty.
func (e *Error) Content() map[string]any {
	tb := e.Traceback
	if tb == nil {
		tb = []string{}
	}
	return map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb}
}

// DisplayData returns the content of a display_data message showing b.
// The metadata is copied: the caller may reuse its map.
func DisplayData(b display.Bundle, metadata map[string]any) map[string]any {
	md := make(map[string]any, len(metadata))
	for k, v := range metadata {
		md[k] = v
	}
	return map[string]any{"data": b.JSONData(), "metadata": md}
}

// discard is the display sink of silent requests.
type discard struct{}

func (discard) Display(display.Bundle, map[string]any, string, bool) {}
func (discard) ClearOutput(bool)                                     {}

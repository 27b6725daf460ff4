package widgets

import (
	"fmt"
	"os"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/display/comm"
)

// Output is an output area: what code prints and displays inside Capture
// shows there instead of under the cell.
type Output struct{ *model }

// NewOutput returns an empty output area.
func NewOutput() *Output {
	return &Output{newModel("Output", "output", map[string]any{
		"msg_id": "", "outputs": []any{}, "layout": nil, "tabbable": nil, "tooltip": nil,
	})}
}

// Capture runs f with its output (prints, displays, figures) going to the
// output area. A panic in f is shown in the area, on standard error, and
// Capture returns normally: an interactive redraw that fails must leave
// the rest working.
//
// The frontend captures by the id of the request being served (the
// widget protocol's msg_id): the running cell, or the widget change that
// ran f. Without a kernel, f's output goes where it would otherwise.
func (w *Output) Capture(f func()) {
	parent := comm.Parent()
	if parent != "" {
		w.set(map[string]any{"msg_id": parent}, false)
		defer w.set(map[string]any{"msg_id": ""}, false)
	}
	if err := call(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// Figures f left open show in the area, as they would at the end of
	// a cell (display/plt shows them from this hook).
	if err := call(display.EndCell); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// Clear clears the output area; with wait, only when new output arrives
// (no flicker when a redraw replaces it).
func (w *Output) Clear(wait bool) {
	parent := comm.Parent()
	switch {
	case parent == "": // no frontend, no area: above all, not the cell's output
	case w.get("msg_id") == parent:
		display.ClearOutput(wait) // captured: clears this area
	default:
		w.Capture(func() { display.ClearOutput(wait) })
	}
}

// MIMEBundle shows the output area.
func (w *Output) MIMEBundle() map[string]any { return w.viewBundle("Output()") }

// call runs f, turning a panic into an error.
func call(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	f()
	return nil
}

// Interactive is a set of controls, a function and the output area it
// draws in: each change of a control runs the function again.
type Interactive struct {
	*Box
	out      *Output
	f        func()
	controls []Widget
	runs     int
}

// NewInteractive returns controls and an output area in a column, and runs
// f in the area now and after every change of a control (a click for a
// Button). f reads the controls' values itself:
//
//	lr := widgets.NewFloatSlider("lr", 0.1, 0.01, 1, 0.01)
//	ui := widgets.NewInteractive(func() { fmt.Println(descend(lr.Value())) }, lr)
//
// Display it, or put it in a box. A panic in f shows in the output area.
func NewInteractive(f func(), controls ...Widget) *Interactive {
	if f == nil {
		panic("widgets.NewInteractive: the function is nil")
	}
	out := NewOutput()
	children := append(append([]Widget{}, controls...), out)
	in := &Interactive{Box: NewVBox(children...), out: out, f: f, controls: controls}
	for _, c := range controls {
		c.base().observe(in.Update)
	}
	in.Update()
	return in
}

// Interact shows controls and the output of f, which runs again after
// every change of a control: see NewInteractive.
func Interact(f func(), controls ...Widget) {
	in := NewInteractive(f, controls...)
	display.Display(in)
}

// Update runs the function again, replacing the output area's contents.
func (in *Interactive) Update() {
	in.runs++
	in.out.Capture(func() {
		display.ClearOutput(true)
		in.f()
	})
}

// Output returns the output area.
func (in *Interactive) Output() *Output { return in.out }

// Runs returns how many times the function ran.
func (in *Interactive) Runs() int { return in.runs }

// MIMEBundle shows the controls and the output area.
func (in *Interactive) MIMEBundle() map[string]any {
	return in.viewBundle(fmt.Sprintf("Interactive(controls=%d)", len(in.controls)))
}

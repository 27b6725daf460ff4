package widgets

import (
	"fmt"
	"math"
)

// describable is the part of every control: a description and a way to
// disable it.
func describable(description string, s map[string]any) map[string]any {
	s["description"] = description
	s["description_allow_html"] = false
	s["tooltip"] = nil
	s["tabbable"] = nil
	s["disabled"] = false
	s["layout"] = nil
	s["style"] = nil
	return s
}

// numberIn reads a JSON number the frontend sent.
func numberIn(v any) (float64, bool) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// IntSlider chooses an integer in [min, max] by steps.
type IntSlider struct{ *model }

// NewIntSlider returns a slider over [min, max] in steps of step, at value.
// It panics if min > max or step <= 0.
func NewIntSlider(description string, value, min, max, step int) *IntSlider {
	if min > max || step <= 0 {
		panic(fmt.Sprintf("widgets.NewIntSlider(%q): need min <= max and step > 0, got min %d, max %d, step %d", description, min, max, step))
	}
	value = clampInt(value, min, max)
	w := &IntSlider{newModel("IntSlider", "controls", describable(description, map[string]any{
		"value": value, "min": min, "max": max, "step": step,
		"orientation": "horizontal", "readout": true, "readout_format": "d",
		"continuous_update": true, "behavior": "drag-tap",
	}))}
	w.update = func(s map[string]any) bool { return w.receiveInt(s) }
	return w
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// receiveInt applies an integer value from the frontend, clamped to the
// bounds; it tells whether the value changed.
func (m *model) receiveInt(s map[string]any) bool {
	f, ok := numberIn(s["value"])
	if !ok {
		return false
	}
	lo, _ := toInt(m.get("min"))
	hi, _ := toInt(m.get("max"))
	v := clampInt(int(math.Round(f)), lo, hi)
	if float64(v) != f { // the frontend must show the value the kernel keeps
		defer m.comm.Send(m.d.update(m, map[string]any{"value": v}))
	}
	old, _ := toInt(m.get("value"))
	if v == old {
		return false
	}
	m.mu.Lock()
	m.state["value"] = v
	m.mu.Unlock()
	return true
}

// Value returns the slider's value.
func (w *IntSlider) Value() int { v, _ := toInt(w.get("value")); return v }

// SetValue moves the slider (clamped to its bounds) and calls the
// functions observing it.
func (w *IntSlider) SetValue(v int) {
	lo, _ := toInt(w.get("min"))
	hi, _ := toInt(w.get("max"))
	w.set(map[string]any{"value": clampInt(v, lo, hi)}, true)
}

// OnChange calls f after each change of the value.
func (w *IntSlider) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the slider.
func (w *IntSlider) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "min", "max", "step", "description"))
}

// FloatSlider chooses a number in [min, max] by steps.
type FloatSlider struct{ *model }

// NewFloatSlider returns a slider over [min, max] in steps of step, at
// value. It panics if min > max or step <= 0.
func NewFloatSlider(description string, value, min, max, step float64) *FloatSlider {
	if !(min <= max) || !(step > 0) {
		panic(fmt.Sprintf("widgets.NewFloatSlider(%q): need min <= max and step > 0, got min %g, max %g, step %g", description, min, max, step))
	}
	w := &FloatSlider{newModel("FloatSlider", "controls", describable(description, map[string]any{
		"value": math.Max(min, math.Min(max, value)), "min": min, "max": max, "step": step,
		"orientation": "horizontal", "readout": true, "readout_format": ".2f",
		"continuous_update": true, "behavior": "drag-tap",
	}))}
	w.update = func(s map[string]any) bool { return w.receiveFloat(s, func(v float64) float64 { return v }) }
	return w
}

// receiveFloat applies a number from the frontend, mapped by conv and
// clamped to [conv(min), conv(max)].
func (m *model) receiveFloat(s map[string]any, conv func(float64) float64) bool {
	f, ok := numberIn(s["value"])
	if !ok {
		return false
	}
	lo, _ := m.get("min").(float64)
	hi, _ := m.get("max").(float64)
	v := math.Max(conv(lo), math.Min(conv(hi), f))
	if v != f { // the frontend must show the value the kernel keeps
		defer m.comm.Send(m.d.update(m, map[string]any{"value": v}))
	}
	if old, _ := m.get("value").(float64); old == v {
		return false
	}
	m.mu.Lock()
	m.state["value"] = v
	m.mu.Unlock()
	return true
}

// Value returns the slider's value.
func (w *FloatSlider) Value() float64 { v, _ := w.get("value").(float64); return v }

// SetValue moves the slider (clamped to its bounds) and calls the
// functions observing it.
func (w *FloatSlider) SetValue(v float64) {
	lo, _ := w.get("min").(float64)
	hi, _ := w.get("max").(float64)
	w.set(map[string]any{"value": math.Max(lo, math.Min(hi, v))}, true)
}

// OnChange calls f after each change of the value.
func (w *FloatSlider) OnChange(f func()) { w.observe(f) }

// SetFormat sets how the readout shows the value (a d3-format string such
// as ".2f" or ".1e").
func (w *FloatSlider) SetFormat(f string) { w.set(map[string]any{"readout_format": f}, false) }

// MIMEBundle shows the slider.
func (w *FloatSlider) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "min", "max", "step", "description"))
}

// FloatLogSlider chooses a positive number on a logarithmic scale, as a
// learning rate is usually chosen.
type FloatLogSlider struct{ *model }

// NewFloatLogSlider returns a slider over [min, max] (positive numbers)
// whose position is the base-10 logarithm of its value, in ten steps per
// decade. It panics unless 0 < min <= max.
func NewFloatLogSlider(description string, value, min, max float64) *FloatLogSlider {
	if !(min > 0) || !(min <= max) {
		panic(fmt.Sprintf("widgets.NewFloatLogSlider(%q): need 0 < min <= max, got min %g, max %g", description, min, max))
	}
	// The protocol's min and max are exponents.
	w := &FloatLogSlider{newModel("FloatLogSlider", "controls", describable(description, map[string]any{
		"value": math.Max(min, math.Min(max, value)), "min": math.Log10(min), "max": math.Log10(max), "step": 0.1, "base": 10.0,
		"orientation": "horizontal", "readout": true, "readout_format": ".3g",
		"continuous_update": true, "behavior": "drag-tap",
	}))}
	w.update = func(s map[string]any) bool {
		return w.receiveFloat(s, func(e float64) float64 { return math.Pow(10, e) })
	}
	return w
}

// Value returns the slider's value.
func (w *FloatLogSlider) Value() float64 { v, _ := w.get("value").(float64); return v }

// SetValue moves the slider (clamped to its bounds) and calls the
// functions observing it.
func (w *FloatLogSlider) SetValue(v float64) {
	lo, _ := w.get("min").(float64)
	hi, _ := w.get("max").(float64)
	w.set(map[string]any{"value": math.Max(math.Pow(10, lo), math.Min(math.Pow(10, hi), v))}, true)
}

// OnChange calls f after each change of the value.
func (w *FloatLogSlider) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the slider.
func (w *FloatLogSlider) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "description"))
}

// Dropdown chooses one of a list of options.
type Dropdown struct{ *model }

// NewDropdown returns a dropdown over options showing value. It panics if
// value is not one of the options.
func NewDropdown(description string, options []string, value string) *Dropdown {
	labels := make([]any, len(options))
	index := -1
	for i, o := range options {
		labels[i] = o
		if o == value && index < 0 {
			index = i
		}
	}
	if index < 0 {
		panic(fmt.Sprintf("widgets.NewDropdown(%q): value %q is not one of the options %q", description, value, options))
	}
	w := &Dropdown{newModel("Dropdown", "controls", describable(description, map[string]any{
		"_options_labels": labels, "index": index,
	}))}
	w.update = func(s map[string]any) bool {
		f, ok := numberIn(s["index"])
		i := int(f)
		if !ok || i < 0 || i >= len(labels) || i == w.Index() {
			return false
		}
		w.mu.Lock()
		w.state["index"] = i
		w.mu.Unlock()
		return true
	}
	return w
}

// Index returns the index of the chosen option.
func (w *Dropdown) Index() int { i, _ := toInt(w.get("index")); return i }

// Value returns the chosen option.
func (w *Dropdown) Value() string {
	labels, _ := w.get("_options_labels").([]any)
	if i := w.Index(); i >= 0 && i < len(labels) {
		s, _ := labels[i].(string)
		return s
	}
	return ""
}

// SetValue chooses an option and calls the functions observing the
// dropdown. It panics if v is not one of the options.
func (w *Dropdown) SetValue(v string) {
	labels, _ := w.get("_options_labels").([]any)
	for i, l := range labels {
		if l == v {
			w.set(map[string]any{"index": i}, true)
			return
		}
	}
	panic(fmt.Sprintf("widgets.Dropdown.SetValue: %q is not one of the options %v", v, labels))
}

// OnChange calls f after each change of the choice.
func (w *Dropdown) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the dropdown.
func (w *Dropdown) MIMEBundle() map[string]any {
	return w.viewBundle(fmt.Sprintf("Dropdown(value=%q, description=%q)", w.Value(), w.get("description")))
}

// Checkbox is a boolean choice.
type Checkbox struct{ *model }

// NewCheckbox returns a checkbox, ticked if value.
func NewCheckbox(description string, value bool) *Checkbox {
	w := &Checkbox{newModel("Checkbox", "controls", describable(description, map[string]any{"value": value, "indent": true}))}
	w.update = func(s map[string]any) bool { return w.receiveBool(s) }
	return w
}

func (m *model) receiveBool(s map[string]any) bool {
	v, ok := s["value"].(bool)
	if !ok || v == m.get("value") {
		return false
	}
	m.mu.Lock()
	m.state["value"] = v
	m.mu.Unlock()
	return true
}

// Value tells whether the box is ticked.
func (w *Checkbox) Value() bool { v, _ := w.get("value").(bool); return v }

// SetValue ticks or clears the box and calls the functions observing it.
func (w *Checkbox) SetValue(v bool) { w.set(map[string]any{"value": v}, true) }

// OnChange calls f after each change.
func (w *Checkbox) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the checkbox.
func (w *Checkbox) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "description"))
}

// Text is a line of text the user types.
type Text struct{ *model }

// NewText returns a text box holding value.
func NewText(description, value string) *Text {
	w := &Text{newModel("Text", "controls", describable(description, map[string]any{
		"value": value, "placeholder": "\u200b", "continuous_update": true,
	}))}
	w.update = func(s map[string]any) bool {
		v, ok := s["value"].(string)
		if !ok || v == w.Value() {
			return false
		}
		w.mu.Lock()
		w.state["value"] = v
		w.mu.Unlock()
		return true
	}
	return w
}

// Value returns the text.
func (w *Text) Value() string { v, _ := w.get("value").(string); return v }

// SetValue replaces the text and calls the functions observing it.
func (w *Text) SetValue(v string) { w.set(map[string]any{"value": v}, true) }

// OnChange calls f after each change of the text.
func (w *Text) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the text box.
func (w *Text) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "description"))
}

// Button is clicked by the user.
type Button struct {
	*model
	clicks int
}

// NewButton returns a button labelled description.
func NewButton(description string) *Button {
	w := &Button{model: newModel("Button", "controls", describable(description, map[string]any{
		"icon": "", "button_style": "",
	}))}
	w.custom = func(c map[string]any) {
		if c["event"] == "click" {
			w.Click()
		}
	}
	return w
}

// OnClick calls f after each click.
func (w *Button) OnClick(f func()) { w.observe(f) }

// Click clicks the button from Go: the functions given to OnClick run.
func (w *Button) Click() {
	w.mu.Lock()
	w.clicks++
	w.mu.Unlock()
	w.notify()
}

// Clicks returns how many times the button was clicked.
func (w *Button) Clicks() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.clicks
}

// MIMEBundle shows the button.
func (w *Button) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("description"))
}

// Play steps an integer from min to max at an interval, with play, pause
// and stop buttons: a control that animates whatever observes it.
type Play struct{ *model }

// NewPlay returns a player stepping value over [min, max] by step every
// interval milliseconds. It panics if min > max, step <= 0 or interval <= 0.
func NewPlay(description string, value, min, max, step, interval int) *Play {
	if min > max || step <= 0 || interval <= 0 {
		panic(fmt.Sprintf("widgets.NewPlay(%q): need min <= max, step > 0 and interval > 0, got min %d, max %d, step %d, interval %d", description, min, max, step, interval))
	}
	w := &Play{newModel("Play", "controls", describable(description, map[string]any{
		"value": clampInt(value, min, max), "min": min, "max": max, "step": step, "interval": interval,
		"playing": false, "repeat": false, "show_repeat": true,
	}))}
	w.update = func(s map[string]any) bool {
		w.mu.Lock()
		for _, k := range []string{"playing", "repeat"} {
			if b, ok := s[k].(bool); ok {
				w.state[k] = b
			}
		}
		w.mu.Unlock()
		return w.receiveInt(s)
	}
	return w
}

// Value returns the current step.
func (w *Play) Value() int { v, _ := toInt(w.get("value")); return v }

// SetValue moves to v (clamped to the bounds) and calls the functions
// observing the player.
func (w *Play) SetValue(v int) {
	lo, _ := toInt(w.get("min"))
	hi, _ := toInt(w.get("max"))
	w.set(map[string]any{"value": clampInt(v, lo, hi)}, true)
}

// OnChange calls f after each step.
func (w *Play) OnChange(f func()) { w.observe(f) }

// MIMEBundle shows the player.
func (w *Play) MIMEBundle() map[string]any {
	return w.viewBundle(w.describe("value", "min", "max", "interval", "description"))
}

// Label shows a line of text.
type Label struct{ *model }

// NewLabel returns a label showing text.
func NewLabel(text string) *Label {
	return &Label{newModel("Label", "controls", describable("", map[string]any{"value": text, "placeholder": "\u200b"}))}
}

// Value returns the label's text.
func (w *Label) Value() string { v, _ := w.get("value").(string); return v }

// SetValue replaces the label's text.
func (w *Label) SetValue(text string) { w.set(map[string]any{"value": text}, false) }

// MIMEBundle shows the label.
func (w *Label) MIMEBundle() map[string]any { return w.viewBundle(w.describe("value")) }

// HTML shows a fragment of HTML.
type HTML struct{ *model }

// NewHTML returns a widget showing the HTML fragment s.
func NewHTML(s string) *HTML {
	return &HTML{newModel("HTML", "controls", describable("", map[string]any{"value": s, "placeholder": "\u200b"}))}
}

// Value returns the HTML shown.
func (w *HTML) Value() string { v, _ := w.get("value").(string); return v }

// SetValue replaces the HTML shown.
func (w *HTML) SetValue(s string) { w.set(map[string]any{"value": s}, false) }

// MIMEBundle shows the widget.
func (w *HTML) MIMEBundle() map[string]any { return w.viewBundle(w.describe("value")) }

// Box lays widgets out in a row (HBox) or a column (VBox).
type Box struct{ *model }

func newBox(name string, children []Widget) *Box {
	refs := make([]any, 0, len(children))
	for _, c := range children {
		if c == nil {
			panic("widgets: a nil widget in a box")
		}
		refs = append(refs, ref(c))
	}
	return &Box{newModel(name, "controls", map[string]any{
		"children": refs, "box_style": "", "layout": nil, "tabbable": nil, "tooltip": nil,
	})}
}

// NewHBox lays children out in a row.
func NewHBox(children ...Widget) *Box { return newBox("HBox", children) }

// NewVBox lays children out in a column.
func NewVBox(children ...Widget) *Box { return newBox("VBox", children) }

// Children returns the number of widgets in the box.
func (w *Box) Children() int { c, _ := w.get("children").([]any); return len(c) }

// MIMEBundle shows the box.
func (w *Box) MIMEBundle() map[string]any {
	return w.viewBundle(fmt.Sprintf("%s(children=%d)", w.name, w.Children()))
}

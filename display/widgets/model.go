// Package widgets is interactive controls for notebooks: sliders,
// dropdowns, checkboxes, buttons, text boxes, a play button, output areas,
// boxes to lay them out, and Interact, which re-runs a function each time a
// control changes and shows what it prints and plots.
//
// Widgets speak the Jupyter widget protocol version 2 that JupyterLab,
// Notebook, VS Code and Voila render, with ipywidgets 7's models
// (@jupyter-widgets/controls 1.5.0), which frontends of both ipywidgets 7
// and 8 load, or ipywidgets 8's (controls 2.0.0) when the environment
// variable GRADLAB_WIDGETS is 8. With Notebook 6 and Debian's
// jupyter-js-widgets 2.1 extension, the older version 1 dialect is spoken
// instead (the kernel tells by the extension's version check). All share
// this package's one model layer: a widget is a state map synced over a
// comm, and only module names, a few attribute names and the shapes of
// the messages differ.
//
// The package knows nothing of Jupyter's wire format: it opens comms
// through package comm and shows widgets through package display. Without
// a kernel (a plain Go program, `gradlab run`) widgets show as text and
// Interact runs its function once.
//
//	lr := widgets.NewFloatLogSlider("learning rate", 0.1, 1e-3, 1)
//	steps := widgets.NewIntSlider("steps", 20, 1, 100, 1)
//	widgets.Interact(func() {
//		path := descend(lr.Value(), steps.Value())
//		plt.Plot(xs, loss(xs), "b-")
//		plt.Plot(path, loss(path), "r--o")
//	}, lr, steps)
package widgets

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/gradlab/gradlab/display/comm"
)

// Widget is a control or container that can be displayed and placed in
// boxes. Every widget of this package implements it; the interface is
// closed to other types, whose state the frontend could not render.
type Widget interface {
	// ModelID returns the id the frontend knows the widget by (its comm id).
	ModelID() string
	base() *model
}

// WidgetTarget is the comm target of widget models.
const WidgetTarget = "jupyter.widget"

// model is one widget's state and the comm that syncs it. The state holds
// JSON values (float64 for numbers, as they come back from the frontend)
// under protocol 2's attribute names; the dialect renames on the way.
type model struct {
	id     string
	name   string // model name without "Model": "IntSlider"
	module string // "controls", "output" or "base"
	d      dialect

	mu    sync.Mutex
	state map[string]any
	comm  *comm.Comm

	// update applies a change the frontend sent; the widget checks it and
	// says which observers to call (run after the lock is released).
	update func(state map[string]any) (notify bool)
	custom func(content map[string]any)

	obsMu     sync.Mutex
	observers []func()
}

var (
	registryMu sync.Mutex
	registry   = map[string]*model{} // every open model by id, for the control comm
)

// newModel opens the comm of a new widget with the given state (protocol
// 2 names; the keys common to every model are added).
func newModel(name, module string, state map[string]any) *model {
	m := &model{name: name, module: module, d: currentDialect(), state: state}
	m.state["_dom_classes"] = []any{}
	m.comm = comm.Open(WidgetTarget, m.d.open(m))
	m.id = m.comm.ID()
	m.comm.OnMsg(m.receive)
	m.comm.OnClose(func(comm.Msg) { forget(m.id) })
	registryMu.Lock()
	registry[m.id] = m
	registryMu.Unlock()
	return m
}

func forget(id string) {
	registryMu.Lock()
	delete(registry, id)
	registryMu.Unlock()
}

func (m *model) ModelID() string { return m.id }
func (m *model) base() *model    { return m }

// get returns a state value.
func (m *model) get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state[key]
}

// snapshot returns a copy of the whole state.
func (m *model) snapshot() map[string]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := make(map[string]any, len(m.state))
	for k, v := range m.state {
		s[k] = v
	}
	return s
}

// set changes state from the kernel side, sends the change to the
// frontend and, with notify, calls the observers.
func (m *model) set(kv map[string]any, notify bool) {
	m.mu.Lock()
	for k, v := range kv {
		m.state[k] = v
	}
	m.mu.Unlock()
	m.comm.Send(m.d.update(m, kv))
	if notify {
		m.notify()
	}
}

// observe adds f to the functions called when the widget's value changes.
func (m *model) observe(f func()) {
	if f == nil {
		return
	}
	m.obsMu.Lock()
	m.observers = append(m.observers, f)
	m.obsMu.Unlock()
}

func (m *model) notify() {
	m.obsMu.Lock()
	obs := append([]func(){}, m.observers...)
	m.obsMu.Unlock()
	for _, f := range obs {
		f()
	}
}

// receive handles a message from the frontend's model.
func (m *model) receive(msg comm.Msg) {
	method, state, content := m.d.incoming(m, msg.Data)
	switch method {
	case "update":
		if len(state) == 0 || m.update == nil {
			return
		}
		if m.update(state) {
			m.notify()
		}
	case "request_state":
		m.comm.Send(m.d.fullUpdate(m))
	case "custom":
		if m.custom != nil {
			m.custom(content)
		}
	}
}

// viewBundle is how a widget displays: the widget-view MIME type that
// widget frontends render, and a text form for the others.
func (m *model) viewBundle(text string) map[string]any {
	return m.d.view(m, text)
}

// describe is the text/plain form of a widget: Name(key=value, ...).
func (m *model) describe(keys ...string) string {
	s := m.snapshot()
	var parts []string
	for _, k := range keys {
		v, ok := s[k]
		if !ok {
			continue
		}
		switch x := v.(type) {
		case string:
			parts = append(parts, fmt.Sprintf("%s=%q", k, x))
		default:
			parts = append(parts, fmt.Sprintf("%s=%v", k, x))
		}
	}
	return m.name + "(" + strings.Join(parts, ", ") + ")"
}

// states returns the full state of every open widget, by model id, in the
// current dialect (for the jupyter.widget.control comm).
func states() map[string]any {
	registryMu.Lock()
	ms := make([]*model, 0, len(registry))
	for _, m := range registry {
		ms = append(ms, m)
	}
	registryMu.Unlock()
	sort.Slice(ms, func(i, j int) bool { return ms[i].id < ms[j].id })
	out := map[string]any{}
	for _, m := range ms {
		st := m.d.fullState(m)
		out[m.id] = map[string]any{ // the form ipywidgets 8 sends and base-manager reads
			"model_name": st["_model_name"], "model_module": st["_model_module"],
			"model_module_version": st["_model_module_version"], "state": st,
		}
	}
	return out
}

// ref is how a state refers to another widget.
func ref(w Widget) string { return "IPY_MODEL_" + w.ModelID() }

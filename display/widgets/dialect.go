package widgets

import (
	"math"
	"os"
	"sync/atomic"

	"github.com/gradlab/gradlab/display/comm"
)

// ViewMIME is the MIME type under which a widget is displayed.
const ViewMIME = "application/vnd.jupyter.widget-view+json"

// dialect is one version of the widget protocol: module names, the shape
// of the messages, and the few attributes that differ. The models hold
// protocol 2's attributes; a dialect translates at the comm.
type dialect interface {
	// fullState is the model's whole state as the frontend expects it.
	fullState(m *model) map[string]any
	open(m *model) comm.Msg
	update(m *model, kv map[string]any) comm.Msg
	// fullUpdate is an update message with the whole state.
	fullUpdate(m *model) comm.Msg
	// incoming reads a frontend message: its method in protocol 2's terms
	// ("update", "request_state", "custom"), the state it carries (protocol
	// 2 names), a custom message's content.
	incoming(m *model, data map[string]any) (method string, state, content map[string]any)
	view(m *model, text string) map[string]any
}

var v1 atomic.Bool // Notebook 6's jupyter-js-widgets 2.1 asked for version 1

// ModelsEnv names the environment variable that picks the generation of
// widget models the kernel sends with protocol 2: "8" for ipywidgets 8's
// (@jupyter-widgets/controls 2.0.0), anything else for ipywidgets 7's
// (controls 1.5.0), which both generations of frontends render: those of
// ipywidgets 8 (JupyterLab 4, Notebook 7, current VS Code and Voila) load
// 7's models too, while those of ipywidgets 7 (JupyterLab 3 and Notebook 6
// with ipywidgets 7 installed) know only theirs.
const ModelsEnv = "GRADLAB_WIDGETS"

func currentDialect() dialect {
	if v1.Load() {
		return protocol1{}
	}
	if os.Getenv(ModelsEnv) == "8" {
		return protocol2{gen: 8}
	}
	return protocol2{gen: 7}
}

// protocol2 is the widget protocol version 2 with the models of ipywidgets
// 7 (@jupyter-widgets/controls 1.5.0, base 1.2.0, output 1.0.0; protocol
// 2.0) or 8 (controls 2.0.0, base 2.0.0, output 1.0.0; protocol 2.1, whose
// echo_update messages are optional and not sent).
type protocol2 struct{ gen int }

func (d protocol2) fullState(m *model) map[string]any {
	s := d.translate(m.snapshot())
	mod, ver := "@jupyter-widgets/controls", "2.0.0"
	if d.gen == 7 {
		ver = "1.5.0"
	}
	switch m.module {
	case "output":
		mod, ver = "@jupyter-widgets/output", "1.0.0"
	case "base":
		mod, ver = "@jupyter-widgets/base", "2.0.0"
		if d.gen == 7 {
			ver = "1.2.0"
		}
	}
	s["_model_module"], s["_model_module_version"], s["_model_name"] = mod, ver, m.name+"Model"
	s["_view_module"], s["_view_module_version"], s["_view_name"] = mod, ver, m.name+"View"
	s["_view_count"] = nil
	return s
}

// translate renames the model layer's attributes (ipywidgets 8's) to
// ipywidgets 7's where they differ.
func (d protocol2) translate(kv map[string]any) map[string]any {
	if d.gen != 7 {
		return kv
	}
	out := make(map[string]any, len(kv))
	for k, v := range kv {
		switch k {
		case "tooltip":
			out["description_tooltip"] = v
		case "tabbable", "description_allow_html", "behavior":
		default:
			out[k] = v
		}
	}
	return out
}

func (d protocol2) version() string {
	if d.gen == 7 {
		return "2.0.0"
	}
	return "2.1.0"
}

func (d protocol2) open(m *model) comm.Msg {
	return comm.Msg{
		Data:     map[string]any{"state": d.fullState(m), "buffer_paths": []any{}},
		Metadata: map[string]any{"version": d.version()},
	}
}

func (d protocol2) update(m *model, kv map[string]any) comm.Msg {
	return comm.Msg{Data: map[string]any{"method": "update", "state": d.translate(kv), "buffer_paths": []any{}}}
}

func (d protocol2) fullUpdate(m *model) comm.Msg {
	return comm.Msg{Data: map[string]any{"method": "update", "state": d.fullState(m), "buffer_paths": []any{}}}
}

func (protocol2) incoming(m *model, data map[string]any) (string, map[string]any, map[string]any) {
	method, _ := data["method"].(string)
	state, _ := data["state"].(map[string]any)
	content, _ := data["content"].(map[string]any)
	return method, state, content
}

func (protocol2) view(m *model, text string) map[string]any {
	// version_major 2 is the protocol's, the same for both generations.
	return map[string]any{
		ViewMIME:     map[string]any{"model_id": m.id, "version_major": 2, "version_minor": 0},
		"text/plain": text,
	}
}

// protocol1 is the widget protocol version 1 of ipywidgets 6, which
// Debian's Notebook 6 extension (jupyter-js-widgets 2.1) speaks. Its
// models have the same names and nearly the same attributes; the state
// travels unwrapped, frontend updates arrive as "backbone" messages, and a
// widget is shown by a "display" message on its comm. Differences in the
// models: a Dropdown syncs its label, not its index, and there is no
// FloatLogSlider (the slider shows the exponent instead).
type protocol1 struct{}

// JSWidgetsVersion is the jupyter-js-widgets range the kernel announces.
const JSWidgetsVersion = "~2.1.0"

func (protocol1) fullState(m *model) map[string]any {
	s := m.snapshot()
	s["msg_throttle"] = 1
	name := m.name
	if name == "FloatLogSlider" {
		name = "FloatSlider"
	}
	s = to1(m, s)
	s["_model_module"], s["_model_module_version"], s["_model_name"] = "jupyter-js-widgets", JSWidgetsVersion, name+"Model"
	s["_view_module"], s["_view_module_version"], s["_view_name"] = "jupyter-js-widgets", JSWidgetsVersion, name+"View"
	return s
}

// to1 translates protocol 2 attributes to version 1's.
func to1(m *model, kv map[string]any) map[string]any {
	out := make(map[string]any, len(kv))
	for k, v := range kv {
		out[k] = v
	}
	switch m.name {
	case "Dropdown":
		if i, ok := kv["index"]; ok {
			delete(out, "index")
			labels, _ := m.get("_options_labels").([]any)
			if n, ok := toInt(i); ok && n >= 0 && n < len(labels) {
				out["value"] = labels[n]
			} else {
				out["value"] = nil
			}
		}
	case "FloatLogSlider":
		delete(out, "base")
		if v, ok := kv["value"].(float64); ok && v > 0 {
			out["value"] = math.Log10(v)
		}
		out["readout_format"] = ".2f"
	}
	return out
}

// from1 translates version 1 attributes to protocol 2's.
func from1(m *model, kv map[string]any) map[string]any {
	out := make(map[string]any, len(kv))
	for k, v := range kv {
		out[k] = v
	}
	switch m.name {
	case "Dropdown":
		if v, ok := kv["value"]; ok {
			delete(out, "value")
			labels, _ := m.get("_options_labels").([]any)
			for i, l := range labels {
				if l == v {
					out["index"] = float64(i)
				}
			}
		}
	case "FloatLogSlider":
		if v, ok := kv["value"].(float64); ok {
			out["value"] = math.Pow(10, v)
		}
	}
	return out
}

func (d protocol1) open(m *model) comm.Msg {
	return comm.Msg{Data: d.fullState(m)}
}

func (protocol1) update(m *model, kv map[string]any) comm.Msg {
	return comm.Msg{Data: map[string]any{"method": "update", "state": to1(m, kv), "buffers": []any{}}}
}

func (d protocol1) fullUpdate(m *model) comm.Msg {
	return comm.Msg{Data: map[string]any{"method": "update", "state": d.fullState(m), "buffers": []any{}}}
}

func (protocol1) incoming(m *model, data map[string]any) (string, map[string]any, map[string]any) {
	method, _ := data["method"].(string)
	content, _ := data["content"].(map[string]any)
	if method == "backbone" {
		state, _ := data["sync_data"].(map[string]any)
		return "update", from1(m, state), nil
	}
	return method, nil, content
}

func (protocol1) view(m *model, text string) map[string]any {
	// Notebook 6's extension shows a widget on a "display" message; the
	// bundle carries no text, so that the notebook shows nothing else.
	m.comm.Send(comm.Msg{Data: map[string]any{"method": "display"}})
	return map[string]any{ViewMIME: map[string]any{"model_id": m.id}, "text/plain": ""}
}

// The frontend's side of the version 1 handshake and of the control comm.
func init() {
	comm.RegisterTarget("jupyter.widget.version", func(c *comm.Comm, _ comm.Msg) {
		// Only jupyter-js-widgets 2.x (Notebook 6) opens this target.
		v1.Store(true)
		c.OnMsg(func(comm.Msg) {}) // its answer, {validated, frontend_version}
		c.Send(comm.Msg{Data: map[string]any{"version": JSWidgetsVersion}})
	})
	comm.RegisterTarget("jupyter.widget.control", func(c *comm.Comm, _ comm.Msg) {
		c.OnMsg(func(msg comm.Msg) {
			if method, _ := msg.Data["method"].(string); method == "request_states" {
				c.Send(comm.Msg{Data: map[string]any{"method": "update_states", "states": states(), "buffer_paths": []any{}}})
			}
		})
	})
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		return int(math.Round(x)), true
	}
	return 0, false
}

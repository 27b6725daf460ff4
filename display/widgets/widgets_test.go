package widgets

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/gradlab/gradlab/display/comm"
)

// fakeKernel records what widgets send, as the kernel would publish it.
type fakeKernel struct {
	mu     sync.Mutex
	parent string
	sent   []sent
}

type sent struct {
	kind, id, target string
	msg              comm.Msg
}

func (k *fakeKernel) Open(id, target string, m comm.Msg) { k.add(sent{"open", id, target, m}) }
func (k *fakeKernel) Send(id string, m comm.Msg)         { k.add(sent{"msg", id, "", m}) }
func (k *fakeKernel) Close(id string, m comm.Msg)        { k.add(sent{"close", id, "", m}) }
func (k *fakeKernel) Parent() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.parent
}
func (k *fakeKernel) add(s sent) {
	k.mu.Lock()
	k.sent = append(k.sent, s)
	k.mu.Unlock()
}
func (k *fakeKernel) take() []sent {
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.sent
	k.sent = nil
	return s
}

func plug(t *testing.T) *fakeKernel {
	k := &fakeKernel{}
	old := comm.SetTransport(k)
	t.Cleanup(func() { comm.SetTransport(old); v1.Store(false) })
	return k
}

// frontend sends data to the widget's comm as the frontend would.
func frontend(t *testing.T, w Widget, data map[string]any) {
	t.Helper()
	if err := comm.HandleMsg(w.ModelID(), comm.Msg{Data: data}); err != nil {
		t.Fatal(err)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestOpenMessageIsProtocol2(t *testing.T) {
	for _, tc := range []struct {
		env, controls, protocol string
		has, lacks              string
	}{
		{"", "1.5.0", "2.0.0", "description_tooltip", "behavior"}, // ipywidgets 7's models, the default
		{"8", "2.0.0", "2.1.0", "behavior", "description_tooltip"},
	} {
		t.Run("GRADLAB_WIDGETS="+tc.env, func(t *testing.T) {
			t.Setenv(ModelsEnv, tc.env)
			k := plug(t)
			s := NewIntSlider("steps", 20, 1, 100, 1)
			got := k.take()
			if len(got) != 1 || got[0].kind != "open" || got[0].target != "jupyter.widget" || got[0].id != s.ModelID() {
				t.Fatalf("sent %+v, want one comm_open to jupyter.widget", got)
			}
			if got[0].msg.Metadata["version"] != tc.protocol {
				t.Errorf("metadata %v, want protocol version %s", got[0].msg.Metadata, tc.protocol)
			}
			st := got[0].msg.Data["state"].(map[string]any)
			for k, v := range map[string]any{"_model_name": "IntSliderModel", "_view_name": "IntSliderView",
				"_model_module": "@jupyter-widgets/controls", "_model_module_version": tc.controls, "value": 20, "min": 1, "max": 100, "description": "steps"} {
				if st[k] != v {
					t.Errorf("state[%s] = %v, want %v", k, st[k], v)
				}
			}
			if _, ok := st[tc.has]; !ok {
				t.Errorf("state lacks %s: %v", tc.has, st)
			}
			if _, ok := st[tc.lacks]; ok {
				t.Errorf("state has %s: %v", tc.lacks, st)
			}
			b := s.MIMEBundle()
			if v := b[ViewMIME].(map[string]any); v["model_id"] != s.ModelID() || v["version_major"] != 2 {
				t.Errorf("view bundle %v", b)
			}
			if !strings.HasPrefix(b["text/plain"].(string), "IntSlider(value=20") {
				t.Errorf("text/plain %q", b["text/plain"])
			}
		})
	}
}

func TestFrontendUpdatesAreCheckedAndObserved(t *testing.T) {
	k := plug(t)
	s := NewIntSlider("n", 5, 0, 10, 1)
	calls := 0
	s.OnChange(func() { calls++ })
	k.take()
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": 7.0}})
	if s.Value() != 7 || calls != 1 {
		t.Errorf("after an update to 7: value %d, %d observer calls", s.Value(), calls)
	}
	if got := k.take(); len(got) != 0 {
		t.Errorf("an accepted update was answered with %v", got)
	}
	// Out of bounds: clamped, and the frontend is told the kept value.
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": 15.0}})
	got := k.take()
	if s.Value() != 10 || calls != 2 || len(got) != 1 || jsonOf(got[0].msg.Data["state"]) != `{"value":10}` {
		t.Errorf("after an update to 15: value %d, %d calls, sent %v", s.Value(), calls, got)
	}
	// The same value again, or garbage: no observer call.
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": 10.0}})
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": "x"}})
	frontend(t, s, map[string]any{"method": "no such method"})
	if calls != 2 {
		t.Errorf("no-op updates called observers: %d calls", calls)
	}
	// request_state: the whole state.
	k.take()
	frontend(t, s, map[string]any{"method": "request_state"})
	got = k.take()
	if len(got) != 1 || got[0].msg.Data["method"] != "update" || got[0].msg.Data["state"].(map[string]any)["_model_name"] != "IntSliderModel" {
		t.Errorf("request_state answered %v", got)
	}
	// A kernel-side change is sent and observed.
	s.SetValue(3)
	if got := k.take(); len(got) != 1 || jsonOf(got[0].msg.Data["state"]) != `{"value":3}` || calls != 3 {
		t.Errorf("SetValue(3) sent %v, %d calls", got, calls)
	}
}

func TestDropdownButtonLogSlider(t *testing.T) {
	plug(t)
	d := NewDropdown("optimizer", []string{"SGD", "Adam", "RMSprop"}, "Adam")
	if d.Index() != 1 || d.Value() != "Adam" {
		t.Errorf("dropdown %d %q", d.Index(), d.Value())
	}
	frontend(t, d, map[string]any{"method": "update", "state": map[string]any{"index": 2.0}})
	if d.Value() != "RMSprop" {
		t.Errorf("after index 2: %q", d.Value())
	}
	frontend(t, d, map[string]any{"method": "update", "state": map[string]any{"index": 9.0}})
	if d.Value() != "RMSprop" {
		t.Errorf("an index out of range was accepted: %q", d.Value())
	}
	b := NewButton("go")
	frontend(t, b, map[string]any{"method": "custom", "content": map[string]any{"event": "click"}})
	if b.Clicks() != 1 {
		t.Errorf("clicks %d", b.Clicks())
	}
	l := NewFloatLogSlider("lr", 0.01, 1e-3, 1)
	frontend(t, l, map[string]any{"method": "update", "state": map[string]any{"value": 5.0}})
	if l.Value() != 1 {
		t.Errorf("log slider clamps 5 to %v, want 1", l.Value())
	}
}

func TestBadArgumentsSayWhatIsWrong(t *testing.T) {
	plug(t)
	for _, tc := range []struct {
		f    func()
		want string
	}{
		{func() { NewIntSlider("n", 0, 5, 1, 1) }, "need min <= max"},
		{func() { NewFloatSlider("x", 0, 0, 1, 0) }, "step > 0"},
		{func() { NewFloatLogSlider("lr", 0.1, 0, 1) }, "0 < min"},
		{func() { NewDropdown("o", []string{"a"}, "b") }, `value "b" is not one of the options`},
		{func() { NewPlay("p", 0, 0, 10, 1, 0) }, "interval > 0"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("panic %v, want one saying %q", r, tc.want)
				}
			}()
			tc.f()
		}()
	}
}

// TestInteractCapturesByParent checks the output widget protocol around
// each run: msg_id is the request being served while the function runs,
// and empty after; a panic in the function is contained.
func TestInteractCapturesByParent(t *testing.T) {
	k := plug(t)
	k.parent = "cell-1"
	s := NewIntSlider("n", 1, 0, 10, 1)
	var seen []int
	in := NewInteractive(func() {
		seen = append(seen, s.Value())
		if s.Value() == 9 {
			panic("nine")
		}
	}, s)
	out := in.Output().ModelID()
	var capture []string
	for _, m := range k.take() {
		if m.id == out && m.kind == "msg" {
			capture = append(capture, jsonOf(m.msg.Data["state"]))
		}
	}
	if strings.Join(capture, " ") != `{"msg_id":"cell-1"} {"msg_id":""}` {
		t.Errorf("first run's capture %v", capture)
	}
	k.parent = "comm-2"
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": 9.0}})
	frontend(t, s, map[string]any{"method": "update", "state": map[string]any{"value": 4.0}})
	if jsonOf(seen) != "[1,9,4]" || in.Runs() != 3 {
		t.Errorf("runs saw %v (%d runs), want [1,9,4]: a panic must not stop later runs", seen, in.Runs())
	}
	if in.Children() != 2 {
		t.Errorf("the box holds %d widgets, want the slider and the output", in.Children())
	}
}

// TestProtocol1 is the dialect of Notebook 6's jupyter-js-widgets 2.1:
// the version handshake switches to it; state travels unwrapped with its
// module names; frontend changes come as "backbone" messages; a Dropdown
// syncs its label; a log slider shows its exponent.
func TestProtocol1(t *testing.T) {
	k := plug(t)
	if err := comm.HandleOpen("v-1", "jupyter.widget.version", comm.Msg{Data: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if got := k.take(); len(got) != 1 || got[0].msg.Data["version"] != "~2.1.0" {
		t.Fatalf("version check answered %v", got)
	}
	d := NewDropdown("opt", []string{"SGD", "Adam"}, "SGD")
	l := NewFloatLogSlider("lr", 0.01, 1e-3, 1)
	got := k.take()
	if len(got) != 2 {
		t.Fatalf("sent %v", got)
	}
	ds, ls := got[0].msg.Data, got[1].msg.Data
	if ds["_model_module"] != "jupyter-js-widgets" || ds["_model_name"] != "DropdownModel" || ds["value"] != "SGD" || ds["index"] != nil {
		t.Errorf("dropdown state %v", ds)
	}
	if ls["_model_name"] != "FloatSliderModel" || ls["value"] != -2.0 || ls["min"] != -3.0 {
		t.Errorf("log slider state %v", ls)
	}
	frontend(t, d, map[string]any{"method": "backbone", "sync_data": map[string]any{"value": "Adam"}})
	frontend(t, l, map[string]any{"method": "backbone", "sync_data": map[string]any{"value": -1.0}})
	if d.Value() != "Adam" || l.Value() != 0.1 {
		t.Errorf("after backbone updates: %q %v", d.Value(), l.Value())
	}
	b := d.MIMEBundle()
	if b["text/plain"] != "" {
		t.Errorf("version 1 bundle %v: the notebook would show its text", b)
	}
	if got := k.take(); len(got) != 1 || got[0].msg.Data["method"] != "display" {
		t.Errorf("displaying sent %v, want a display message", got)
	}
}

func TestControlCommListsStates(t *testing.T) {
	k := plug(t)
	s := NewCheckbox("on", true)
	if err := comm.HandleOpen("ctl", "jupyter.widget.control", comm.Msg{}); err != nil {
		t.Fatal(err)
	}
	k.take()
	if err := comm.HandleMsg("ctl", comm.Msg{Data: map[string]any{"method": "request_states"}}); err != nil {
		t.Fatal(err)
	}
	got := k.take()
	if len(got) != 1 || got[0].msg.Data["method"] != "update_states" {
		t.Fatalf("sent %v", got)
	}
	st := got[0].msg.Data["states"].(map[string]any)[s.ModelID()].(map[string]any)
	if st["model_name"] != "CheckboxModel" || st["state"].(map[string]any)["value"] != true {
		t.Errorf("update_states entry %v", st)
	}
}

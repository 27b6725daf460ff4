package kernel

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// commRequest sends a comm message on shell, as a widget frontend does,
// and returns the IOPub messages it caused (busy to idle).
func (c *client) commRequest(msgType string, content map[string]any) (id string, io []*Message) {
	c.t.Helper()
	id = c.request(c.shell, msgType, content)
	return id, c.iopubUntilIdle(id, 30*time.Second)
}

// widgetEvents summarises IOPub messages: comm_open TARGET MODEL,
// comm_msg METHOD (msg_id=X for an output widget's capture), stream text,
// display_data MIMES, error.
func widgetEvents(ms []*Message) []string {
	var out []string
	for _, m := range ms {
		c := content(m)
		switch m.Header.MsgType {
		case "comm_open":
			st, _ := c["data"].(map[string]any)["state"].(map[string]any)
			out = append(out, fmt.Sprintf("comm_open %v %v", c["target_name"], st["_model_name"]))
		case "comm_msg":
			data := c["data"].(map[string]any)
			e := fmt.Sprintf("comm_msg %v", data["method"])
			if st, ok := data["state"].(map[string]any); ok {
				if v, ok := st["msg_id"]; ok {
					e += fmt.Sprintf(" msg_id=%v", v)
				}
			}
			out = append(out, e)
		case "stream":
			out = append(out, fmt.Sprintf("stream %v %s", c["name"], strings.TrimSpace(c["text"].(string))))
		case "display_data":
			var mimes []string
			for k := range c["data"].(map[string]any) {
				if k != "text/plain" {
					mimes = append(mimes, k)
				}
			}
			sort.Strings(mimes)
			out = append(out, "display_data "+strings.Join(mimes, ","))
		case "error":
			out = append(out, fmt.Sprintf("error %v", c["evalue"]))
		}
	}
	return out
}

func modelOf(m *Message) string {
	st, _ := content(m)["data"].(map[string]any)["state"].(map[string]any)
	s, _ := st["_model_name"].(string)
	return s
}

func joinEvents(e []string) string { return strings.Join(e, " | ") }

// TestWidgetsOverTheWire drives the real kernel binary as a widget
// frontend does: a cell opens widget comms (protocol 2, ipywidgets 7's
// models) and shows
// an interactive slider; moving the slider (a comm_msg update) re-runs the
// function on the session with its output between the output widget's
// msg_id capture of that comm_msg; a later cell sees the value; a panic in
// the function shows as stderr inside the capture and the kernel goes on;
// comm_info lists the widgets; request_state, the control comm's
// request_states and a button's click event are served; a comm_open to an
// unknown target is closed.
func TestWidgetsOverTheWire(t *testing.T) {
	c, _ := startBinary(t, testConnection(t))

	id := c.request(c.shell, "comm_info_request", map[string]any{"target_name": "jupyter.widget"})
	if comms := content(c.recv(c.shell, 10*time.Second))["comms"].(map[string]any); len(comms) != 0 {
		t.Errorf("comms before any widget: %v", comms)
	}
	c.iopubUntilIdle(id, 10*time.Second)

	rep, io := c.run(`lr := widgets.NewFloatSlider("lr", 0.1, 0, 1, 0.01)
clicks := widgets.NewButton("again")
widgets.Interact(func() {
	if lr.Value() > 0.75 {
		panic("learning rate too high")
	}
	fmt.Println("lr is", lr.Value())
	plt.Plot([]float64{0, 1}, []float64{0, lr.Value()}, "b-")
}, lr, clicks)`)
	if rep["status"] != "ok" {
		t.Fatalf("cell: %v", rep)
	}
	var sliderID, boxID, outID, buttonID string
	for _, m := range io {
		if m.Header.MsgType == "comm_open" {
			c := content(m)
			if md := string(m.Metadata); !strings.Contains(md, `"version":"2.0.0"`) {
				t.Errorf("comm_open metadata %s lacks the protocol version", md)
			}
			st := c["data"].(map[string]any)["state"].(map[string]any)
			if st["_model_module"] == "@jupyter-widgets/controls" && st["_model_module_version"] != "1.5.0" { // ipywidgets 7's models, the default
				t.Errorf("controls version %v", st["_model_module_version"])
			}
			switch modelOf(m) {
			case "FloatSliderModel":
				sliderID = c["comm_id"].(string)
				if st["value"] != 0.1 || st["max"] != 1.0 || st["description"] != "lr" {
					t.Errorf("slider state %v", st)
				}
			case "VBoxModel":
				boxID = c["comm_id"].(string)
			case "OutputModel":
				outID = c["comm_id"].(string)
			case "ButtonModel":
				buttonID = c["comm_id"].(string)
			}
		}
		if m.Header.MsgType == "display_data" {
			v, _ := content(m)["data"].(map[string]any)["application/vnd.jupyter.widget-view+json"].(map[string]any)
			if v != nil && (v["model_id"] != boxID || v["version_major"] != 2.0) {
				t.Errorf("widget view %v, want model_id %s (the box), version_major 2", v, boxID)
			}
		}
	}
	cellID := parentID(io[0])
	want := "comm_open jupyter.widget FloatSliderModel | comm_open jupyter.widget ButtonModel | comm_open jupyter.widget OutputModel | " +
		"comm_open jupyter.widget VBoxModel | comm_msg update msg_id=" + cellID + " | stream stdout lr is 0.1 | display_data image/png | comm_msg update msg_id= | " +
		"display_data application/vnd.jupyter.widget-view+json"
	if got := joinEvents(widgetEvents(io)); got != want {
		t.Errorf("the cell's IOPub:\n got %s\nwant %s", got, want)
	}
	if sliderID == "" || outID == "" || buttonID == "" {
		t.Fatalf("missing comms: slider %q output %q button %q", sliderID, outID, buttonID)
	}

	// The learner drags the slider.
	reqID, io := c.commRequest("comm_msg", map[string]any{"comm_id": sliderID, "data": map[string]any{
		"method": "update", "state": map[string]any{"value": 0.5}, "buffer_paths": []any{}}})
	want = "comm_msg update msg_id=" + reqID + " | stream stdout lr is 0.5 | display_data image/png | comm_msg update msg_id="
	if got := joinEvents(widgetEvents(io)); got != want {
		t.Errorf("moving the slider:\n got %s\nwant %s", got, want)
	}
	for _, m := range io {
		if m.Header.MsgType == "stream" && parentID(m) != reqID {
			t.Errorf("the redraw's output has parent %s, want the comm_msg %s", parentID(m), reqID)
		}
	}
	if _, io := c.run(`fmt.Println(lr.Value())`); streamText(io) != "0.5\n" {
		t.Errorf("a cell sees lr = %q, want 0.5", streamText(io))
	}

	// A failing redraw shows in the output area; the kernel goes on.
	reqID, io = c.commRequest("comm_msg", map[string]any{"comm_id": sliderID, "data": map[string]any{
		"method": "update", "state": map[string]any{"value": 0.9}}})
	want = "comm_msg update msg_id=" + reqID + " | stream stderr panic: learning rate too high | comm_msg update msg_id="
	if got := joinEvents(widgetEvents(io)); got != want {
		t.Errorf("a panicking redraw:\n got %s\nwant %s", got, want)
	}
	reqID, io = c.commRequest("comm_msg", map[string]any{"comm_id": buttonID, "data": map[string]any{
		"method": "custom", "content": map[string]any{"event": "click"}}})
	if got := joinEvents(widgetEvents(io)); !strings.Contains(got, "msg_id="+reqID+" | stream stderr panic: learning rate too high") {
		t.Errorf("a click re-runs the function: %s", got)
	}
	c.commRequest("comm_msg", map[string]any{"comm_id": sliderID, "data": map[string]any{
		"method": "update", "state": map[string]any{"value": 0.25}}})
	if _, io := c.run(`fmt.Println(lr.Value(), clicks.Clicks())`); streamText(io) != "0.25 1\n" {
		t.Errorf("after the panic a cell prints %q, want 0.25 1", streamText(io))
	}

	id = c.request(c.shell, "comm_info_request", map[string]any{"target_name": "jupyter.widget"})
	comms := content(c.recv(c.shell, 10*time.Second))["comms"].(map[string]any)
	c.iopubUntilIdle(id, 10*time.Second)
	for _, w := range []string{sliderID, boxID, outID, buttonID} {
		if info, ok := comms[w].(map[string]any); !ok || info["target_name"] != "jupyter.widget" {
			t.Errorf("comm_info lacks %s: %v", w, comms)
		}
	}

	// request_state: the whole state comes back as an update.
	_, io = c.commRequest("comm_msg", map[string]any{"comm_id": sliderID, "data": map[string]any{"method": "request_state"}})
	var full map[string]any
	for _, m := range io {
		if m.Header.MsgType == "comm_msg" {
			full, _ = content(m)["data"].(map[string]any)["state"].(map[string]any)
		}
	}
	if full["value"] != 0.25 || full["_model_name"] != "FloatSliderModel" {
		t.Errorf("request_state gave %v", full)
	}

	// JupyterLab's manager fetches every state through the control comm.
	_, io = c.commRequest("comm_open", map[string]any{"comm_id": "ctl-1", "target_name": "jupyter.widget.control", "data": map[string]any{}})
	if got := widgetEvents(io); len(got) != 0 {
		t.Errorf("opening the control comm published %v", got)
	}
	_, io = c.commRequest("comm_msg", map[string]any{"comm_id": "ctl-1", "data": map[string]any{"method": "request_states"}})
	var states map[string]any
	for _, m := range io {
		if m.Header.MsgType == "comm_msg" && content(m)["comm_id"] == "ctl-1" {
			states, _ = content(m)["data"].(map[string]any)["states"].(map[string]any)
		}
	}
	if s, _ := states[sliderID].(map[string]any); s == nil || s["model_name"] != "FloatSliderModel" || s["model_module"] != "@jupyter-widgets/controls" {
		t.Errorf("update_states lacks the slider: %v", states[sliderID])
	}

	// Unknown targets are closed, as the messaging spec asks.
	_, io = c.commRequest("comm_open", map[string]any{"comm_id": "x-1", "target_name": "no.such.target", "data": map[string]any{}})
	closed := false
	for _, m := range io {
		closed = closed || (m.Header.MsgType == "comm_close" && content(m)["comm_id"] == "x-1")
	}
	if !closed {
		t.Errorf("comm_open to an unknown target was not closed: %v", types(io))
	}
	if rep, _ := c.run(`1 + 1`); rep["status"] != "ok" {
		t.Errorf("the kernel does not run cells after the comm traffic: %v", rep)
	}
}

// TestCommsFromGo uses package comm directly from cells: a target the
// frontend opens a comm to, messages both ways, close.
func TestCommsFromGo(t *testing.T) {
	c, _ := startBinary(t, testConnection(t))
	rep, _ := c.run(`import "github.com/gradlab/gradlab/display/comm"
got := []string{}
comm.RegisterTarget("echo", func(cm *comm.Comm, m comm.Msg) {
	cm.OnMsg(func(m comm.Msg) {
		got = append(got, fmt.Sprint(m.Data["x"]))
		cm.Send(comm.Msg{Data: map[string]any{"twice": m.Data["x"].(float64) * 2}})
	})
	cm.Send(comm.Msg{Data: map[string]any{"hello": m.Data["who"]}})
})`)
	if rep["status"] != "ok" {
		t.Fatalf("cell: %v", rep)
	}
	_, io := c.commRequest("comm_open", map[string]any{"comm_id": "e-1", "target_name": "echo", "data": map[string]any{"who": "lab"}})
	if len(io) < 3 || io[1].Header.MsgType != "comm_msg" || content(io[1])["data"].(map[string]any)["hello"] != "lab" {
		t.Fatalf("open: %v", types(io))
	}
	_, io = c.commRequest("comm_msg", map[string]any{"comm_id": "e-1", "data": map[string]any{"x": 21}})
	if len(io) < 3 || content(io[1])["data"].(map[string]any)["twice"] != 42.0 {
		t.Fatalf("msg: %v", types(io))
	}
	id := c.request(c.shell, "comm_info_request", map[string]any{})
	comms := content(c.recv(c.shell, 10*time.Second))["comms"].(map[string]any)
	c.iopubUntilIdle(id, 10*time.Second)
	if info, _ := comms["e-1"].(map[string]any); info["target_name"] != "echo" {
		t.Errorf("comm_info: %v", comms)
	}
	c.commRequest("comm_close", map[string]any{"comm_id": "e-1", "data": map[string]any{}})
	id = c.request(c.shell, "comm_info_request", map[string]any{})
	comms = content(c.recv(c.shell, 10*time.Second))["comms"].(map[string]any)
	c.iopubUntilIdle(id, 10*time.Second)
	if _, open := comms["e-1"]; open {
		t.Errorf("comm e-1 still listed after comm_close: %v", comms)
	}
	_, io = c.run(`fmt.Println(got)`)
	if streamText(io) != "[21]\n" {
		t.Errorf("the handler saw %q, want [21]", streamText(io))
	}
}

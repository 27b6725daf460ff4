package interp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gradlab/gradlab/display/comm"
)

// recordingTransport stands for the kernel: it records comm messages and
// the output streams in the order they reach it.
type recordingTransport struct {
	mu     sync.Mutex
	parent string
	events []string
}

func (r *recordingTransport) add(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recordingTransport) Open(id, target string, m comm.Msg) { r.add("open " + target) }
func (r *recordingTransport) Send(id string, m comm.Msg) {
	if st, ok := m.Data["state"].(map[string]any); ok {
		if v, ok := st["msg_id"]; ok {
			r.add(fmt.Sprintf("msg_id=%q", v))
			return
		}
	}
	r.add("send")
}
func (r *recordingTransport) Close(id string, m comm.Msg) { r.add("close") }
func (r *recordingTransport) Parent() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.parent
}

func (r *recordingTransport) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.events
	r.events = nil
	return e
}

// callback runs f on the session as the kernel does for a comm message
// with id parent, and returns the session's result.
func (r *recordingTransport) callback(s *Session, parent string, f func()) Result {
	r.mu.Lock()
	r.parent = parent
	r.mu.Unlock()
	return s.Callback(context.Background(), Cell{Out: func(stream, text string) {
		r.add(stream + ": " + strings.TrimSpace(text))
	}}, f)
}

func update(id string, state map[string]any) func() {
	return func() {
		if err := comm.HandleMsg(id, comm.Msg{Data: map[string]any{"method": "update", "state": state}}); err != nil {
			panic(err)
		}
	}
}

// TestWidgetCallbacks drives an interactive slider the way the kernel
// does when the frontend moves it: the function re-runs on the session
// with its output captured by the output area (its msg_id set to the comm
// message's id around the output), a panic in it shows in the area and
// leaves the kernel and the widget working, a panicking observer is the
// callback's error, and later cells see the value the frontend sent.
func TestWidgetCallbacks(t *testing.T) {
	rt := &recordingTransport{parent: "cell-1"}
	old := comm.SetTransport(rt)
	defer comm.SetTransport(old)
	s := newSession(t)

	o := run(t, s, 1, `lr := widgets.NewFloatSlider("lr", 0.1, 0, 1, 0.01)
widgets.Interact(func() {
	if lr.Value() > 0.75 {
		panic("learning rate too high")
	}
	fmt.Println("lr is", lr.Value())
}, lr)
lr.ModelID()`)
	if o.res.Err != nil {
		t.Fatalf("cell: %v", o.res.Err)
	}
	id, _ := strconv.Unquote(o.value())
	if id == "" {
		t.Fatalf("no model id: %q", o.value())
	}
	if !strings.Contains(o.stdout, "lr is 0.1") {
		t.Errorf("first run printed %q, want lr is 0.1", o.stdout)
	}
	rt.take()

	res := rt.callback(s, "msg-2", update(id, map[string]any{"value": 0.5}))
	if res.Err != nil {
		t.Fatalf("callback: %v", res.Err)
	}
	want := []string{`msg_id="msg-2"`, "stdout: lr is 0.5", `msg_id=""`}
	if got := rt.take(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("redraw events = %q, want %q", got, want)
	}

	res = rt.callback(s, "msg-3", update(id, map[string]any{"value": 0.9}))
	if res.Err != nil {
		t.Fatalf("a panic in the interactive function became the callback's error: %v", res.Err)
	}
	want = []string{`msg_id="msg-3"`, "stderr: panic: learning rate too high", `msg_id=""`}
	if got := rt.take(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("failing redraw events = %q, want %q", got, want)
	}

	res = rt.callback(s, "msg-4", update(id, map[string]any{"value": 0.25}))
	if got := rt.take(); res.Err != nil || !contains(got, "stdout: lr is 0.25") {
		t.Errorf("after the panic: err %v, events %q", res.Err, got)
	}

	o = run(t, s, 2, `lr.OnChange(func() { var m map[string]int; m["x"] = 1 })
lr.Value()`)
	if o.res.Err != nil || o.value() != "0.25" {
		t.Fatalf("a cell sees lr = %q (err %v), want the frontend's 0.25", o.value(), o.res.Err)
	}
	res = rt.callback(s, "msg-5", update(id, map[string]any{"value": 0.3}))
	if res.Err == nil || !strings.Contains(res.Err.Value, "nil map") {
		t.Errorf("a panicking observer gave %v, want the nil-map panic as the callback's error", res.Err)
	}
	o = run(t, s, 3, `lr.Value() * 2`)
	if o.res.Err != nil || o.value() != "0.6" {
		t.Errorf("after a failed callback a cell gives %q (err %v), want 0.6", o.value(), o.res.Err)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

package comm

import (
	"strings"
	"testing"
)

type recorder struct{ ops []string }

func (r *recorder) Open(id, target string, m Msg) { r.ops = append(r.ops, "open "+target) }
func (r *recorder) Send(id string, m Msg)         { r.ops = append(r.ops, "send") }
func (r *recorder) Close(id string, m Msg)        { r.ops = append(r.ops, "close") }
func (r *recorder) Parent() string                { return "p" }

// TestCommLifecycle: comms opened from Go and from the frontend are
// listed until closed, messages reach OnMsg, closed comms send nothing,
// and unknown targets and comms are errors the kernel reports.
func TestCommLifecycle(t *testing.T) {
	r := &recorder{}
	defer SetTransport(SetTransport(r))
	c := Open("mine", Msg{})
	c.Send(Msg{})
	var got []any
	RegisterTarget("theirs", func(fc *Comm, m Msg) {
		got = append(got, m.Data["hello"])
		fc.OnMsg(func(m Msg) { got = append(got, m.Data["x"]) })
		fc.OnClose(func(Msg) { got = append(got, "closed") })
	})
	defer RegisterTarget("theirs", nil)
	if err := HandleOpen("f1", "theirs", Msg{Data: map[string]any{"hello": "world"}}); err != nil {
		t.Fatal(err)
	}
	if err := HandleOpen("f1", "theirs", Msg{}); err == nil {
		t.Error("opening an open comm id again was accepted")
	}
	if err := HandleOpen("f2", "nobody", Msg{}); err == nil || !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("unknown target: %v", err)
	}
	HandleMsg("f1", Msg{Data: map[string]any{"x": 1}})
	if l := List("theirs"); len(l) != 1 || l[0].ID != "f1" {
		t.Errorf("List(theirs) = %v", l)
	}
	if l := List(""); len(l) < 2 {
		t.Errorf("List() = %v, want both comms", l)
	}
	HandleClose("f1", Msg{})
	if err := HandleMsg("f1", Msg{}); err == nil {
		t.Error("a message to a closed comm was accepted")
	}
	c.Close(Msg{})
	c.Send(Msg{})
	if strings.Join(r.ops, ",") != "open mine,send,close" {
		t.Errorf("transport saw %v", r.ops)
	}
	if len(got) != 3 || got[0] != "world" || got[1] != 1 || got[2] != "closed" {
		t.Errorf("handlers saw %v", got)
	}
	if Parent() != "p" {
		t.Errorf("Parent() = %q", Parent())
	}
}

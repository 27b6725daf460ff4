package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gradlab/gradlab/display/comm"
)

// Comms (Jupyter's custom messages): the kernel is package comm's
// transport, publishing comm_open, comm_msg and comm_close on IOPub with
// the request being served as parent, and it hands the frontend's comm
// messages to package comm through the session, so that the callbacks they
// trigger (a widget's observers) run serialised with cells, with their
// output routed to the comm message that caused them: an output widget
// captures it by that message's id. Binary buffers are received but not
// sent (no widget of gradlab's needs them).

// CallbackSession is implemented by sessions that run native code calling
// back into cells as they run a cell (gradlab's Go session).
type CallbackSession interface {
	// Callback runs f as a cell's code would run, with c's output routing;
	// c.Code is not run.
	Callback(ctx context.Context, c Cell, f func()) Result
}

// commTransport publishes the session's comm messages.
type commTransport struct{ k *Kernel }

func (t commTransport) publish(msgType string, m comm.Msg, content map[string]any) {
	data := m.Data
	if data == nil {
		data = map[string]any{}
	}
	content["data"] = data
	md := m.Metadata
	if md == nil {
		md = map[string]any{}
	}
	var ph json.RawMessage
	if parent := t.request(); parent != nil {
		ph = parent.RawHeader
	}
	t.k.send(t.k.iopub, [][]byte{[]byte("kernel." + t.k.sessionID[:8] + "." + msgType)}, msgType, ph, md, content)
}

// request is the request being served, or the last one.
func (t commTransport) request() *Message {
	t.k.cellMu.Lock()
	defer t.k.cellMu.Unlock()
	if t.k.serving != nil {
		return t.k.serving
	}
	return t.k.lastServed
}

func (t commTransport) Open(id, target string, m comm.Msg) {
	t.publish("comm_open", m, map[string]any{"comm_id": id, "target_name": target})
}

func (t commTransport) Send(id string, m comm.Msg) {
	t.publish("comm_msg", m, map[string]any{"comm_id": id})
}

func (t commTransport) Close(id string, m comm.Msg) {
	t.publish("comm_close", m, map[string]any{"comm_id": id})
}

func (t commTransport) Parent() string {
	if r := t.request(); r != nil {
		return r.Header.MsgID
	}
	return ""
}

// commInfo answers comm_info_request: the open comms, of target_name only
// if it is given.
func (k *Kernel) commInfo(s *socket, m *Message) {
	var r struct {
		TargetName string `json:"target_name"`
	}
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyError(s, m, "comm_info_reply", err)
		return
	}
	comms := map[string]any{}
	for _, c := range comm.List(r.TargetName) {
		comms[c.ID] = map[string]any{"target_name": c.Target}
	}
	k.reply(s, m, "comm_info_reply", map[string]any{"status": "ok", "comms": comms})
}

// handleComm serves comm_open, comm_msg and comm_close from the frontend.
// A comm_open to a target nobody registered is answered by comm_close, as
// the protocol asks; messages for unknown comms are logged and dropped.
func (k *Kernel) handleComm(m *Message) {
	var c struct {
		CommID     string         `json:"comm_id"`
		TargetName string         `json:"target_name"`
		Data       map[string]any `json:"data"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil || c.CommID == "" {
		if err == nil {
			err = errors.New("no comm_id")
		}
		k.log.Printf("%s: %v: dropped", m.Header.MsgType, err)
		return
	}
	if c.Data == nil {
		c.Data = map[string]any{}
	}
	var md map[string]any
	json.Unmarshal(m.Metadata, &md)
	msg := comm.Msg{Data: c.Data, Metadata: md, Buffers: m.Buffers}
	var err error
	k.runCallback(m, func() {
		switch m.Header.MsgType {
		case "comm_open":
			err = comm.HandleOpen(c.CommID, c.TargetName, msg)
		case "comm_msg":
			err = comm.HandleMsg(c.CommID, msg)
		case "comm_close":
			err = comm.HandleClose(c.CommID, msg)
		}
	})
	if err == nil {
		return
	}
	k.log.Printf("%s: %v", m.Header.MsgType, err)
	if m.Header.MsgType == "comm_open" {
		k.publish("comm_close", m, map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	}
}

// runCallback runs f, which may call into the cells' code, on the session
// as output of request m: its prints and displays have m as parent, and a
// panic is published as an error output of m (an output widget capturing
// m shows it) and logged, never fatal.
func (k *Kernel) runCallback(m *Message, f func()) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer k.serve(m)()

	var res Result
	lang, err := k.sess()
	if cs, ok := lang.(CallbackSession); ok && err == nil {
		res = cs.Callback(ctx, Cell{Out: func(stream, text string) {
			k.publish("stream", m, map[string]any{"name": stream, "text": text})
		}, Display: sink{k, m}}, f)
	} else {
		func() {
			defer func() {
				if r := recover(); r != nil {
					res.Err = &Error{Name: "panic", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprint("panic: ", r)}}
				}
			}()
			f()
		}()
	}
	if e := res.Err; e != nil {
		tb := e.Traceback
		if tb == nil {
			tb = []string{}
		}
		k.publish("error", m, map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb})
		k.log.Printf("%s: a callback failed: %s: %s", m.Header.MsgType, e.Name, e.Value)
	}
}

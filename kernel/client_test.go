package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// client talks to a kernel over ZeroMQ the way jupyter_client does:
// DEALER sockets for shell, control and stdin, SUB for IOPub, REQ for the
// heartbeat.
type client struct {
	t                            testing.TB
	signer                       *Signer
	session                      string
	id                           string // the shell, control and stdin sockets' ZeroMQ identity
	shell, control, stdin, iopub zmq4.Socket
	hb                           zmq4.Socket
	iopubMsgs                    chan *Message
}

// freePorts asks the OS for n free TCP ports on loopback.
func freePorts(t testing.TB, n int) []int {
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func testConnection(t testing.TB) ConnectionInfo {
	p := freePorts(t, 5)
	return ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "test-key", SignatureScheme: "hmac-sha256",
		ShellPort: p[0], ControlPort: p[1], StdinPort: p[2], IOPubPort: p[3], HBPort: p[4]}
}

func dial(t testing.TB, ctx context.Context, ci ConnectionInfo) *client {
	signer, _ := NewSigner(ci.Key, ci.SignatureScheme)
	ident := "client-" + newID()[:8]
	id := zmq4.WithID(zmq4.SocketIdentity(ident))
	c := &client{t: t, signer: signer, session: newID(), id: ident,
		shell: zmq4.NewDealer(ctx, id), control: zmq4.NewDealer(ctx, id), stdin: zmq4.NewDealer(ctx, id),
		iopub: zmq4.NewSub(ctx), hb: zmq4.NewReq(ctx), iopubMsgs: make(chan *Message, 100000)}
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.stdin, ci.StdinPort}, {c.iopub, ci.IOPubPort}, {c.hb, ci.HBPort}} {
		var err error
		for try := 0; try < 50; try++ { // the kernel may still be binding
			if err = d.s.Dial(ci.endpoint(d.port)); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("dial %d: %v", d.port, err)
		}
	}
	c.iopub.SetOption(zmq4.OptionSubscribe, "")
	go func() {
		for {
			msg, err := c.iopub.Recv()
			if err != nil {
				return
			}
			if m, err := c.signer.Decode(msg.Frames); err == nil {
				c.iopubMsgs <- m
			}
		}
	}()
	return c
}

func (c *client) close() {
	for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub, c.hb} {
		s.Close()
	}
}

// request sends a request and returns its msg_id.
func (c *client) request(s zmq4.Socket, msgType string, content any) string {
	h := newHeader(msgType, c.session)
	frames, err := c.signer.Encode(nil, h, nil, nil, content)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

// recv waits for the next message on a DEALER socket.
func (c *client) recv(s zmq4.Socket, timeout time.Duration) *Message {
	c.t.Helper()
	type result struct {
		m   *Message
		err error
	}
	ch := make(chan result, 1)
	go func() {
		msg, err := s.Recv()
		if err != nil {
			ch <- result{nil, err}
			return
		}
		m, err := c.signer.Decode(msg.Frames)
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			c.t.Fatalf("recv: %v", r.err)
		}
		return r.m
	case <-time.After(timeout):
		c.t.Fatalf("no message within %v", timeout)
	}
	return nil
}

func content(m *Message) map[string]any {
	var c map[string]any
	json.Unmarshal(m.Content, &c)
	return c
}

func parentID(m *Message) string {
	var p Header
	json.Unmarshal(m.RawParent, &p)
	return p.MsgID
}

// awaitIOPub sends kernel_info requests, as jupyter_client's
// wait_for_ready does, until one's idle status arrives on IOPub. PUB drops
// what it publishes before the subscription reaches it, so a request's
// messages can be lost in part (its busy, say, but not its idle, or the
// reverse): only the whole of one request says IOPub delivers.
func (c *client) awaitIOPub() {
	c.t.Helper()
	for i := 0; i < 100; i++ {
		id := c.request(c.shell, "kernel_info_request", map[string]any{})
		c.recv(c.shell, 30*time.Second)
		deadline := time.After(time.Second)
	wait:
		for {
			select {
			case m := <-c.iopubMsgs:
				if parentID(m) == id && m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
					return
				}
			case <-deadline:
				break wait
			}
		}
	}
	c.t.Fatal("IOPub never delivered the idle status of a kernel_info request")
}

// iopubUntilIdle collects the IOPub messages of request id, up to and
// including its idle status.
func (c *client) iopubUntilIdle(id string, timeout time.Duration) []*Message {
	c.t.Helper()
	var got []*Message
	deadline := time.After(timeout)
	for {
		select {
		case m := <-c.iopubMsgs:
			if parentID(m) != id {
				continue
			}
			got = append(got, m)
			if m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
				return got
			}
		case <-deadline:
			c.t.Fatalf("no idle for %s within %v; got %s", id, timeout, types(got))
		}
	}
}

// iopubUntil waits for the IOPub message of type msgType whose parent is
// request id, dropping the messages before it.
func (c *client) iopubUntil(id, msgType string, timeout time.Duration) *Message {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m := <-c.iopubMsgs:
			if parentID(m) == id && m.Header.MsgType == msgType {
				return m
			}
		case <-deadline:
			c.t.Fatalf("no %s for %s within %v", msgType, id, timeout)
			return nil
		}
	}
}

func types(ms []*Message) string {
	s := ""
	for _, m := range ms {
		s += m.Header.MsgType
		if m.Header.MsgType == "status" {
			s += fmt.Sprintf("(%v)", content(m)["execution_state"])
		}
		s += " "
	}
	return s
}

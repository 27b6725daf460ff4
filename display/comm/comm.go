// Package comm is Jupyter's comm mechanism seen from Go: a comm is a
// channel between kernel-side code and frontend-side code, opened by
// either side under a target name, that carries JSON messages both ways
// until either side closes it. display/widgets builds interactive widgets
// on it; a cell can use it directly for its own frontend extensions.
//
// Like package display, it knows nothing of Jupyter's wire format: the
// kernel plugs in a Transport that publishes comm_open, comm_msg and
// comm_close, and hands the frontend's comm messages to HandleOpen,
// HandleMsg and HandleClose. Without a transport (a plain Go program, or
// `gradlab run`), comms open and send into the void, so the same code runs
// everywhere.
package comm

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
)

// Msg is what one comm message carries besides the comm's id.
type Msg struct {
	Data     map[string]any // the message's data, JSON-encodable
	Metadata map[string]any // the Jupyter message's metadata (e.g. the widget protocol version)
	Buffers  [][]byte       // binary buffers sent alongside, may be nil
}

// Transport carries comm messages to the frontend. The kernel implements
// it by publishing comm_open, comm_msg and comm_close on IOPub, each with
// the request being served as its parent.
type Transport interface {
	Open(id, target string, m Msg)
	Send(id string, m Msg)
	Close(id string, m Msg)
	// Parent returns the msg_id of the request whose output is being
	// produced now (the running cell, or the comm message being handled),
	// or "" when there is none. Output widgets capture by it.
	Parent() string
}

// Comm is one open comm.
type Comm struct {
	id, target string

	mu      sync.Mutex
	onMsg   func(Msg)
	onClose func(Msg)
	closed  bool
}

var (
	mu        sync.RWMutex
	transport Transport
	comms     = map[string]*Comm{}
	targets   = map[string]func(*Comm, Msg){}
)

// SetTransport routes comm messages to t and returns the previous
// transport; nil disconnects (messages are dropped).
func SetTransport(t Transport) Transport {
	mu.Lock()
	defer mu.Unlock()
	old := transport
	transport = t
	return old
}

// WrapTransport replaces the transport t by wrap(t), in one step (no
// message goes elsewhere meanwhile), and returns a func that puts t back.
// Without a transport it does nothing. Sessions use it to act before each
// message, as interp flushes printed output.
func WrapTransport(wrap func(Transport) Transport) (restore func()) {
	mu.Lock()
	defer mu.Unlock()
	old := transport
	if old == nil {
		return func() {}
	}
	transport = wrap(old)
	return func() { SetTransport(old) }
}

func current() Transport {
	mu.RLock()
	defer mu.RUnlock()
	return transport
}

// Parent returns the msg_id of the request being served, "" if none or
// without a transport.
func Parent() string {
	if t := current(); t != nil {
		return t.Parent()
	}
	return ""
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Open opens a comm to the frontend's target and sends m with the open
// message.
func Open(target string, m Msg) *Comm {
	c := &Comm{id: newID(), target: target}
	mu.Lock()
	comms[c.id] = c
	mu.Unlock()
	if t := current(); t != nil {
		t.Open(c.id, target, m)
	}
	return c
}

// ID returns the comm's id (comm_id on the wire).
func (c *Comm) ID() string { return c.id }

// Target returns the target name the comm was opened with.
func (c *Comm) Target() string { return c.target }

// Send sends m to the frontend's end of the comm. Sending on a closed
// comm does nothing.
func (c *Comm) Send(m Msg) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return
	}
	if t := current(); t != nil {
		t.Send(c.id, m)
	}
}

// Close closes the comm, sending m with the close message.
func (c *Comm) Close(m Msg) {
	if !c.markClosed() {
		return
	}
	if t := current(); t != nil {
		t.Close(c.id, m)
	}
}

func (c *Comm) markClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.closed = true
	mu.Lock()
	delete(comms, c.id)
	mu.Unlock()
	return true
}

// OnMsg sets the function that receives the frontend's messages. It runs
// on the kernel's session, one message at a time, between cells.
func (c *Comm) OnMsg(f func(Msg)) {
	c.mu.Lock()
	c.onMsg = f
	c.mu.Unlock()
}

// OnClose sets the function called when the frontend closes the comm.
func (c *Comm) OnClose(f func(Msg)) {
	c.mu.Lock()
	c.onClose = f
	c.mu.Unlock()
}

// RegisterTarget lets the frontend open comms to target: open is called
// with each new comm and the data of its open message. Registering a name
// again replaces its function; a nil open removes the target.
func RegisterTarget(target string, open func(c *Comm, m Msg)) {
	mu.Lock()
	defer mu.Unlock()
	if open == nil {
		delete(targets, target)
		return
	}
	targets[target] = open
}

// HandleOpen serves the frontend's comm_open. It returns an error when
// no such target is registered (the kernel then closes the comm, as the
// protocol asks).
func HandleOpen(id, target string, m Msg) error {
	mu.Lock()
	open := targets[target]
	if open == nil {
		mu.Unlock()
		return fmt.Errorf("no comm target %q", target)
	}
	if comms[id] != nil {
		mu.Unlock()
		return fmt.Errorf("comm %s is already open", id)
	}
	c := &Comm{id: id, target: target}
	comms[id] = c
	mu.Unlock()
	open(c, m)
	return nil
}

// HandleMsg serves the frontend's comm_msg: the comm's OnMsg function gets
// m. It returns an error when the comm is not open.
func HandleMsg(id string, m Msg) error {
	c := lookup(id)
	if c == nil {
		return fmt.Errorf("comm %s is not open", id)
	}
	c.mu.Lock()
	f := c.onMsg
	c.mu.Unlock()
	if f != nil {
		f(m)
	}
	return nil
}

// HandleClose serves the frontend's comm_close: the comm is closed without
// a message back, and its OnClose function gets m.
func HandleClose(id string, m Msg) error {
	c := lookup(id)
	if c == nil {
		return fmt.Errorf("comm %s is not open", id)
	}
	if !c.markClosed() {
		return nil
	}
	c.mu.Lock()
	f := c.onClose
	c.mu.Unlock()
	if f != nil {
		f(m)
	}
	return nil
}

func lookup(id string) *Comm {
	mu.RLock()
	defer mu.RUnlock()
	return comms[id]
}

// Info describes an open comm, for comm_info_reply.
type Info struct {
	ID, Target string
}

// List returns the open comms, of the given target only unless target is
// "", sorted by id.
func List(target string) []Info {
	mu.RLock()
	var out []Info
	for id, c := range comms {
		if target == "" || c.target == target {
			out = append(out, Info{ID: id, Target: c.target})
		}
	}
	mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

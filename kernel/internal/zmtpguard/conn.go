package zmtpguard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// framer follows a stream of ZMTP frames a chunk at a time, wherever the
// chunks happen to split headers and bodies.
type framer struct {
	hdr  [9]byte
	hn   int    // header bytes collected
	body uint64 // body bytes of the current frame still to come
	more bool   // the current message has frames after this one
	// emptySeen: the current message has had an empty frame (REP's
	// delimiter).
	emptySeen bool
}

// feed walks p. check sees each complete header before the bytes that
// complete it are let through; end is called with the offset in p just
// past each complete message.
func (f *framer) feed(p []byte, check func(f *framer, flags byte, size uint64) error, end func(i int)) error {
	for i := 0; i < len(p); {
		if f.body > 0 {
			k := uint64(len(p) - i)
			if k > f.body {
				k = f.body
			}
			i += int(k)
			f.body -= k
			if f.body == 0 && !f.more {
				f.emptySeen = false
				end(i)
			}
			continue
		}
		f.hdr[f.hn] = p[i]
		f.hn++
		i++
		need := 2
		if f.hdr[0]&flagLong != 0 {
			need = 9
		}
		if f.hn < need {
			continue
		}
		flags, size := f.hdr[0], uint64(f.hdr[1])
		if need == 9 {
			size = binary.BigEndian.Uint64(f.hdr[1:])
		}
		f.hn = 0
		if check != nil {
			if err := check(f, flags, size); err != nil {
				return err
			}
		}
		f.more = flags&flagMore != 0
		f.body = size
		if size == 0 {
			f.emptySeen = true
			if !f.more {
				f.emptySeen = false
				end(i)
			}
		}
	}
	return nil
}

// conn is a vetted connection as zmq4 sees it.
type conn struct {
	net.Conn
	l    *listener
	id   string // identity claimed on the listener, "" for none
	peer string // the peer's socket type

	// Read side, used by zmq4's one reader goroutine per connection.
	replay []byte // canonical greeting and READY, then the peer's frames
	in     framer

	// Write side.
	mu        sync.Mutex
	cond      *sync.Cond
	greetLeft int // bytes of zmq4's greeting still to swallow
	out       framer
	cur       []byte   // the message being written
	queue     [][]byte // whole messages waiting for the writer
	queued    int      // bytes queued or being written
	dropping  bool     // messages are being dropped (logged once per episode)
	closed    bool
	flushed   chan struct{}
	closeOnce sync.Once
}

func newConn(raw net.Conn, l *listener, id, peer string) *conn {
	c := &conn{Conn: raw, l: l, id: id, peer: peer, greetLeft: len(greeting), flushed: make(chan struct{})}
	c.cond = sync.NewCond(&c.mu)
	c.replay = append(append([]byte{}, greeting...), ready(peer, id)...)
	go c.writer()
	return c
}

// connError ends a connection. It is a net.Error that is not a timeout,
// the kind zmq4's Conn.checkIO takes as the end of the connection (it
// leaves the connection in its socket's lists for any other error but
// io.EOF, which io.ReadFull turns into io.ErrUnexpectedEOF mid-frame).
type connError struct{ err error }

func (e *connError) Error() string   { return "zmtpguard: " + e.err.Error() }
func (e *connError) Unwrap() error   { return e.err }
func (e *connError) Timeout() bool   { return false }
func (e *connError) Temporary() bool { return false }

var errClosed = errors.New("connection closed")

func (c *conn) Read(p []byte) (n int, err error) {
	if len(c.replay) > 0 {
		n = copy(p, c.replay)
		c.replay = c.replay[n:]
		return n, nil
	}
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, c.fail(fmt.Errorf("internal error: %v", r))
		}
	}()
	n, err = c.Conn.Read(p)
	if n > 0 {
		if ferr := c.in.feed(p[:n], c.checkIn, func(int) {}); ferr != nil {
			return 0, c.fail(ferr)
		}
	}
	if err != nil {
		if c.l.tracef != nil {
			c.l.tracef("%s at %s left: %v", c.peer, c.RemoteAddr(), err)
		}
		c.close(time.Time{}) // the peer is gone: nothing to linger for
		return n, &connError{err}
	}
	return n, nil
}

// checkIn vets a frame header from the peer before zmq4 sees it.
func (c *conn) checkIn(f *framer, flags byte, size uint64) error {
	switch {
	case flags&flagReserved != 0:
		return fmt.Errorf("frame flags %#x: reserved bits set", flags)
	case flags&flagCommand != 0 && (flags&flagMore != 0 || f.more):
		return errors.New("a command frame inside a multipart message")
	case size > uint64(c.l.lim.MaxFrame):
		return fmt.Errorf("frame of %d bytes: at most %d", size, c.l.lim.MaxFrame)
	case c.l.typ == zmq4.Rep && flags&flagMore == 0 && size > 0 && !f.emptySeen:
		// zmq4's REP fails Recv on a message it cannot route.
		return errors.New("a message without the empty delimiter frame REP needs")
	}
	return nil
}

// fail logs why the connection is being closed, closes it and returns
// the error zmq4 should see.
func (c *conn) fail(err error) error {
	c.l.logf("closed connection from %s: %v", c.RemoteAddr(), err)
	c.close(time.Time{})
	return &connError{err}
}

// Write queues whole messages for the writer and never blocks on the peer.
func (c *conn) Write(p []byte) (n int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, &connError{errClosed}
	}
	defer func() {
		if r := recover(); r != nil {
			c.cur = nil
			n, err = 0, &connError{fmt.Errorf("internal error: %v", r)}
		}
	}()
	n = len(p)
	if c.greetLeft > 0 { // the guard sent zmq4's greeting already
		k := min(c.greetLeft, len(p))
		c.greetLeft -= k
		p = p[k:]
	}
	base, start := len(c.cur), 0
	c.cur = append(c.cur, p...)
	c.out.feed(p, nil, func(i int) {
		c.enqueue(c.cur[start : base+i])
		start = base + i
	})
	if start == len(c.cur) {
		c.cur = nil // the queued messages keep the buffer
	} else if start > 0 {
		c.cur = append([]byte(nil), c.cur[start:]...)
	}
	return n, nil
}

// enqueue queues one message, or drops it when the peer is not keeping up.
func (c *conn) enqueue(msg []byte) {
	if c.queued > 0 && c.queued+len(msg) > c.l.lim.SendBuffer {
		if !c.dropping {
			c.dropping = true
			c.l.logf("%s at %s is not reading: dropping messages to it", c.peer, c.RemoteAddr())
		}
		return
	}
	c.dropping = false
	c.queue = append(c.queue, msg)
	c.queued += len(msg)
	c.cond.Signal()
}

// writer writes queued messages to the peer until the connection closes.
func (c *conn) writer() {
	defer close(c.flushed)
	defer c.Conn.Close()
	defer func() {
		if r := recover(); r != nil {
			c.l.logf("writing to %s: internal error: %v", c.RemoteAddr(), r)
		}
	}()
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.closed {
			c.cond.Wait()
		}
		batch, size := c.queue, 0
		c.queue = nil
		c.mu.Unlock()
		if len(batch) == 0 {
			return // closed and flushed
		}
		for _, m := range batch {
			size += len(m)
		}
		bufs := net.Buffers(batch)
		_, err := bufs.WriteTo(c.Conn)
		if c.l.tracef != nil {
			c.l.tracef("wrote %d messages, %d bytes, to the %s at %s (error: %v)", len(batch), size, c.peer, c.RemoteAddr(), err)
		}
		c.mu.Lock()
		c.queued -= size
		if err != nil {
			c.closed = true
			c.queue = nil
		}
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// Close releases the connection's identity, gives the writer until the
// listener's linger deadline to write what is queued, and closes the
// connection. zmq4 calls it when its socket closes.
func (c *conn) Close() error {
	if c.l.tracef != nil {
		c.l.tracef("closing the connection to the %s at %s", c.peer, c.RemoteAddr())
	}
	select {
	case <-c.flushed: // the writer is done: nothing to linger for
		return c.close(time.Time{})
	default:
		return c.close(c.l.lingerDeadline())
	}
}

// close closes the connection once, flushing until deadline at most; a
// connection closed because its peer misbehaved or left does not linger
// (deadline zero), so that zmq4, which may close it again under a
// socket-wide lock, never waits on it.
func (c *conn) close(deadline time.Time) error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.cond.Signal()
		c.mu.Unlock()
		if c.id != "" {
			c.l.idMu.Lock()
			delete(c.l.ids, c.id)
			c.l.idMu.Unlock()
		}
		if deadline.IsZero() {
			deadline = time.Now()
		}
		c.Conn.SetWriteDeadline(deadline)
	})
	<-c.flushed
	return nil
}

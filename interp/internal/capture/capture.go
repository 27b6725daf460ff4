// Package capture routes the process's standard output and error to the
// running cell.
//
// Output capture is process-wide: interpreted code, native packages,
// os.Stdout writes, log and goroutines all end up on the file descriptors
// behind os.Stdout and os.Stderr, so both are replaced by pipes once (Get),
// and what arrives is handed to the destination (SetDest) in batches.
// Sync waits until what was written before it has been handed over; a
// SyncSink does that before each display message, so that prints and
// displays keep their order.
//
// Its locks are leaves: the destination is called with none of them held
// but the one that keeps calls in order.
package capture

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

const (
	batchDelay = 25 * time.Millisecond // coalesce output for this long
	batchSize  = 64 << 10              // or until this much is pending
)

var markerPrefix = []byte("\x00glsync")

type stream struct {
	name string
	w    *os.File // write end, now os.Stdout or os.Stderr
	r    *os.File // read end
	orig *os.File // the process's original file
	c    *Capture

	// inflight is set by the pump before it takes bytes out of the pipe
	// and cleared once they are in pending: with the pipe empty, a clear
	// flag means nothing is on its way.
	inflight atomic.Bool

	mu      sync.Mutex // guards pending, carry, timer, waiters
	pending []byte
	carry   []byte
	timer   *time.Timer
	waiters map[int]chan struct{}

	flushMu sync.Mutex // serialises calls of out, keeping order
}

// Capture is the process's capture of standard output and error.
type Capture struct {
	out, err *stream

	mu   sync.Mutex
	dest func(stream, text string) // nil: write to the original files
	seq  int
}

var (
	once sync.Once
	the  atomic.Pointer[Capture]
)

// Get returns the process's capture, replacing os.Stdout and os.Stderr by
// pipes on first use.
func Get() *Capture {
	once.Do(func() {
		c := &Capture{}
		c.out = c.newStream("stdout", &os.Stdout)
		c.err = c.newStream("stderr", &os.Stderr)
		// The standard logger of native packages writes where os.Stderr
		// pointed at its creation: point it at the pipe too.
		log.SetOutput(logFilter{c.err.w})
		the.Store(c)
	})
	return the.Load()
}

// Installed returns the capture if Get has installed it, else nil.
func Installed() *Capture { return the.Load() }

// logFilter drops what yaegi logs just before its internal compile
// panics, which the session turns into clear compile errors.
type logFilter struct{ w io.Writer }

func (f logFilter) Write(p []byte) (int, error) {
	if bytes.HasSuffix(p, []byte(" nil type\n")) || bytes.HasSuffix(p, []byte(" nil reflect type\n")) {
		return len(p), nil
	}
	return f.w.Write(p)
}

// Stdio returns the process's original standard output and error, which
// the session replaced by pipes: frontends write their own logs there.
func Stdio() (stdout, stderr *os.File) {
	c := Get()
	return c.out.orig, c.err.orig
}

func (c *Capture) newStream(name string, f **os.File) *stream {
	r, w, err := os.Pipe()
	if err != nil {
		panic(fmt.Sprintf("capture: cannot capture %s: %v", name, err))
	}
	s := &stream{name: name, w: w, r: r, orig: *f, c: c, waiters: map[int]chan struct{}{}}
	*f = w
	go s.pump(r)
	return s
}

// Stdout is the write end of the standard output pipe (os.Stdout now).
func (c *Capture) Stdout() *os.File { return c.out.w }

// Stderr is the write end of the standard error pipe (os.Stderr now).
func (c *Capture) Stderr() *os.File { return c.err.w }

// SetDest routes captured output to out, as "stdout" and "stderr" chunks in
// order (nil: to the original files).
func (c *Capture) SetDest(out func(stream, text string)) {
	c.mu.Lock()
	c.dest = out
	c.mu.Unlock()
}

// Sync waits until everything written to both streams before the call has
// been handed to the destination. When nothing is on its way (the usual
// case for a cell that printed nothing) it returns at once.
func (c *Capture) Sync() {
	if c.out.idle() && c.err.idle() {
		c.out.flush(true)
		c.err.flush(true)
		return
	}
	c.mu.Lock()
	c.seq++
	id := c.seq
	c.mu.Unlock()
	marker := append(append(append([]byte{}, markerPrefix...), strconv.Itoa(id)...), 0)
	var chans []chan struct{}
	for _, s := range []*stream{c.out, c.err} {
		ch := make(chan struct{})
		s.mu.Lock()
		s.waiters[id] = ch
		s.mu.Unlock()
		if _, err := s.w.Write(marker); err != nil {
			continue
		}
		chans = append(chans, ch)
	}
	timeout := time.After(5 * time.Second) // a wedged pipe must not hang the kernel
	for _, ch := range chans {
		select {
		case <-ch:
		case <-timeout:
			return
		}
	}
}

// idle reports that the pipe is empty and the pump holds nothing (in this
// order: bytes leave the pipe only after the pump sets inflight).
func (s *stream) idle() bool {
	n, ok := pipeBuffered(s.r)
	return ok && n == 0 && !s.inflight.Load()
}

func (s *stream) pump(r *os.File) {
	buf := make([]byte, batchSize)
	for {
		n, err := readPipe(r, buf, &s.inflight)
		if n > 0 {
			s.take(buf[:n])
		}
		s.inflight.Store(false)
		if err != nil {
			return
		}
	}
}

// take splits a chunk into data and sync markers.
func (s *stream) take(chunk []byte) {
	s.mu.Lock()
	data := chunk
	if len(s.carry) > 0 {
		data = append(s.carry, chunk...)
		s.carry = nil
	}
	var done []chan struct{}
	for len(data) > 0 {
		i := bytes.IndexByte(data, 0)
		if i < 0 {
			s.pending = append(s.pending, data...)
			break
		}
		s.pending = append(s.pending, data[:i]...)
		rest := data[i:]
		// Is rest a (possibly incomplete) marker?
		m := min(len(rest), len(markerPrefix))
		if !bytes.Equal(rest[:m], markerPrefix[:m]) {
			s.pending = append(s.pending, 0)
			data = rest[1:]
			continue
		}
		if m < len(markerPrefix) {
			s.carry = append([]byte{}, rest...)
			break
		}
		end := bytes.IndexByte(rest[1:], 0)
		if end < 0 {
			if len(rest) > len(markerPrefix)+12 { // not a marker after all
				s.pending = append(s.pending, rest[0])
				data = rest[1:]
				continue
			}
			s.carry = append([]byte{}, rest...)
			break
		}
		id, err := strconv.Atoi(string(rest[len(markerPrefix) : end+1]))
		if err != nil {
			s.pending = append(s.pending, 0)
			data = rest[1:]
			continue
		}
		if ch := s.waiters[id]; ch != nil {
			delete(s.waiters, id)
			done = append(done, ch)
		}
		data = rest[end+2:]
	}
	full := len(s.pending) >= batchSize
	if !full && len(done) == 0 && len(s.pending) > 0 && s.timer == nil {
		s.timer = time.AfterFunc(batchDelay, func() { s.flush(false) })
	}
	s.mu.Unlock()
	if full || len(done) > 0 {
		s.flush(len(done) > 0)
	}
	for _, ch := range done {
		close(ch)
	}
}

// flush hands pending output to the destination. Unless final, an
// incomplete UTF-8 sequence at the end waits for its remaining bytes.
func (s *stream) flush(final bool) {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	p := s.pending
	s.pending = nil
	if !final {
		if k := incompleteTail(p); k > 0 {
			s.pending = append([]byte{}, p[len(p)-k:]...)
			p = p[:len(p)-k]
		}
	}
	s.mu.Unlock()
	if len(p) == 0 {
		return
	}
	s.c.mu.Lock()
	dest := s.c.dest
	s.c.mu.Unlock()
	if dest == nil {
		s.orig.Write(p)
		return
	}
	defer func() {
		if r := recover(); r != nil { // a failing frontend must not stop the capture
			fmt.Fprintf(s.c.err.orig, "capture: output callback panicked: %v\n", r)
		}
	}()
	dest(s.name, string(p))
}

// incompleteTail returns how many bytes at the end of p start a UTF-8
// sequence that is not complete yet.
func incompleteTail(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		b := p[len(p)-k]
		if b < 0x80 {
			return 0
		}
		if utf8.RuneStart(b) {
			if utf8.FullRune(p[len(p)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

package interp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/gradlab/gradlab/interp/internal/capture"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// goPanicIn reports a panic that nothing would recover, in where.
func (s *Session) goPanicIn(r any, where string) {
	e := panicError(r, nil)
	e.Value += " (in " + where + ")"
	s.stateMu.Lock()
	run := s.cur
	if run != nil && run.goPanic == nil && !run.ending {
		e.Traceback = append(e.Traceback, run.takeTrace()...)
		run.goPanic = e
		s.stateMu.Unlock()
		return
	}
	s.stateMu.Unlock()
	fmt.Fprintf(os.Stderr, "panic outside a cell's code: %s\n", e.Value)
}

// traceWriter is the interpreter's Stderr: yaegi writes the interpreted
// call trace of a panic there, one "pos: panic: func(...)" line per frame;
// those lines go to the cell's traceback, the rest to standard error.
type traceWriter struct{ s *Session }

var traceLine = regexp.MustCompile(`^(.*?): panic: (.*)\(\.\.\.\)\n?$`)

func (w *traceWriter) Write(p []byte) (int, error) {
	if m := traceLine.FindSubmatch(p); m != nil {
		if bytes.HasPrefix(p, []byte("cell[0]:")) {
			return len(p), nil // the bootstrap's helpers (ᐧrandN...): not the user's code
		}
		w.s.stateMu.Lock()
		if w.s.cur != nil {
			fn := strings.TrimPrefix(string(m[2]), "main.")
			if fn == "main" {
				fn = "cell"
			}
			w.s.cur.trace = append(w.s.cur.trace, fmt.Sprintf("%s: in %s", m[1], rewrite.Clean(fn)))
		}
		w.s.stateMu.Unlock()
		return len(p), nil
	}
	return capture.Get().Stderr().Write(p)
}

func (r *cellRun) takeTrace() []string {
	t := r.trace
	r.trace = nil
	return t
}

// stdinReader serves reads of standard input from the frontend's Input.
type stdinReader struct {
	s   *Session
	mu  sync.Mutex
	buf []byte
}

var errNoInput = errors.New("standard input is not available: this frontend does not send input requests (allow_stdin is false)")

func (r *stdinReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		r.s.stateMu.Lock()
		var input func(string, bool) (string, error)
		if r.s.cur != nil {
			input = r.s.cur.input
		}
		r.s.stateMu.Unlock()
		if input == nil {
			return 0, errNoInput
		}
		capture.Get().Sync() // the prompt the cell printed shows before the input box
		line, err := input("", false)
		if err != nil {
			return 0, err
		}
		r.buf = []byte(line + "\n")
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// cellRun is the state of the running cell that native callbacks reach.
type cellRun struct {
	count   int
	value   map[string]any
	valueMD map[string]any
	goPanic *Error
	ending  bool // the cell's code is done; end-of-cell hooks run
	trace   []string
	input   func(prompt string, password bool) (string, error)
	ctx     context.Context
}

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
	"github.com/gradlab/gradlab/interp/internal/engine"
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
		withIndex(e, run.takeIndex())
		run.goPanic = e
		s.stateMu.Unlock()
		run.stop(errGoroutinePanic) // the cell stops here, as a Go program would
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
		pos := string(m[1])
		site := engine.PanicSite(w.s.in, pos, string(m[2]))
		if site.Pos != "" {
			pos = site.Pos // yaegi wrote the position of the function's first node
		}
		w.s.stateMu.Lock()
		if w.s.cur != nil {
			if site.Inner { // a new panic: what an earlier, recovered one wrote is not its trace
				w.s.cur.trace, w.s.cur.index = nil, site.Index
			}
			fn := strings.TrimPrefix(string(m[2]), "main.")
			if fn == "main" {
				fn = "cell"
			}
			w.s.cur.trace = append(w.s.cur.trace, fmt.Sprintf("%s: in %s", pos, rewrite.Clean(fn)))
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

// takeIndex returns what Go's run-time error would say of the index that
// the last panic's innermost frame panicked on ("[5] with length 3"), if
// known.
func (r *cellRun) takeIndex() string {
	i := r.index
	r.index = ""
	return i
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
	index   string // the last panic's index and length, when known (takeIndex)
	ending  bool   // the cell's code is done; end-of-cell hooks run
	trace   []string
	input   func(prompt string, password bool) (string, error)
	ctx     context.Context
	stop    context.CancelCauseFunc // cancels ctx (goPanicIn)
}

// errGoroutinePanic is the cause of a cell's context cancelled because a
// goroutine of the cell panicked.
var errGoroutinePanic = errors.New("a goroutine of the cell panicked")

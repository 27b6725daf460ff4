package kernel

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Headers as three real clients write them.
var (
	// @jupyterlab/services 7.6 (JupyterLab 4, VS Code): UTF-16.
	labHeader = map[string]any{"date": "2026-01-02T03:04:05.678Z", "msg_id": "", "msg_type": "", "session": "lab",
		"username": "", "subshell_id": nil, "version": "5.2"}
	// @jupyterlab/services before 7.4: no subshell_id.
	oldLabHeader = map[string]any{"date": "2026-01-02T03:04:05.678Z", "msg_id": "", "msg_type": "", "session": "lab3",
		"username": "", "version": "5.2"}
	// Notebook 6: code points.
	nb6Header = map[string]any{"date": "2026-01-02T03:04:05.678Z", "msg_id": "", "msg_type": "", "session": "nb6",
		"username": "username", "version": "5.2"}
	// jupyter_client (console, nbclient): code points.
	pyHeader = map[string]any{"date": "2026-01-02T03:04:05.678901Z", "msg_id": "", "msg_type": "", "session": "py",
		"username": "ada", "version": "5.3"}
)

// requestAs sends a request with a header shaped like header and returns
// the reply's content.
func (h *harness) requestAs(header map[string]any, msgType string, c any) map[string]any {
	h.t.Helper()
	hd := map[string]any{}
	for k, v := range header {
		hd[k] = v
	}
	hd["msg_id"], hd["msg_type"] = newID(), msgType
	hb, _ := json.Marshal(hd)
	cb, _ := json.Marshal(c)
	parts := [][]byte{hb, []byte("{}"), []byte("{}"), cb}
	frames := append([][]byte{delimiter, h.signer.Sign(parts)}, parts...)
	if err := h.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		h.t.Fatal(err)
	}
	return content(h.recv(h.shell, 5*time.Second))
}

func TestCursorUnitsArePerClientFromTheFirstRequest(t *testing.T) {
	h := start(t)
	// Mid-cell, after an emoji: the cursor is after "fmt.Pri" on line 2.
	code := "s := \"😀\"\nfmt.Pri\nx := 1"
	const runes = 16 // code points before the cursor
	for _, c := range []struct {
		name   string
		header map[string]any
		pos    int // the cursor as this client counts
	}{
		{"JupyterLab 4, fresh kernel", labHeader, runes + 1},
		{"Notebook 6 after JupyterLab", nb6Header, runes},
		{"JupyterLab 3.x", oldLabHeader, runes + 1},
		{"jupyter_client", pyHeader, runes},
	} {
		rep := h.requestAs(c.header, "complete_request", map[string]any{"code": code, "cursor_pos": c.pos})
		if got := h.sess.cursor.Load(); got != runes {
			t.Errorf("%s: the session completed at code point %d, want %d", c.name, got, runes)
		}
		// The fake completes the 3 characters before the cursor; the reply
		// counts as the client does.
		if rep["cursor_end"] != float64(c.pos) || rep["cursor_start"] != float64(c.pos-3) {
			t.Errorf("%s: reply range %v..%v, want %d..%d", c.name, rep["cursor_start"], rep["cursor_end"], c.pos-3, c.pos)
		}
		h.requestAs(c.header, "inspect_request", map[string]any{"code": code, "cursor_pos": c.pos, "detail_level": 0})
		if got := h.sess.cursor.Load(); got != runes {
			t.Errorf("%s: the session inspected at code point %d, want %d", c.name, got, runes)
		}
	}
}

func TestCursorOutOfRangeIsClampedAndChangesNothing(t *testing.T) {
	h := start(t)
	code := "😀 fmt.Pri" // 9 code points, 10 UTF-16 units
	h.requestAs(pyHeader, "complete_request", map[string]any{"code": code, "cursor_pos": 50})
	if got := h.sess.cursor.Load(); got != 9 {
		t.Errorf("a cursor past the end reached the session as %d, want the end, 9", got)
	}
	// A code-point client is still read as code points afterwards.
	rep := h.requestAs(nb6Header, "complete_request", map[string]any{"code": code, "cursor_pos": 5})
	if got := h.sess.cursor.Load(); got != 5 || rep["cursor_end"] != 5.0 {
		t.Errorf("after an out-of-range cursor, Notebook 6's cursor 5 reached the session as %d (reply end %v)", got, rep["cursor_end"])
	}
}

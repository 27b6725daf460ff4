package kernel

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func TestReplayedRequestIsDropped(t *testing.T) {
	h := start(t)
	frames, err := h.signer.Encode(nil, newHeader("execute_request", h.session), nil, nil,
		map[string]any{"code": "print once", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // the original and two captured copies
		if err := h.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	// The same copy with the signature in upper case still verifies: it
	// must be recognised too.
	upper := append([][]byte{}, frames...)
	upper[1] = bytes.ToUpper(frames[1])
	h.shell.SendMulti(zmq4.NewMsgFrom(upper...))
	if c := content(h.recv(h.shell, 5*time.Second)); c["status"] != "ok" {
		t.Fatalf("the original request: %v", c)
	}
	// Requests run in order: had a copy run, its reply would come before
	// this one's (execute checks the reply's parent).
	h.execute("print next", nil)
	if n := h.sess.executed.Load(); n != 2 {
		t.Errorf("the session ran %d cells, want 2 (the replays must not run)", n)
	}
}

func TestReplayGuardIsBounded(t *testing.T) {
	var g replayGuard
	for i := 0; i <= maxSeen; i++ {
		if !g.fresh(fmt.Sprint(i)) {
			t.Fatalf("signature %d reported as seen", i)
		}
	}
	if len(g.seen) != maxSeen {
		t.Errorf("remembers %d signatures, want %d", len(g.seen), maxSeen)
	}
	if g.fresh(fmt.Sprint(maxSeen)) {
		t.Error("the last signature was not remembered")
	}
	if !g.fresh("0") {
		t.Error("the oldest signature was not forgotten")
	}
	if !g.fresh("") || !g.fresh("") {
		t.Error("unsigned messages (no key) must pass")
	}
}

func TestEmptyKeyIsWarnedAtStart(t *testing.T) {
	var logged bytes.Buffer
	ci := testConnection(t)
	ci.Key = ""
	if _, err := New(Config{Conn: ci, Log: log.New(&logged, "", 0)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "no key") {
		t.Errorf("logged %q, want a warning that messages are not signed", logged.String())
	}
	logged.Reset()
	if _, err := New(Config{Conn: testConnection(t), Log: log.New(&logged, "", 0)}); err != nil {
		t.Fatal(err)
	}
	if logged.Len() != 0 {
		t.Errorf("with a key, logged %q", logged.String())
	}
}

package kernel

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/gradlab/gradlab/display"
)

// fakeSession understands a few one-word commands so that the kernel's
// protocol handling is tested without the Go interpreter.
type fakeSession struct {
	executed atomic.Int32
	// release lets the goroutine of a "later" cell display.
	release chan struct{}
	// cursor is the code-point position of the last Complete or Inspect.
	cursor atomic.Int64
	// queuedBeforeFail holds a "slowfail" cell until that many requests
	// wait in the kernel's queue behind it, so they arrived while it ran.
	queuedBeforeFail atomic.Int32
	k                *Kernel
}

func (f *fakeSession) Execute(ctx context.Context, c Cell) Result {
	f.executed.Add(1)
	cmd, arg, _ := strings.Cut(c.Code, " ")
	switch cmd {
	case "print":
		c.Out("stdout", arg+"\n")
	case "warn":
		c.Out("stderr", arg+"\n")
	case "value":
		return Result{Value: map[string]any{"text/plain": arg}}
	case "show": // displays, then has a value (used as a user expression)
		c.Display.Display(display.Bundle{"text/plain": "side effect"}, nil, "", false)
		return Result{Value: map[string]any{"text/plain": "shown"}}
	case "slowfail":
		for len(f.k.queue) < int(f.queuedBeforeFail.Load()) {
			time.Sleep(time.Millisecond)
		}
		fallthrough
	case "fail":
		return Result{Err: &Error{Name: "panic", Value: arg, Traceback: []string{"cell[1]:1:1"}}}
	case "html":
		c.Display.Display(display.Bundle{"text/html": arg, "image/png": []byte{1, 2}}, nil, "d1", false)
		c.Display.Display(display.Bundle{"text/html": arg + "!"}, nil, "d1", true)
		c.Display.ClearOutput(true)
	case "later":
		// A goroutine of the cell displays after the cell has ended.
		go func() {
			<-f.release
			c.Display.Display(display.Bundle{"text/plain": "late"}, nil, "", false)
		}()
	case "sleep":
		<-ctx.Done()
		return Result{Err: &Error{Name: "interrupted", Value: "cell interrupted"}}
	case "input":
		if c.Input == nil {
			return Result{Err: &Error{Name: "StdinNotAllowed", Value: "no stdin"}}
		}
		s, err := c.Input(arg, false)
		if err != nil {
			return Result{Err: &Error{Name: "error", Value: err.Error()}}
		}
		c.Out("stdout", "got "+s+"\n")
	}
	return Result{}
}

func (f *fakeSession) Complete(code string, cursor int) ([]Completion, int, int) {
	f.cursor.Store(int64(cursor))
	return []Completion{{"Println", "function"}, {"Printf", "function"}}, cursor - 3, cursor
}
func (f *fakeSession) Inspect(code string, cursor, detail int) (map[string]any, bool) {
	f.cursor.Store(int64(cursor))
	return map[string]any{"text/plain": "doc"}, true
}
func (f *fakeSession) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "\t"
	}
	return "complete", ""
}

type harness struct {
	*client
	k    *Kernel
	sess *fakeSession
	done chan error
}

func start(t testing.TB) *harness { return startWith(t, nil) }

// startWith is start with the kernel's Config adjusted by configure.
func startWith(t testing.TB, configure func(*Config)) *harness {
	ci := testConnection(t)
	sess := &fakeSession{release: make(chan struct{})}
	cfg := Config{Conn: ci, NewSession: func() (Session, error) { return sess, nil }, Info: Info{Version: "test"}, Log: log.New(io.Discard, "", 0)}
	if configure != nil {
		configure(&cfg)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sess.k = k
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{k: k, sess: sess, done: make(chan error, 1)}
	go func() { h.done <- k.Run(ctx) }()
	h.client = dial(t, ctx, ci)
	t.Cleanup(func() {
		cancel()
		h.client.close()
		select {
		case <-h.done:
		case <-time.After(2 * time.Second):
		}
	})
	h.awaitIOPub()
	return h
}

func (h *harness) execute(code string, extra map[string]any) (reply *Message, iopub []*Message) {
	c := map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true}
	for k, v := range extra {
		c[k] = v
	}
	id := h.request(h.shell, "execute_request", c)
	reply = h.recv(h.shell, 5*time.Second)
	if parentID(reply) != id {
		h.t.Fatalf("reply to %s, want %s", parentID(reply), id)
	}
	return reply, h.iopubUntilIdle(id, 5*time.Second)
}

func TestKernelInfoFramedByBusyIdle(t *testing.T) {
	h := start(t)
	id := h.request(h.control, "kernel_info_request", map[string]any{})
	rep := h.recv(h.control, 2*time.Second) // answered on control, where it was asked
	if rep.Header.MsgType != "kernel_info_reply" || parentID(rep) != id {
		t.Fatalf("got %s to %s", rep.Header.MsgType, parentID(rep))
	}
	li := content(rep)["language_info"].(map[string]any)
	if li["name"] != "go" || li["file_extension"] != ".go" || li["mimetype"] != "text/x-go" {
		t.Errorf("language_info = %v", li)
	}
	if got := types(h.iopubUntilIdle(id, time.Second)); got != "status(busy) status(idle) " {
		t.Errorf("iopub = %s", got)
	}
}

func TestExecuteOutputsAndCount(t *testing.T) {
	h := start(t)
	rep, io := h.execute("print hello, world", nil)
	if c := content(rep); c["status"] != "ok" || c["execution_count"] != 1.0 {
		t.Errorf("reply = %v", c)
	}
	if got := types(io); got != "status(busy) execute_input stream status(idle) " {
		t.Errorf("iopub = %s", got)
	}
	if txt := content(io[2])["text"]; txt != "hello, world\n" {
		t.Errorf("stream text = %q", txt)
	}
	rep, io = h.execute("value 42", nil)
	if content(rep)["execution_count"] != 2.0 {
		t.Errorf("count = %v, want 2", content(rep)["execution_count"])
	}
	res := io[2]
	if res.Header.MsgType != "execute_result" || content(res)["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("result = %s %s", res.Header.MsgType, res.Content)
	}
	// Not stored in history: the count does not move.
	rep, _ = h.execute("value 1", map[string]any{"store_history": false})
	if content(rep)["execution_count"] != 2.0 {
		t.Errorf("store_history=false moved the count to %v", content(rep)["execution_count"])
	}
	// Silent: no execute_input, no outputs.
	_, io = h.execute("print quiet", map[string]any{"silent": true})
	if got := types(io); got != "status(busy) status(idle) " {
		t.Errorf("silent iopub = %s", got)
	}
}

func TestErrorIsOneMessageAndReplyStatus(t *testing.T) {
	h := start(t)
	rep, io := h.execute("fail boom", nil)
	c := content(rep)
	if c["status"] != "error" || c["ename"] != "panic" || c["evalue"] != "boom" {
		t.Errorf("reply = %v", c)
	}
	if got := types(io); got != "status(busy) execute_input error status(idle) " {
		t.Errorf("iopub = %s", got)
	}
}

func TestDisplayUpdateAndClear(t *testing.T) {
	h := start(t)
	_, io := h.execute("html <b>x</b>", nil)
	if got := types(io); got != "status(busy) execute_input display_data update_display_data clear_output status(idle) " {
		t.Fatalf("iopub = %s", got)
	}
	d := content(io[2])
	if d["data"].(map[string]any)["image/png"] != "AQI=" {
		t.Errorf("png not base64: %v", d["data"])
	}
	if d["transient"].(map[string]any)["display_id"] != "d1" || content(io[3])["transient"].(map[string]any)["display_id"] != "d1" {
		t.Errorf("display ids: %s / %s", io[2].Content, io[3].Content)
	}
	if content(io[4])["wait"] != true {
		t.Errorf("clear_output = %s", io[4].Content)
	}
}

func TestBadSignatureDroppedAndNeverRun(t *testing.T) {
	h := start(t)
	bad, _ := NewSigner("wrong key", "")
	frames, _ := bad.Encode(nil, newHeader("execute_request", "s"), nil, nil, map[string]any{"code": "print evil"})
	h.shell.SendMulti(zmq4.NewMsgFrom(frames...))
	rep, _ := h.execute("print ok", nil)
	if content(rep)["status"] != "ok" || h.sess.executed.Load() != 1 {
		t.Errorf("executed %d cells, want 1 (the forged one must not run)", h.sess.executed.Load())
	}
}

func TestThousandBadMessagesThenAGoodOne(t *testing.T) {
	h := start(t)
	for i := 0; i < 1000; i++ {
		var frames [][]byte
		switch i % 5 {
		case 0:
			frames = [][]byte{[]byte("garbage")}
		case 1:
			frames = [][]byte{delimiter, []byte("sig"), []byte("{"), []byte("{}"), []byte("{}"), []byte("{}")}
		case 2: // signed, but not JSON
			parts := [][]byte{[]byte("not json"), []byte("{}"), []byte("{}"), []byte("{}")}
			frames = append([][]byte{delimiter, h.signer.Sign(parts)}, parts...)
		case 3: // signed, unknown type
			frames, _ = h.signer.Encode(nil, newHeader("no_such_request", "s"), nil, nil, map[string]any{})
		case 4: // signed execute_request without code
			frames, _ = h.signer.Encode(nil, newHeader("execute_request", "s"), nil, nil, map[string]any{"silent": false})
		}
		if err := h.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	// The same garbage on control and stdin, and requests whose fields have
	// the wrong JSON types.
	for _, sock := range []zmq4.Socket{h.control, h.stdin} {
		for i := 0; i < 50; i++ {
			sock.SendMulti(zmq4.NewMsgFrom([]byte("garbage"), []byte{0xff}))
		}
	}
	// The execute_requests without code are answered with an error reply.
	for i := 0; i < 200; i++ {
		rep := h.recv(h.shell, 5*time.Second)
		if c := content(rep); c["status"] != "error" || !strings.Contains(c["evalue"].(string), "no code") {
			t.Fatalf("reply to a request without code: %v", c)
		}
	}
	for _, bad := range []struct {
		t string
		c any
	}{{"execute_request", map[string]any{"code": 5}}, {"complete_request", map[string]any{"code": "x", "cursor_pos": "x"}},
		{"inspect_request", []int{1}}, {"history_request", map[string]any{"n": "many"}}, {"is_complete_request", "x"}} {
		h.request(h.shell, bad.t, bad.c)
		if c := content(h.recv(h.shell, 5*time.Second)); c["status"] != "error" || c["ename"] != "ProtocolError" {
			t.Errorf("%s with wrongly typed content: %v", bad.t, c)
		}
	}
	rep, io := h.execute("print still alive", nil)
	if content(rep)["status"] != "ok" || !strings.Contains(string(io[2].Content), "still alive") {
		t.Errorf("after garbage: %v %s", content(rep), types(io))
	}
	// The control channel's read loop survived its garbage too.
	h.request(h.control, "kernel_info_request", map[string]any{})
	if r := h.recv(h.control, 5*time.Second); r.Header.MsgType != "kernel_info_reply" {
		t.Errorf("control after garbage: got %s", r.Header.MsgType)
	}
}

func TestInterruptRequestStopsCellAndKernelGoesOn(t *testing.T) {
	h := start(t)
	id := h.request(h.shell, "execute_request", map[string]any{"code": "sleep", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	// Interrupt once the cell has started: execute_input is published
	// after the kernel can interrupt the cell.
	h.iopubUntil(id, "execute_input", 5*time.Second)
	// The heartbeat answers while the cell runs.
	h.hb.Send(zmq4.NewMsgString("ping"))
	if m, err := h.hb.Recv(); err != nil || string(m.Frames[0]) != "ping" {
		t.Fatalf("heartbeat: %v %v", m, err)
	}
	h.request(h.control, "interrupt_request", map[string]any{})
	if r := h.recv(h.control, 2*time.Second); r.Header.MsgType != "interrupt_reply" {
		t.Fatalf("got %s", r.Header.MsgType)
	}
	rep := h.recv(h.shell, 2*time.Second)
	if parentID(rep) != id || content(rep)["ename"] != "interrupted" {
		t.Fatalf("interrupted cell replied %s", rep.Content)
	}
	if rep, _ := h.execute("print next", nil); content(rep)["status"] != "ok" {
		t.Errorf("next cell: %v", content(rep))
	}
}

func TestStopOnErrorAbortsQueuedRequests(t *testing.T) {
	h := start(t)
	h.sess.queuedBeforeFail.Store(2)
	req := func(code string) string {
		return h.request(h.shell, "execute_request", map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	}
	req("slowfail x")
	req("print a")
	req("print b")
	statuses := []string{}
	for i := 0; i < 3; i++ {
		statuses = append(statuses, content(h.recv(h.shell, 2*time.Second))["status"].(string))
	}
	if strings.Join(statuses, ",") != "error,abort,abort" {
		t.Errorf("statuses = %v", statuses)
	}
	if rep, _ := h.execute("print after", nil); content(rep)["status"] != "ok" {
		t.Errorf("a request after the abort window: %v", content(rep))
	}
}

func TestStdinInputRequest(t *testing.T) {
	h := start(t)
	id := h.request(h.shell, "execute_request", map[string]any{"code": "input name? ", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true})
	ir := h.recv(h.stdin, 2*time.Second)
	if ir.Header.MsgType != "input_request" || content(ir)["prompt"] != "name? " || parentID(ir) != id {
		t.Fatalf("input_request = %s %s", ir.Header.MsgType, ir.Content)
	}
	h.request(h.stdin, "input_reply", map[string]any{"value": "Ada"})
	rep := h.recv(h.shell, 2*time.Second)
	io := h.iopubUntilIdle(id, 2*time.Second)
	if content(rep)["status"] != "ok" || !strings.Contains(types(io), "stream") || !strings.Contains(string(io[2].Content), "got Ada") {
		t.Errorf("reply %v, iopub %s", content(rep), types(io))
	}
	if rep, _ := h.execute("input x", nil); content(rep)["ename"] != "StdinNotAllowed" {
		t.Errorf("without allow_stdin: %v", content(rep))
	}
}

func TestHistoryCommsAndCompletion(t *testing.T) {
	h := start(t)
	h.execute("value 1", nil)
	h.execute("value 22", nil)
	h.request(h.shell, "history_request", map[string]any{"output": true, "raw": true, "hist_access_type": "tail", "n": 1})
	hist := content(h.recv(h.shell, time.Second))["history"].([]any)
	if len(hist) != 1 || hist[0].([]any)[2].([]any)[0] != "value 22" || hist[0].([]any)[2].([]any)[1] != "22" {
		t.Errorf("tail = %v", hist)
	}
	h.request(h.shell, "history_request", map[string]any{"output": false, "raw": true, "hist_access_type": "search", "pattern": "value ?", "unique": true})
	if hist := content(h.recv(h.shell, time.Second))["history"].([]any); len(hist) != 1 || hist[0].([]any)[2] != "value 1" {
		t.Errorf("search = %v", hist)
	}
	h.request(h.shell, "comm_info_request", map[string]any{})
	if c := content(h.recv(h.shell, time.Second)); c["status"] != "ok" || len(c["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info = %v", c)
	}
	id := h.request(h.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "nope", "data": map[string]any{}})
	if got := types(h.iopubUntilIdle(id, time.Second)); got != "status(busy) comm_close status(idle) " {
		t.Errorf("comm_open to unknown target: %s", got)
	}
	h.request(h.shell, "is_complete_request", map[string]any{"code": "for {"})
	if c := content(h.recv(h.shell, time.Second)); c["status"] != "incomplete" || c["indent"] != "\t" {
		t.Errorf("is_complete = %v", c)
	}
}

func TestShutdownRepliesThenRunReturns(t *testing.T) {
	h := start(t)
	h.request(h.control, "shutdown_request", map[string]any{"restart": true})
	rep := h.recv(h.control, time.Second)
	if c := content(rep); rep.Header.MsgType != "shutdown_reply" || c["restart"] != true {
		t.Fatalf("reply = %s %v", rep.Header.MsgType, c)
	}
	select {
	case err := <-h.done:
		h.done <- err // for the cleanup
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("kernel still running a second after shutdown")
	}
	if !h.k.Restart() {
		t.Error("restart flag lost")
	}
}

// BenchmarkRoundTrip measures a trivial execute_request from send to idle
// over real ZeroMQ sockets, with a session that does nothing: the
// kernel's own protocol overhead.
func BenchmarkRoundTrip(b *testing.B) {
	h := start(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.execute("noop", nil)
	}
}

func TestControlServesOtherRequestsInOrderAndInterruptStillWorks(t *testing.T) {
	h := start(t)
	req := map[string]any{"code": "sleep", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": false}
	shellID := h.request(h.shell, "execute_request", req)
	h.iopubUntil(shellID, "execute_input", 5*time.Second) // the shell cell is running
	// An execute_request on control waits its turn instead of running
	// beside the shell's cell, and is answered on control.
	controlID := h.request(h.control, "execute_request", map[string]any{"code": "value 7", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": false})
	// The interrupt follows on the same socket, so the kernel has queued
	// the execute_request before it reads the interrupt.
	h.request(h.control, "interrupt_request", map[string]any{})
	if r := h.recv(h.control, 2*time.Second); r.Header.MsgType != "interrupt_reply" {
		t.Fatalf("got %s before interrupt_reply", r.Header.MsgType)
	}
	if r := h.recv(h.shell, 2*time.Second); parentID(r) != shellID || content(r)["ename"] != "interrupted" {
		t.Fatalf("shell cell: %s", r.Content)
	}
	r := h.recv(h.control, 2*time.Second)
	if parentID(r) != controlID || content(r)["status"] != "ok" {
		t.Fatalf("control execute: %s %s", r.Header.MsgType, r.Content)
	}
}

func TestSilentFailureDoesNotAbortQueue(t *testing.T) {
	h := start(t)
	h.sess.queuedBeforeFail.Store(1)
	req := func(code string, silent bool) {
		h.request(h.shell, "execute_request", map[string]any{"code": code, "silent": silent, "store_history": !silent, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	}
	req("slowfail background", true)
	req("print a", false)
	for _, want := range []string{"error", "ok"} {
		if got := content(h.recv(h.shell, 2*time.Second))["status"]; got != want {
			t.Errorf("status %v, want %s", got, want)
		}
	}
}

func TestUserExpressionsAreSilentAndOnlyExpressions(t *testing.T) {
	h := start(t)
	rep, io := h.execute("value 1", map[string]any{"user_expressions": map[string]any{"a": "show", "b": "x := 1"}})
	ue := content(rep)["user_expressions"].(map[string]any)
	a := ue["a"].(map[string]any)
	if a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != "shown" {
		t.Errorf("a = %v", a)
	}
	if b := ue["b"].(map[string]any); b["status"] != "error" || b["ename"] != "SyntaxError" {
		t.Errorf("a statement as user expression: %v", b)
	}
	if got := types(io); strings.Contains(got, "display_data") {
		t.Errorf("a user expression published output: %s", got)
	}
}

func TestGoroutineDisplayAfterCellKeepsItsParent(t *testing.T) {
	h := start(t)
	_, io := h.execute("later", nil)
	id := parentID(io[0])
	close(h.sess.release) // the cell has replied and is idle
	select {
	case m := <-h.iopubMsgs:
		if m.Header.MsgType != "display_data" || parentID(m) != id {
			t.Errorf("late display: %s with parent %q, want display_data of %q", m.Header.MsgType, parentID(m), id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("late display never arrived")
	}
}

func TestShutdownWhileCellRuns(t *testing.T) {
	h := start(t)
	id := h.request(h.shell, "execute_request", map[string]any{"code": "sleep", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	h.iopubUntil(id, "execute_input", 5*time.Second)
	h.request(h.control, "shutdown_request", map[string]any{"restart": false})
	if r := h.recv(h.control, time.Second); r.Header.MsgType != "shutdown_reply" {
		t.Fatalf("got %s", r.Header.MsgType)
	}
	select {
	case err := <-h.done:
		h.done <- err
	case <-time.After(time.Second):
		t.Fatal("kernel still running a second after shutdown with a busy cell")
	}
}

// lockedBuffer is a bytes.Buffer the kernel's goroutines can log into
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The trace (GRADLAB_TRACE) is how a lost request or reply is told apart
// from a client that missed one: each must show in it, with the bytes
// actually written to the peer.
func TestTraceShowsEachRequestReplyAndWrite(t *testing.T) {
	var trace lockedBuffer
	h := startWith(t, func(c *Config) { c.Trace = log.New(&trace, "", 0) })
	id := h.request(h.shell, "execute_request", map[string]any{"code": "1", "silent": false})
	if r := h.recv(h.shell, 5*time.Second); r == nil || parentID(r) != id {
		t.Fatalf("no execute_reply to %s", id)
	}
	h.iopubUntilIdle(id, 5*time.Second)
	got := trace.String()
	for _, want := range []string{
		"shell: accepted a DEALER from ",
		"shell: received execute_request " + id + " from ",
		"shell: sent execute_reply " + id + " to ",
		"shell: wrote ",
		"iopub: sent status " + id,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the trace has no %q:\n%s", want, got)
		}
	}
}

package kernel

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gradlab/gradlab/kernel/kerneltest"
)

// startBinary runs the real gradlab binary as Jupyter does, with a
// connection file, and connects a client to it.
func startBinary(t *testing.T, ci ConnectionInfo) (*client, *exec.Cmd) {
	cmd := launchBinary(t, ci)
	return connectClient(t, ci), cmd
}

// launchBinary starts the real gradlab binary with a connection file; the
// test's cleanup kills it.
func launchBinary(t *testing.T, ci ConnectionInfo) *exec.Cmd {
	bin := kerneltest.Install(t)
	dir := t.TempDir()
	connFile := filepath.Join(dir, "kernel.json")
	b, _ := json.Marshal(ci)
	os.WriteFile(connFile, b, 0o600)
	cmd := exec.Command(bin, "kernel", connFile)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// connectClient connects a new client to a running kernel and waits until
// its IOPub subscription delivers.
func connectClient(t *testing.T, ci ConnectionInfo) *client {
	ctx, cancel := context.WithCancel(context.Background())
	c := dial(t, ctx, ci)
	t.Cleanup(func() {
		cancel()
		c.close()
	})
	c.awaitIOPub()
	return c
}

func (c *client) run(code string) (map[string]any, []*Message) {
	c.t.Helper()
	id := c.request(c.shell, "execute_request", map[string]any{"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": false})
	rep := c.recv(c.shell, 30*time.Second)
	return content(rep), c.iopubUntilIdle(id, 30*time.Second)
}

func streamText(ms []*Message) string {
	var b strings.Builder
	for _, m := range ms {
		if m.Header.MsgType == "stream" {
			b.WriteString(content(m)["text"].(string))
		}
	}
	return b.String()
}

func TestBinaryRunsCellsSurvivesSIGINTAndShutsDown(t *testing.T) {
	c, cmd := startBinary(t, testConnection(t))
	if rep, _ := c.run("x := 21"); rep["status"] != "ok" {
		t.Fatalf("x := 21: %v", rep)
	}
	if _, io := c.run("fmt.Println(x * 2)"); streamText(io) != "42\n" {
		t.Errorf("output %q", streamText(io))
	}
	// Interrupt a busy loop with SIGINT, as Jupyter's interrupt_mode signal does.
	id := c.request(c.shell, "execute_request", map[string]any{"code": "for {\n}", "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": false})
	// SIGINT once the cell has started (execute_input comes after the
	// kernel can interrupt it), and again until the reply comes: a signal
	// that lands before the loop itself runs only ends the wait for it.
	c.iopubUntil(id, "execute_input", 30*time.Second)
	replied := make(chan *Message, 1)
	go func() {
		if msg, err := c.shell.Recv(); err == nil {
			m, _ := c.signer.Decode(msg.Frames)
			replied <- m
		}
	}()
	deadline := time.After(30 * time.Second)
	var reply *Message
	for reply == nil {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case reply = <-replied:
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("no reply to the interrupted cell")
		}
	}
	rep := content(reply)
	c.iopubUntilIdle(id, 5*time.Second)
	if rep["status"] != "error" || rep["ename"] != "interrupted" {
		t.Fatalf("interrupted loop replied %v, want the interrupt error", rep)
	}
	if _, io := c.run("fmt.Println(x)"); streamText(io) != "21\n" {
		t.Errorf("after interrupt x printed %q, want 21", streamText(io))
	}
	c.request(c.control, "shutdown_request", map[string]any{"restart": false})
	if r := c.recv(c.control, 5*time.Second); r.Header.MsgType != "shutdown_reply" {
		t.Fatalf("got %s", r.Header.MsgType)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(time.Second):
		t.Fatal("kernel still running a second after shutdown_reply")
	}
}

func TestBinaryOverIPC(t *testing.T) {
	ci := testConnection(t)
	ci.Transport = "ipc"
	ci.IP = filepath.Join(t.TempDir(), "kernel")
	c, _ := startBinary(t, ci)
	if _, io := c.run(`fmt.Println("over ipc")`); streamText(io) != "over ipc\n" {
		t.Errorf("output %q", streamText(io))
	}
}

func TestBinaryStdinWithoutAllowStdinIsAClearError(t *testing.T) {
	c, _ := startBinary(t, testConnection(t))
	_, io := c.run("var name string\n_, err := fmt.Scanln(&name)\nfmt.Println(err)")
	if out := streamText(io); !strings.Contains(out, "stdin") {
		t.Errorf("reading stdin without allow_stdin printed %q, want an error naming stdin", out)
	}
}

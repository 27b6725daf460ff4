package kernel

// Attacks on the kernel's ports by someone who can reach them but holds no
// key, over raw TCP on loopback against the real binary. After each, a new
// client must still get kernel_info, an execute and a heartbeat answered.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// zmtpGreeting is the 64-byte ZMTP 3.0 greeting of a NULL-security client.
func zmtpGreeting() []byte {
	g := make([]byte, 64)
	g[0], g[9], g[10] = 0xff, 0x7f, 3
	copy(g[12:], "NULL")
	return g
}

// zmtpFrame encodes one ZMTP frame; flags 1 is MORE, 4 is COMMAND.
func zmtpFrame(flags byte, body []byte) []byte {
	if len(body) > 255 {
		return append(binary.BigEndian.AppendUint64([]byte{flags | 2}, uint64(len(body))), body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

// zmtpHandshake is a well-formed greeting and READY command for a peer of
// the given socket type and identity.
func zmtpHandshake(sockType, identity string) []byte {
	body := []byte("\x05READY")
	for _, kv := range [][2]string{{"Socket-Type", sockType}, {"Identity", identity}} {
		body = append(body, byte(len(kv[0])))
		body = append(body, kv[0]...)
		body = binary.BigEndian.AppendUint32(body, uint32(len(kv[1])))
		body = append(body, kv[1]...)
	}
	return append(zmtpGreeting(), zmtpFrame(4, body)...)
}

// channel is one of the kernel's ports and the socket type a client uses on it.
type channel struct {
	name string
	port int
	peer string
}

func channels(ci ConnectionInfo) []channel {
	return []channel{{"shell", ci.ShellPort, "DEALER"}, {"control", ci.ControlPort, "DEALER"},
		{"stdin", ci.StdinPort, "DEALER"}, {"iopub", ci.IOPubPort, "SUB"}, {"heartbeat", ci.HBPort, "REQ"}}
}

// rawDial opens a TCP connection to a kernel port on loopback; every read
// and write on it fails after 20 s.
func rawDial(t *testing.T, port int) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		t.Fatalf("dialing port %d: %v", port, err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// sendAndWait writes b and waits up to d for the kernel to answer or
// close, so the kernel has handled the bytes before the test goes on.
func sendAndWait(t *testing.T, c net.Conn, b []byte, d time.Duration) {
	t.Helper()
	c.Write(b)
	c.SetReadDeadline(time.Now().Add(d))
	io.Copy(io.Discard, c)
}

// stillServes checks that the kernel process is alive and that a client
// connecting now is served: every port finishes a ZMTP greeting within
// 5 s (so a stalled accept loop fails here instead of hanging the test),
// then kernel_info, an execute and a heartbeat are answered.
func stillServes(t *testing.T, ci ConnectionInfo, pid int) {
	t.Helper()
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if f := strings.Fields(string(b)); len(f) > 2 && f[2] == "Z" {
			t.Fatal("the kernel process exited")
		}
	}
	for _, ch := range channels(ci) {
		c := rawDial(t, ch.port)
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(zmtpGreeting())
		var g [64]byte
		if _, err := io.ReadFull(c, g[:]); err != nil {
			t.Fatalf("%s: no ZMTP greeting from the kernel for a new client: %v", ch.name, err)
		}
		c.Close()
	}
	c := connectClient(t, ci) // sends kernel_info_request and waits for its reply and idle
	if rep, io := c.run("fmt.Println(6 * 7)"); rep["status"] != "ok" || streamText(io) != "42\n" {
		t.Fatalf("execute after the attack: reply %v, output %q", rep, streamText(io))
	}
	if err := c.hb.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	echo := make(chan string, 1)
	go func() {
		m, _ := c.hb.Recv()
		echo <- string(m.Bytes())
	}()
	select {
	case s := <-echo:
		if s != "ping" {
			t.Fatalf("heartbeat echoed %q", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no heartbeat echo within 5 s")
	}
}

func TestAttackMalformedReadyProperty(t *testing.T) {
	ci := testConnection(t)
	_, cmd := startBinary(t, ci)
	for _, ch := range channels(ci) {
		// A property name length of 1 with no name after it: zmq4's
		// Property.Write slices past the end.
		sendAndWait(t, rawDial(t, ch.port), append(zmtpGreeting(), "\x04\x08\x05READY\x01a"...), 2*time.Second)
	}
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackHugeFrameLengths(t *testing.T) {
	ci := testConnection(t)
	_, cmd := startBinary(t, ci)
	for _, size := range []uint64{1 << 40, 1 << 50, 1<<63 - 1, 1<<64 - 1} {
		for _, ch := range channels(ci) {
			long := binary.BigEndian.AppendUint64(nil, size)
			// As the READY command, then as a message frame after a good handshake.
			sendAndWait(t, rawDial(t, ch.port), append(append(zmtpGreeting(), 0x06), long...), time.Second)
			sendAndWait(t, rawDial(t, ch.port), append(append(zmtpHandshake(ch.peer, ""), 0x02), long...), time.Second)
		}
	}
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackRandomBytes(t *testing.T) {
	ci := testConnection(t)
	_, cmd := startBinary(t, ci)
	r := rand.New(rand.NewPCG(18, 1))
	chs := channels(ci)
	for i := 0; i < 300; i++ {
		ch := chs[i%len(chs)]
		// Random bytes alone, after a greeting, and after a whole handshake.
		b := [][]byte{nil, zmtpGreeting(), zmtpHandshake(ch.peer, "")}[i/len(chs)%3]
		junk := make([]byte, 1+r.IntN(512))
		for j := range junk {
			junk[j] = byte(r.Uint32())
		}
		c := rawDial(t, ch.port)
		c.Write(append(b, junk...))
		c.Close()
	}
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackIdleConnections(t *testing.T) {
	ci := testConnection(t)
	_, cmd := startBinary(t, ci)
	for _, ch := range channels(ci) {
		for i := 0; i < 3; i++ {
			rawDial(t, ch.port) // says nothing; stays open until the test ends
		}
		rawDial(t, ch.port).Write(zmtpGreeting()[:10]) // half a greeting
		rawDial(t, ch.port).Write(zmtpGreeting())      // a greeting and no READY
	}
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackHeartbeatWithoutDelimiter(t *testing.T) {
	ci := testConnection(t)
	_, cmd := startBinary(t, ci)
	// A DEALER may talk to REP, but a message without the empty delimiter
	// frame fails zmq4's REP Recv, which ended the heartbeat loop.
	sendAndWait(t, rawDial(t, ci.HBPort), append(zmtpHandshake("DEALER", ""), zmtpFrame(0, []byte("x"))...), time.Second)
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackStalledIOPubSubscriber(t *testing.T) {
	ci := testConnection(t)
	c, cmd := startBinary(t, ci)
	// A subscriber to every topic that never reads, with a small receive
	// buffer so that the kernel's sends to it fill up quickly.
	stalled := rawDial(t, ci.IOPubPort)
	stalled.(*net.TCPConn).SetReadBuffer(4096)
	stalled.Write(append(zmtpHandshake("SUB", ""), zmtpFrame(0, []byte{1})...))
	time.Sleep(100 * time.Millisecond) // let the subscription arrive

	// 24 MiB of output: far more than the loopback socket buffers hold.
	const lines, width = 24, 1 << 20
	id := c.request(c.shell, "execute_request", map[string]any{
		"code":   fmt.Sprintf("s := strings.Repeat(\"x\", %d)\nfor i := 0; i < %d; i++ {\n\tfmt.Println(s)\n}", width, lines),
		"silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": false})
	if rep := content(c.recv(c.shell, 60*time.Second)); rep["status"] != "ok" {
		t.Fatalf("execute: %v", rep)
	}
	if got := len(streamText(c.iopubUntilIdle(id, 60*time.Second))); got != lines*(width+1) {
		t.Fatalf("the reading client got %d bytes of output, want %d", got, lines*(width+1))
	}
	stillServes(t, ci, cmd.Process.Pid)
}

func TestAttackIdentityHijack(t *testing.T) {
	ci := testConnection(t)
	victim, cmd := startBinary(t, ci)
	// Connect with the victim's identity on shell, control and stdin, and
	// never read.
	var thieves []net.Conn
	for _, port := range []int{ci.ShellPort, ci.ControlPort, ci.StdinPort} {
		c := rawDial(t, port)
		c.Write(zmtpHandshake("DEALER", victim.id))
		thieves = append(thieves, c)
	}
	time.Sleep(100 * time.Millisecond)

	// Large replies: a 1 MiB cell in the history, then history requests.
	code := "// " + strings.Repeat("x", 1<<20) + "\nfmt.Println(1)"
	if rep, _ := victim.run(code); rep["status"] != "ok" {
		t.Fatalf("execute: %v", rep)
	}
	for i := 0; i < 4; i++ {
		id := victim.request(victim.shell, "history_request",
			map[string]any{"output": false, "raw": true, "hist_access_type": "tail", "n": 10})
		rep := victim.recv(victim.shell, 20*time.Second)
		victim.iopubUntilIdle(id, 20*time.Second)
		if h, _ := content(rep)["history"].([]any); rep.Header.MsgType != "history_reply" || len(h) == 0 {
			t.Fatalf("history request %d: got %s %v", i, rep.Header.MsgType, len(h))
		}
	}
	for i, c := range thieves {
		c.SetReadDeadline(time.Now().Add(time.Second))
		got, err := io.ReadAll(c)
		if len(got) > 64 || bytes.Contains(got, []byte("reply")) {
			t.Errorf("connection %d with the victim's identity received %d bytes (%q...)", i, len(got), got[:min(len(got), 200)])
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("connection %d with the victim's identity is still open", i)
		}
	}
	stillServes(t, ci, cmd.Process.Pid)
}

package zmtpguard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func TestFramerFindsMessageEndsWhereverChunksSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var stream []byte
	var ends []int
	for m := 0; m < 50; m++ {
		frames := 1 + r.IntN(4)
		for f := 0; f < frames; f++ {
			var flags byte
			if f < frames-1 {
				flags = flagMore
			}
			size := []int{0, 1, 255, 256, 3000}[r.IntN(5)]
			stream = appendFrame(stream, flags, bytes.Repeat([]byte{byte(m)}, size))
		}
		ends = append(ends, len(stream))
	}
	for trial := 0; trial < 20; trial++ {
		var f framer
		var got []int
		for off := 0; off < len(stream); {
			n := min(len(stream)-off, 1+r.IntN(600))
			base := off
			if err := f.feed(stream[off:off+n], nil, func(i int) { got = append(got, base+i) }); err != nil {
				t.Fatal(err)
			}
			off += n
		}
		if fmt.Sprint(got) != fmt.Sprint(ends) {
			t.Fatalf("trial %d: message ends %v, want %v", trial, got, ends)
		}
	}
}

func TestParseReadyRejectsBadEncodings(t *testing.T) {
	prop := func(k, v string) string {
		n := len(v)
		return string(rune(len(k))) + k + string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + v
	}
	good := "\x05READY" + prop("Socket-Type", "DEALER") + prop("Identity", "abc")
	if typ, id, err := parseReady([]byte(good)); err != nil || typ != "DEALER" || id != "abc" {
		t.Fatalf("good READY: %q %q %v", typ, id, err)
	}
	if typ, _, err := parseReady([]byte("\x05READY" + prop("socket-type", "SUB"))); err != nil || typ != "SUB" {
		t.Fatalf("property names are case-insensitive: %q %v", typ, err)
	}
	for name, body := range map[string]string{
		"empty":                 "",
		"name longer than body": "\x09READY",
		"not READY":             "\x05HELLO" + prop("Socket-Type", "DEALER"),
		"cut name":              "\x05READY\x01a",
		"zero-length name":      "\x05READY" + prop("", "x"),
		"value past the end":    "\x05READY\x0bSocket-Type\x00\x00\x01\x00DEALER",
		"duplicate":             good + prop("identity", "xyz"),
		"no socket type":        "\x05READY" + prop("Identity", "abc"),
		"identity too long":     "\x05READY" + prop("Socket-Type", "DEALER") + prop("Identity", strings.Repeat("i", 256)),
	} {
		if _, _, err := parseReady([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// guarded starts a zmq4 socket listening on loopback behind the guard and
// returns its address and a function returning what the guard logged.
func guarded(t *testing.T, sock zmq4.Socket, lim Limits) (string, func() string) {
	t.Helper()
	var mu sync.Mutex
	var logged strings.Builder
	logf := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(&logged, format+"\n", args...)
		mu.Unlock()
	}
	if err := Listen(sock, "tcp", "127.0.0.1:0", lim, logf, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sock.Close() })
	return sock.Addr().String(), func() string { mu.Lock(); defer mu.Unlock(); return logged.String() }
}

// handshake dials addr and sends a client's greeting and READY.
func handshake(t *testing.T, addr, sockType, id string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write(append(append([]byte{}, greeting...), ready(sockType, id)...))
	return c
}

// accepted reports whether the socket answered the handshake with its own
// READY (accepted) rather than closing the connection (refused).
func accepted(t *testing.T, c net.Conn) bool {
	t.Helper()
	g := make([]byte, 64)
	if _, err := io.ReadFull(c, g); err != nil {
		t.Fatalf("no greeting: %v", err)
	}
	body, err := readCommand(c)
	if err != nil {
		return false
	}
	if _, _, err := parseReady(body); err != nil {
		t.Fatalf("the socket's READY: %v", err)
	}
	return true
}

func TestRouterTakesOneConnectionPerIdentityAndReleasesIt(t *testing.T) {
	addr, logged := guarded(t, zmq4.NewRouter(context.Background()), Limits{})
	first := handshake(t, addr, "DEALER", "alice")
	if !accepted(t, first) {
		t.Fatal("first connection as alice refused")
	}
	if accepted(t, handshake(t, addr, "DEALER", "alice")) {
		t.Fatal("second connection as alice accepted while the first is open")
	}
	if !strings.Contains(logged(), `identity "alice" is already connected`) {
		t.Errorf("log does not name the refusal:\n%s", logged())
	}
	if !accepted(t, handshake(t, addr, "DEALER", "bob")) {
		t.Fatal("bob refused")
	}
	first.Close()
	// Once alice's first connection is gone, alice may connect again.
	deadline := time.Now().Add(5 * time.Second)
	for !accepted(t, handshake(t, addr, "DEALER", "alice")) {
		if time.Now().After(deadline) {
			t.Fatal("alice's identity was not released after her connection closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestIncompatibleSocketTypeRefused(t *testing.T) {
	addr, logged := guarded(t, zmq4.NewPub(context.Background()), Limits{})
	if accepted(t, handshake(t, addr, "DEALER", "")) {
		t.Fatal("a DEALER was accepted by a PUB")
	}
	if !strings.Contains(logged(), "cannot talk to") {
		t.Errorf("log: %s", logged())
	}
}

func TestOversizedFrameClosesOnlyThatConnection(t *testing.T) {
	router := zmq4.NewRouter(context.Background())
	addr, logged := guarded(t, router, Limits{MaxFrame: 1000})
	bad := handshake(t, addr, "DEALER", "bad")
	accepted(t, bad)
	bad.Write(appendFrame(nil, 0, make([]byte, 1001)))
	if _, err := io.ReadAll(bad); isTimeout(err) {
		t.Fatal("the oversized sender's connection was not closed")
	}
	if !strings.Contains(logged(), "frame of 1001 bytes: at most 1000") {
		t.Errorf("log: %s", logged())
	}

	dealer := zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity("good")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + addr); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("y"), 1000) // exactly at the limit
	if err := dealer.SendMulti(zmq4.NewMsgFrom([]byte{}, big)); err != nil {
		t.Fatal(err)
	}
	m, err := router.Recv()
	if err != nil || len(m.Frames) != 3 || string(m.Frames[0]) != "good" || !bytes.Equal(m.Frames[2], big) {
		t.Fatalf("router got %d frames, %v", len(m.Frames), err)
	}
	if err := router.SendMulti(zmq4.NewMsgFrom([]byte("good"), []byte{}, big)); err != nil {
		t.Fatal(err)
	}
	if m, err := dealer.Recv(); err != nil || len(m.Frames) != 2 || !bytes.Equal(m.Frames[1], big) {
		t.Fatalf("dealer got %d frames, %v", len(m.Frames), err)
	}
}

func TestStalledSubscriberLosesMessagesOthersGetAll(t *testing.T) {
	pub := zmq4.NewPub(context.Background())
	addr, logged := guarded(t, pub, Limits{SendBuffer: 1 << 20})
	stalled := handshake(t, addr, "SUB", "")
	stalled.(*net.TCPConn).SetReadBuffer(4096)
	stalled.Write(appendFrame(nil, 0, []byte{1})) // subscribe to everything, then never read

	for deadline := time.Now().Add(5 * time.Second); len(pub.(zmq4.Topics).Topics()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stalled peer's subscription never arrived")
		}
	}

	sub := zmq4.NewSub(context.Background())
	defer sub.Close()
	if err := sub.Dial("tcp://" + addr); err != nil {
		t.Fatal(err)
	}
	sub.SetOption(zmq4.OptionSubscribe, "")
	const n, size = 2000, 8 << 10 // 16 MiB: far more than the stalled peer's buffers and queue
	ready, got := make(chan bool, 1), make(chan int, 1)
	var received atomic.Int64
	go func() {
		i := 0
		for ; i < n; received.Store(int64(i)) {
			m, err := sub.Recv()
			if err == nil && string(m.Frames[0]) == "probe" {
				select {
				case ready <- true:
				default:
				}
				continue
			}
			if err != nil || len(m.Frames) != 2 || string(m.Frames[0]) != fmt.Sprint(i) {
				break
			}
			i++
		}
		got <- i
	}()
	// Probe until the reading subscriber's subscription has arrived too.
	for deadline := time.Now().Add(5 * time.Second); len(ready) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the reading subscriber's subscription never arrived")
		}
		pub.Send(zmq4.NewMsgString("probe"))
	}
	// Publish in batches of 128 KiB, each once the reader has the one
	// before: the reader keeps up, the stalled peer's queue fills. At most
	// two batches wait for the reader, and the guard may still count one
	// more it has written but not yet subtracted (its writer goroutine
	// not yet scheduled again: with batches of 256 KiB, that made 1 MiB
	// under load and dropped messages to the reader): 512 KiB at most,
	// half the SendBuffer.
	payload := make([]byte, size)
	for i := 0; i < n; i++ {
		if err := pub.SendMulti(zmq4.NewMsgFrom([]byte(fmt.Sprint(i)), payload)); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); i%16 == 15 && received.Load() <= int64(i)-16; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) || len(got) > 0 {
				break
			}
		}
	}
	select {
	case k := <-got:
		if k != n {
			t.Fatalf("the reading subscriber got %d messages in order, want %d", k, n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the reading subscriber did not get every message within 30 s")
	}
	if !strings.Contains(logged(), "SUB at") || !strings.Contains(logged(), "is not reading: dropping messages to it") {
		t.Errorf("log does not report the dropping:\n%s", logged())
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestLogFloodIsHeldBackAndCounted(t *testing.T) {
	var lines []string
	now := time.Unix(0, 0)
	r := &rateLog{logf: func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }, now: func() time.Time { return now }}
	for i := 0; i < 100; i++ {
		r.printf("refused %d", i)
	}
	if len(lines) != logBurst {
		t.Fatalf("%d lines logged in one second, want %d", len(lines), logBurst)
	}
	now = now.Add(time.Second)
	r.printf("refused %d", 100)
	if want := fmt.Sprintf("refused 100 (and %d more lines not logged)", 100-logBurst); lines[len(lines)-1] != want {
		t.Fatalf("next second logged %q, want %q", lines[len(lines)-1], want)
	}
}

package zmtpguard

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// fuzzTargets are guarded ROUTER, PUB and REP sockets shared by every
// fuzz input; a panic in zmq4 on what the guard let through would end the
// fuzzing process.
var fuzzTargets = sync.OnceValue(func() (addrs [3]string) {
	for i, mk := range []func(context.Context, ...zmq4.Option) zmq4.Socket{zmq4.NewRouter, zmq4.NewPub, zmq4.NewRep} {
		s := mk(context.Background())
		if err := Listen(s, "tcp", "127.0.0.1:0", Limits{MaxFrame: 1 << 20, Handshake: time.Second}, nil, nil); err != nil {
			panic(err)
		}
		if s.Type() != zmq4.Pub {
			go func() { // drain, as the kernel does
				for {
					if _, err := s.Recv(); errors.Is(err, context.Canceled) {
						return
					}
				}
			}()
		}
		addrs[i] = s.Addr().String()
	}
	return addrs
})

// FuzzGuardedSockets sends arbitrary bytes to guarded sockets, raw, after
// a greeting, and after a whole handshake.
func FuzzGuardedSockets(f *testing.F) {
	f.Add(byte(0), byte(1), []byte("\x04\x08\x05READY\x01a"))
	f.Add(byte(0), byte(2), []byte("\x02\x00\x00\x01\x00\x00\x00\x00\x00"))
	f.Add(byte(1), byte(2), []byte("\x00\x01\x01"))
	f.Add(byte(2), byte(2), []byte("\x00\x01x"))
	f.Add(byte(0), byte(0), []byte("GET / HTTP/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, target, prefix byte, data []byte) {
		addr := fuzzTargets()[int(target)%3]
		peer := [3]string{"DEALER", "SUB", "REQ"}[int(target)%3]
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		var b []byte
		switch prefix % 3 {
		case 1:
			b = append(b, greeting...)
		case 2:
			b = append(append(b, greeting...), ready(peer, "")...)
		}
		c.Write(append(b, data...))
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		c.Read(make([]byte, 512))
	})
}

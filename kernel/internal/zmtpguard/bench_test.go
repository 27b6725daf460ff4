package zmtpguard

import (
	"bytes"
	"context"
	"testing"

	"github.com/go-zeromq/zmq4"
)

// BenchmarkEcho measures a DEALER's request and a ROUTER's echo of it, a
// Jupyter-sized message of six frames, with the ROUTER listening directly
// (zmq4 alone) and behind the guard; run with -count to interleave them.
func BenchmarkEcho(b *testing.B) {
	for _, guard := range []bool{false, true} {
		name := map[bool]string{false: "direct", true: "guarded"}[guard]
		b.Run(name, func(b *testing.B) {
			router := zmq4.NewRouter(context.Background())
			defer router.Close()
			addr := "127.0.0.1:0"
			if guard {
				if err := Listen(router, "tcp", addr, Limits{}, nil, nil); err != nil {
					b.Fatal(err)
				}
			} else if err := router.Listen("tcp://" + addr); err != nil {
				b.Fatal(err)
			}
			go func() {
				for {
					m, err := router.Recv()
					if err != nil {
						return
					}
					router.SendMulti(m)
				}
			}()
			dealer := zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity("bench")))
			defer dealer.Close()
			if err := dealer.Dial("tcp://" + router.Addr().String()); err != nil {
				b.Fatal(err)
			}
			msg := zmq4.NewMsgFrom([]byte("<IDS|MSG>"), bytes.Repeat([]byte("s"), 64),
				bytes.Repeat([]byte("h"), 200), []byte("{}"), []byte("{}"), bytes.Repeat([]byte("c"), 500))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := dealer.SendMulti(msg); err != nil {
					b.Fatal(err)
				}
				if r, err := dealer.Recv(); err != nil || len(r.Frames) != 6 {
					b.Fatalf("echo: %d frames, %v", len(r.Frames), err)
				}
			}
		})
	}
}

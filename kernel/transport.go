package kernel

import (
	"fmt"
	"net"
	"strconv"

	"github.com/gradlab/gradlab/kernel/internal/zmtpguard"
)

// Limits bound what one peer on the kernel's ports can make it do: the
// largest frame it may send, the bytes queued for it before messages to it
// are dropped, the time it has to finish the ZMTP handshake. The zero
// value takes the defaults (64 MiB, 32 MiB, 10 s); see package zmtpguard
// for why each exists.
type Limits = zmtpguard.Limits

// listen binds s to one of the connection file's ports behind zmtpguard,
// which vets every peer before zmq4 sees its bytes.
func (k *Kernel) listen(s *socket, port int) error {
	ci := k.cfg.Conn
	network, addr := "tcp", ci.IP
	switch {
	case ci.Transport == "ipc":
		network, addr = "unix", fmt.Sprintf("%s-%d", ci.IP, port)
	case addr == "*":
		addr = net.JoinHostPort("0.0.0.0", strconv.Itoa(port))
	default:
		addr = net.JoinHostPort(addr, strconv.Itoa(port))
	}
	logf := func(format string, args ...any) { k.log.Printf(s.name+": "+format, args...) }
	var tracef func(string, ...any)
	if k.cfg.Trace != nil {
		tracef = func(format string, args ...any) { k.cfg.Trace.Printf(s.name+": "+format, args...) }
	}
	return zmtpguard.Listen(s.Socket, network, addr, k.cfg.Limits, logf, tracef)
}

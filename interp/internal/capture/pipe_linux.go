package capture

import (
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// pipeBuffered returns how many bytes wait in the pipe behind r (FIONREAD).
func pipeBuffered(r *os.File) (int, bool) {
	rc, err := r.SyscallConn()
	if err != nil {
		return 0, false
	}
	var n int32
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n)))
	}); err != nil || errno != 0 {
		return 0, false
	}
	return int(n), true
}

// readPipe reads from the pipe r into buf, setting inflight just before
// the bytes leave the pipe (the caller clears it once it handled them).
func readPipe(r *os.File, buf []byte, inflight *atomic.Bool) (int, error) {
	rc, err := r.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		inflight.Store(true)
		n, rerr = syscall.Read(int(fd), buf)
		if rerr == syscall.EAGAIN {
			inflight.Store(false)
			return false // wait until readable
		}
		return true
	})
	if err != nil {
		return n, err
	}
	if rerr != nil {
		return 0, rerr
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

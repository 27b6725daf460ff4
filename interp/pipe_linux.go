package interp

import (
	"os"
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

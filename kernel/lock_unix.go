//go:build unix

package kernel

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f, waiting for other
// kernels that hold it; unlock releases it.
func lockFile(f *os.File) (unlock func(), err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
}

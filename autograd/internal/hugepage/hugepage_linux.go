// Package hugepage asks the kernel to back large fresh buffers with
// transparent huge pages. Where THP is in "madvise" mode (Debian's
// default) the Go heap gets 4 KB pages, and the first touch of a fresh
// 188 MB tensor (Fashion-MNIST's images as float32) faults 46,000 times:
// on this project's VMs that cost more than filling the tensor. With 2 MB
// pages it faults a hundred times.
package hugepage

import (
	"syscall"
	"unsafe"
)

// Min is the size from which Advise is worth a system call.
const Min = 8 << 20

const huge = 2 << 20

// Advise advises MADV_HUGEPAGE for the whole 2 MB pages inside the n
// bytes at p, when n is at least Min. Call it on a fresh allocation
// before writing to it. It is advice: errors (an old kernel, THP off)
// are ignored.
func Advise(p unsafe.Pointer, n int) {
	if n < Min {
		return
	}
	lo := (uintptr(p) + huge - 1) &^ (huge - 1)
	hi := (uintptr(p) + uintptr(n)) &^ (huge - 1)
	if hi <= lo {
		return
	}
	syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, syscall.MADV_HUGEPAGE)
}

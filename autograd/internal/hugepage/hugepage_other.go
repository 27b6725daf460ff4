//go:build !linux

package hugepage

import "unsafe"

// Min is the size from which Advise is worth a system call.
const Min = 8 << 20

// Advise does nothing outside Linux.
func Advise(p unsafe.Pointer, n int) {}

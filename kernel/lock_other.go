//go:build !unix

package kernel

import "os"

// lockFile does nothing where flock is missing: appends stay single
// writes, but concurrent kernels may share a session number.
func lockFile(f *os.File) (unlock func(), err error) { return func() {}, nil }

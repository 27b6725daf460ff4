//go:build !linux

package parallel

// cpuTimes is not read outside Linux: AdaptProcs does nothing there.
func cpuTimes() (cpuSample, bool) { return cpuSample{}, false }

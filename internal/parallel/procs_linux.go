package parallel

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// clockTick is /proc/stat's unit, USER_HZ: 100 on every Linux port Go
// supports.
const clockTick = 10 * time.Millisecond

// cpuTimes reads the machine's busy CPU time (/proc/stat's first line:
// user, nice, system, irq and softirq; not idle, iowait or the time the
// hypervisor gave other machines) and this process's (getrusage).
func cpuTimes() (cpuSample, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuSample{}, false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 8 || string(f[0]) != "cpu" {
		return cpuSample{}, false
	}
	var busy time.Duration
	for _, i := range []int{1, 2, 3, 6, 7} { // user nice system irq softirq
		n, err := strconv.ParseInt(string(f[i]), 10, 64)
		if err != nil {
			return cpuSample{}, false
		}
		busy += time.Duration(n) * clockTick
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return cpuSample{}, false
	}
	own := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpuSample{busy: busy, own: own, at: time.Now()}, true
}

package parallel

import (
	"bytes"
	"os"
	"strconv"
)

// loadAverage returns the one-minute load average (/proc/loadavg).
func loadAverage() (float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	f, _, _ := bytes.Cut(b, []byte(" "))
	l, err := strconv.ParseFloat(string(f), 64)
	return l, err == nil
}

package hugepage

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// vmFlags returns the VmFlags of the mapping of /proc/self/smaps that
// holds address a.
func vmFlags(t *testing.T, a uintptr) []string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= a && a < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Fields(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	t.Fatalf("address %#x is in no mapping of /proc/self/smaps", a)
	return nil
}

func TestAdviseMarksTheBuffer(t *testing.T) {
	b := make([]byte, 3*Min)
	p := unsafe.Pointer(&b[0])
	Advise(p, len(b))
	mid := (uintptr(p) + uintptr(len(b))/2) &^ (huge - 1)
	flags := vmFlags(t, mid)
	found := false
	for _, f := range flags {
		found = found || f == "hg"
	}
	if !found {
		t.Fatalf("VmFlags of the advised buffer %v: want hg (MADV_HUGEPAGE)", flags)
	}
	Advise(p, Min-1) // small buffers and empty ranges are left alone
	Advise(unsafe.Pointer(uintptr(p)+1), huge)
}

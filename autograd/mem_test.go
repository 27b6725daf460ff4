//go:build linux

package autograd

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestTooLargeTensorIsAnError(t *testing.T) {
	// a typo for Zeros(1000, 1000): 4 TB, more than any machine here
	mustPanic(t, "Zeros: a float32 tensor of shape [1000000 1000000] needs 3.64 TiB (4000000000000 bytes), more than this process can get", func() { Zeros(1000000, 1000000) })
	mustPanic(t, "Randn64: a float64 tensor of shape [1000000 1000000] needs 7.28 TiB", func() { Randn64(1000000, 1000000) })
	mustPanic(t, "ZerosOf: a int64 tensor of shape [1000000 1000000] needs", func() { ZerosOf(Int64, 1000000, 1000000) })
	// an op's output: a broadcast outer sum of two long vectors
	mustPanic(t, "Add: a float32 tensor of shape [1000000 1000000] needs", func() { Zeros(1000000, 1).Add(Zeros(1000000)) })
	// sizes whose product overflows
	mustPanic(t, "Zeros: a float32 tensor of shape [4294967296 4294967296] has more elements than memory can address", func() { Zeros(1<<32, 1<<32) })
	// a modest tensor is still allocated
	if n := Zeros(1000, 1000).Numel(); n != 1000000 {
		t.Fatalf("Zeros(1000, 1000) has %d elements", n)
	}
}

// TestAllocationUnderRlimit runs a child process whose address space is
// limited (RLIMIT_AS, as ulimit -v sets it) to what it uses plus 512 MiB:
// a 1.2 GB tensor, which the machine could hold, must fail with an error
// naming the limit, and the process must go on. (The limit is counted
// from VmSize: counted from the Go runtime's mapped memory, it left the
// child no room to grow, and under load it died of "cannot allocate
// memory" after the test had passed.)
func TestAllocationUnderRlimit(t *testing.T) {
	if os.Getenv("AG_RLIMIT_CHILD") == "1" {
		lim := addressSpaceInUse() + 512<<20
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
			t.Skip("setrlimit:", err)
		}
		defer func() {
			r := recover()
			os.Stdout.WriteString("recovered: " + errString(r) + "\n")
			Zeros(10, 10).Sum() // still alive and allocating
			os.Stdout.WriteString("alive\n")
		}()
		Zeros(1000, 1000, 300)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAllocationUnderRlimit$", "-test.v")
	cmd.Env = append(os.Environ(), "AG_RLIMIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	s := string(out)
	if err != nil || !strings.Contains(s, "recovered: Zeros: a float32 tensor of shape [1000 1000 300] needs 1.12 GiB (1200000000 bytes)") ||
		!strings.Contains(s, "RLIMIT_AS") || !strings.Contains(s, "alive") {
		t.Fatalf("child: %v\n%s", err, s)
	}
}

func errString(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return "no error"
}

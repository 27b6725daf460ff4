package parallel

import (
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// A core is the other programs' from takenAt of it; at least one stays.
func TestProcsFor(t *testing.T) {
	for _, c := range []struct {
		ceiling, cpus int
		others        float64
		want          int
	}{
		{2, 2, 0, 2},
		{2, 2, 0.5, 2},
		{2, 2, 0.7, 1},
		{2, 2, 1.0, 1},
		{2, 2, 1.9, 1},
		{2, 2, 5, 1},
		{8, 8, 2.8, 5},
		{4, 8, 2.8, 4}, // a ceiling below the free cores
		{1, 2, 0, 1},
	} {
		if got := procsFor(c.ceiling, c.cpus, c.others); got != c.want {
			t.Errorf("procsFor(%d, %d cpus, others %.1f) = %d, want %d", c.ceiling, c.cpus, c.others, got, c.want)
		}
	}
}

// With another program taking a core, AdaptProcs gives the runtime one
// fewer; stop gives it back.
func TestAdaptProcsLeavesABusyCore(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs two cores: one for the other program")
	}
	if _, ok := cpuTimes(); !ok {
		t.Skip("the machine's CPU time cannot be read here (not Linux)")
	}
	t.Setenv("GOMAXPROCS", "")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))
	hog := exec.Command("sh", "-c", "while :; do :; done")
	if err := hog.Start(); err != nil {
		t.Fatal(err)
	}
	defer hog.Wait()
	defer hog.Process.Kill()
	stop := AdaptProcs()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.GOMAXPROCS(0) == runtime.NumCPU() && time.Now().Before(deadline) {
		time.Sleep(adaptEvery / 5)
	}
	if got := runtime.GOMAXPROCS(0); got >= runtime.NumCPU() {
		t.Errorf("with a program spinning on a core, GOMAXPROCS stayed %d", got)
	}
	stop()
	if got := runtime.GOMAXPROCS(0); got != runtime.NumCPU() {
		t.Errorf("after stop GOMAXPROCS is %d, want %d back", got, runtime.NumCPU())
	}
}

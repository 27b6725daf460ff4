package interp

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// The scaled target waits for GCPercent% of the scannable heap and roots,
// or for minGCWait, within [minGCPercent, GCPercent].
func TestScaledGCPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		name             string
		live, scan, root uint64
		want             int
	}{
		{"a session: all pointers", 4 * mb, 4 * mb, 0, GCPercent},
		{"Fashion-MNIST loaded: 47 MB of pixels", 57 * mb, 6 * mb, 0, 50},      // waits 32 MB (minGCWait) of 57
		{"a dataset of pointers stays at GCPercent", 57 * mb, 50 * mb, 0, 350}, // 400 x 50/57
		{"a heap of 2 GB of tensors", 2048 * mb, 4 * mb, 0, minGCPercent},
		{"roots count as scannable: half of what the runtime counts", 40 * mb, 0, 40 * mb, 200},
		{"an empty heap", 0, 0, 0, GCPercent},
	} {
		if got := scaledGCPercent(c.live, c.scan, c.root); got != c.want {
			t.Errorf("%s: scaledGCPercent(%d MB live, %d MB scannable, %d MB roots) = %d, want %d",
				c.name, c.live/mb, c.scan/mb, c.root/mb, got, c.want)
		}
	}
}

// TuneGC sets the runtime's target and retunes it from the heap; restore
// puts the old one back.
func TestTuneGCSetsTheTarget(t *testing.T) {
	stopTuning(t)
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(123))
	before := gogc()
	pixels := make([]byte, 256<<20) // pointer-free data: the scaled target goes down
	restore := TuneGC()
	deadline := time.Now().Add(10 * time.Second)
	for gogc() >= GCPercent && time.Now().Before(deadline) {
		time.Sleep(gcRetune)
		debug.FreeOSMemory() // a collection: the runtime's live heap counts the pixels
	}
	if got := gogc(); got >= GCPercent || got < minGCPercent {
		t.Errorf("with 256 MB of bytes live, the target is %d, want it scaled below %d", got, GCPercent)
	}
	pixels[0] = 1 // live until here
	restore()
	if got := gogc(); got != before {
		t.Errorf("after restore the target is %d, want %d as before", got, before)
	}
}

// A user's GOGC stands: TuneGC changes nothing.
func TestTuneGCLeavesGOGC(t *testing.T) {
	stopTuning(t)
	t.Setenv("GOGC", "150")
	before := gogc()
	defer TuneGC()()
	time.Sleep(2 * gcRetune)
	if got := gogc(); got != before {
		t.Errorf("with GOGC set the target changed from %d to %d", before, got)
	}
}

func gogc() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// stopTuning stops the tuning TestMain started, so that nothing else sets
// the target during the test, and starts it again after the test (and
// after its t.Setenv is undone).
func stopTuning(t *testing.T) {
	TuneGC()()
	t.Cleanup(func() { TuneGC() })
}

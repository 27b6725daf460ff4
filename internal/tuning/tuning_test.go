package tuning

import (
	"sync/atomic"
	"testing"
	"time"
)

// A loop's changes apply until it stops, which restores; a second Start
// replaces the first, whose stop then changes nothing.
func TestLoopReplacesAndRestores(t *testing.T) {
	var l Loop
	var setting atomic.Int64
	start := func(v int64) func() {
		return l.Start(time.Millisecond, func() { setting.Store(-v) },
			func() func() { return func() { setting.Store(v) } },
			func() { setting.Store(0) })
	}
	waitFor := func(want int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for setting.Load() != want && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if got := setting.Load(); got != want {
			t.Fatalf("the setting is %d, want %d", got, want)
		}
	}
	stop1 := start(1)
	waitFor(1)
	stop2 := start(2)
	waitFor(2)
	stop1() // replaced: nothing to restore
	time.Sleep(10 * time.Millisecond)
	if got := setting.Load(); got != 2 {
		t.Fatalf("the replaced loop's stop changed the setting to %d", got)
	}
	stop2()
	if got := setting.Load(); got != 0 {
		t.Fatalf("after stop the setting is %d, want 0 (restored)", got)
	}
	time.Sleep(10 * time.Millisecond)
	if got := setting.Load(); got != 0 {
		t.Fatalf("a stopped loop changed the setting to %d", got)
	}
}

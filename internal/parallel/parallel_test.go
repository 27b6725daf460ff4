package parallel

import (
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// The tests run as on a quiet machine, whatever the machine's load
// average: TestBusyFromLoadAverage checks that part.
func TestMain(m *testing.M) {
	readLoad = func() (float64, bool) { return 0, true }
	os.Exit(m.Run())
}

// A load average above loadBusy per core turns spinning off; below, it
// stays on.
func TestBusyFromLoadAverage(t *testing.T) {
	defer func(f func() (float64, bool)) { readLoad = f; busyUntil.Store(0); loadChecked.Store(0) }(readLoad)
	cores := float64(runtime.NumCPU())
	for _, c := range []struct {
		load float64
		busy bool
	}{{0.5 * cores, false}, {(loadBusy + 1) * cores, true}} {
		readLoad = func() (float64, bool) { return c.load, true }
		busyUntil.Store(0)
		loadChecked.Store(0)
		if got := busy(time.Now()); got != c.busy {
			t.Errorf("load average %v on %v cores: busy %v, want %v", c.load, cores, got, c.busy)
		}
	}
	// Unreadable: not busy.
	readLoad = func() (float64, bool) { return 0, false }
	busyUntil.Store(0)
	loadChecked.Store(0)
	if busy(time.Now()) {
		t.Error("busy without a load average")
	}
}

func TestForRunsEachItemOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		for _, n := range []int{0, 1, 2, 7, 100} {
			counts := make([]atomic.Int32, n)
			var badWorker atomic.Bool
			For(n, workers, func(i, wk int) {
				if wk < 0 || wk >= max(1, min(workers, n)) {
					badWorker.Store(true)
				}
				counts[i].Add(1)
			})
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("workers %d, n %d: item %d ran %d times", workers, n, i, c)
				}
			}
			if badWorker.Load() {
				t.Fatalf("workers %d, n %d: a worker index out of [0, workers)", workers, n)
			}
		}
	}
}

// Item 0 runs on the caller, even with helpers spinning for work.
func TestForGivesItemZeroToTheCaller(t *testing.T) {
	for run := 0; run < 100; run++ {
		var worker0 atomic.Int32
		worker0.Store(-1)
		For(4, 4, func(i, wk int) {
			if i == 0 {
				worker0.Store(int32(wk))
			}
		})
		if w := worker0.Load(); w != 0 {
			t.Fatalf("run %d: item 0 ran on worker %d", run, w)
		}
	}
}

func TestForRaisesPanicOnCaller(t *testing.T) {
	var ran atomic.Int32
	defer func() {
		if r := recover(); r != "item 3" {
			t.Fatalf("recovered %v, want the item's panic", r)
		}
		if ran.Load() >= 1000 {
			t.Fatal("the items after the panic were not stopped")
		}
	}()
	For(1000, 4, func(i, _ int) {
		if i == 3 {
			panic("item 3")
		}
		time.Sleep(10 * time.Microsecond)
		ran.Add(1)
	})
	t.Fatal("For returned after a panicking item")
}

// Items panicking with values of different types (an interrupt's error,
// a runtime error) raise one of them, not a panic of For's own.
func TestForPanicsOfDifferentTypes(t *testing.T) {
	defer func() {
		switch r := recover().(type) {
		case string, error:
		default:
			t.Fatalf("recovered %T %v, want an item's panic", r, r)
		}
	}()
	For(64, 4, func(i, _ int) {
		if i%2 == 0 {
			panic("even")
		}
		var s []int
		_ = s[i] // a runtime error
	})
}

func TestForUsesHelpers(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	// Items that block until another worker has run one: only finishes
	// if a helper takes part.
	var onHelper atomic.Bool
	For(2, 2, func(i, wk int) {
		if wk != 0 {
			onHelper.Store(true)
			return
		}
		deadline := time.Now().Add(10 * time.Second)
		for !onHelper.Load() && time.Now().Before(deadline) {
			runtime.Gosched()
		}
	})
	if !onHelper.Load() {
		t.Fatal("no item ran on a helper")
	}
}

func TestGoRunsTasksAndHelpersLeave(t *testing.T) {
	const tasks = 50
	done := make(chan int, tasks)
	for i := 0; i < tasks; i++ {
		Go(func() { done <- i })
	}
	seen := make(map[int]bool)
	for i := 0; i < tasks; i++ {
		select {
		case v := <-done:
			seen[v] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d tasks ran", len(seen), tasks)
		}
	}
	if len(seen) != tasks {
		t.Fatalf("%d distinct tasks ran, want %d", len(seen), tasks)
	}
	// With nothing queued, the helpers stop spinning and leave.
	deadline := time.Now().Add(10 * time.Second)
	for {
		pool.mu.Lock()
		h, q := pool.helpers, len(pool.queue)
		pool.mu.Unlock()
		if h == 0 && q == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d helpers still running, %d tasks queued, long after the last task", h, q)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestGoWithOneProc(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	done := make(chan struct{})
	Go(func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the task did not run with GOMAXPROCS 1")
	}
}

func TestSpin(t *testing.T) {
	busyUntil.Store(0)
	if !Spin(func() bool { return true }) {
		t.Fatal("Spin: false for a condition already true")
	}
	if Spin(func() bool { return false }) {
		t.Fatal("Spin: true for a condition never true")
	}
	var n atomic.Int32
	// (A helper of another test, descheduled on a busy machine, may turn
	// spinning off meanwhile: Spin then rightly gives up at once.)
	if !Spin(func() bool { return n.Add(1) > 10 }) && !busy(time.Now()) {
		t.Fatal("Spin: false for a condition true after 10 checks")
	}
}

func TestUrgentTasksGoFirst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // one helper
	release := make(chan struct{})
	started := make(chan struct{})
	Go(func() { close(started); <-release }) // keeps the helper busy
	<-started
	order := make(chan string, 2)
	Go(func() { order <- "background" })
	if Urgent() {
		t.Fatal("Urgent with only Go's tasks queued")
	}
	submit(task{f: func() { order <- "urgent" }, urgent: true})
	if !Urgent() {
		t.Fatal("not Urgent with a For task queued")
	}
	close(release)
	if first := <-order; first != "urgent" {
		t.Fatalf("%s task ran first, want the urgent one", first)
	}
	<-order
	if Urgent() {
		t.Fatal("still Urgent after the task was taken")
	}
}

// A spinning loop that finds it was descheduled turns spinning off for a
// while: Spin then returns at once, and a helper leaves after its task.
func TestDescheduledSpinTurnsSpinningOff(t *testing.T) {
	defer busyUntil.Store(0)
	busyUntil.Store(0)
	sp, spin := startSpin(time.Second)
	if !spin {
		t.Fatal("spinning off before anything was descheduled")
	}
	sp.n = checkEvery - 1                  // the next call reads the clock
	sp.last = sp.last.Add(-2 * preemptGap) // as if descheduled since the last read
	if sp.goOn() {
		t.Fatal("goOn after a gap of twice preemptGap")
	}
	if _, spin := startSpin(time.Second); spin {
		t.Fatal("a new spin starts while the machine counts as busy")
	}
	if Spin(func() bool { return false }) {
		t.Fatal("Spin: true for a condition never true")
	}
	// A helper takes its task and leaves at once.
	done := make(chan struct{})
	Go(func() { close(done) })
	<-done
	deadline := time.Now().Add(10 * time.Second)
	for {
		pool.mu.Lock()
		h := pool.helpers
		pool.mu.Unlock()
		if h == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a helper still running on a busy machine")
		}
		time.Sleep(time.Millisecond)
	}
}

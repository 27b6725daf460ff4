// Package parallel runs the pieces of a training step that are split over
// the cores (matrix-product chunks, images of a convolution, the batch
// gather, optimiser updates) on helper goroutines that stay hot between
// pieces.
//
// A goroutine started with the go statement onto an idle core waits for
// that core to wake: on the project's VMs (no cpuidle polling, an idle
// vCPU halts) that took 60-110 us (median 70), as long as a whole chunk
// of the MLP's products. A step splits work several times, with gaps of
// tens of microseconds between, so each split paid the wake-up again,
// and so did the caller when it blocked waiting for a helper. Here a
// helper that finishes a task keeps spinning for spinFor, taking the next
// task in well under a microsecond, and a caller waiting for a helper's
// last piece spins for up to waitSpin before it blocks. Spinning yields
// to the scheduler (runtime.Gosched) all along, so other goroutines on the
// helper's core still run; and it stops for a while when a spinning loop
// finds it was descheduled (a busy machine, where spinning would only take
// CPU from the other programs and from the caller).
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// spinFor is how long a helper waits for a next task before it
	// exits: longer than the gaps between the split parts of a training
	// step, including a notebook cell's interpreted calls between them.
	spinFor = 200 * time.Microsecond
	// waitSpin is how long For's caller spins for the helpers' last
	// items before blocking: about one item of the products it splits;
	// a helper that takes longer was descheduled (a busy machine), and
	// blocking then costs less than spinning.
	waitSpin = 100 * time.Microsecond
	// maxHelpers bounds the helper goroutines, whatever GOMAXPROCS.
	maxHelpers = 64
	// preemptGap: a spinning loop that finds this much time passed
	// between two of its clock reads (normally about two microseconds)
	// was descheduled: other programs want the cores. On a busy machine
	// the gaps were 1-3 ms; with the machine's other programs held off
	// (chrt), gaps of 60-90 us (interrupts, the collector) still came
	// every 100 ms or so, which must not count.
	preemptGap = 250 * time.Microsecond
	// busyFor is how long nothing spins after that: on a busy machine a
	// spinning goroutine takes a core from the others and from this
	// program's own threads, and the split parts run late anyway; tasks
	// then start and end as plain goroutines do.
	busyFor = 200 * time.Millisecond
)

// busyUntil is the time (UnixNano) before which nothing spins.
var busyUntil atomic.Int64

// busy reports whether spinning is off at now: after a descheduled spin,
// or while the system's load average says other programs want the cores
// (read every loadEvery).
func busy(now time.Time) bool {
	t := now.UnixNano()
	if t < busyUntil.Load() {
		return true
	}
	if last := loadChecked.Load(); t-last > int64(loadEvery) && loadChecked.CompareAndSwap(last, t) {
		if l, ok := readLoad(); ok && l > loadBusy*float64(runtime.NumCPU()) {
			busyUntil.Store(now.Add(loadEvery).UnixNano())
			return true
		}
	}
	return false
}

const (
	// loadEvery is how often busy reads the load average.
	loadEvery = 100 * time.Millisecond
	// loadBusy: a one-minute load average above this many runnable
	// threads per core counts as a busy machine. Training alone keeps
	// about one per core (the caller and a spinning helper); the
	// project's quiet runs had 1.4-2.0 on 2 cores, its busy ones 4-25.
	loadBusy = 2.0
)

// loadChecked is when busy last read the load average (UnixNano).
var loadChecked atomic.Int64

// readLoad reads the load average (tests replace it).
var readLoad = loadAverage

// spinning paces a spin loop: it reads the clock every checkEvery
// iterations (on this VM's kvm-clock a read costs more than a hundred
// iterations) and yields to the scheduler every yieldEvery (a spin is
// short anyway: other goroutines on its core wait at most spinFor).
type spinning struct {
	last, deadline time.Time
	n              int
}

const (
	checkEvery = 1024  // about two microseconds of iterations
	yieldEvery = 16384 // about thirty microseconds: runtime.Gosched may wake another thread (futex)
)

func startSpin(d time.Duration) (spinning, bool) {
	now := time.Now()
	return spinning{last: now, deadline: now.Add(d)}, !busy(now)
}

// goOn is called at each iteration; false when the loop should stop: its
// time is up, or it was descheduled between two clock reads (spinning is
// then off for busyFor). The time the scheduler gives other goroutines
// when the loop yields is not counted: a collection's worker may run for
// a millisecond without the machine being busy.
func (s *spinning) goOn() bool {
	if s.n++; s.n%checkEvery != 0 {
		return true
	}
	now := time.Now()
	if now.Sub(s.last) > preemptGap {
		busyUntil.Store(now.Add(busyFor).UnixNano())
		return false
	}
	if !now.Before(s.deadline) {
		return false
	}
	if s.n%yieldEvery == 0 {
		runtime.Gosched()
		now = time.Now()
	}
	s.last = now
	return true
}

var pool struct {
	mu      sync.Mutex
	queue   []task
	helpers int          // helper goroutines running (busy or spinning)
	idle    int          // of which spinning, waiting for a task
	queued  atomic.Int32 // len(queue), read by spinning helpers without mu
	urgent  atomic.Int32 // For's tasks in the queue
}

type task struct {
	f      func()
	urgent bool // For's part of a split: the caller is waiting for it
}

// Go runs f on a helper goroutine: a spinning one if there is one, else
// a new one while there are fewer than GOMAXPROCS-1 helpers, else the
// first helper to come free. Tasks queued by For go first: work that
// is done ahead of time (the next batch's gather) should run in pieces
// and give way when Urgent says so. f must not panic (recover inside it).
func Go(f func()) { submit(task{f: f}) }

// Urgent reports whether a split's caller waits for a helper: a task
// started with Go that can be cut into pieces should queue the rest
// (Go) and return.
func Urgent() bool { return pool.urgent.Load() > 0 }

func submit(t task) {
	limit := min(runtime.GOMAXPROCS(0)-1, maxHelpers)
	if limit < 1 {
		go t.f()
		return
	}
	pool.mu.Lock()
	if t.urgent {
		pool.queue = append(pool.queue, task{})
		copy(pool.queue[1:], pool.queue)
		pool.queue[0] = t
		pool.urgent.Add(1)
	} else {
		pool.queue = append(pool.queue, t)
	}
	pool.queued.Add(1)
	start := pool.idle == 0 && pool.helpers < limit
	if start {
		pool.helpers++
	}
	pool.mu.Unlock()
	if start {
		go helper()
	}
}

func helper() {
	for {
		f := take()
		if f == nil {
			return
		}
		f()
	}
}

// take returns the next queued task, spinning for up to spinFor for one;
// nil when none came (the helper has then left the pool).
func take() func() {
	pool.mu.Lock()
	pool.idle++
	pool.mu.Unlock()
	sp, spin := startSpin(spinFor)
	for {
		if pool.queued.Load() > 0 {
			pool.mu.Lock()
			if f := pop(); f != nil {
				pool.idle--
				pool.mu.Unlock()
				return f
			}
			pool.mu.Unlock()
		}
		if !spin || !sp.goOn() {
			pool.mu.Lock()
			defer pool.mu.Unlock()
			pool.idle--
			if f := pop(); f != nil {
				return f
			}
			pool.helpers--
			return nil
		}
	}
}

// pop removes the first queued task; mu is held.
func pop() func() {
	if len(pool.queue) == 0 {
		return nil
	}
	t := pool.queue[0]
	pool.queue[0] = task{}
	pool.queue = pool.queue[1:]
	if len(pool.queue) == 0 {
		pool.queue = pool.queue[:0:0]
	}
	pool.queued.Add(-1)
	if t.urgent {
		pool.urgent.Add(-1)
	}
	return t.f
}

// For runs work(i, worker) for every i in [0, n), handing the items to up
// to workers goroutines (the caller, worker 0, and hot helpers) as they
// come free, and returns when all are done. Item 0 is always the
// caller's, so that work split the same way step after step (a weight's
// rows) keeps part of its data in the caller's cache. It waits for items, not for
// helpers: a helper that starts late finds every item taken and leaves
// without being waited for. A panic in an item (an interrupt) stops the
// items not yet started and is raised again on the caller's goroutine.
func For(n, workers int, work func(i, worker int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			work(i, 0)
		}
		return
	}
	st := &forState{n: n, work: work} // one allocation for the state the helpers share
	st.left.Store(int64(n))
	st.wg.Add(n)
	st.next.Store(1) // item 0 is the caller's
	for wk := 1; wk < workers; wk++ {
		submit(task{f: func() { st.run(wk) }, urgent: true})
	}
	st.item(0, 0)
	st.run(0)
	if !Spin(st.finished) {
		st.wg.Wait()
	}
	if r := st.perr.Load(); r != nil {
		panic(*r)
	}
}

// forState is one For call's items.
type forState struct {
	n      int
	work   func(i, worker int)
	next   atomic.Int64
	left   atomic.Int64 // items not finished
	failed atomic.Bool
	perr   atomic.Pointer[any] // the first panic
	wg     sync.WaitGroup      // the items, for a caller that stops spinning
}

// run does items as worker wk until none is left.
func (st *forState) run(wk int) {
	for i := int(st.next.Add(1) - 1); i < st.n; i = int(st.next.Add(1) - 1) {
		st.item(i, wk)
	}
}

func (st *forState) item(i, wk int) {
	defer func() {
		if r := recover(); r != nil {
			st.perr.CompareAndSwap(nil, boxed(r))
			st.failed.Store(true)
		}
		st.left.Add(-1)
		st.wg.Done()
	}()
	if !st.failed.Load() {
		st.work(i, wk)
	}
}

// boxed returns a pointer to a copy of r (taking &r of a recover's result
// would allocate on every call, panic or not).
func boxed(r any) *any { return &r }

func (st *forState) finished() bool { return st.left.Load() == 0 }

// Spin waits until done reports true, spinning for up to waitSpin (and
// yielding to the scheduler) before it gives up and returns false: the
// caller should then block on its own signal.
func Spin(done func() bool) bool {
	sp, spin := startSpin(waitSpin)
	for !done() {
		if !spin || !sp.goOn() {
			return done()
		}
	}
	return true
}

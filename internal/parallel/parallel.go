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
// helper's core still run.
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
)

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
	deadline := time.Now().Add(spinFor)
	for i := 1; ; i++ {
		if pool.queued.Load() > 0 {
			pool.mu.Lock()
			if f := pop(); f != nil {
				pool.idle--
				pool.mu.Unlock()
				return f
			}
			pool.mu.Unlock()
		}
		if i%64 == 0 {
			if time.Now().After(deadline) {
				pool.mu.Lock()
				if f := pop(); f != nil {
					pool.idle--
					pool.mu.Unlock()
					return f
				}
				pool.idle--
				pool.helpers--
				pool.mu.Unlock()
				return nil
			}
			runtime.Gosched()
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
// come free, and returns when all are done. It waits for items, not for
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
	var (
		next   atomic.Int64
		left   atomic.Int64 // items not finished
		failed atomic.Bool
		perr   atomic.Pointer[any] // the first panic
		wg     sync.WaitGroup
	)
	left.Store(int64(n))
	wg.Add(n)
	item := func(i, wk int) {
		defer func() {
			if r := recover(); r != nil {
				perr.CompareAndSwap(nil, &r)
				failed.Store(true)
			}
			left.Add(-1)
			wg.Done()
		}()
		if !failed.Load() {
			work(i, wk)
		}
	}
	run := func(wk int) {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			item(i, wk)
		}
	}
	for wk := 1; wk < workers; wk++ {
		submit(task{f: func() { run(wk) }, urgent: true})
	}
	run(0)
	if !Spin(func() bool { return left.Load() == 0 }) {
		wg.Wait()
	}
	if r := perr.Load(); r != nil {
		panic(*r)
	}
}

// Spin waits until done reports true, spinning for up to waitSpin (and
// yielding to the scheduler) before it gives up and returns false: the
// caller should then block on its own signal.
func Spin(done func() bool) bool {
	deadline := time.Now().Add(waitSpin)
	for i := 1; !done(); i++ {
		if i%64 == 0 {
			if time.Now().After(deadline) {
				return done()
			}
			runtime.Gosched()
		}
	}
	return true
}

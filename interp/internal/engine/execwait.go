package engine

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	yinterp "github.com/traefik/yaegi/interp"
)

// yaegi's ExecuteWithContext returns as soon as the context is cancelled,
// while the goroutine running the program goes on until it notices: the
// next cell would then race with it (the race detector sees it). So the
// session does what ExecuteWithContext does (fresh done channel,
// cancellable channel operations; on cancel, bump the run id and close the
// channel) and then waits for the program's goroutine to end, for at most
// stopGrace (a native call that never checks the context must not hang the
// kernel). It reaches yaegi v0.16.1's unexported fields for that; if they
// are not there (another yaegi), it falls back to ExecuteWithContext.

const stopGrace = 2 * time.Second

type yaegiFields struct {
	id         *uint64
	cancelChan *bool
	mutex      *sync.RWMutex
	done       *chan struct{}
}

func fieldsOf(in *yinterp.Interpreter) (yaegiFields, bool) {
	v := reflect.ValueOf(in).Elem()
	get := func(name string, t reflect.Type) unsafe.Pointer {
		f := v.FieldByName(name)
		if !f.IsValid() || f.Type() != t {
			return nil
		}
		return unsafe.Pointer(f.UnsafeAddr())
	}
	id := get("id", reflect.TypeOf(uint64(0)))
	cc := get("cancelChan", reflect.TypeOf(false))
	mu := get("mutex", reflect.TypeOf(sync.RWMutex{}))
	done := get("done", reflect.TypeOf(make(chan struct{})))
	if id == nil || cc == nil || mu == nil || done == nil {
		return yaegiFields{}, false
	}
	return yaegiFields{(*uint64)(id), (*bool)(cc), (*sync.RWMutex)(mu), (*chan struct{})(done)}, true
}

// Execute runs p like ExecuteWithContext, but returns only once the
// program has stopped (or stopGrace after the cancellation). A stack
// overflow (see overflow) is returned as a yinterp.Panic.
func (e *Engine) Execute(ctx context.Context, in *yinterp.Interpreter, p *yinterp.Program) error {
	f, ok := fieldsOf(in)
	if !ok {
		_, err := in.ExecuteWithContext(ctx, p)
		return err
	}
	f.mutex.Lock()
	*f.done = make(chan struct{})
	*f.cancelChan = true
	stopCh := *f.done
	f.mutex.Unlock()

	finished := make(chan struct{})
	var err error
	running.Store(in, p) // for PanicSite
	go func() {
		defer close(finished)
		defer running.CompareAndDelete(in, p)
		e.runProgram(in, p, &err)
	}()
	select {
	case <-finished:
		return err
	case <-ctx.Done():
	}
	atomic.AddUint64(f.id, 1) // every interpreted frame stops at its next step
	close(stopCh)             // and cancellable channel operations return
	select {
	case <-finished:
	case <-time.After(stopGrace):
	}
	return ctx.Err()
}

// runProgram runs p on the goroutine Execute started. Its name marks the
// goroutine as the engine's (ownGoroutine). If the goroutine ends without
// returning, runtime.Goexit unwound it: a stack overflow (overflow), or
// the cell called Goexit itself.
//
// It sets *err, which its caller reads after the goroutine ends: after a
// Goexit nothing returns.
//
//go:noinline
func (e *Engine) runProgram(in *yinterp.Interpreter, p *yinterp.Program, err *error) {
	returned := false
	defer func() {
		if !returned {
			*err = yinterp.Panic{Value: e.goexitCause()}
		}
	}()
	_, *err = in.Execute(p)
	returned = true
}

package engine

import (
	"context"
	"errors"
	"reflect"
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
)

// TestYaegiFieldsAreReachable fails loudly when another yaegi moves the
// unexported fields Execute relies on to wait for a cancelled program
// (execwait.go): it would silently fall back to ExecuteWithContext.
func TestYaegiFieldsAreReachable(t *testing.T) {
	t.Parallel()
	if _, ok := fieldsOf(yinterp.New(yinterp.Options{})); !ok {
		t.Fatal("yaegi's id, cancelChan, mutex and done fields are not where execwait.go expects them")
	}
}

// TestExecuteReturnsOnceTheProgramStopped: a cancelled endless loop
// returns the context's error, and the interpreter runs the next program.
func TestExecuteReturnsOnceTheProgramStopped(t *testing.T) {
	t.Parallel()
	in := yinterp.New(yinterp.Options{})
	started := make(chan struct{})
	if err := in.Use(yinterp.Exports{"sig/sig": {"Started": reflect.ValueOf(func() { close(started) })}}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval("import \"sig\"\nvar n int"); err != nil {
		t.Fatal(err)
	}
	p, err := in.Compile("sig.Started()\nfor { n++ }")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- New(Hooks{}).Execute(ctx, in, p) }()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Execute returned %v, want context.Canceled", err)
	}
	p2, err := in.Compile("n = -1")
	if err != nil {
		t.Fatal(err)
	}
	if err := New(Hooks{}).Execute(context.Background(), in, p2); err != nil {
		t.Fatalf("the next program: %v", err)
	}
}

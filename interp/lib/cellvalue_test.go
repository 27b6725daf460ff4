package lib

import (
	"fmt"
	"reflect"
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestDynamicCellValue: yaegi v0.16.1 hands native code a cell value held
// in a variable of type any as its valueInterface, whose layout
// dynamicCell reads; with the String and Error methods registered, the
// value prints through them, and without, as the bare value.
func TestDynamicCellValue(t *testing.T) {
	methods := NewCellMethods()
	var got []any
	in := yinterp.New(yinterp.Options{})
	if err := in.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := in.Use(yinterp.Exports{"probe/probe": {
		"Grab":   reflect.ValueOf(func(v any) { got = append(got, v) }),
		"Method": reflect.ValueOf(methods.Add),
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval(`package main
import "probe"
type C struct{ D float64 }
func (c C) String() string { return "C!" }
type E struct{ K string }
func (e *E) Error() string { return "no " + e.K }
type F struct{ N int }
func (F) Foo() {}
var _ bool = probe.Method("main.C", "String", func(r C) string { return r.String() })
var _ bool = probe.Method("*main.E", "Error", func(r *E) string { return r.Error() })
func grab(v any) { probe.Grab(v) }
func main() { grab(C{1.5}); grab(&E{"k"}); grab(F{3}); grab(7) }`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("grabbed %d values, want 4", len(got))
	}
	wantTypes := []string{"main.C", "*main.E", "main.F"}
	for i, want := range wantTypes {
		typ, v, ok := dynamicCell(got[i])
		if !ok || typ != want || !v.IsValid() {
			t.Fatalf("dynamicCell(%T) = %q, %v, %v; want %q and its value (has yaegi's valueInterface changed?)", got[i], typ, v, ok, want)
		}
	}
	if _, _, ok := dynamicCell(got[3]); ok {
		t.Errorf("dynamicCell(7) took a native int for a valueInterface")
	}
	var printed []string
	for _, x := range got {
		y, _ := cellArg(x, false, methods)
		printed = append(printed, fmt.Sprint(y))
	}
	if s := fmt.Sprint(printed); s != "[C! no k {3} 7]" {
		t.Errorf("printed %s, want [C! no k {3} 7]", s)
	}
	if err, ok := methods.Dynamic(got[1]).(error); !ok || err.Error() != "no k" {
		t.Errorf("Dynamic(&E{}) = %v, want an error saying no k", methods.Dynamic(got[1]))
	}
}

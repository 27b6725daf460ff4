package rterr

import (
	"errors"
	"reflect"
	"runtime"
	"testing"
)

func TestRecovered(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		in      any
		want    any    // the value, when it is not a run-time error
		runtime string // the run-time error's message
	}{
		{nil, nil, ""},
		{reflect.ValueOf("x"), "x", ""},
		{reflect.ValueOf(boom), boom, ""},
		{reflect.ValueOf(42), 42, ""},
		{"plain text", "plain text", ""},
		{"reflect: slice index out of range", nil, "runtime error: index out of range"},
		{"reflect.Value.Slice: slice index out of bounds", nil, "runtime error: slice bounds out of range"},
		{"reflect.MakeSlice: negative len", nil, "runtime error: makeslice: len out of range"},
		{"reflect.MakeChan: negative buffer size", nil, "runtime error: makechan: size out of range"},
		{&reflect.ValueError{Method: "reflect.Value.Field", Kind: reflect.Invalid}, nil, "runtime error: invalid memory address or nil pointer dereference"},
	}
	for _, c := range cases {
		got := Recovered(c.in)
		if c.runtime == "" {
			if got != c.want {
				t.Errorf("Recovered(%#v) = %#v, want %#v", c.in, got, c.want)
			}
			continue
		}
		re, ok := got.(runtime.Error)
		if !ok || re.Error() != c.runtime {
			t.Errorf("Recovered(%#v) = %#v, want a runtime.Error %q", c.in, got, c.runtime)
		}
	}
}

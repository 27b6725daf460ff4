// Package rterr turns what yaegi's recover returns into what compiled Go's
// does. Inside interpreted code, recover() gave a reflect.Value for
// panic(v) (so r.(error) and r == "boom" failed), reflect's panic strings
// for run-time errors ("reflect: slice index out of range" where Go gives a
// runtime.Error saying "index out of range"), and yaegi's compile-error type
// for a failed type assertion. A session rewrites each call of the builtin
// recover into Recovered(recover()).
package rterr

import (
	"reflect"
	"regexp"
	"strings"
)

// Error is a run-time error, as the runtime's own implement
// runtime.Error.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// New returns the run-time error saying msg ("runtime error: ...").
func New(msg string) *Error { return &Error{msg} }

// RuntimeError marks Error as a runtime.Error.
func (e *Error) RuntimeError() {}

// messages maps what reflect and yaegi say to what Go says, by substring,
// first match wins.
var messages = []struct{ has, say string }{
	{"reflect.MakeSlice: negative len", "runtime error: makeslice: len out of range"},
	{"reflect.MakeSlice: len > cap", "runtime error: makeslice: cap out of range"},
	{"reflect.MakeChan: negative buffer size", "runtime error: makechan: size out of range"},
	{"slice index out of bounds", "runtime error: slice bounds out of range"},
	{"slice bounds out of range", "runtime error: slice bounds out of range"},
	{"index out of range", "runtime error: index out of range"},
	{"on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"Method on nil interface value", "runtime error: invalid memory address or nil pointer dereference"},
	{"nil pointer dereference", "runtime error: invalid memory address or nil pointer dereference"},
	{"comparing uncomparable type", "runtime error: comparing uncomparable type"},
	{"hash of unhashable type", "runtime error: hash of unhashable type"},
}

// position is the cell position yaegi puts before its own messages.
var position = regexp.MustCompile(`^(cell\[\d+\]|[^ :]*):\d+:\d+: `)

// Recovered returns the value compiled Go's recover would have returned
// for v, the value yaegi's returned.
func Recovered(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case reflect.Value:
		if !x.IsValid() {
			return nil
		}
		if x.CanInterface() {
			return Recovered(x.Interface())
		}
		return v
	case string:
		if m, ok := runtimeMessage(x); ok {
			return &Error{m}
		}
		return v
	case *reflect.ValueError:
		if m, ok := runtimeMessage(x.Error()); ok {
			return &Error{m}
		}
		return v
	case error:
		// yaegi's compile-error type carries a failed type assertion's
		// message after the position of the assertion.
		if t := reflect.TypeOf(x).String(); t == "*interp.cfgError" {
			msg := position.ReplaceAllString(x.Error(), "")
			if strings.HasPrefix(msg, "interface conversion: ") {
				return &Error{msg}
			}
		}
	}
	return v
}

// runtimeMessage translates a message of reflect's into Go's run-time
// error message.
func runtimeMessage(s string) (string, bool) {
	for _, m := range messages {
		if strings.Contains(s, m.has) {
			if m.has == "hash of unhashable type" || m.has == "comparing uncomparable type" {
				// Go names the type: keep reflect's text after the phrase.
				return "runtime error: " + s[strings.Index(s, m.has):], true
			}
			return m.say, true
		}
	}
	return "", false
}

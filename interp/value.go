package interp

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
	"github.com/gradlab/gradlab/interp/lib"
	yinterp "github.com/traefik/yaegi/interp"
)

// show records the cell's value (the rewritten last expression).
func (s *Session) show(vs []any) {
	var b, md map[string]any
	if len(vs) == 1 {
		if _, ok := vs[0].(*display.Handle); ok {
			return // display.HTML(...) and friends showed it already, as IPython's display() does
		}
		b, md = valueBundle(vs[0])
	} else {
		texts := make([]string, len(vs))
		for i, v := range vs {
			vb, _ := valueBundle(v)
			texts[i], _ = vb["text/plain"].(string)
		}
		b = map[string]any{"text/plain": strings.Join(texts, ", ")}
	}
	if t, ok := b["text/plain"].(string); ok && len(t) > maxValueText {
		b["text/plain"] = t[:maxValueText] + fmt.Sprintf("... (%d more bytes)", len(t)-maxValueText)
	}
	s.stateMu.Lock()
	if s.cur != nil {
		s.cur.value, s.cur.valueMD = b, md
	}
	s.stateMu.Unlock()
}

// maxValueText caps the text of a cell's value: a frontend chokes on a
// million-element slice printed whole.
const maxValueText = 1 << 20

// valueBundle returns the MIME bundle of a cell's value and its metadata
// (e.g. the display size of a high-DPI figure): text/plain in Go syntax
// with strings quoted, richer forms where the value has them.
func valueBundle(v any) (b, md map[string]any) {
	defer func() {
		if r := recover(); r != nil { // e.g. a String method failing on a nil pointer
			b, md = map[string]any{"text/plain": fmt.Sprintf("%v (String/MIMEBundle method panicked: %v)", reflectText(v), r)}, nil
		}
	}()
	switch x := v.(type) {
	case string:
		return map[string]any{"text/plain": strconv.Quote(x)}, nil
	case reflect.Value:
		if x.IsValid() && x.CanInterface() {
			return valueBundle(x.Interface())
		}
	}
	fb, md := display.Format(v)
	out := map[string]any{}
	for k, x := range fb {
		out[k] = x
	}
	if _, ok := out["text/plain"]; !ok {
		out["text/plain"] = fmt.Sprintf("%v", v)
	}
	return out, md
}

// reflectText formats v without calling its methods.
func reflectText(v any) string {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return "<nil>"
	}
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return rv.Type().String() + "(nil)"
	}
	return rv.Type().String()
}

// exec runs a compiled unit and turns what went wrong into an Error.
func (s *Session) exec(ctx context.Context, in *yinterp.Interpreter, p *yinterp.Program) *Error {
	err := s.eng.Execute(ctx, in, p)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return interrupted()
	}
	var pe yinterp.Panic
	if errors.As(err, &pe) {
		s.stateMu.Lock()
		var trace []string
		index := ""
		if s.cur != nil {
			trace, index = s.cur.takeTrace(), s.cur.takeIndex()
		}
		s.stateMu.Unlock()
		return withIndex(panicError(pe.Value, trace), index)
	}
	msg := rewrite.Clean(err.Error())
	return &Error{Name: "Error", Value: msg, Traceback: []string{msg}}
}

func interrupted() *Error {
	return &Error{Name: "interrupted", Value: "interrupted by the user", Traceback: []string{"interrupted: the cell was stopped; the session keeps its variables"}}
}

// runtimeMessages translates what reflect says when interpreted code does
// something wrong into what compiled Go says.
var runtimeMessages = []struct{ has, say string }{
	{"index out of range", "runtime error: index out of range"},
	{"slice bounds out of range", "runtime error: slice bounds out of range"},
	{"on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"Method on nil interface value", "runtime error: invalid memory address or nil pointer dereference"},
	{"nil pointer dereference", "runtime error: invalid memory address or nil pointer dereference"},
	{"assignment to entry in nil map", "assignment to entry in nil map"},
	{"integer divide by zero", "runtime error: integer divide by zero"},
}

func panicError(v any, trace []string) *Error {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface()
	}
	msg, interrupt := panicMessage(v)
	if interrupt {
		return interrupted()
	}
	msg = rewrite.Clean(msg)
	orig := msg
	for _, m := range runtimeMessages {
		if strings.HasPrefix(msg, "runtime error: ") {
			break // Go's own message (of native code): it says more
		}
		if strings.Contains(msg, m.has) {
			msg = m.say
			break
		}
	}
	tb := []string{"panic: " + msg}
	if orig != msg {
		tb = append(tb, "("+orig+")")
	}
	tb = append(tb, trace...)
	return &Error{Name: "panic", Value: msg, Traceback: tb}
}

// withIndex adds to e, a panic's index out of range, what Go says of the
// index and length ("[5] with length 3"), when index knows it.
func withIndex(e *Error, index string) *Error {
	if index == "" || e.Value != "runtime error: index out of range" {
		return e
	}
	e.Value += " " + index
	if len(e.Traceback) > 0 {
		e.Traceback[0] = "panic: " + e.Value
	}
	return e
}

// panicMessage returns the text of a panic value. An Error or String
// method that panics (a nil *os.PathError) must not panic here: on a
// goroutine of native code (engine/guard.go) that would end the process.
func panicMessage(v any) (msg string, interrupt bool) {
	defer func() {
		if recover() != nil {
			msg, interrupt = fmt.Sprint(v), false // fmt reports the method's panic
		}
	}()
	switch x := v.(type) {
	case error:
		if isInterrupt(x) {
			return "", true
		}
		return x.Error(), false
	case fmt.Stringer:
		return x.String(), false
	}
	return fmt.Sprint(v), false
}

// The session knows the preloaded packages only through their symbol
// tables. A package that exports `SetContext(context.Context)` is told the
// running cell's context, so that its long native operations stop when the
// cell is interrupted; the error variable it exports as `ErrInterrupted`
// is what those operations panic with (wrapped).
var contextHooks, interruptErrs = func() (hooks []func(context.Context), errs []error) {
	for _, syms := range lib.Symbols {
		if v, ok := syms["SetContext"]; ok && v.Kind() == reflect.Func {
			if h, ok := v.Interface().(func(context.Context)); ok {
				hooks = append(hooks, h)
			}
		}
		if v, ok := syms["ErrInterrupted"]; ok && v.CanAddr() {
			if e, ok := v.Interface().(error); ok {
				errs = append(errs, e)
			}
		}
	}
	return hooks, errs
}()

// setLibContext tells the preloaded packages the running cell's context.
func setLibContext(ctx context.Context) {
	for _, h := range contextHooks {
		h(ctx)
	}
}

// isInterrupt tells whether err, a panic value, says that the cell was
// interrupted: a cancelled context, or a preloaded package's ErrInterrupted.
func isInterrupt(err error) bool {
	if errors.Is(err, context.Canceled) {
		return true
	}
	for _, e := range interruptErrs {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

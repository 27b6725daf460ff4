package interp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp/internal/capture"
	"github.com/gradlab/gradlab/interp/internal/engine"
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

// goPanicIn reports a panic that nothing would recover, in where.
func (s *Session) goPanicIn(r any, where string) {
	e := panicError(r, nil)
	e.Value += " (in " + where + ")"
	s.stateMu.Lock()
	run := s.cur
	if run != nil && run.goPanic == nil && !run.ending {
		e.Traceback = append(e.Traceback, run.takeTrace()...)
		run.goPanic = e
		s.stateMu.Unlock()
		return
	}
	s.stateMu.Unlock()
	fmt.Fprintf(os.Stderr, "panic outside a cell's code: %s\n", e.Value)
}

// traceWriter is the interpreter's Stderr: yaegi writes the interpreted
// call trace of a panic there, one "pos: panic: func(...)" line per frame;
// those lines go to the cell's traceback, the rest to standard error.
type traceWriter struct{ s *Session }

var traceLine = regexp.MustCompile(`^(.*?): panic: (.*)\(\.\.\.\)\n?$`)

func (w *traceWriter) Write(p []byte) (int, error) {
	if m := traceLine.FindSubmatch(p); m != nil {
		w.s.stateMu.Lock()
		if w.s.cur != nil {
			fn := strings.TrimPrefix(string(m[2]), "main.")
			if fn == "main" {
				fn = "cell"
			}
			w.s.cur.trace = append(w.s.cur.trace, fmt.Sprintf("%s: in %s", m[1], rewrite.Clean(fn)))
		}
		w.s.stateMu.Unlock()
		return len(p), nil
	}
	return capture.Get().Stderr().Write(p)
}

func (r *cellRun) takeTrace() []string {
	t := r.trace
	r.trace = nil
	return t
}

// stdinReader serves reads of standard input from the frontend's Input.
type stdinReader struct {
	s   *Session
	mu  sync.Mutex
	buf []byte
}

var errNoInput = errors.New("standard input is not available: this frontend does not send input requests (allow_stdin is false)")

func (r *stdinReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		r.s.stateMu.Lock()
		var input func(string, bool) (string, error)
		if r.s.cur != nil {
			input = r.s.cur.input
		}
		r.s.stateMu.Unlock()
		if input == nil {
			return 0, errNoInput
		}
		capture.Get().Sync() // the prompt the cell printed shows before the input box
		line, err := input("", false)
		if err != nil {
			return 0, err
		}
		r.buf = []byte(line + "\n")
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// exec runs a compiled unit and turns what went wrong into an Error.
func (s *Session) exec(ctx context.Context, in *yinterp.Interpreter, p *yinterp.Program) *Error {
	err := engine.Execute(ctx, in, p)
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
		if s.cur != nil {
			trace = s.cur.takeTrace()
		}
		s.stateMu.Unlock()
		return panicError(pe.Value, trace)
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

// panicMessage returns the text of a panic value. An Error or String
// method that panics (a nil *os.PathError) must not panic here: on a
// goroutine of native code (guard.go) that would end the process.
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

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// intExprs lists what is known to be an integer beyond plain variables,
// for `for i := range X`: calls of session funcs with an integer result
// ("call:f"), integer fields of session variables ("v.F") and their
// methods without arguments returning an integer ("call:v.M").
func (s *Session) intExprs() map[string]bool {
	out := map[string]bool{}
	for n, e := range s.tab.ents {
		if e.kind == entFunc && rewrite.IsIntType(e.rtype) {
			out["call:"+n] = true
		}
		if e.kind != entVar {
			continue
		}
		v, ok := s.globalValues()[e.internal] // the cell's cached table: one Globals() per cell
		if !ok || !v.IsValid() {
			continue
		}
		t := v.Type()
		for _, mt := range []reflect.Type{t, reflect.PointerTo(t)} {
			for i := 0; i < mt.NumMethod(); i++ {
				m := mt.Method(i)
				in := m.Type.NumIn()
				if mt.Kind() != reflect.Interface {
					in-- // the receiver
				}
				if in == 0 && m.Type.NumOut() == 1 && isIntKind(m.Type.Out(0).Kind()) {
					out["call:"+n+"."+m.Name] = true
				}
			}
		}
		if sv := indirect(v); sv.IsValid() && sv.Kind() == reflect.Struct {
			st := sv.Type()
			for i := 0; i < st.NumField(); i++ {
				if isIntKind(st.Field(i).Type.Kind()) {
					out[n+"."+fieldName(st.Field(i).Name)] = true
				}
			}
		}
	}
	return out
}

// intGlobals lists session variables and constants of integer kind.
func (s *Session) intGlobals() map[string]bool {
	out := map[string]bool{}
	for n, e := range s.tab.ents {
		if e.kind != entVar && e.kind != entConst {
			continue
		}
		if k, ok := s.globalKind(n); ok && isIntKind(k) {
			out[n] = true
		}
	}
	return out
}

func (s *Session) globalKind(name string) (reflect.Kind, bool) {
	v, ok := s.globalValues()[name]
	if !ok || !v.IsValid() {
		return 0, false
	}
	return v.Kind(), true
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

// availableText lists the packages a cell can import.
func availableText() string {
	var ours, std []string
	for p := range packages {
		if strings.Contains(p, ".") {
			ours = append(ours, p)
		} else if !strings.Contains(p, "internal") {
			std = append(std, p)
		}
	}
	sort.Strings(ours)
	sort.Strings(std)
	return "preloaded packages: " + strings.Join(ours, ", ") + "\nand the standard library: " + strings.Join(std, ", ")
}

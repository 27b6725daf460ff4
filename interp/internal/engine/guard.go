package engine

import (
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gradlab/gradlab/interp/lib"
	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// A panic in an interpreted function that native code calls on a goroutine
// of its own (time.AfterFunc, context.AfterFunc, testing.Benchmark...) ends
// the process: nothing on that goroutine recovers it, and yaegi's wrapper
// for interpreted funcs does not either. The session therefore gives cells
// guarded versions of every package-level function of the preloaded
// packages that takes a func: each func argument is wrapped, and when it
// panics the guard looks at its own goroutine's stack. With interpreted
// code below the native call (the cell's own goroutine, or one a `go`
// statement started, which the `go` rewrite guards) the panic goes on as
// before, to the cell's error or to a recover in the cell; with none (a
// goroutine native code started, or a hook run after the cell's code) it
// is reported as the cell's error, or on stderr once the cell ended, and
// the callback returns zero values.
//
// Methods of native types are not in the tables (yaegi calls them through
// reflect): of those, only a func() literal passed to a method named Go
// (sync.WaitGroup.Go, errgroup-style groups) is guarded, by a rewrite.
// Not covered: funcs passed to other methods of native types, funcs in
// struct fields, slices or `any` parameters (runtime.SetFinalizer), and
// methods of interpreted values that native code calls through an
// interface on its own goroutine.

// callsBeforeReturning are functions that call the funcs they are given
// only before they return, on the caller's goroutine: there is always
// interpreted code below those calls (the cell's, or that of a guarded
// callback), so a guard would only ever let the panic go on, and they are
// left unwrapped to keep hot calls (ag.NoGrad, sort.Slice) as fast as
// before. Leaving a function out of this list is always safe.
var callsBeforeReturning = map[string]bool{
	"github.com/gradlab/gradlab/autograd.NoGrad": true,
	"sort.Find": true, "sort.Search": true, "sort.Slice": true, "sort.SliceIsSorted": true, "sort.SliceStable": true,
	"strings.ContainsFunc": true, "strings.FieldsFunc": true, "strings.IndexFunc": true, "strings.LastIndexFunc": true,
	"strings.Map": true, "strings.TrimFunc": true, "strings.TrimLeftFunc": true, "strings.TrimRightFunc": true,
	"bytes.ContainsFunc": true, "bytes.FieldsFunc": true, "bytes.IndexFunc": true, "bytes.LastIndexFunc": true,
	"bytes.Map": true, "bytes.TrimFunc": true, "bytes.TrimLeftFunc": true, "bytes.TrimRightFunc": true,
	"math/rand.Shuffle": true, "math/rand/v2.Shuffle": true, "os.Expand": true,
	"path/filepath.Walk": true, "path/filepath.WalkDir": true, "io/fs.WalkDir": true,
	"go/ast.Inspect": true, "go/ast.FilterDecl": true, "go/ast.FilterFile": true, "go/ast.FilterPackage": true, "go/ast.Fprint": true,
	"testing.AllocsPerRun": true, "runtime/pprof.Do": true, "runtime/trace.WithRegion": true,
	"gonum.org/v1/gonum/mat.Maybe": true, "gonum.org/v1/gonum/mat.MaybeFloat": true, "gonum.org/v1/gonum/mat.MaybeComplex": true,
}

// recoversItself are functions of preloaded packages that call the funcs
// they keep only on the cell's goroutine or in a callback the kernel runs
// through Session.Callback, and recover their panics themselves (an
// interactive widget shows the panic in its output area): a guard would
// take the panic from them.
var recoversItself = map[string]bool{
	"github.com/gradlab/gradlab/display/widgets.Interact":       true,
	"github.com/gradlab/gradlab/display/widgets.NewInteractive": true,
}

// goRun runs f, the body of a cell's go statement (rewrite.goRecover), on
// the goroutine the statement started, behind a native recover, and
// counts the goroutine as ended when f returns (GoStart counted it). What
// reaches this recover nothing in the cell would recover: below it is only
// the statement's own func literal, which has no defer.
//
// Its name marks the goroutine as the engine's (ownGoroutine): if f ends
// without returning, runtime.Goexit unwound it, a stack overflow
// (overflow) or the cell's own call.
//
//go:noinline
func (e *Engine) goRun(f func()) {
	defer e.live.Add(-1)
	returned := false
	defer func() {
		if r := recover(); r != nil {
			e.hooks.Panic(r, "a goroutine")
		} else if !returned {
			if cause := e.goexitCause(); cause != goexitByCell {
				e.hooks.Panic(cause, "a goroutine")
			}
		}
	}()
	f()
	returned = true
}

// guardMethodArg guards f, a func() literal a cell passes to a method
// named Go (sync.WaitGroup.Go and the like start a goroutine with it):
// methods of native types are not in the symbol tables, so the rewrite
// wraps the literal instead (rewrite.guardGoMethods).
func (e *Engine) guardMethodArg(where string, f func()) func() {
	if f == nil {
		return nil
	}
	where = "a func passed to " + where
	return func() { guardCall0(e, f, where) }
}

// guarded is a package-level function that takes funcs.
type guarded struct {
	key, name string // table key ("time/time"), symbol name
	fn        reflect.Value
	params    []int // indexes of func parameters; the last may be variadic
}

// guardedFuncs lists, once per process, the functions to guard.
var guardedFuncs = sync.OnceValue(func() []guarded {
	var out []guarded
	for _, tab := range []map[string]map[string]reflect.Value{stdlib.Symbols, lib.Symbols} {
		for key, syms := range tab {
			for name, v := range syms {
				if v.Kind() != reflect.Func || v.CanAddr() || v.IsNil() {
					continue // variables of func type are not calls native code makes
				}
				ft := v.Type()
				var params []int
				for i := 0; i < ft.NumIn(); i++ {
					t := ft.In(i)
					if ft.IsVariadic() && i == ft.NumIn()-1 {
						t = t.Elem()
					}
					if t.Kind() == reflect.Func {
						params = append(params, i)
					}
				}
				if qual := key[:strings.LastIndexByte(key, '/')] + "." + name; len(params) > 0 && !callsBeforeReturning[qual] && !recoversItself[qual] {
					out = append(out, guarded{key: key, name: name, fn: v, params: params})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key+"."+out[i].name < out[j].key+"."+out[j].name })
	return out
})

// guardSymbols returns the guarded functions as symbols for in.Use.
func (e *Engine) guardSymbols() yinterp.Exports {
	exp := yinterp.Exports{}
	for _, g := range guardedFuncs() {
		if exp[g.key] == nil {
			exp[g.key] = map[string]reflect.Value{}
		}
		exp[g.key][g.name] = e.guardFunc(g)
	}
	return exp
}

// guardFunc wraps g.fn so that the funcs it is given are guarded.
func (e *Engine) guardFunc(g guarded) reflect.Value {
	ft := g.fn.Type()
	pkg := g.key[:strings.LastIndexByte(g.key, '/')]
	where := "a func passed to " + pkg[strings.LastIndexByte(pkg, '/')+1:] + "." + g.name
	variadic := ft.IsVariadic()
	last := ft.NumIn() - 1
	return reflect.MakeFunc(ft, func(in []reflect.Value) []reflect.Value {
		for _, i := range g.params {
			if variadic && i == last {
				n := in[i].Len()
				if n == 0 {
					continue
				}
				fs := reflect.MakeSlice(in[i].Type(), n, n)
				for j := 0; j < n; j++ {
					fs.Index(j).Set(e.guardArg(in[i].Index(j), where))
				}
				in[i] = fs
				continue
			}
			in[i] = e.guardArg(in[i], where)
		}
		if variadic {
			return g.fn.CallSlice(in)
		}
		return g.fn.Call(in)
	})
}

var funcType = reflect.TypeOf(func() {})

// guardArg wraps the func f.
func (e *Engine) guardArg(f reflect.Value, where string) reflect.Value {
	if f.IsNil() {
		return f
	}
	if f.Type() == funcType { // the usual callback, without reflect on each call
		fn := f.Interface().(func())
		return reflect.ValueOf(func() { guardCall0(e, fn, where) })
	}
	ft := f.Type()
	return reflect.MakeFunc(ft, func(in []reflect.Value) (out []reflect.Value) {
		return guardCall(e, f, in, where)
	})
}

//go:noinline
func guardCall0(e *Engine, f func(), where string) {
	defer guardRecover(e, nil, nil, where)
	f()
}

//go:noinline
func guardCall(e *Engine, f reflect.Value, in []reflect.Value, where string) (out []reflect.Value) {
	defer guardRecover(e, f.Type(), &out, where)
	return f.Call(in)
}

var guardCallNames map[string]bool // the guards' names in stack traces
var guardRecoverName string

func init() {
	guardCallNames = map[string]bool{
		runtime.FuncForPC(reflect.ValueOf(guardCall0).Pointer()).Name(): true,
		runtime.FuncForPC(reflect.ValueOf(guardCall).Pointer()).Name():  true,
	}
	guardRecoverName = runtime.FuncForPC(reflect.ValueOf(guardRecover).Pointer()).Name()
}

// guardRecover is deferred by the guards: it reports a panic that nothing
// below would recover, and lets the others go on.
//
//go:noinline
func guardRecover(e *Engine, ft reflect.Type, out *[]reflect.Value, where string) {
	r := recover()
	if r == nil {
		return
	}
	if interpreterBelow() {
		panic(r)
	}
	e.hooks.Panic(r, where)
	if out != nil {
		res := make([]reflect.Value, ft.NumOut())
		for i := range res {
			res[i] = reflect.Zero(ft.Out(i))
		}
		*out = res
	}
}

// interpreterBelow tells whether yaegi runs code below the guard whose
// guardRecover runs, on this goroutine's stack. It is called while a panic
// unwinds, so the stack still holds the frames from the panic down, and
// those of inner guards that let it go on (each left its guardRecover on
// the stack): with n guardRecover frames on the stack, this guard is the
// n-th guard frame from the top. When it cannot tell, it says yes: the
// panic then goes on as it would without the guard.
func interpreterBelow() bool {
	for size := 256; size <= 1<<22; size *= 8 {
		pcs := make([]uintptr, size)
		n := runtime.Callers(1, pcs)
		if n == size {
			continue // the stack goes on: look at all of it
		}
		var names []string
		frames := runtime.CallersFrames(pcs[:n])
		recovers := 0
		for {
			fr, more := frames.Next()
			names = append(names, fr.Function)
			if fr.Function == guardRecoverName {
				recovers++
			}
			if !more {
				break
			}
		}
		guards := 0
		for i, name := range names {
			if !guardCallNames[name] {
				continue
			}
			if guards++; guards < recovers {
				continue
			}
			for _, below := range names[i+1:] {
				if strings.HasPrefix(below, "github.com/traefik/yaegi/") {
					return true
				}
			}
			return false
		}
		return true // no guard frame: cannot tell
	}
	return true
}

// Unguarded returns the functions the guards wrap, unwrapped, as symbols
// for in.Use: a benchmark compares calls with and without the guards.
func Unguarded() yinterp.Exports {
	exp := yinterp.Exports{}
	for _, g := range guardedFuncs() {
		if exp[g.key] == nil {
			exp[g.key] = map[string]reflect.Value{}
		}
		exp[g.key][g.name] = g.fn
	}
	return exp
}

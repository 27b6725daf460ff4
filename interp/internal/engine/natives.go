package engine

import (
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"unicode/utf8"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp/internal/rterr"
	"github.com/gradlab/gradlab/interp/internal/rtprint"
	"github.com/gradlab/gradlab/interp/lib"
	yinterp "github.com/traefik/yaegi/interp"
)

// sessPath is the import path of the session's own native helpers, imported
// by the bootstrap as ᐧs (a name no user writes).
const sessPath = "gradlab.internal/sess"

// wrapTypes are the interfaces an interpreted value passed to Show or to
// display's functions may implement: yaegi wraps the value so that native
// code can call its interpreted methods (native code cannot type-assert an
// interpreted value otherwise). Most specific first.
var wrapTypes = []reflect.Type{
	reflect.TypeOf((*display.MetadataBundler)(nil)).Elem(),
	reflect.TypeOf((*display.Bundler)(nil)).Elem(),
	reflect.TypeOf((*image.Image)(nil)).Elem(),
	reflect.TypeOf((*error)(nil)).Elem(),
	reflect.TypeOf((*fmt.Stringer)(nil)).Elem(),
}

// nativeSymbols are the session's own natives: an os.Exit that panics
// instead, the package ᐧs the rewrites call (Show, GoPanic, GoStart, GoRun,
// Guard, Clear, Enter, Leave, Shell, Stdin), and the interfaces yaegi wraps interpreted
// values in when they reach Show and display's functions.
func (e *Engine) nativeSymbols() yinterp.Exports {
	show := func(vs ...any) { e.hooks.Show(vs) }
	stdin := e.hooks.Stdin()
	mt := map[reflect.Value][]reflect.Type{reflect.ValueOf(show): wrapTypes}
	for _, f := range []any{display.Display, display.Format} {
		mt[reflect.ValueOf(f)] = wrapTypes
	}
	return yinterp.Exports{
		// A cell calling os.Exit must not take the kernel down.
		"os/os": {"Exit": reflect.ValueOf(func(code int) {
			panic(fmt.Sprintf("os.Exit(%d) called: a cell cannot end the kernel; the session keeps running", code))
		})},
		// What would end the kernel's process (fatal.go).
		"runtime/runtime":     {"Breakpoint": reflect.ValueOf(breakpoint)},
		"runtime/debug/debug": {"SetMaxStack": reflect.ValueOf(setMaxStack), "SetMaxThreads": reflect.ValueOf(setMaxThreads)},
		sessPath + "/sess": {
			"Show":    reflect.ValueOf(show),
			"GoPanic": reflect.ValueOf(func(r any) { e.hooks.Panic(r, "a goroutine") }),
			"GoStart": reflect.ValueOf(func() { e.live.Add(1) }),
			"GoRun":   reflect.ValueOf(e.goRun),
			"Guard":   reflect.ValueOf(e.guardMethodArg),
			"GuardFn": reflect.ValueOf(e.guardFuncField),
			"Clear":   reflect.ValueOf(clearValue),
			"Enter":   reflect.ValueOf(e.enter),
			"Leave":   reflect.ValueOf(e.leave),
			"Shell":   reflect.ValueOf(e.hooks.Shell),
			"Stdin":   reflect.ValueOf(&stdin).Elem(),
			// The builtins print and println write to standard error in
			// the runtime's format; yaegi's wrote fmt's to standard output.
			"Print":   reflect.ValueOf(func(a ...any) { rtprint.Print(os.Stderr, a...) }),
			"Println": reflect.ValueOf(func(a ...any) { rtprint.Println(os.Stderr, a...) }),
			// What recover returns, as Go's recover would (rewrite.RecoverValues).
			"Recovered": reflect.ValueOf(rterr.Recovered),
			// The work of ᐧrandN, math/rand/v2's generic N (rewrite/pkgfuncs.go).
			"RandN": reflect.ValueOf(randN),
			// The work of ᐧunsafeSlice and ᐧunsafeSliceData (rewrite/pkgfuncs.go).
			"UnsafeSlice":     reflect.ValueOf(unsafeSlice),
			"UnsafeSliceData": reflect.ValueOf(unsafeSliceData),
			// == of errors holding cell-defined values (rewrite/errcompare.go).
			"SameError": reflect.ValueOf(sameError),
			// String and Error of cell types, for fmt (rewrite/cellmethods.go).
			"Method": reflect.ValueOf(e.methods.Add),
			"Dyn":    reflect.ValueOf(e.methods.Dynamic),
			// Go's message for a failing assertion to a cell's interface (rewrite/assertmsg.go).
			"AssertIface": reflect.ValueOf(lib.AssertIface),
			// %T of a variable of an interface type (rewrite/typeverb.go).
			"TypeName": reflect.ValueOf(lib.TypeName),
			// Go's checks of a make of a slice (rewrite/makeslice.go).
			"MakeLen":  reflect.ValueOf(makeLen),
			"MakeLen1": reflect.ValueOf(makeLen1),
			"MakeCap":  reflect.ValueOf(makeCap),
			// Go's check of a slice converted to an array (rewrite/sliceconv.go).
			"SliceConv": reflect.ValueOf(sliceConv),
			// The rune at a byte position of a string, and its length (rewrite/rangestring.go).
			"DecodeRune": reflect.ValueOf(func(s string, at int) (rune, int) { return utf8.DecodeRuneInString(s[at:]) }),
			// A method value of a nil interface (rewrite/methodvalue.go).
			"NilDeref": reflect.ValueOf(func() { panic(rterr.New("runtime error: invalid memory address or nil pointer dereference")) }),
		},
		".": {"MapTypes": reflect.ValueOf(mt)},
	}
}

// builtins are the bootstrap's versions of the builtins yaegi lacks. Their
// type parameters have internal names: yaegi v0.16.1 leaks a generic func's
// type parameter names into the package scope, and a cell's own `type T
// chan int` then failed with "nil reflect type".
const builtins = `
type ᐧordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string
}

func ᐧmin[ᐧT ᐧordered](x ᐧT, ys ...ᐧT) ᐧT {
	for _, y := range ys {
		if y < x || y != y {
			x = y
		}
	}
	return x
}

func ᐧmax[ᐧT ᐧordered](x ᐧT, ys ...ᐧT) ᐧT {
	for _, y := range ys {
		if y > x || y != y {
			x = y
		}
	}
	return x
}

// ᐧnewOf is new(expr) of Go 1.26 (rewrite.newOfExprs).
func ᐧnewOf[ᐧT any](v ᐧT) *ᐧT { return &v }

// ᐧrandN's constraint is any: yaegi v0.16.1 crashes instantiating a
// ~int64 constraint with a native named type (time.Duration); randN checks
// the kind. Its type parameter is ᐧT, not T: yaegi leaks a generic func's
// type parameter names into the package scope (see ᐧmin).
func ᐧrandN[ᐧT any](n ᐧT) ᐧT { return ᐧrandNAny(n).(ᐧT) }

func ᐧrandNAny(n any) any { return ᐧs.RandN(n) }

// ᐧunsafeSlice and ᐧunsafeSliceData are unsafe's Slice and SliceData,
// generic in Go; the length may be of any integer type. Like ᐧrandN they
// reach ᐧs through a non-generic func: a generic body is compiled where it
// is instantiated, in the cell, which does not import ᐧs.
func ᐧunsafeSlice[ᐧT, ᐧN any](p *ᐧT, n ᐧN) []ᐧT { return ᐧunsafeSliceAny(p, n).([]ᐧT) }

func ᐧunsafeSliceAny(p, n any) any { return ᐧs.UnsafeSlice(p, n) }

func ᐧunsafeSliceData[ᐧT any](s []ᐧT) *ᐧT { return ᐧunsafeSliceDataAny(s).(*ᐧT) }

func ᐧunsafeSliceDataAny(s any) any { return ᐧs.UnsafeSliceData(s) }

func ᐧclear(x any) { ᐧs.Clear(x) }

func ᐧprint(a ...any) { ᐧs.Print(a...) }

func ᐧprintln(a ...any) { ᐧs.Println(a...) }

`

// The frames of recursive cell functions active at once are bounded:
// infinite recursion would otherwise overflow the goroutine's stack, which
// ends the process. Each interpreted call takes a few KB of native stack:
// 20000 calls of a small recursive func take about 50 MB, through
// sort.Slice's callback (reflect's frames between) about 250 MB; the
// runtime's limit is 1 GB. Go's own test programs recurse 10000 deep.
//
// Past the bound, a panic would unwind through yaegi, whose every
// interpreted frame recovers the panic and raises it again, and the
// runtime then takes time quadratic in the depth (bare yaegi: 3000 frames
// 3.7 s, 20000 frames 83 s). runtime.Goexit unwinds in linear time
// (100000 frames: 4.8 s on a loaded machine), running the deferred calls
// as a panic would. So on a goroutine the engine started (a cell's, a go
// statement's) the bound is maxDepth and overflow calls Goexit, and
// runProgram or goRun report the overflow as a panic; nothing in the cell
// can recover it, as in Go, where a stack overflow is fatal. On another
// goroutine (a func native code calls on its own, a widget's callback)
// a Goexit would end code that is not the cell's, so the bound is
// maxForeignDepth, where a panic still unwinds in a few seconds. The
// count is the engine's, over all goroutines; which goroutine a count
// belongs to is looked at only where it passes maxForeignDepth.
const (
	maxDepth        = 20000
	maxForeignDepth = 3000
)

// enter and leave count the active frames of recursive cell functions
// (the rewrite puts `defer ᐧs.Leave(ᐧs.Enter())` at their start).
func (e *Engine) enter() int {
	d := e.depth.Add(1)
	if d > maxDepth || d == maxForeignDepth+1 && !ownGoroutine() {
		e.depth.Add(-1)
		e.overflow()
	}
	return 0
}

func (e *Engine) leave(int) { e.depth.Add(-1) }

const overflowMsg = "stack overflow: more than %d nested calls of recursive functions (infinite recursion?)"

// overflow stops the goroutine whose recursion went past the bound.
func (e *Engine) overflow() {
	if !ownGoroutine() {
		panic(fmt.Sprintf(overflowMsg, maxForeignDepth))
	}
	msg := fmt.Sprintf(overflowMsg, maxDepth)
	e.overflowMsg.Store(&msg)
	runtime.Goexit()
}

// goexitByCell is the cause of a Goexit that was not an overflow.
const goexitByCell = "runtime.Goexit: the cell's goroutine exited"

// goexitCause says why a goroutine of the engine's ended without
// returning: the overflow that stopped it, or the cell's own Goexit.
func (e *Engine) goexitCause() string {
	if m := e.overflowMsg.Swap(nil); m != nil {
		return *m
	}
	return goexitByCell
}

var ownRoots map[string]bool // the names of runProgram and goRun in stack traces

func init() {
	ownRoots = map[string]bool{
		runtime.FuncForPC(reflect.ValueOf((*Engine).runProgram).Pointer()).Name(): true,
		runtime.FuncForPC(reflect.ValueOf((*Engine).goRun).Pointer()).Name():      true,
	}
}

// ownGoroutine tells whether the engine started this goroutine: runProgram
// or goRun is on its stack, below the interpreted frames (they start it).
func ownGoroutine() bool {
	pcs := make([]uintptr, 1<<16)
	for {
		n := runtime.Callers(1, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	frames := runtime.CallersFrames(pcs)
	for {
		fr, more := frames.Next()
		if ownRoots[fr.Function] {
			return true
		}
		if !more {
			return false
		}
	}
}

// clearValue is the builtin clear for maps and slices.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Invalid:
	default:
		panic(fmt.Sprintf("invalid argument: clear(%T): argument must be a map or a slice", x))
	}
}

// randN is math/rand/v2's N for a value of any integer type.
func randN(n any) any {
	v := reflect.ValueOf(n)
	var u uint64
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() <= 0 {
			panic("invalid argument to N")
		}
		u = uint64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Uint() == 0 {
			panic("invalid argument to N")
		}
		u = v.Uint()
	default:
		panic(fmt.Sprintf("rand.N(%T): the argument must be of an integer type", n))
	}
	return reflect.ValueOf(rand.Uint64N(u)).Convert(v.Type()).Interface()
}

// unsafeSlice is unsafe.Slice(p, n) for p of any pointer type, n of any
// integer type; it panics as Go does on a negative or too large length
// and on a nil p with a length other than 0.
func unsafeSlice(p, n any) any {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer {
		panic(fmt.Sprintf("unsafe.Slice(%T, ...): the first argument must be a pointer", p))
	}
	l := reflect.ValueOf(n)
	var size int
	switch {
	case l.CanInt():
		if l.Int() < 0 || l.Int() != int64(int(l.Int())) {
			panic(rterr.New("runtime error: unsafe.Slice: len out of range"))
		}
		size = int(l.Int())
	case l.CanUint():
		if l.Uint() > uint64(^uint(0)>>1) {
			panic(rterr.New("runtime error: unsafe.Slice: len out of range"))
		}
		size = int(l.Uint())
	default:
		panic(fmt.Sprintf("unsafe.Slice: length of type %T, want an integer", n))
	}
	if v.IsNil() && size == 0 {
		return reflect.Zero(reflect.SliceOf(v.Type().Elem())).Interface()
	}
	return reflect.SliceAt(v.Type().Elem(), v.UnsafePointer(), size).Interface()
}

// unsafeSliceData is unsafe.SliceData(s) for a slice of any type.
func unsafeSliceData(s any) any {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Slice {
		panic(fmt.Sprintf("unsafe.SliceData(%T): the argument must be a slice", s))
	}
	return reflect.NewAt(v.Type().Elem(), v.UnsafePointer()).Interface()
}

// sameError is a == b for errors, comparing the values yaegi's wrappers
// of cell-defined types hold (a struct whose first field, IValue, is the
// value), and panicking as Go does on uncomparable dynamic values.
func sameError(a, b any) bool {
	a, b = unwrapIValue(a), unwrapIValue(b)
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if ta != nil && !ta.Comparable() {
		panic(rterr.New("runtime error: comparing uncomparable type " + ta.String()))
	}
	return a == b
}

func unwrapIValue(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Struct && rv.NumField() > 0 && rv.Type().Field(0).Name == "IValue" {
		return rv.Field(0).Interface()
	}
	return v
}

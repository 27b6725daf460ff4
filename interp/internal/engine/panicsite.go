package engine

import (
	"fmt"
	"go/token"
	"reflect"
	"runtime"
	"strings"
	"sync"

	yinterp "github.com/traefik/yaegi/interp"
)

// yaegi v0.16.1 writes one "pos: panic: f(...)" line per interpreted frame
// a panic unwinds, from the deferred function of its runCfg. The position
// it means to write is that of the node whose code panicked, but it looks
// the node up from a variable the loop that runs the nodes shadows, so it
// always writes the position of the function's first node: a panic on line
// 4 of a func was reported at line 2. PanicSite finds the node: called
// from the interpreter's Stderr writer while that deferred function runs,
// it reads the goroutine's stack, where the frame that runCfg called is
// the code of the node that panicked (or of the call that led to the
// panic, in outer frames), and looks for the node with that code in the
// function whose first node yaegi named. It reaches yaegi's unexported
// fields; with another yaegi it finds nothing.

const yaegiInterp = "github.com/traefik/yaegi/interp."

var running sync.Map // *yinterp.Interpreter -> *yinterp.Program it runs (Execute)

// tablesMu guards an interpreter's tables against PanicSite, which reads
// them from whichever goroutine panics (one left running by an earlier
// cell, while the next compiles): a map read while a compile writes it
// would end the process.
var tablesMu sync.RWMutex

// Changing marks a change of an interpreter's tables (a compile, Use)
// until done is called; PanicSite finds nothing meanwhile.
func Changing() (done func()) {
	tablesMu.Lock()
	return tablesMu.Unlock
}

// Site is where a frame of a panic is.
type Site struct {
	Pos   string // the position of the node that panicked (or called what did), as the FileSet prints it; "" if unknown
	Inner bool   // the innermost frame: the first line yaegi writes of a panic
	// Index is, when the node is an index expression whose operands live
	// in the global frame or are constants (a cell's top-level code),
	// what Go's run-time error says of them: "[5] with length 3".
	Index string
}

// PanicSite returns where the frame is that yaegi is writing the trace
// line of: the function fn, as yaegi names it ("main.f"), whose first node
// is at first (the position yaegi wrote). Call it only from in's Stderr
// writer.
func PanicSite(in *yinterp.Interpreter, first, fn string) (site Site) {
	defer func() {
		if recover() != nil {
			site.Pos, site.Index = "", ""
		}
	}()
	code, k := panickingCode()
	site.Inner = k == 1
	if code == 0 || !tablesMu.TryRLock() {
		return site
	}
	defer tablesMu.RUnlock()
	fset := in.FileSet()
	w := &nodeWalk{seen: map[uintptr]bool{}, fns: map[uintptr]bool{}}
	w.code, w.first = code, first
	w.pos = func(p int) string { return fset.Position(tokenPos(p)).String() }
	iv := reflect.ValueOf(in).Elem()
	// Only the function yaegi named is walked: "main" is the running
	// program's top level, "main.f" a func or method f, "main.f.func" a
	// func literal in f, "main.func" one at the top level.
	name, _, _ := strings.Cut(strings.TrimPrefix(fn, "main."), ".")
	if fn == "main" || name == "func" {
		if p, ok := running.Load(in); ok {
			w.walk(field(reflect.ValueOf(p.(*yinterp.Program)).Elem(), "root"), 0)
		}
	} else if strings.HasPrefix(fn, "main.") {
		sc := field(iv, "scopes").MapIndex(reflect.ValueOf("main"))
		if !sc.IsValid() || sc.IsNil() {
			return site
		}
		for s := field(sc.Elem(), "sym").MapRange(); s.Next(); {
			sym := s.Value()
			if sym.IsNil() {
				continue
			}
			if s.Key().String() == name {
				w.walk(field(sym.Elem(), "node"), 1)
			}
			w.methods(field(sym.Elem(), "typ"), name)
		}
	}
	line := ""
	var found []candidate
	for _, c := range w.cands {
		if !w.fns[c.fn] {
			continue
		}
		l := c.pos[:strings.LastIndexByte(c.pos, ':')]
		if line != "" && l != line {
			return site // two candidate lines: cannot tell
		}
		line, site.Pos = l, c.pos
		found = append(found, c)
	}
	if len(found) == 1 && site.Inner {
		site.Index = indexDetail(iv, found[0])
	}
	return site
}

// indexDetail says "[i] with length n" for an index node c whose operands
// the global frame holds or are constants, "" otherwise.
func indexDetail(iv reflect.Value, c candidate) string {
	if fmt.Sprint(field(c.node, "kind").Interface()) != "indexExpr" {
		return ""
	}
	fr := field(iv, "frame")
	if fr.IsNil() {
		return ""
	}
	data, ok := field(fr.Elem(), "data").Interface().([]reflect.Value)
	if !ok {
		return ""
	}
	value := func(n reflect.Value) (reflect.Value, bool) {
		if n.IsNil() {
			return reflect.Value{}, false
		}
		nv := n.Elem()
		if rv, ok := field(nv, "rval").Interface().(reflect.Value); ok && rv.IsValid() {
			return rv, true
		}
		i := int(field(nv, "findex").Int())
		if c.fn != 0 || field(nv, "level").Int() != 0 {
			sym := field(nv, "sym")
			if sym.IsNil() || !field(sym.Elem(), "global").Bool() {
				return reflect.Value{}, false // a function's frame: gone
			}
			i = int(field(sym.Elem(), "index").Int())
		}
		if i < 0 || i >= len(data) || !data[i].IsValid() {
			return reflect.Value{}, false
		}
		return data[i], true
	}
	children := field(c.node, "child")
	if children.Len() != 2 {
		return ""
	}
	x, ok1 := value(children.Index(0))
	ix, ok2 := value(children.Index(1))
	if !ok1 || !ok2 {
		return ""
	}
	if x.Kind() == reflect.Pointer && !x.IsNil() && x.Elem().Kind() == reflect.Array {
		x = x.Elem()
	}
	var i int64
	switch ix.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i = ix.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		i = int64(ix.Uint())
	default:
		return ""
	}
	switch x.Kind() {
	case reflect.Slice, reflect.Array, reflect.String:
		if i >= 0 && i < int64(x.Len()) {
			return "" // not this node's panic
		}
		return fmt.Sprintf("[%d] with length %d", i, x.Len())
	}
	return ""
}

// panickingCode returns the entry of the code that the runCfg whose
// deferred function is writing called: with k of those deferred functions
// on the stack (a panic unwinds the innermost frame first), the k-th
// runCfg from the top.
func panickingCode() (code uintptr, k int) {
	pcs := make([]uintptr, 1024)
	n := runtime.Callers(2, pcs)
	pcs = pcs[:n]
	for _, pc := range pcs {
		if f := runtime.FuncForPC(pc - 1); f != nil && f.Name() == yaegiInterp+"runCfg.func1" {
			k++
		}
	}
	j := k
	for i, pc := range pcs {
		f := runtime.FuncForPC(pc - 1)
		if f == nil || f.Name() != yaegiInterp+"runCfg" {
			continue
		}
		if j--; j == 0 && i > 0 {
			if callee := runtime.FuncForPC(pcs[i-1] - 1); callee != nil {
				return callee.Entry(), k
			}
		}
	}
	return 0, k
}

type candidate struct {
	pos  string
	fn   uintptr       // the function (node) it is in; 0: the running program's top level, 1: another's
	node reflect.Value // the node (not a pointer)
}

type nodeWalk struct {
	seen  map[uintptr]bool
	code  uintptr
	first string
	pos   func(int) string
	cands []candidate
	fns   map[uintptr]bool // functions with a node at first
}

// walk visits node n (a *node Value) and its children, in function fn.
func (w *nodeWalk) walk(n reflect.Value, fn uintptr) {
	if !n.IsValid() || n.IsNil() || w.seen[n.Pointer()] {
		return
	}
	w.seen[n.Pointer()] = true
	nv := n.Elem()
	switch fmt.Sprint(field(nv, "kind").Interface()) {
	case "funcDecl", "funcLit":
		fn = n.Pointer()
	}
	pos := int(field(nv, "pos").Int())
	if pos > 0 {
		p := w.pos(pos)
		if p == w.first {
			w.fns[fn] = true
		}
		if ex := field(nv, "exec"); !ex.IsNil() && ex.Pointer() == w.code {
			w.cands = append(w.cands, candidate{p, fn, nv})
		}
	}
	children := field(nv, "child")
	for i := 0; i < children.Len(); i++ {
		w.walk(children.Index(i), fn)
	}
}

// methods walks the methods named name of an *itype Value and of the
// type it points to.
func (w *nodeWalk) methods(t reflect.Value, name string) {
	for d := 0; d < 2 && t.IsValid() && !t.IsNil(); d++ {
		ms := field(t.Elem(), "method")
		for i := 0; i < ms.Len(); i++ {
			m := ms.Index(i)
			if m.IsNil() {
				continue
			}
			if c := field(m.Elem(), "child"); c.Len() > 1 && !c.Index(1).IsNil() && field(c.Index(1).Elem(), "ident").String() == name {
				w.walk(m, 1)
			}
		}
		t = field(t.Elem(), "val")
	}
}

func tokenPos(p int) token.Pos { return token.Pos(p) }

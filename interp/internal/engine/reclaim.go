package engine

import (
	"reflect"
	"sync"
	"unsafe"

	yinterp "github.com/traefik/yaegi/interp"
)

// What yaegi v0.16.1 keeps of every program it compiles and runs, and
// never lets go (measured with heap profiles of a session after thousands
// of cells, TestSoakMemoryFlat):
//
//   - the root of every compiled AST (Interpreter.roots, read only by its
//     debugger): all the nodes of every cell, about 30 KB a cell;
//   - the values of the temporaries of top-level statements: a cell's
//     statements run in the global frame, where every intermediate result
//     (the slice of `big := make([]float64, n)`, the tensor of
//     `X := ag.Rand(5000, 5000)` before it is copied to X) has a slot of
//     its own, for good. A 100 MB temporary run 45 times ended the kernel.
//
// Reclaim drops the roots, and gives every slot of the global frame that
// no variable owns a fresh zero value, as yaegi itself makes them. Slots
// of variables, also block-scoped ones a closure may have captured, are
// kept. It reaches unexported fields; with another yaegi whose fields
// differ it does nothing.

// Reclaimer frees what an interpreter keeps of the programs it has run.
// It remembers the frame slots it has seen, and which belong to variables:
// yaegi's scope tree, whose block scopes it reads them from, is itself
// dropped as it goes (only yaegi's debugger reads it), or it would keep
// every cell's scopes and nodes.
type Reclaimer struct {
	In     *yinterp.Interpreter
	done   int            // frame slots below it were seen
	vars   map[int64]bool // slots of package-level variables when last seen
	blocks map[int64]bool // slots of variables of top-level blocks (closures may use them)
}

// NewReclaimer returns a Reclaimer of in.
func NewReclaimer(in *yinterp.Interpreter) *Reclaimer {
	return &Reclaimer{In: in, vars: map[int64]bool{}, blocks: map[int64]bool{}}
}

// Reclaim frees what the interpreter keeps of the programs it has run.
// Call it when no program of it is running (background goroutines may:
// they do not use the temporaries of top-level statements, which have
// ended).
func (r *Reclaimer) Reclaim() {
	defer func() { recover() }() // another yaegi: keep everything
	v := reflect.ValueOf(r.In).Elem()
	dropRoots(v)
	frame := field(v, "frame")
	universe := field(v, "universe")
	if !frame.IsValid() || frame.Kind() != reflect.Pointer || frame.IsNil() || !universe.IsValid() || universe.Kind() != reflect.Pointer || universe.IsNil() {
		return
	}
	// A variable a cell defines again with := gets a new slot in yaegi:
	// the old one is reclaimed when no symbol names it any more.
	vars := map[int64]bool{}
	globalSymbols(universe.Elem(), vars, r.blocks, false)
	scopes := field(v, "scopes")
	for it := scopes.MapRange(); it.Next(); {
		if sc := it.Value(); !sc.IsNil() {
			globalSymbols(sc.Elem(), vars, r.blocks, false)
		}
	}
	types, ok := field(universe.Elem(), "types").Interface().([]reflect.Type)
	if !ok {
		return
	}
	fr := frame.Elem()
	mu, ok := field(fr, "mutex").Addr().Interface().(*sync.RWMutex)
	if !ok {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	data, ok := field(fr, "data").Interface().([]reflect.Value)
	if !ok {
		return
	}
	reset := func(i int) {
		if i < len(data) && i < len(types) && !vars[int64(i)] && !r.blocks[int64(i)] && data[i].IsValid() && !data[i].IsZero() {
			data[i] = reflect.New(types[i]).Elem()
		}
	}
	for i := range r.vars {
		reset(int(i))
	}
	for i := r.done; i < len(data); i++ {
		reset(i)
	}
	r.vars, r.done = vars, min(len(data), len(types))
}

// DropRoots frees the ASTs in keeps of the programs it compiled (the
// trial interpreter compiles only).
func DropRoots(in *yinterp.Interpreter) {
	defer func() { recover() }()
	dropRoots(reflect.ValueOf(in).Elem())
}

// Forget frees what the interpreter in, which only compiles (the trial
// interpreter), keeps of what it compiled: the ASTs and yaegi's scope tree.
func Forget(in *yinterp.Interpreter) {
	defer func() { recover() }()
	v := reflect.ValueOf(in).Elem()
	dropRoots(v)
	vars := map[int64]bool{}
	globalSymbols(field(v, "universe").Elem(), vars, vars, false)
	for it := field(v, "scopes").MapRange(); it.Next(); {
		if sc := it.Value(); !sc.IsNil() {
			globalSymbols(sc.Elem(), vars, vars, false)
		}
	}
}

func dropRoots(v reflect.Value) {
	if r := field(v, "roots"); r.IsValid() && r.Kind() == reflect.Slice {
		r.Set(reflect.Zero(r.Type()))
	}
}

// globalSymbols adds the frame indices of the symbols of scope sc to vars
// (to blocks if block), and those of its descendants that share its frame
// (blocks, not funcs) to blocks, and drops sc's children.
func globalSymbols(sc reflect.Value, vars, blocks map[int64]bool, block bool) {
	owned := vars
	if block {
		owned = blocks
	}
	level := field(sc, "level").Int()
	iter := field(sc, "sym").MapRange()
	for iter.Next() {
		if s := iter.Value(); !s.IsNil() {
			if i := field(s.Elem(), "index").Int(); i >= 0 {
				owned[i] = true
			}
		}
	}
	children := field(sc, "child")
	for i := 0; i < children.Len(); i++ {
		if c := children.Index(i); !c.IsNil() && field(c.Elem(), "level").Int() == level {
			globalSymbols(c.Elem(), vars, blocks, true)
		}
	}
	children.Set(reflect.Zero(children.Type()))
}

// field is v's field name, readable and settable although unexported
// (v must be addressable); the zero Value if there is none.
func field(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	if !f.IsValid() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

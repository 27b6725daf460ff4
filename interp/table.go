package interp

import (
	"fmt"
	"os"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"

	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// table is the session's record of what the cells defined, and the one
// place that says what a name in a cell means.
type table struct {
	ents    map[string]*entity // what the cells defined, by user name
	imports map[string]string  // local package name -> import path, as seen by the interpreter
	sent    map[string]bool    // type names ever handed to the interpreter (a redefinition needs a fresh one)
	removed map[string]string  // names removed because they no longer compiled: why
	fresh   int                // the last number freshName used

	compiled map[string]*compiledCell // cell source -> what it last compiled against
	gen      int                      // moves on when definitions change in place (compiledBefore)
}

func newTable() *table {
	return &table{ents: map[string]*entity{}, imports: map[string]string{}, sent: map[string]bool{}, removed: map[string]string{}}
}

// freshName returns an internal name for a type name that the interpreter
// has not seen yet (rewrite.Internal).
func (t *table) freshName(name string) string {
	for {
		t.fresh++
		n := rewrite.Internal(name, t.fresh)
		if !t.sent[n] {
			return n
		}
	}
}

// ref is what a name means at the session's level (a cell's own names and
// imports come first; see analysis.pkgOf).
type ref struct {
	ent     *entity // defined by a cell
	pkg     string  // a package: its import path
	auto    bool    // pkg is not imported yet: a cell may use it without an import line (autoImports)
	builtin bool    // predeclared (len, error, nil)
}

// defined tells whether the name means anything in the session.
func (r ref) defined() bool { return r.ent != nil || r.pkg != "" || r.builtin }

// lookup is the session's one name-resolution rule, in Go's scope order:
// a cell's definition, then an imported package, then a package a cell
// may use without importing it, then a predeclared name.
func (t *table) lookup(name string) ref {
	if e := t.ents[name]; e != nil {
		return ref{ent: e}
	}
	if p := t.imports[name]; p != "" {
		return ref{pkg: p}
	}
	if p := autoImports[name]; p != "" {
		if _, ok := packages[p]; ok {
			return ref{pkg: p, auto: true}
		}
	}
	return ref{builtin: universe[name]}
}

// needsTrial tells whether a failed compile could damage the session:
// redefinitions, methods and types do; new variables and plain statements
// don't (the session's table hides half-defined new names).
func (t *table) needsTrial(pl *plan) bool {
	if len(pl.reemit) > 0 {
		return true
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil { // a method added to an existing type
			return true
		}
	}
	for n := range pl.commit {
		if t.lookup(n).defined() {
			return true
		}
	}
	// New names are harmless: the table hides half-defined ones, and a type
	// name the interpreter has seen gets a fresh internal name. Not a
	// builtin's name (len, error) nor a package's (imported, or imported
	// when first used): the table does not hide those.
	return false
}

// compiledCell is what a cell's source compiled against, the last time it
// compiled: the entities its free names and its definitions had.
type compiledCell struct {
	gen     int
	used    map[string]*entity // free names -> their entities (nil: none)
	pkgs    map[string]string  // free names -> import paths
	defined map[string]*entity // the cell's names -> the entities it committed
}

// compiledBefore tells whether the same source compiled before against
// what the session holds now: then it compiles again (yaegi's compile is
// a function of the source and of the definitions it uses), and the cell
// needs no trial, although it redefines names (a cell run again). Anything
// that changes definitions in place (re-emitted dependants, removed ones,
// methods added to a type of another cell) moves t.gen on.
func (t *table) compiledBefore(src string, pl *plan) bool {
	c := t.compiled[src]
	if c == nil || c.gen != t.gen || len(pl.reemit) > 0 { // (reset makes a new table with the interpreter)
		return false
	}
	for n, e := range c.used {
		if t.ents[n] != e || t.imports[n] != c.pkgs[n] {
			return false
		}
	}
	for n, e := range c.defined {
		if t.ents[n] != e {
			return false
		}
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil {
			return false
		}
	}
	return true
}

// rememberCompiled records what a cell that compiled used (compiledBefore).
func (t *table) rememberCompiled(src string, a *cellsrc.Analysis, pl *plan) {
	if len(pl.reemit) > 0 || len(pl.dropped) > 0 {
		t.gen++
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil {
			t.gen++ // a method on a type of another cell
		}
	}
	if t.compiled == nil || len(t.compiled) >= 1000 {
		t.compiled = map[string]*compiledCell{}
	}
	c := &compiledCell{gen: t.gen, used: map[string]*entity{}, pkgs: map[string]string{}, defined: map[string]*entity{}}
	for n := range a.Free {
		c.used[n] = t.ents[n]
		c.pkgs[n] = t.imports[n]
	}
	for n := range pl.commit {
		c.defined[n] = t.ents[n]
	}
	t.compiled[src] = c
}

// commit records in the session's table what a plan changed, once its
// units compiled: dropped dependants leave (with a note on stderr), new
// imports and entities enter, types keep the methods of the type they
// replace, and every type name handed to the interpreter is remembered.
func (t *table) commit(pl *plan) {
	for _, e := range pl.dropped {
		what := e.kind.String() + " " + e.name
		if e.kind == entMethod {
			what = fmt.Sprintf("method %s.%s", e.recv, e.name)
			if t := t.ents[e.recv]; t != nil {
				delete(t.methods, e.name)
			}
		} else if t.ents[e.name] == e {
			delete(t.ents, e.name)
			t.removed[e.name] = fmt.Sprintf("cell[%d] removed it: it no longer compiled after that cell's changes; fix and run cell[%d] again", pl.count, e.cell)
		}
		fmt.Fprintf(os.Stderr, "note: %s (from cell[%d]) was removed: it no longer compiles after this cell's changes:\n  %s\n  fix it and run its cell again.\n", what, e.cell, rewrite.Clean(pl.why[e]))
	}
	for _, im := range pl.imports {
		t.imports[im[0]] = im[1]
	}
	for n, e := range pl.commit {
		if old := t.ents[n]; old != nil && old.kind == entType && e.kind == entType {
			e.methods = map[string]*entity{}
			for mn, m := range old.methods {
				e.methods[mn] = m
			}
		}
		if e.kind == entType && e.methods == nil {
			e.methods = map[string]*entity{}
		}
		t.ents[n] = e
		delete(t.removed, n)
		if e.kind == entType {
			t.sent[e.internal] = true
			t.sent[n] = true
		}
	}
	for _, e := range pl.reemit {
		if e.kind == entType {
			if in, ok := pl.rename[e.name]; ok {
				e.internal = in
			}
			t.sent[e.internal] = true
		}
	}
	for _, m := range pl.methods {
		if t := t.ents[m.recv]; t != nil && t.kind == entType {
			if t.methods == nil {
				t.methods = map[string]*entity{}
			}
			t.methods[m.name] = m
		}
	}
}

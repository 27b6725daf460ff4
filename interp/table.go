package interp

import "fmt"

// table is the session's record of what the cells defined, and the one
// place that says what a name in a cell means.
type table struct {
	ents    map[string]*entity // what the cells defined, by user name
	imports map[string]string  // local package name -> import path, as seen by the interpreter
	sent    map[string]bool    // type names ever handed to the interpreter (a redefinition needs a fresh one)
	removed map[string]string  // names removed because they no longer compiled: why
	fresh   int                // the last number freshName used
}

func newTable() *table {
	return &table{ents: map[string]*entity{}, imports: map[string]string{}, sent: map[string]bool{}, removed: map[string]string{}}
}

// freshName returns an internal name for a type name that the interpreter
// has not seen yet: name, a ᐧ and a number.
func (t *table) freshName(name string) string {
	for {
		t.fresh++
		n := fmt.Sprintf("%sᐧ%d", name, t.fresh)
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

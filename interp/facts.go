package interp

import (
	"go/ast"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

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

// erasedTypes are the reflect names a value of a session type may have
// instead of its own: yaegi v0.16.1 gives a type without methods the
// reflect type of its definition (`type Name string` is a string, a
// []Name a []string), so a value whose reflect type mentions what a
// session type is defined as may be of that type: erased tells.
func erasedTypes(t *table) func(typ string) bool {
	under := map[string]bool{}
	for _, e := range t.ents {
		if e.kind != entType {
			continue
		}
		if f := strings.Fields(e.sig); len(f) >= 3 && f[0] == "type" {
			under[strings.Join(f[2:], " ")] = true
		}
	}
	return func(typ string) bool {
		for u := range under {
			if strings.Contains(typ, u) {
				return true
			}
		}
		return false
	}
}

// builtinComposite tells whether t is written with Go's builtin types
// alone (string, []float64, map[string][]int, *[4]byte): what its
// reflect name says is then the type as Go source, for go/types.
func builtinComposite(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Pointer:
		return t.Name() == "" && builtinComposite(t.Elem())
	case reflect.Map:
		return t.Name() == "" && builtinComposite(t.Key()) && builtinComposite(t.Elem())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return t.PkgPath() == "" && t.Name() == t.Kind().String()
	}
	return false
}

// facts gathers what the rewrites need to know of the session and the
// cell, for the plan's units.
func (s *Session) facts(a *cellsrc.Analysis, pl *plan) rewrite.Facts {
	t := s.tab
	var f rewrite.Facts
	// What is an integer matters to `for i := range X` rewrites only, in the
	// cell or in code re-emitted with it.
	if plUses(pl, "range") {
		f.Ints = s.intGlobals()
		for k := range s.intExprs() {
			f.Ints[k] = true
		}
		for _, d := range a.Defs {
			if d.Kind == entFunc && rewrite.IsIntType(d.RType) {
				f.Ints["call:"+d.Names[0]] = true
			}
		}
		for _, n := range rewrite.IntTypes(typeDecls(t, a)) {
			f.Ints["type:"+n], f.Ints["call:"+n] = true, true // conversions to it
		}
	}
	f.VarTypes = map[string]string{}
	erased := erasedTypes(t)
	for n, e := range t.ents {
		if e.kind != entVar {
			continue
		}
		if e.typ != "" {
			f.VarTypes[n] = e.typ
		} else if v, ok := s.globalValues()[e.internal]; ok && v.IsValid() && builtinComposite(v.Type()) && !erased(v.Type().String()) {
			// The code did not say (s := strings.Repeat(...)): the value
			// does, when its type is written with the builtin types only.
			f.VarTypes[n] = v.Type().String()
		}
	}
	for n, typ := range a.VarType {
		f.VarTypes[n] = typ
	}
	f.FuncTypes = map[string]string{}
	for n, typ := range f.VarTypes {
		if typ = iterFuncType(typ, t, a); strings.HasPrefix(typ, "func(") {
			f.FuncTypes[n] = typ
		}
	}
	for n, e := range t.ents {
		if typ := iterFuncType(e.rtype, t, a); e.kind == entFunc && strings.HasPrefix(typ, "func(") {
			f.FuncTypes["call:"+n] = typ
		}
	}
	for _, d := range a.Defs {
		if typ := iterFuncType(d.RType, t, a); d.Kind == entFunc && strings.HasPrefix(typ, "func(") {
			f.FuncTypes["call:"+d.Names[0]] = typ
		}
	}
	f.SessionTypes = map[string]bool{}
	for n, e := range t.ents {
		if e.kind == entType {
			f.SessionTypes[n] = true
		}
	}
	for _, d := range a.Defs {
		if d.Kind == entType {
			for _, n := range d.Names {
				f.SessionTypes[n] = true
			}
		}
	}
	f.Recursive = recursiveFuncs(t, a, pl)
	if len(a.Operands) > 0 {
		f.Operands = planOperands(t, a, pl)
	}
	f.OSShadowed = t.ents["os"] != nil
	f.Packages = map[string]bool{}
	for n := range t.imports {
		f.Packages[n] = true
	}
	imports := maps.Clone(t.imports)
	for _, im := range pl.imports {
		f.Packages[im[0]] = true
		imports[im[0]] = im[1]
	}
	f.PkgFuncs = rewrite.GenericPkgFuncs(imports)
	f.ErrorTyped = errorTyped(t, a, imports)
	// Calls of cell funcs returning a cell type, whose results yaegi hands
	// to native interface parameters without their wrapper, and the
	// generic funcs whose calls get explicit type arguments.
	sessionType := func(rtype string) bool {
		return f.SessionTypes[strings.TrimPrefix(rtype, "*")]
	}
	f.HoistCalls = map[string]bool{}
	cellFuncs := map[string]bool{}
	for _, d := range a.Defs {
		if d.Kind == entFunc {
			cellFuncs[d.Names[0]] = true
		}
	}
	for n, e := range t.ents {
		if e.kind == entFunc && e.nres == 1 && sessionType(e.rtype) {
			f.HoistCalls[n] = true
		}
		if e.kind == entFunc && isGenericSig(e.sig) && !cellFuncs[n] {
			f.Generic = append(f.Generic, e.sig)
		}
	}
	for _, d := range a.Defs {
		if d.Kind == entFunc && d.NRes == 1 && sessionType(d.RType) {
			f.HoistCalls[d.Names[0]] = true
		}
		if d.Kind == entFunc && isGenericSig(d.Sig) {
			f.Generic = append(f.Generic, d.Sig)
		}
	}
	f.Vars = pl.vars
	f.TypeDecls = typeDecls(t, a)
	f.ValueDecls = valueDecls(t, a)
	sort.Strings(f.Generic) // the same facts for the same session: a unit rebuilt gives the same program
	return f
}

// typeDecls lists the type declarations and method signatures of the
// session and the cell, as source, the cell's taking the place of the
// session's of the same name (rewrite.Facts.TypeDecls).
func typeDecls(t *table, a *cellsrc.Analysis) []string {
	var out []string
	inCell := map[string]bool{}
	for _, d := range a.Defs {
		if d.Kind == entType || d.Kind == entMethod {
			out = append(out, d.Sig)
		}
		if d.Kind == entType {
			for _, n := range d.Names {
				inCell[n] = true
			}
		}
	}
	for n, e := range t.ents {
		if e.kind != entType || inCell[n] {
			continue
		}
		out = append(out, e.sig)
		for _, m := range e.methods {
			out = append(out, m.sig)
		}
	}
	sort.Strings(out) // the same facts for the same session
	return out
}

// valueDecls lists the func (without bodies), var and const declarations
// of the session and the cell, as source, the cell's taking the place of
// the session's of the same names (rewrite.Facts.ValueDecls).
func valueDecls(t *table, a *cellsrc.Analysis) []string {
	seen := map[string]bool{}
	var out []string
	add := func(sig string) {
		if sig != "" && !seen[sig] {
			seen[sig] = true
			out = append(out, sig)
		}
	}
	inCell := map[string]bool{}
	for _, d := range a.Defs {
		if d.Kind == entFunc || d.Kind == entVar || d.Kind == entConst {
			add(d.Sig)
			for _, n := range d.Names {
				inCell[n] = true
			}
		}
	}
	for n, e := range t.ents {
		if (e.kind == entFunc || e.kind == entVar || e.kind == entConst) && !inCell[n] {
			add(e.sig)
		}
	}
	sort.Strings(out) // the same facts for the same session
	return out
}

// isGenericSig says whether a func's declaration without its body has type
// parameters: `func Name[`.
func isGenericSig(sig string) bool {
	i := strings.Index(sig, "func ")
	if i < 0 {
		return false
	}
	rest := strings.TrimLeft(sig[i+5:], " ")
	j := strings.IndexAny(rest, "[(")
	return j > 0 && rest[j] == '['
}

// recursiveFuncs finds the cell's and the session's functions that can
// call themselves: a cycle through the functions they use, or a method
// calling a method of its own name. Cycles are looked for only from the
// functions pl compiles (the cell's and those re-emitted): the guard goes
// into their declarations, and a cell declaring none costs no search.
func recursiveFuncs(t *table, a *cellsrc.Analysis, pl *plan) map[string]bool {
	deps := map[string]map[string]bool{}
	for n, e := range t.ents {
		if e.kind == entFunc {
			deps[n] = e.deps
		}
	}
	out := map[string]bool{}
	for _, d := range a.Defs {
		switch d.Kind {
		case entFunc:
			deps[d.Names[0]] = d.Deps
			if d.SelfCall {
				out[d.Names[0]] = true
			}
		case entMethod:
			if d.SelfCall {
				out[d.Recv+"."+d.Names[0]] = true
			}
		}
	}
	for n, e := range t.ents {
		if e.kind == entType {
			for mn, m := range e.methods {
				if m.selfCall {
					out[n+"."+mn] = true
				}
			}
		}
		if e.kind == entFunc && e.selfCall {
			out[n] = true
		}
	}
	var compiled []string
	for _, d := range a.Defs {
		if d.Kind == entFunc {
			compiled = append(compiled, d.Names[0])
		}
	}
	for _, e := range pl.reemit {
		if e.kind == entFunc {
			compiled = append(compiled, e.name)
		}
	}
	// Mutual recursion: f reaches f through the funcs it uses.
	for _, f := range compiled {
		seen := map[string]bool{}
		stack := []string{f}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for d := range deps[x] {
				if d == f {
					out[f] = true
				}
				if deps[d] != nil && !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			}
		}
	}
	return out
}

// planOperands writes, as source, the types the top-level index rewrite
// gives to operands (see rewrite/typedindex.go), with the packages as the cell
// sees them.
func planOperands(t *table, a *cellsrc.Analysis, pl *plan) map[string]string {
	names := map[string]string{} // import path -> name in the session
	for name, path := range t.imports {
		names[path] = name
	}
	for _, im := range pl.imports {
		names[im[1]] = im[0]
	}
	out := map[string]string{}
	for x, t := range a.Operands {
		if src := operandType(t, names); src != "" {
			out[x] = src
		}
	}
	return out
}

// plUses reports whether any piece the plan compiles contains word.
func plUses(pl *plan, word string) bool {
	for _, u := range pl.units {
		for _, p := range u.pieces {
			if strings.Contains(p.Text, word) {
				return true
			}
		}
	}
	return false
}

// operandType writes t as source when it is a slice, array or map type
// that can be written with the packages of names (import path -> name in
// the session), else "".
func operandType(t reflect.Type, names map[string]string) string {
	if t == nil {
		return ""
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		if src, ok := typeSource(t, names); ok {
			return src
		}
	}
	return ""
}

// typeSource writes t as Go source, naming packages as the session imported
// them; ok is false for types it cannot name (unexported, interpreted, or
// from a package not imported).
func typeSource(t reflect.Type, names map[string]string) (string, bool) {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name(), true // predeclared
		}
		name, ok := names[t.PkgPath()]
		if !ok || !ast.IsExported(t.Name()) || strings.Contains(t.Name(), "[") || rewrite.IsInternal(t.Name()) {
			return "", false
		}
		return name + "." + t.Name(), true
	}
	switch t.Kind() {
	case reflect.Pointer:
		e, ok := typeSource(t.Elem(), names)
		return "*" + e, ok
	case reflect.Slice:
		e, ok := typeSource(t.Elem(), names)
		return "[]" + e, ok
	case reflect.Array:
		e, ok := typeSource(t.Elem(), names)
		return "[" + strconv.Itoa(t.Len()) + "]" + e, ok
	case reflect.Map:
		k, ok1 := typeSource(t.Key(), names)
		e, ok2 := typeSource(t.Elem(), names)
		return "map[" + k + "]" + e, ok1 && ok2
	}
	return "", false
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// errorTyped lists what is of type error for rewrite.Facts.ErrorTyped:
// variables ("err"), funcs ("call:f") and package funcs
// ("call:errors.Unwrap") of one error result.
func errorTyped(t *table, a *cellsrc.Analysis, imports map[string]string) map[string]bool {
	out := map[string]bool{}
	for n, e := range t.ents {
		switch {
		case e.kind == entVar && (e.typ == "error" || e.rtype == "error"):
			out[n] = true
		case e.kind == entFunc && e.nres == 1 && e.rtype == "error":
			out["call:"+n] = true
		}
	}
	for n, typ := range a.VarType {
		if typ == "error" {
			out[n] = true
		}
	}
	for _, d := range a.Defs {
		if d.Kind == entFunc && d.NRes == 1 && d.RType == "error" {
			out["call:"+d.Names[0]] = true
		}
	}
	for name, path := range imports {
		for fn, v := range symbolsOf(path) {
			if v.Kind() == reflect.Func && !v.CanAddr() && v.Type().NumOut() == 1 && v.Type().Out(0) == errorType {
				out["call:"+name+"."+fn] = true
			}
		}
	}
	return out
}

// iterFuncType returns the func type an iter.Seq[V] or iter.Seq2[K, V]
// stands for, so that a range over a func returning one is rewritten as
// over a func type (rewrite.rangeFunc); typ itself otherwise.
func iterFuncType(typ string, t *table, a *cellsrc.Analysis) string {
	pkg, rest, ok := strings.Cut(typ, ".Seq")
	if !ok || !strings.HasSuffix(rest, "]") {
		return typ
	}
	path := t.imports[pkg]
	for _, im := range a.Imports {
		if im[0] == pkg {
			path = im[1]
		}
	}
	if path != "iter" {
		return typ
	}
	switch {
	case strings.HasPrefix(rest, "["):
		return "func(yield func(" + rest[1:len(rest)-1] + ") bool)"
	case strings.HasPrefix(rest, "2["):
		return "func(yield func(" + rest[2:len(rest)-1] + ") bool)"
	}
	return typ
}

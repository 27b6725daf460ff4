package interp

import (
	"go/ast"
	"go/types"
	"reflect"
	"strconv"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// yaegi cannot infer the type of a global defined at the top level of a
// cell from an index or slice of a global whose type came from native code
// (`grid := ag.Meshgrid(...)`, then `XX := grid[0]`: "constant definition
// loop"; its global type analysis knows index types of interpreted slices
// only). Converting the operand to its own type, `([]*ag.Tensor)(grid)[0]`,
// tells yaegi the type, so the session writes that conversion for operands
// whose type it knows and can name with the packages the session imported.
//
// The session infers those types without running anything, in source
// order, from the values of the globals of earlier cells and from the
// expressions that define the cell's own variables, when native code fixes
// their types: a call of a package function (`ag.Meshgrid(...)`,
// `strings.Split(...)`), a package variable (`os.Args`), a method call,
// field, index or slice of a value whose type is known. Each operand is
// keyed by its source text; one written twice with different types (a
// variable redefined in between) is left alone.

// typer infers, without running anything, the types native code gives to
// expressions of a cell.
type typer struct {
	vars map[string]reflect.Type  // variables of known type (session globals, then the cell's)
	pkg  func(name string) string // import path of the package a name refers to, or ""
}

// types returns the types of e's values, nil when unknown.
func (ty *typer) types(e ast.Expr) []reflect.Type {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return ty.types(x.X)
	case *ast.Ident:
		if t := ty.vars[x.Name]; t != nil {
			return []reflect.Type{t}
		}
	case *ast.CallExpr:
		var ft reflect.Type
		switch f := x.Fun.(type) {
		case *ast.SelectorExpr:
			if id, ok := f.X.(*ast.Ident); ok && ty.vars[id.Name] == nil {
				if path := ty.pkg(id.Name); path != "" {
					if v, ok := symbolsOf(path)[f.Sel.Name]; ok && v.Kind() == reflect.Func && !v.CanAddr() {
						ft = v.Type()
					}
					break
				}
			}
			if rt := ty.one(f.X); rt != nil {
				if m, ok := methodOf(rt, f.Sel.Name); ok {
					ft = m
				}
			}
		}
		if ft == nil {
			return nil
		}
		out := make([]reflect.Type, ft.NumOut())
		for i := range out {
			out[i] = ft.Out(i)
		}
		return out
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && ty.vars[id.Name] == nil {
			if path := ty.pkg(id.Name); path != "" {
				if v, ok := symbolsOf(path)[x.Sel.Name]; ok && v.CanAddr() { // a package variable
					return []reflect.Type{v.Type()}
				}
				return nil
			}
		}
		rt := ty.one(x.X)
		if rt == nil {
			return nil
		}
		st := rt
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() == reflect.Struct {
			if f, ok := st.FieldByName(x.Sel.Name); ok && f.IsExported() {
				return []reflect.Type{f.Type}
			}
		}
	case *ast.IndexExpr:
		rt := ty.one(x.X)
		if rt == nil {
			return nil
		}
		if rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Array {
			rt = rt.Elem()
		}
		switch rt.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			return []reflect.Type{rt.Elem()}
		}
	case *ast.SliceExpr:
		rt := ty.one(x.X)
		if rt == nil {
			return nil
		}
		switch {
		case rt.Kind() == reflect.Slice:
			return []reflect.Type{rt}
		case rt.Kind() == reflect.Array:
			return []reflect.Type{reflect.SliceOf(rt.Elem())}
		case rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Array:
			return []reflect.Type{reflect.SliceOf(rt.Elem().Elem())}
		}
	case *ast.StarExpr:
		if rt := ty.one(x.X); rt != nil && rt.Kind() == reflect.Pointer {
			return []reflect.Type{rt.Elem()}
		}
	}
	return nil
}

func (ty *typer) one(e ast.Expr) reflect.Type {
	if ts := ty.types(e); len(ts) == 1 {
		return ts[0]
	}
	return nil
}

// methodOf returns the type (without receiver) of the method name of a
// value of type t, which may be addressable.
func methodOf(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() == reflect.Interface {
		if m, ok := t.MethodByName(name); ok {
			return m.Type, true
		}
		return nil, false
	}
	for _, rt := range []reflect.Type{t, reflect.PointerTo(t)} {
		if m, ok := rt.MethodByName(name); ok {
			// m.Type's first parameter is the receiver; the results are what matters.
			return m.Type, true
		}
	}
	return nil, false
}

// define records the types of the index operands on the right of a
// top-level `:=`, then those of the names it defines.
func (ty *typer) define(as *ast.AssignStmt, a *analysis) {
	rewrite.IndexOperands(as, func(x *ast.Expr, _ bool) {
		if a.operands == nil {
			a.operands = map[string]reflect.Type{}
		}
		k := types.ExprString(*x)
		t := ty.one(*x)
		if old, seen := a.operands[k]; seen && old != t {
			t = nil // ambiguous
		}
		a.operands[k] = t
	})
	var ts []reflect.Type
	if len(as.Rhs) == len(as.Lhs) {
		ts = make([]reflect.Type, len(as.Lhs))
		for i, r := range as.Rhs {
			ts[i] = ty.one(r)
		}
	} else if len(as.Rhs) == 1 {
		if got := ty.types(as.Rhs[0]); len(got) == len(as.Lhs) {
			ts = got
		}
	}
	for i, l := range as.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		if i < len(ts) && ts[i] != nil {
			ty.vars[id.Name] = ts[i]
		} else {
			delete(ty.vars, id.Name)
		}
	}
}

// globalValues returns the interpreter's globals, cached for one cell.
func (s *Session) globalValues() map[string]reflect.Value {
	if s.globals == nil {
		s.globals = s.in.Globals()
	}
	return s.globals
}

// globalTypes returns the types of the session's globals, from their values.
func (s *Session) globalTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, v := range s.globalValues() {
		if v.IsValid() {
			out[name] = v.Type()
		}
	}
	return out
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

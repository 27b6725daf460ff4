package cellsrc

import (
	"go/ast"
	"go/types"
	"reflect"

	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// typer infers, without running anything, the types native code gives to
// expressions of a cell.
type typer struct {
	vars   map[string]reflect.Type                       // variables of known type (session globals, then the cell's)
	pkg    func(name string) string                      // import path of the package a name refers to, or ""
	symbol func(path, name string) (reflect.Value, bool) // a package's exported symbol
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
					if v, ok := ty.symbol(path, f.Sel.Name); ok && v.Kind() == reflect.Func && !v.CanAddr() {
						ft = v.Type()
					}
					break
				}
			}
			if rt := ty.one(f.X); rt != nil {
				if m, ok := MethodOf(rt, f.Sel.Name); ok {
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
				if v, ok := ty.symbol(path, x.Sel.Name); ok && v.CanAddr() { // a package variable
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

// MethodOf returns the type (without receiver) of the method name of a
// value of type t, which may be addressable.
func MethodOf(t reflect.Type, name string) (reflect.Type, bool) {
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
func (ty *typer) define(as *ast.AssignStmt, a *Analysis) {
	rewrite.IndexOperands(as, func(x *ast.Expr, _ bool) {
		if a.Operands == nil {
			a.Operands = map[string]reflect.Type{}
		}
		k := types.ExprString(*x)
		t := ty.one(*x)
		if old, seen := a.Operands[k]; seen && old != t {
			t = nil // ambiguous
		}
		a.Operands[k] = t
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

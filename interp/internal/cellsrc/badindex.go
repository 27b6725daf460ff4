package cellsrc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
)

// yaegi v0.16.1 has no check that an indexed value can be indexed: m[0]
// with m a *ag.Tensor crashes its compiler ("CFG post-order panic:
// reflect: Elem of invalid type", "runtime error: invalid memory address",
// "nil type", "constant definition loop", depending on where). badIndex
// finds such an index expression where the session knows the operand's
// type, and says what Go says of it; the session reports that when the
// compile fails (Analysis.BadIndex).

// badIndex returns Go's error for the first index expression of the
// cell's files whose operand cannot be indexed, "" when there is none the
// session can tell.
func (an *analyser) badIndex() string {
	if an.ty == nil {
		return ""
	}
	aliases := map[string]string{} // import path -> the name the cell calls it by
	for _, f := range an.files {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					if path := an.ty.pkg(id.Name); path != "" && aliases[path] == "" {
						aliases[path] = id.Name
					}
				}
			}
			return true
		})
	}
	msg := ""
	var walk func(n ast.Node, local map[string]string)
	walk = func(n ast.Node, local map[string]string) {
		ast.Inspect(n, func(n ast.Node) bool {
			if msg != "" {
				return false
			}
			switch x := n.(type) {
			case *ast.FuncDecl:
				if an.stmtBody[x.Body] {
					// A cell's top-level statements: what a compound one
					// defines is its own.
					for _, st := range x.Body.List {
						switch st.(type) {
						case *ast.AssignStmt, *ast.ExprStmt, *ast.DeclStmt, *ast.IncDecStmt, *ast.SendStmt:
							walk(st, local)
						default:
							walk(st, funcLocals(nil, &ast.FuncType{}, &ast.BlockStmt{List: []ast.Stmt{st}}, local))
						}
					}
				} else if x.Body != nil {
					walk(x.Body, funcLocals(x.Recv, x.Type, x.Body, local))
				}
				return false
			case *ast.FuncLit:
				walk(x.Body, funcLocals(nil, x.Type, x.Body, local))
				return false
			case *ast.IndexExpr:
				if typ := an.operandType(x.X, local, aliases); typ != "" {
					what := "value"
					switch ast.Unparen(x.X).(type) {
					case *ast.Ident, *ast.SelectorExpr:
						what = "variable"
					}
					msg = fmt.Sprintf("%s: invalid operation: cannot index %s (%s of type %s)", an.fset.Position(x.X.Pos()), types.ExprString(x.X), what, typ)
					return false
				}
			}
			return true
		})
	}
	for _, f := range an.files {
		walk(f, nil)
	}
	return msg
}

// operandType returns the type of e, as Go writes it, when the session
// knows it and it cannot be indexed; "" otherwise.
func (an *analyser) operandType(e ast.Expr, local map[string]string, aliases map[string]string) string {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if typ, ok := local[id.Name]; ok {
			if typ == "" {
				return "" // declared in the function, type unknown
			}
			t, err := parser.ParseExpr(typ)
			if err != nil || !an.notIndexable(t) {
				return ""
			}
			return typ
		}
	}
	if typ := an.fieldType(e, local); typ != "" {
		if t, err := parser.ParseExpr(typ); err == nil && an.notIndexable(t) {
			return typ
		}
		return ""
	}
	if hasLocal(e, local) {
		return ""
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		// A variable of the cell's: the type its definition says
		// (p := &[]int{1}), when native code does not give it.
		if typ := an.a.VarType[id.Name]; typ != "" && an.ty.one(e) == nil {
			if t, err := parser.ParseExpr(typ); err == nil && an.notIndexable(t) {
				return typ
			}
			return ""
		}
	}
	rt := an.ty.one(e)
	if rt == nil || indexable(rt) || rt.Kind() == reflect.Func {
		return "" // a func: f[T] instantiates a generic one
	}
	return typeName(rt, aliases)
}

// hasLocal tells whether e uses a name declared in the function.
func hasLocal(e ast.Expr, local map[string]string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if _, ok := local[id.Name]; ok {
				found = true
			}
		}
		return !found
	})
	return found
}

func indexable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.String, reflect.Map, reflect.Interface:
		return true
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Array
	}
	return false
}

// notIndexable tells whether a type written as t is known not to be
// indexable: a basic type, a func, chan or struct type, a pointer to other
// than an array, a package's type of such a kind. Names of the cells'
// types (which may be arrays or slices) are not known here.
func (an *analyser) notIndexable(t ast.Expr) bool {
	switch t := t.(type) {
	case *ast.StarExpr:
		switch x := t.X.(type) {
		case *ast.ArrayType:
			return x.Len == nil
		case *ast.Ident:
			return basicNames[x.Name]
		case *ast.SelectorExpr:
			rt := an.pkgType(x)
			return rt != nil && rt.Kind() != reflect.Array
		case *ast.MapType, *ast.FuncType, *ast.ChanType, *ast.StructType, *ast.StarExpr:
			return true
		}
	case *ast.FuncType, *ast.ChanType, *ast.StructType:
		return true
	case *ast.Ident:
		return basicNames[t.Name]
	case *ast.SelectorExpr:
		rt := an.pkgType(t)
		return rt != nil && !indexable(rt)
	}
	return false
}

var basicNames = map[string]bool{"bool": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true, "byte": true, "rune": true, "error": true}

// pkgType returns the type pkg.Name of a preloaded package, nil if sel
// names none.
func (an *analyser) pkgType(sel *ast.SelectorExpr) reflect.Type {
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return nil
	}
	path := an.ty.pkg(id.Name)
	if path == "" {
		return nil
	}
	v, ok := an.ty.symbol(path, sel.Sel.Name)
	if !ok || !v.IsValid() || v.Kind() != reflect.Pointer || !v.IsNil() {
		return nil // a type is exported as a nil pointer to it
	}
	return v.Type().Elem()
}

// typeName writes t as the cell would: packages by the names the cell
// uses for them.
func typeName(t reflect.Type, aliases map[string]string) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + typeName(t.Elem(), aliases)
	}
	s := t.String()
	if p := t.PkgPath(); p != "" && t.Name() != "" {
		if alias := aliases[p]; alias != "" {
			if i := strings.LastIndexByte(s, '.'); i >= 0 {
				return alias + s[i:]
			}
		}
	}
	return s
}

// funcLocals returns outer plus the names a function declares: its
// receiver and parameters with their types as written, and every name its
// body defines ("": of a type not known here).
func funcLocals(recv *ast.FieldList, ft *ast.FuncType, body *ast.BlockStmt, outer map[string]string) map[string]string {
	local := map[string]string{}
	for n, t := range outer {
		local[n] = t
	}
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, fd := range fl.List {
			for _, n := range fd.Names {
				local[n.Name] = types.ExprString(fd.Type)
			}
		}
	}
	fields(recv)
	fields(ft.TypeParams)
	fields(ft.Params)
	fields(ft.Results)
	if ft.TypeParams != nil {
		for _, fd := range ft.TypeParams.List {
			for _, n := range fd.Names {
				local[n.Name] = "" // a type parameter is no variable of a known type
			}
		}
	}
	seen := map[string]int{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ValueSpec:
			for _, id := range x.Names {
				seen[id.Name]++
				if x.Type != nil && seen[id.Name] == 1 {
					if _, declared := local[id.Name]; !declared {
						local[id.Name] = types.ExprString(x.Type)
						continue
					}
				}
				local[id.Name] = ""
			}
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						local[id.Name] = ""
					}
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok {
					local[id.Name] = ""
				}
			}
		case *ast.TypeSwitchStmt:
			if as, ok := x.Assign.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						local[id.Name] = ""
					}
				}
			}
		}
		return true
	})
	return local
}

// fieldType returns the type, as written, of x.f where x is a variable of
// a struct type (or pointer to one) the cell declares, "" when unknown.
func (an *analyser) fieldType(e ast.Expr, local map[string]string) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	typ, isLocal := local[id.Name]
	if !isLocal {
		typ = an.a.VarType[id.Name] // "" for what the cell does not define
	}
	st := an.cellStruct(strings.TrimPrefix(typ, "*"))
	if st == nil {
		return ""
	}
	for _, fd := range st.Fields.List {
		for _, n := range fd.Names {
			if n.Name == sel.Sel.Name {
				return types.ExprString(fd.Type)
			}
		}
	}
	return ""
}

// cellStruct returns the struct type the cell declares as name, nil if
// it declares none (or declares name more than once).
func (an *analyser) cellStruct(name string) *ast.StructType {
	if name == "" {
		return nil
	}
	var found *ast.StructType
	n := 0
	for _, f := range an.files {
		ast.Inspect(f, func(node ast.Node) bool {
			if ts, ok := node.(*ast.TypeSpec); ok && ts.Name.Name == name {
				n++
				found, _ = ts.Type.(*ast.StructType)
			}
			return true
		})
	}
	if n != 1 {
		return nil
	}
	return found
}

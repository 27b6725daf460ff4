package rewrite

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strconv"
	"strings"
)

// methodExprs rewrites method expressions (T.m, (*T).m, I.m) into what
// yaegi v0.16.1 runs. It fails on an interface's method expression ("too
// many arguments" for Stringer.String(x)) and on any method expression used
// as a value (f := T.add compiles, and calling f panics with "reflect.Set:
// value of type func(int) int is not assignable to type func(int, int)
// int"). A call becomes a conversion of its first argument and a method
// call (of an interface's method: a call of the function literal below,
// since yaegi also fails on I(x).m()); a value becomes a function literal,
// when the file or the session (context: type declarations and method
// signatures) declares the method, or the interface or struct type that
// has it:
//
//	(*T).Scale(p, 2)          ->  (*T)(p).Scale(2)
//	Stringer.String(x)        ->  func(ᐧr Stringer) string { return ᐧr.String() }(x)
//	f := T.add                ->  f := func(ᐧr T, ᐧp0 int) int { return ᐧr.add(ᐧp0) }
//	g := interface{ m() }.m   ->  g := func(ᐧr interface{ m() }) { ᐧr.m() }
//
// T is a type the file declares at its top level, or one of types (the
// session's); a local variable that shadows the name is not a type. It runs
// on the names as written, before the renames.
func methodExprs(f *ast.File, types map[string]bool, context []string) {
	me := &methodExprInfo{decls: map[string]*ast.TypeSpec{}, methods: map[string]map[string]*ast.FuncType{}, refs: map[*ast.Ident]bool{}}
	me.types = func(name string) bool { return me.decls[name] != nil || types[name] }
	me.declare(f)
	if !me.candidates(f) {
		return
	}
	if len(context) > 0 {
		src := "package main\n" + strings.Join(context, "\n")
		if cf, err := parser.ParseFile(token.NewFileSet(), "context.go", src, parser.SkipObjectResolution); err == nil {
			me.declare(cf)
			me.declare(f) // the file's own declarations take precedence
		}
	}
	PackageRefs(f, func(id *ast.Ident, _ bool) { me.refs[id] = true })
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		switch x := e.(type) {
		case *ast.CallExpr:
			// Outermost first: the call is seen before its method expression.
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && me.isType(sel.X) && len(x.Args) > 0 {
				if me.isInterface(sel.X, 0) {
					// yaegi converts to an interface it interprets and
					// calls the method wrongly (I(t).m() panics "call of
					// reflect.Value.NumField on int Value"); a parameter of
					// the interface type works.
					if sig := me.signature(sel.X, sel.Sel.Name, 0); sig != nil {
						x.Fun = methodFunc(sel.X, sel.Sel.Name, sig)
					}
					break
				}
				sel.X = &ast.CallExpr{Fun: parenType(sel.X), Args: []ast.Expr{x.Args[0]}}
				x.Args = x.Args[1:]
			}
		case *ast.SelectorExpr:
			if me.isType(x.X) {
				if sig := me.signature(x.X, x.Sel.Name, 0); sig != nil {
					return methodFunc(x.X, x.Sel.Name, sig)
				}
			}
		}
		return e
	})
}

type methodExprInfo struct {
	decls   map[string]*ast.TypeSpec            // the file's top-level types
	methods map[string]map[string]*ast.FuncType // type name -> method -> signature
	refs    map[*ast.Ident]bool                 // identifiers that name package-level or free names
	types   func(name string) bool
}

// declare records the top-level types and the methods f declares.
func (me *methodExprInfo) declare(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok && ts.TypeParams == nil {
					me.decls[ts.Name.Name] = ts
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) != 1 {
				continue
			}
			t := d.Recv.List[0].Type
			if st, ok := t.(*ast.StarExpr); ok {
				t = st.X
			}
			if id, ok := t.(*ast.Ident); ok {
				if me.methods[id.Name] == nil {
					me.methods[id.Name] = map[string]*ast.FuncType{}
				}
				me.methods[id.Name][d.Name.Name] = d.Type
			}
		}
	}
}

// candidates says whether f has a selector on what may be a type, before
// the rewrite resolves names (which walks the file again).
func (me *methodExprInfo) candidates(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			switch x := sel.X.(type) {
			case *ast.Ident:
				found = found || me.types(x.Name)
			case *ast.ParenExpr, *ast.InterfaceType, *ast.StructType:
				found = true
			}
		}
		return !found
	})
	return found
}

// isType says whether e denotes a type whose method expression the rewrite
// handles.
func (me *methodExprInfo) isType(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return me.refs[x] && me.types(x.Name)
	case *ast.ParenExpr:
		if st, ok := x.X.(*ast.StarExpr); ok {
			return me.isType(st.X)
		}
		return me.isType(x.X)
	case *ast.InterfaceType, *ast.StructType:
		return true
	}
	return false
}

// isInterface says whether t is an interface type.
func (me *methodExprInfo) isInterface(t ast.Expr, depth int) bool {
	switch x := t.(type) {
	case *ast.ParenExpr:
		return me.isInterface(x.X, depth)
	case *ast.InterfaceType:
		return true
	case *ast.Ident:
		if ts := me.decls[x.Name]; ts != nil && depth < 5 {
			return me.isInterface(ts.Type, depth+1)
		}
	}
	return false
}

// signature finds method m of type t among the file's declarations: its own
// methods, an interface's, and those promoted from embedded fields.
func (me *methodExprInfo) signature(t ast.Expr, m string, depth int) *ast.FuncType {
	if depth > 5 {
		return nil
	}
	switch x := t.(type) {
	case *ast.ParenExpr:
		return me.signature(x.X, m, depth)
	case *ast.StarExpr:
		return me.signature(x.X, m, depth)
	case *ast.Ident:
		if ft := me.methods[x.Name][m]; ft != nil {
			return ft
		}
		if ts := me.decls[x.Name]; ts != nil {
			switch u := ts.Type.(type) {
			case *ast.InterfaceType, *ast.StructType:
				return me.signature(u, m, depth+1)
			case *ast.Ident:
				// type J I: a defined type has the methods of an interface
				// it is defined as, not those of a concrete type.
				if d := me.decls[u.Name]; d != nil {
					if _, ok := d.Type.(*ast.InterfaceType); ok {
						return me.signature(u, m, depth+1)
					}
				}
			}
		}
	case *ast.InterfaceType:
		for _, fd := range x.Methods.List {
			if ft, ok := fd.Type.(*ast.FuncType); ok {
				for _, n := range fd.Names {
					if n.Name == m {
						return ft
					}
				}
			} else if ft := me.signature(fd.Type, m, depth+1); ft != nil {
				return ft
			}
		}
	case *ast.StructType:
		for _, fd := range x.Fields.List {
			if len(fd.Names) == 0 {
				if ft := me.signature(fd.Type, m, depth+1); ft != nil {
					return ft
				}
			}
		}
	}
	return nil
}

// methodFunc is the function literal that a method expression t.m of
// signature sig stands for.
func methodFunc(t ast.Expr, m string, sig *ast.FuncType) *ast.FuncLit {
	params := &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{ast.NewIdent("ᐧr")}, Type: copyExpr(t)}}}
	call := &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧr"), Sel: ast.NewIdent(m)}}
	i := 0
	for _, p := range sig.Params.List {
		k := max(len(p.Names), 1)
		for range k {
			name := "ᐧp" + strconv.Itoa(i)
			i++
			params.List = append(params.List, &ast.Field{Names: []*ast.Ident{ast.NewIdent(name)}, Type: copyExpr(p.Type)})
			call.Args = append(call.Args, ast.NewIdent(name))
			if _, ok := p.Type.(*ast.Ellipsis); ok {
				call.Ellipsis = 1
			}
		}
	}
	var results *ast.FieldList
	var body ast.Stmt = &ast.ExprStmt{X: call}
	if sig.Results != nil && len(sig.Results.List) > 0 {
		results = &ast.FieldList{}
		for _, r := range sig.Results.List {
			for range max(len(r.Names), 1) {
				results.List = append(results.List, &ast.Field{Type: copyExpr(r.Type)})
			}
		}
		body = &ast.ReturnStmt{Results: []ast.Expr{call}}
	}
	return &ast.FuncLit{Type: &ast.FuncType{Params: params, Results: results}, Body: &ast.BlockStmt{List: []ast.Stmt{body}}}
}

// parenType parenthesises a type for use as a conversion's function.
func parenType(t ast.Expr) ast.Expr {
	switch t.(type) {
	case *ast.Ident, *ast.ParenExpr:
		return t
	}
	return &ast.ParenExpr{X: t}
}

// copyExpr copies a type expression, so that the rewritten tree shares no
// node between two places (a later rewrite may change one of them).
func copyExpr(e ast.Expr) ast.Expr {
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), e); err != nil {
		return e
	}
	c, err := parser.ParseExpr(b.String())
	if err != nil {
		return e
	}
	return c
}

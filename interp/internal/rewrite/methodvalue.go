package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// methodValues evaluates a method value's receiver when the value is
// made, as Go does, in a function literal called on the spot. yaegi
// v0.16.1 reads the receiver when the method is called: `f = p.M` (M with
// a value receiver) did not panic for a nil p and saw later changes of *p,
// and `f = i.M` did not panic for a nil interface (Go's test/method5.go).
// The receiver is copied (dereferenced, for a value receiver reached
// through a pointer), and a nil interface panics with Go's run-time error
// (ᐧs.NilDeref):
//
//	f = p.M     ->   f = func() func(int) int { ᐧr := *p; return ᐧr.M }()
//	f = v.M     ->   f = func() func(int) int { ᐧr := v; return ᐧr.M }()
//	f = i.M     ->   f = func() func(int) int { ᐧr := i; if ᐧr == nil { ᐧs.NilDeref() }; return ᐧr.M }()
//
// A promoted method's path is written out (x.M with M of an embedded *T3
// reads x.T2.T3 then), so a nil pointer on the way panics too. Only a
// cell's method whose signature go/types can write is rewritten; a method with a pointer receiver of an addressable value
// (`v.M` meaning `(&v).M`) is bound to the variable in Go too and stays.
// It runs on the names as written, before the renames.
func methodValues(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	called := map[*ast.SelectorExpr]bool{}
	methods := map[string]bool{} // the names of the methods f declares
	var sels []*ast.SelectorExpr
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				called[s] = true
			}
		case *ast.SelectorExpr:
			sels = append(sels, n)
		case *ast.FuncDecl:
			if n.Recv != nil {
				methods[n.Name.Name] = true
			}
		case *ast.InterfaceType:
			for _, m := range n.Methods.List {
				for _, name := range m.Names {
					methods[name.Name] = true
				}
			}
		}
		return true
	})
	// A selector not called, named like a method of f or of the context
	// (read once for each name, not each selector: most are fields).
	names := map[string]bool{}
	for _, s := range sels {
		if !called[s] {
			names[s.Sel.Name] = true
		}
	}
	candidate := false
	for name := range names {
		candidate = methods[name]
		for _, d := range context {
			candidate = candidate || strings.Contains(d, name+"(")
		}
		if candidate {
			break
		}
	}
	if !candidate {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	qual := types.RelativeTo(pkg)
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		s, ok := e.(*ast.SelectorExpr)
		if !ok || called[s] {
			return e
		}
		sel := info.Selections[s]
		if sel == nil || sel.Kind() != types.MethodVal {
			return e
		}
		fn, ok := sel.Obj().(*types.Func)
		if !ok || fn.Pkg() != pkg {
			return e
		}
		recv := fn.Type().(*types.Signature).Recv()
		if recv == nil {
			return e
		}
		_, ptrRecv := recv.Type().(*types.Pointer)
		// The path to a promoted method's receiver, written out: x.T2.T3.
		xt, x := sel.Recv(), s.X
		for _, i := range sel.Index()[:len(sel.Index())-1] {
			t := xt
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				return e
			}
			fld := st.Field(i)
			x = &ast.SelectorExpr{X: x, Sel: &ast.Ident{NamePos: s.Sel.Pos(), Name: fld.Name()}}
			xt = fld.Type()
		}
		_, ptrX := xt.Underlying().(*types.Pointer)
		iface := types.IsInterface(xt)
		if !iface && ptrRecv && !ptrX {
			return e // (&v).M: bound to v in Go too
		}
		sig := types.TypeString(sel.Type(), qual)
		if strings.Contains(sig, "invalid type") {
			return e
		}
		typ, err := parser.ParseExpr(sig)
		if err != nil {
			return e
		}
		ft, ok := typ.(*ast.FuncType)
		if !ok {
			return e
		}
		at := s.Pos()
		id := func(name string) *ast.Ident { return &ast.Ident{NamePos: at, Name: name} }
		val := x
		if ptrX && !ptrRecv {
			val = &ast.StarExpr{Star: at, X: x}
		}
		body := []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{id("ᐧr")}, TokPos: at, Tok: token.DEFINE, Rhs: []ast.Expr{val}}}
		if iface {
			body = append(body, &ast.IfStmt{If: at,
				Cond: &ast.BinaryExpr{X: id("ᐧr"), OpPos: at, Op: token.EQL, Y: id("nil")},
				Body: &ast.BlockStmt{Lbrace: at, List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: id(Sess), Sel: id("NilDeref")}, Lparen: at, Rparen: at}}}, Rbrace: at}})
		}
		body = append(body, &ast.ReturnStmt{Return: at, Results: []ast.Expr{&ast.SelectorExpr{X: id("ᐧr"), Sel: s.Sel}}})
		lit := &ast.FuncLit{
			Type: &ast.FuncType{Func: at, Params: &ast.FieldList{Opening: at, Closing: at}, Results: &ast.FieldList{List: []*ast.Field{{Type: ft}}}},
			Body: &ast.BlockStmt{Lbrace: at, List: body, Rbrace: s.End()},
		}
		return &ast.CallExpr{Fun: lit, Lparen: at, Rparen: s.End()}
	})
}

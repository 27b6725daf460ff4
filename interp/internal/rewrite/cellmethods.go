package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// registerCellMethods registers each String and Error method a file
// declares (func (r T) String() string) with the session, under yaegi's
// name of the receiver type, as a closure native code can call
// (lib.CellMethods). yaegi v0.16.1 hands a cell value held in a variable
// of type any to native code as its internal valueInterface, so that
//
//	func show(v any) { fmt.Println(v) }; show(Celsius{7})
//
// printed <nil> or {0xc000... {...}}, or failed in String; with the
// registration fmt calls the method:
//
//	func (c Celsius) String() string { ... }
//	->
//	func (c Celsius) String() string { ... }
//	var _ = ᐧs.Method("main.Celsius", "String", func(ᐧr Celsius) string { return ᐧr.String() })
//
// It runs after the renames: the name is the one yaegi knows the type by
// (main.Tᐧ2 for a redefined T). Methods of generic types are left out.
func registerCellMethods(f *ast.File) {
	var regs []ast.Decl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || (fd.Name.Name != "String" && fd.Name.Name != "Error") {
			continue
		}
		ft := fd.Type
		if ft.Params.NumFields() != 0 || ft.Results.NumFields() != 1 {
			continue
		}
		if id, ok := ft.Results.List[0].Type.(*ast.Ident); !ok || id.Name != "string" {
			continue
		}
		recv := fd.Recv.List[0].Type
		name, ptr := "", ""
		switch t := recv.(type) {
		case *ast.Ident:
			name = t.Name
		case *ast.StarExpr:
			if id, ok := t.X.(*ast.Ident); ok {
				name, ptr = id.Name, "*"
			}
		}
		if name == "" {
			continue // a generic receiver, T[K]
		}
		typ := &ast.Ident{Name: name}
		var rt ast.Expr = typ
		if ptr != "" {
			rt = &ast.StarExpr{X: typ}
		}
		r := func() *ast.Ident { return ast.NewIdent("ᐧr") }
		closure := &ast.FuncLit{
			Type: &ast.FuncType{
				Params:  &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{r()}, Type: rt}}},
				Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("string")}}},
			},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: []ast.Expr{&ast.CallExpr{
				Fun: &ast.SelectorExpr{X: r(), Sel: ast.NewIdent(fd.Name.Name)},
			}}}}},
		}
		call := &ast.CallExpr{
			Fun: &ast.SelectorExpr{X: ast.NewIdent(Sess), Sel: ast.NewIdent("Method")},
			Args: []ast.Expr{
				&ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(ptr + "main." + name)},
				&ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(fd.Name.Name)},
				closure,
			},
		}
		// At the method's end: yaegi orders and reports package-level
		// vars by position.
		at := fd.End()
		call.Lparen, call.Rparen = at, at
		regs = append(regs, &ast.GenDecl{TokPos: at, Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{
			Names: []*ast.Ident{{NamePos: at, Name: "_"}}, Type: &ast.Ident{NamePos: at, Name: "bool"}, Values: []ast.Expr{call},
		}}})
	}
	f.Decls = append(f.Decls, regs...)
}

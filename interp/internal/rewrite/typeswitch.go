package rewrite

import (
	"go/ast"
	"go/token"
)

// typeSwitchesToAssertions rewrites type switches with a case naming a
// type defined in a cell: when the value came back from native code (a
// layer stored in an nn.Sequential), yaegi's type switch sees the native
// wrapper and falls to default, while a type assertion unwraps it. So
//
//	switch v := x.(type) { case *T: A; case U, V: B; default: C }
//
// becomes
//
//	switch { default: ᐧx := x
//		if v, ᐧok := ᐧx.(*T); ᐧok { A } else if <ᐧx is a U> || <ᐧx is a V> { v := ᐧx; B } else { v := ᐧx; C } }
//
// (the switch keeps `break` meaning what it meant).
func typeSwitchesToAssertions(f *ast.File, sessionTypes map[string]bool) {
	names := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && sessionTypes[id.Name] {
				found = true
			}
			return !found
		})
		return found
	}
	var fix func(list []ast.Stmt)
	fix = func(list []ast.Stmt) {
		for i, st := range list {
			ts, ok := st.(*ast.TypeSwitchStmt)
			if !ok {
				continue
			}
			uses := false
			for _, c := range ts.Body.List {
				for _, t := range c.(*ast.CaseClause).List {
					if names(t) {
						uses = true
					}
				}
			}
			if uses {
				if r := typeSwitchChain(ts); r != nil {
					list[i] = r
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BlockStmt:
			fix(x.List)
		case *ast.CaseClause:
			fix(x.Body)
		case *ast.CommClause:
			fix(x.Body)
		}
		return true
	})
}

// typeSwitchChain is the rewrite of one type switch for
// typeSwitchesToAssertions, nil when its form is not one it handles.
func typeSwitchChain(ts *ast.TypeSwitchStmt) ast.Stmt {
	var bound string // v in `switch v := x.(type)`
	var subject ast.Expr
	switch a := ts.Assign.(type) {
	case *ast.AssignStmt:
		if len(a.Lhs) != 1 || len(a.Rhs) != 1 {
			return nil
		}
		bound = a.Lhs[0].(*ast.Ident).Name
		ta, ok := a.Rhs[0].(*ast.TypeAssertExpr)
		if !ok {
			return nil
		}
		subject = ta.X
	case *ast.ExprStmt:
		ta, ok := a.X.(*ast.TypeAssertExpr)
		if !ok {
			return nil
		}
		subject = ta.X
	default:
		return nil
	}
	x := func() ast.Expr { return ast.NewIdent("ᐧx") }
	bindAll := func(body []ast.Stmt) []ast.Stmt {
		if bound == "" || bound == "_" {
			return body
		}
		return append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(bound)}, Tok: token.DEFINE, Rhs: []ast.Expr{x()}}}, body...)
	}
	var chain ast.Stmt
	var last *ast.IfStmt
	var deflt []ast.Stmt
	hasDefault := false
	for _, c := range ts.Body.List {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			deflt, hasDefault = cc.Body, true
			continue
		}
		var ifs *ast.IfStmt
		if len(cc.List) == 1 && !isNilIdent(cc.List[0]) {
			name := bound
			if name == "" {
				name = "_"
			}
			ifs = &ast.IfStmt{
				Init: &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name), ast.NewIdent("ᐧok")}, Tok: token.DEFINE,
					Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x(), Type: cc.List[0]}}},
				Cond: ast.NewIdent("ᐧok"),
				Body: &ast.BlockStmt{List: cc.Body},
			}
		} else {
			var cond ast.Expr
			for _, t := range cc.List {
				var one ast.Expr
				if isNilIdent(t) {
					one = &ast.BinaryExpr{X: x(), Op: token.EQL, Y: ast.NewIdent("nil")}
				} else {
					one = &ast.CallExpr{Fun: &ast.FuncLit{
						Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}},
						Body: &ast.BlockStmt{List: []ast.Stmt{
							&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_"), ast.NewIdent("ᐧok")}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x(), Type: t}}},
							&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("ᐧok")}},
						}},
					}}
				}
				if cond == nil {
					cond = one
				} else {
					cond = &ast.BinaryExpr{X: cond, Op: token.LOR, Y: one}
				}
			}
			ifs = &ast.IfStmt{Cond: cond, Body: &ast.BlockStmt{List: bindAll(cc.Body)}}
		}
		if last == nil {
			chain = ifs
		} else {
			last.Else = ifs
		}
		last = ifs
	}
	if hasDefault {
		if last == nil {
			chain = &ast.BlockStmt{List: bindAll(deflt)}
		} else {
			last.Else = &ast.BlockStmt{List: bindAll(deflt)}
		}
	}
	inner := []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{x()}, Tok: token.DEFINE, Rhs: []ast.Expr{subject}}}
	if ts.Init != nil {
		inner = append([]ast.Stmt{ts.Init}, inner...)
	}
	if chain != nil {
		inner = append(inner, chain)
	}
	return &ast.SwitchStmt{Switch: ts.Switch, Body: &ast.BlockStmt{List: []ast.Stmt{&ast.CaseClause{Body: inner}}}}
}

func isNilIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
)

// rangeFunc turns a range over a function iterator (Go 1.23), when the
// iterator's type is known from its declaration, into a call:
// `for k, v := range seq { body }` becomes
// `seq(func(k K, v V) bool { body; return true })`, continue becoming
// `return true` and break `return false`. Loops the rewrite cannot keep
// (return, goto, labels) are left to fail with the session's clear error.
func rangeFunc(r *ast.RangeStmt, funcTypes map[string]string) ast.Stmt {
	var typText string
	switch x := r.X.(type) {
	case *ast.Ident:
		typText = funcTypes[x.Name]
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			typText = funcTypes["call:"+id.Name]
		}
	case *ast.FuncLit:
		typText = types.ExprString(x.Type)
	}
	if typText == "" {
		return nil
	}
	te, err := parser.ParseExpr(typText)
	if err != nil {
		return nil
	}
	ft, ok := te.(*ast.FuncType)
	if !ok || ft.Params.NumFields() != 1 || ft.Results.NumFields() != 0 {
		return nil
	}
	yt, ok := ft.Params.List[0].Type.(*ast.FuncType)
	if !ok || yt.Results.NumFields() != 1 || yt.Params.NumFields() > 2 {
		return nil
	}
	var ptypes []ast.Expr
	for _, f := range yt.Params.List {
		n := max(len(f.Names), 1)
		for i := 0; i < n; i++ {
			ptypes = append(ptypes, f.Type)
		}
	}
	if (r.Key != nil && len(ptypes) < 1) || (r.Value != nil && len(ptypes) < 2) || !loopBodyRewritable(r.Body) {
		return nil
	}
	params := &ast.FieldList{}
	var pre []ast.Stmt
	vars := []ast.Expr{r.Key, r.Value}
	for i, t := range ptypes {
		name := "_"
		if v := vars[i]; v != nil && !isBlank(v) {
			if r.Tok == token.DEFINE {
				name = v.(*ast.Ident).Name
			} else {
				name = fmt.Sprintf("ᐧp%d", i)
				pre = append(pre, &ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent(name)}})
			}
		}
		params.List = append(params.List, &ast.Field{Names: []*ast.Ident{ast.NewIdent(name)}, Type: t})
	}
	body := rewriteLoopControl(r.Body)
	body.List = append(pre, append(body.List, &ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("true")}})...)
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: r.X, Lparen: r.For, Args: []ast.Expr{&ast.FuncLit{
		Type: &ast.FuncType{Func: r.For, Params: params, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}},
		Body: body,
	}}}}
}

// loopBodyRewritable reports a loop body without return, goto or labeled
// branches (outside nested function literals).
func loopBodyRewritable(b *ast.BlockStmt) bool {
	ok := true
	ast.Inspect(b, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			ok = false
		case *ast.BranchStmt:
			if x.Label != nil || x.Tok == token.GOTO {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// rewriteLoopControl turns the body's own continue and break (not those of
// nested loops, switches and selects) into returns of the yield function.
func rewriteLoopControl(b *ast.BlockStmt) *ast.BlockStmt {
	var walk func(n ast.Node, inLoop, inSwitch bool)
	walk = func(n ast.Node, inLoop, inSwitch bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if m == n {
				return true
			}
			switch x := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				walk(x, true, inSwitch)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(x, inLoop, true)
				return false
			case *ast.BlockStmt:
				for i, st := range x.List {
					x.List[i] = controlStmt(st, inLoop, inSwitch)
				}
			case *ast.CaseClause:
				for i, st := range x.Body {
					x.Body[i] = controlStmt(st, inLoop, inSwitch)
				}
			case *ast.CommClause:
				for i, st := range x.Body {
					x.Body[i] = controlStmt(st, inLoop, inSwitch)
				}
			}
			return true
		})
	}
	for i, st := range b.List {
		b.List[i] = controlStmt(st, false, false)
	}
	walk(b, false, false)
	return b
}

func controlStmt(st ast.Stmt, inLoop, inSwitch bool) ast.Stmt {
	br, ok := st.(*ast.BranchStmt)
	if !ok || br.Label != nil {
		return st
	}
	switch {
	case br.Tok == token.CONTINUE && !inLoop:
		return &ast.ReturnStmt{Return: br.Pos(), Results: []ast.Expr{ast.NewIdent("true")}}
	case br.Tok == token.BREAK && !inLoop && !inSwitch:
		return &ast.ReturnStmt{Return: br.Pos(), Results: []ast.Expr{ast.NewIdent("false")}}
	}
	return st
}

package rewrite

import (
	"go/ast"
	"go/token"
)

// guardClosureRecursion starts each func literal assigned to a variable
// whose body calls such a variable (`g = func(n int) int { return g(n+1) }`,
// or two literals calling each other) with the guard guardRecursion gives
// recursive funcs: recursion through a closure variable runs into no
// named func, and unbounded it overflows the goroutine's stack, which ends
// the process. Shadowing is ignored: at worst a literal is guarded that
// did not need it.
func guardClosureRecursion(f *ast.File) {
	lits := map[string][]*ast.FuncLit{} // variable -> the literals assigned to it
	note := func(lhs []ast.Expr, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, r := range rhs {
			id, ok1 := lhs[i].(*ast.Ident)
			fl, ok2 := r.(*ast.FuncLit)
			if ok1 && ok2 && id.Name != "_" {
				lits[id.Name] = append(lits[id.Name], fl)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				note(n.Lhs, n.Rhs)
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			note(lhs, n.Values)
		}
		return true
	})
	if len(lits) == 0 {
		return
	}
	guarded := map[*ast.FuncLit]bool{}
	for _, fls := range lits {
		for _, fl := range fls {
			if guarded[fl] || !callsAnyOf(fl.Body, lits) {
				continue
			}
			guarded[fl] = true
			fl.Body.List = append([]ast.Stmt{recursionGuard(fl.Body.Lbrace)}, fl.Body.List...)
		}
	}
}

// callsAnyOf tells whether body calls one of names' variables by name.
func callsAnyOf(body *ast.BlockStmt, names map[string][]*ast.FuncLit) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && names[id.Name] != nil {
				found = true
			}
		}
		return !found
	})
	return found
}

// recursionGuard is `defer ᐧs.Leave(ᐧs.Enter())`, at pos.
func recursionGuard(pos token.Pos) ast.Stmt {
	return &ast.DeferStmt{Defer: pos, Call: &ast.CallExpr{
		Fun:  &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Leave")},
		Args: []ast.Expr{&ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Enter")}}},
	}}
}

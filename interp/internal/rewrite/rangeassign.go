package rewrite

import (
	"go/ast"
	"go/token"
)

// rangeAssign turns a range statement that assigns existing variables (=)
// into one that defines its own and assigns them at the start of each
// iteration, as Go's does: yaegi v0.16.1 kept the values apart from the
// variable, so that after `for i = range [2]int{}` i was 0 and a closure
// reading i saw 2:
//
//	for i = range xs { ... }        ->   for ᐧk := range xs { i = ᐧk; ... }
//	for k, a[j] = range m { ... }   ->   for ᐧk, ᐧv := range m { k, a[j] = ᐧk, ᐧv; ... }
func rangeAssign(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		r, ok := n.(*ast.RangeStmt)
		if !ok || r.Tok != token.ASSIGN || r.Key == nil {
			return true
		}
		lhs := []ast.Expr{r.Key}
		tmps := []ast.Expr{ast.NewIdent("ᐧk")}
		if r.Value != nil {
			lhs = append(lhs, r.Value)
			tmps = append(tmps, ast.NewIdent("ᐧv"))
		}
		var rhs []ast.Expr
		for _, t := range tmps {
			rhs = append(rhs, ast.NewIdent(t.(*ast.Ident).Name))
		}
		r.Key = tmps[0]
		if r.Value != nil {
			r.Value = tmps[1]
		}
		r.Tok = token.DEFINE
		r.Body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, TokPos: r.TokPos, Tok: token.ASSIGN, Rhs: rhs}}, r.Body.List...)
		return true
	})
}

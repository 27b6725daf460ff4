package rewrite

import (
	"go/ast"
	"go/token"
)

// AssignThroughPointer rewrites assignments to a package's variables
// (pkg.V = e, pkg.V += e, pkg.V++) into assignments through its address.
// yaegi refuses to assign to a native package's variable of a basic type
// ("cannot assign to 524288 (int constant)", for runtime.MemProfileRate = 0)
// but assigns through a pointer to it. isPkg says whether a name, where
// it is used, is an imported package (not shadowed).
//
//	before: runtime.MemProfileRate = 0
//	after:  *(&runtime.MemProfileRate) = 0
func AssignThroughPointer(n ast.Node, isPkg func(*ast.Ident) bool) {
	deref := func(e ast.Expr) ast.Expr {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return e
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || !isPkg(id) {
			return e
		}
		return &ast.StarExpr{Star: sel.Pos(), X: &ast.ParenExpr{Lparen: sel.Pos(), X: &ast.UnaryExpr{OpPos: sel.Pos(), Op: token.AND, X: sel}, Rparen: sel.End()}}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				return true
			}
			for i, l := range s.Lhs {
				s.Lhs[i] = deref(l)
			}
		case *ast.IncDecStmt:
			s.X = deref(s.X)
		}
		return true
	})
}

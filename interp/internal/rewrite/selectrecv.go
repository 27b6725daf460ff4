package rewrite

import (
	"go/ast"
	"go/token"
)

// selectRecvParens takes the parentheses off a select case's receive,
// which Go allows and yaegi v0.16.1 refuses ("unsupported assign
// expression"):
//
//	case x, ok := (<-ch):  ->  case x, ok := <-ch:
//	case (<-ch):           ->  case <-ch:
func selectRecvParens(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		cc, ok := n.(*ast.CommClause)
		if !ok {
			return true
		}
		switch c := cc.Comm.(type) {
		case *ast.AssignStmt:
			if len(c.Rhs) == 1 {
				c.Rhs[0] = unparenRecv(c.Rhs[0])
			}
		case *ast.ExprStmt:
			c.X = unparenRecv(c.X)
		}
		return true
	})
}

// unparenRecv is e without the parentheses around it when it is a receive.
func unparenRecv(e ast.Expr) ast.Expr {
	inner := e
	for {
		p, ok := inner.(*ast.ParenExpr)
		if !ok {
			break
		}
		inner = p.X
	}
	if u, ok := inner.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u
	}
	return e
}

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

// selectRecvAssign receives into temporaries in a select case that
// assigns what it receives (=, not :=), and assigns them at the start of
// the case's body, which is when Go evaluates the left-hand side: yaegi
// v0.16.1 panicked ("reflect.Select: invalid Dir") on every such case, a
// variable, a field or a dereference.
//
//	case x.a = <-c:        ->  case ᐧv := <-c: x.a = ᐧv
//	case i, ok = <-c:      ->  case ᐧv, ᐧok := <-c: i, ok = ᐧv, ᐧok
//
// A case that defines variables (:=) defines them the same way in its
// body: yaegi kept one variable for all executions of the case, so that
// the pointers &v taken in a loop's iterations were all the same (escape.go).
//
//	case v := <-c:         ->  case ᐧv := <-c: v := ᐧv
func selectRecvAssign(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		cc, ok := n.(*ast.CommClause)
		if !ok {
			return true
		}
		as, ok := cc.Comm.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) > 2 {
			return true
		}
		if as.Tok == token.DEFINE && allBlank(as.Lhs) {
			return true
		}
		tmps := []ast.Expr{ast.NewIdent("ᐧv"), ast.NewIdent("ᐧok")}[:len(as.Lhs)]
		set := &ast.AssignStmt{Lhs: as.Lhs, TokPos: as.TokPos, Tok: as.Tok, Rhs: []ast.Expr{}}
		for _, t := range tmps {
			set.Rhs = append(set.Rhs, ast.NewIdent(t.(*ast.Ident).Name))
		}
		cc.Comm = &ast.AssignStmt{Lhs: tmps, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: as.Rhs}
		cc.Body = append([]ast.Stmt{set}, cc.Body...)
		return true
	})
}

// allBlank tells whether every expression of l is the blank identifier.
func allBlank(l []ast.Expr) bool {
	for _, e := range l {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

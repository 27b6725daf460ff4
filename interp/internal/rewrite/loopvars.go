package rewrite

import (
	"go/ast"
	"go/token"
)

// perIterationLoopVars gives loops Go 1.22's per-iteration variables where
// it shows: yaegi shares one variable across iterations, so closures made in
// a loop would all see its last value. A body with a function literal gets
// `i := i` at its start for each loop variable (for a three-clause loop,
// only when the body does not assign the variable itself).
func perIterationLoopVars(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		var vars []*ast.Ident
		var body *ast.BlockStmt
		switch x := n.(type) {
		case *ast.RangeStmt:
			if x.Tok != token.DEFINE {
				return true
			}
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					vars = append(vars, id)
				}
			}
			body = x.Body
		case *ast.ForStmt:
			as, ok := x.Init.(*ast.AssignStmt)
			if !ok || as.Tok != token.DEFINE {
				return true
			}
			for _, e := range as.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" && !assigns(x.Body, id.Name) {
					vars = append(vars, id)
				}
			}
			body = x.Body
		default:
			return true
		}
		if len(vars) == 0 || body == nil || !hasFuncLit(body) {
			return true
		}
		copies := make([]ast.Stmt, 0, len(vars)+len(body.List))
		for _, v := range vars {
			copies = append(copies, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(v.Name)}, Tok: token.DEFINE, Rhs: []ast.Expr{ast.NewIdent(v.Name)}})
		}
		body.List = append(copies, body.List...)
		return true
	})
}

func hasFuncLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if _, ok := m.(*ast.FuncLit); ok {
			found = true
		}
		return !found
	})
	return found
}

// assigns reports whether n assigns name or takes its address.
func assigns(n ast.Node, name string) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == name
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch x := m.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for _, l := range x.Lhs {
					if is(l) {
						found = true
					}
				}
			}
		case *ast.IncDecStmt:
			if is(x.X) {
				found = true
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND && is(x.X) {
				found = true
			}
		}
		return !found
	})
	return found
}

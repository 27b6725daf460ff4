package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// selectChanOperands evaluates a select's channel operands into variables
// before the select when one of them is an index expression: yaegi v0.16.1
// crashes compiling a receive case on an element of a pointer to an array
// ("runtime error: invalid memory address or nil pointer dereference" for
// `case it = <-dat[0]`, dat a *[2]chan rat), and a variable works. Go
// evaluates the channel operands, and the values sent, once, in source
// order, on entering the select, so
//
//	select {                          {
//	case req[0] <- n:                     ᐧc0, ᐧc1 := req[0], dat[0]
//	case it := <-dat[0]:        ->        select {
//	}                                     case ᐧc0 <- n:
//	                                      case it := <-ᐧc1:
//	                                      }
//	                                  }
//
// A value sent that calls or receives is evaluated there too, in order; a
// label on the select stays on it.
func selectChanOperands(f *ast.File) {
	eachStmtList(f, func(list []ast.Stmt) {
		for i, st := range list {
			sel, ok := st.(*ast.SelectStmt)
			lab, isLab := st.(*ast.LabeledStmt)
			if isLab {
				sel, ok = lab.Stmt.(*ast.SelectStmt)
			}
			if !ok || !indexedChan(sel) {
				continue
			}
			var names, vals []ast.Expr
			hoist := func(e *ast.Expr) {
				if _, ok := (*e).(*ast.Ident); ok {
					return
				}
				name := "ᐧc" + strconv.Itoa(len(names))
				names, vals = append(names, ast.NewIdent(name)), append(vals, *e)
				*e = ast.NewIdent(name)
			}
			for _, c := range sel.Body.List {
				switch comm := c.(*ast.CommClause).Comm.(type) {
				case *ast.SendStmt:
					hoist(&comm.Chan)
					if runsSomething(comm.Value) {
						hoist(&comm.Value)
					}
				case *ast.ExprStmt:
					if u, ok := comm.X.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
						hoist(&u.X)
					}
				case *ast.AssignStmt:
					if u, ok := comm.Rhs[0].(*ast.UnaryExpr); ok && len(comm.Rhs) == 1 && u.Op == token.ARROW {
						hoist(&u.X)
					}
				}
			}
			list[i] = &ast.BlockStmt{Lbrace: st.Pos(), List: []ast.Stmt{
				&ast.AssignStmt{Lhs: names, Tok: token.DEFINE, Rhs: vals},
				st,
			}, Rbrace: st.End()}
		}
	})
}

// indexedChan tells whether a case of sel sends or receives on an index
// expression.
func indexedChan(sel *ast.SelectStmt) bool {
	for _, c := range sel.Body.List {
		var ch ast.Expr
		switch comm := c.(*ast.CommClause).Comm.(type) {
		case *ast.SendStmt:
			ch = comm.Chan
		case *ast.ExprStmt:
			if u, ok := comm.X.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				ch = u.X
			}
		case *ast.AssignStmt:
			if u, ok := comm.Rhs[0].(*ast.UnaryExpr); ok && len(comm.Rhs) == 1 && u.Op == token.ARROW {
				ch = u.X
			}
		}
		if _, ok := ast.Unparen(ch).(*ast.IndexExpr); ok {
			return true
		}
	}
	return false
}

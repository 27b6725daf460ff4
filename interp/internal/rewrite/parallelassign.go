package rewrite

import (
	"go/ast"
	"go/token"
)

// parallelAssignParens puts parentheses around the calls, receives and
// composite literals among the values of an assignment or declaration of
// several variables. yaegi v0.16.1 lets such a value write straight into
// its variable and then skips the whole statement's assignment, so the
// other variables kept their old values (`want, got = a+c, f(a)` left
// want 0; `x, y := n, T{2}` gave x 0); a parenthesised value is not
// optimised that way. yaegi does not optimise calls in definitions (:=
// and var), which stay as they are:
//
//	want, got = a+c, f(a)    ->   want, got = a+c, (f(a))
//	x, y := n, T{2}          ->   x, y := n, (T{2})
//	var v, ok = k, <-ch      ->   var v, ok = k, (<-ch)
//	x, y := n, f(a)          ->   x, y := n, f(a)
//
// A receive returned from a function had the same fault ("reflect.Value.Set
// using unaddressable value"), one assigned to an element, a field,
// through a pointer or to a variable of an enclosing function was lost,
// and a variable defined by one could not be assigned by a closure:
//
//	return <-c               ->   return (<-c)
//	xs[i] = <-c              ->   xs[i] = (<-c)
//	s := <-c                 ->   s := (<-c)
//
// So did a negation assigned to a variable of an interface type (`a =
// !a.(bool)` with a an any panicked "reflect: call of
// reflect.Value.SetBool on interface Value"); without the types, every
// negation assigned with = is parenthesised (it costs one copy):
//
//	a = !a.(bool)            ->   a = (!a.(bool))
func parallelAssignParens(f *ast.File) {
	var visit func(ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CommClause:
			// A select case's own receive stays bare (selectRecvParens).
			for _, st := range n.Body {
				ast.Inspect(st, visit)
			}
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) > 1 && len(n.Rhs) == len(n.Lhs) {
				severalParens(n.Rhs, n.Tok == token.ASSIGN)
			} else if len(n.Lhs) == 1 && len(n.Rhs) == 1 && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
				recvParens(n.Rhs)
				if u, ok := n.Rhs[0].(*ast.UnaryExpr); ok && u.Op == token.NOT && n.Tok == token.ASSIGN {
					n.Rhs[0] = &ast.ParenExpr{Lparen: u.Pos(), X: u, Rparen: u.End()}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) > 1 && len(n.Values) == len(n.Names) {
				severalParens(n.Values, false)
			} else if len(n.Names) == 1 && len(n.Values) == 1 {
				recvParens(n.Values)
			}
		case *ast.ReturnStmt:
			recvParens(n.Results)
		}
		return true
	}
	ast.Inspect(f, visit)
}

// severalParens parenthesises the composite literals and receives of
// vals, the values of an assignment of several, and their calls too when
// calls is set.
func severalParens(vals []ast.Expr, calls bool) {
	for i, v := range vals {
		switch x := v.(type) {
		case *ast.CompositeLit:
		case *ast.CallExpr:
			if !calls {
				continue
			}
		case *ast.UnaryExpr:
			if x.Op != token.ARROW {
				continue
			}
		default:
			continue
		}
		vals[i] = &ast.ParenExpr{Lparen: v.Pos(), X: v, Rparen: v.End()}
	}
}

// recvParens parenthesises the receives of vals.
func recvParens(vals []ast.Expr) {
	for i, v := range vals {
		if u, ok := v.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			vals[i] = &ast.ParenExpr{Lparen: v.Pos(), X: v, Rparen: v.End()}
		}
	}
}

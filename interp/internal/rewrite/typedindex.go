package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// yaegi cannot infer the type of a global defined at the top level of a
// cell from an index or slice of a global whose type came from native code
// (`grid := ag.Meshgrid(...)`, then `XX := grid[0]`: "constant definition
// loop"; its global type analysis knows index types of interpreted slices
// only). Converting the operand to its own type, `([]*ag.Tensor)(grid)[0]`,
// tells yaegi the type, so the rewrite writes that conversion for operands
// whose type it knows and can name with the packages the session imported.
//
// The session (cellsrc's typer) infers those types without running anything, in source
// order, from the values of the globals of earlier cells and from the
// expressions that define the cell's own variables, when native code fixes
// their types: a call of a package function (`ag.Meshgrid(...)`,
// `strings.Split(...)`), a package variable (`os.Args`), a method call,
// field, index or slice of a value whose type is known. Each operand is
// keyed by its source text; one written twice with different types (a
// variable redefined in between) is left alone.

// typedTopLevelIndex rewrites the operands of index and slice expressions
// on the right of top-level `:=` statements whose types are known
// (operands: source text -> type as source, fixed when the cell is planned
// so that rebuilding the unit later, on the trial interpreter, gives the
// same program).
func typedTopLevelIndex(list []ast.Stmt, operands map[string]string) {
	if len(operands) == 0 {
		return
	}
	addressed := map[ast.Expr]bool{} // operands of &x[i]
	typed := func(e ast.Expr, slice bool) ast.Expr {
		t := operands[types.ExprString(e)]
		if t == "" || (slice || addressed[e]) && isArrayType(t) {
			// An array is sliced or addressed in place: a conversion
			// would slice a copy or point into one (Go rejects it as
			// unaddressable; yaegi runs it).
			return e
		}
		te, err := parser.ParseExpr(t)
		if err != nil {
			return e
		}
		return &ast.CallExpr{Fun: &ast.ParenExpr{X: te}, Args: []ast.Expr{e}}
	}
	for _, st := range list {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, rhs := range as.Rhs {
				ast.Inspect(rhs, func(n ast.Node) bool {
					if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
						if ix, ok := ast.Unparen(u.X).(*ast.IndexExpr); ok {
							addressed[ix.X] = true
						}
					}
					return true
				})
			}
			IndexOperands(as, func(x *ast.Expr, slice bool) { *x = typed(*x, slice) })
		}
	}
}

// IndexOperands calls f on the operands of the index and slice expressions
// on the right of a `:=`, outer ones first, outside function literals
// (inside them yaegi infers types itself).
func IndexOperands(as *ast.AssignStmt, f func(x *ast.Expr, slice bool)) {
	for _, rhs := range as.Rhs {
		ast.Inspect(rhs, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.IndexExpr:
				f(&x.X, false)
			case *ast.SliceExpr:
				f(&x.X, true)
			}
			return true
		})
	}
}

// isArrayType tells whether t, a type as source, is an array type.
func isArrayType(t string) bool {
	return strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "[]")
}

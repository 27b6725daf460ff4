package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// typedTopLevelIndex rewrites the operands of index and slice expressions
// on the right of top-level `:=` statements whose types are known
// (operands: source text -> type as source, fixed when the cell is planned
// so that rebuilding the unit later, on the trial interpreter, gives the
// same program).
func typedTopLevelIndex(list []ast.Stmt, operands map[string]string) {
	if len(operands) == 0 {
		return
	}
	typed := func(e ast.Expr, slice bool) ast.Expr {
		t := operands[types.ExprString(e)]
		if t == "" || slice && isArrayType(t) {
			// An array is sliced in place: a conversion would slice a
			// copy (Go rejects it as unaddressable; yaegi runs it).
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

package rewrite

import (
	"go/ast"
	"go/token"
)

// realImagConstants writes out real and imag of complex constants. yaegi
// v0.16.1 fails to compile them ("CFG post-order panic: reflect: call of
// reflect.Value.Complex on interface Value"), while Go folds them; go/types
// gives the value, written as a float literal of the result's type:
//
//	const C = 1 + 2i; real(C)            ->   1.0
//	const Ce complex128 = 10; real(Ce)   ->   float64(10.0)
func realImagConstants(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	isRealImag := func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return false
		}
		id, ok := c.Fun.(*ast.Ident)
		return ok && (id.Name == "real" || id.Name == "imag")
	}
	if !anyNode(f, isRealImag) {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		if !isRealImag(e) {
			return e
		}
		if lit, ok := constantLiteral(e.Pos(), info.Types[e]); ok {
			return lit
		}
		return e
	})
}

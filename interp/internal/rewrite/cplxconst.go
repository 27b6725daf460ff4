package rewrite

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// realImagConstants writes out real and imag of complex constants. yaegi
// v0.16.1 fails to compile them ("CFG post-order panic: reflect: call of
// reflect.Value.Complex on interface Value"), while Go folds them; go/types
// gives the value, written as a float literal of the result's type:
//
//	const C = 1 + 2i; real(C)            ->   1.0
//	const Ce complex128 = 10; real(Ce)   ->   float64(10.0)
func realImagConstants(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "real" || id.Name == "imag") && len(c.Args) == 1 {
				found = true
			}
		}
		return !found
	})
	if !found {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		c, ok := e.(*ast.CallExpr)
		if !ok {
			return e
		}
		id, ok := c.Fun.(*ast.Ident)
		if !ok || id.Name != "real" && id.Name != "imag" || len(c.Args) != 1 {
			return e
		}
		tv := info.Types[c]
		b, ok := tv.Type.(*types.Basic)
		if tv.Value == nil || tv.Value.Kind() != constant.Float && tv.Value.Kind() != constant.Int || !ok {
			return e
		}
		x, _ := constant.Float64Val(tv.Value)
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") { // a float literal, not an int
			s += ".0"
		}
		lit := &ast.BasicLit{ValuePos: c.Pos(), Kind: token.FLOAT, Value: s}
		if b.Info()&types.IsUntyped != 0 {
			return lit
		}
		return &ast.CallExpr{Fun: &ast.Ident{NamePos: c.Pos(), Name: b.Name()}, Lparen: c.Pos(), Args: []ast.Expr{lit}, Rparen: c.End()}
	})
}

package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// guardedFields are fields of native types holding a func() error that
// native code calls from a goroutine of its own.
var guardedFields = map[string]bool{"Cancel": true}

// guardFuncFields wraps a func() error literal stored in such a field
// (`cmd.Cancel = func() error {...}`, `&exec.Cmd{Cancel: func() error {...}}`)
// in ᐧs.GuardFn, so that a panic in it is reported instead of ending the
// process (engine/guardfield.go).
func guardFuncFields(f *ast.File) {
	wrap := func(field string, e ast.Expr) ast.Expr {
		fl, ok := e.(*ast.FuncLit)
		if !ok || !guardedFields[field] || fl.Type.Params.NumFields() != 0 || fl.Type.Results.NumFields() != 1 {
			return e
		}
		if id, ok := fl.Type.Results.List[0].Type.(*ast.Ident); !ok || id.Name != "error" {
			return e
		}
		return &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent(Sess), Sel: ast.NewIdent("GuardFn")},
			Args: []ast.Expr{&ast.BasicLit{ValuePos: fl.Pos(), Kind: token.STRING, Value: strconv.Quote("field " + field)}, fl},
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok {
						n.Rhs[i] = wrap(sel.Sel.Name, n.Rhs[i])
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok {
				n.Value = wrap(k.Name, n.Value)
			}
		}
		return true
	})
}

package rewrite

import (
	"go/ast"
	"go/token"
)

// needsFuncScope reports a top-level compound statement that defines
// variables in its own scopes (`for i := ...`, `x, y := f()` in a loop
// body...). yaegi gets such variables wrong in blocks at the global level:
// a two-value definition is lost ("undefined: x"), and a definition of a
// name that is also a global overwrites the global. Inside a function
// both are right, so such statements run as `func() { st }()`.
func needsFuncScope(st ast.Stmt) bool {
	switch st.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
	default:
		return false
	}
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				found = true
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				found = true
			}
		case *ast.DeclStmt, *ast.TypeSwitchStmt:
			found = true
		}
		return !found
	})
	return found
}

// inFunc wraps st as `func() { st }()`.
func inFunc(st ast.Stmt) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: st.Pos(), Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{st}},
	}}}
}

package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
)

// topLevelCommaOk rewrites the comma-ok forms `v, ok := x.(T)`,
// `v, ok := m[k]` and `v, ok := <-c` at the top level of a cell, which make
// yaegi panic, into `var v T; var ok bool; func() { v, ok = ... }()`. T
// comes from the assertion, or from the declared type of the map or
// channel (types maps variable names to their types, when known).
func topLevelCommaOk(fset *token.FileSet, list []ast.Stmt, types map[string]string) ([]ast.Stmt, error) {
	var out []ast.Stmt
	for _, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
			out = append(out, st)
			continue
		}
		var typ ast.Expr
		var holder ast.Expr
		switch x := as.Rhs[0].(type) {
		case *ast.TypeAssertExpr:
			typ = x.Type
		case *ast.IndexExpr:
			holder = x.X
		case *ast.UnaryExpr:
			if x.Op != token.ARROW {
				out = append(out, st)
				continue
			}
			holder = x.X
		default:
			out = append(out, st)
			continue
		}
		if holder != nil {
			if id, ok := holder.(*ast.Ident); ok && types[id.Name] != "" {
				if te, err := parser.ParseExpr(types[id.Name]); err == nil {
					switch t := te.(type) {
					case *ast.MapType:
						typ = t.Value
					case *ast.ChanType:
						typ = t.Value
					}
				}
			}
			if typ == nil {
				pos := fset.Position(as.Pos())
				return nil, fmt.Errorf("%s: the interpreter cannot define two variables from %s at the top level of a cell: "+
					"declare them first (var v T; var ok bool) and assign them (v, ok = ...), or do it inside a function", pos, nodeString(as.Rhs[0]))
			}
		}
		decl := func(lhs ast.Expr, typ ast.Expr) {
			if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
				out = append(out, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: as.Pos(), Tok: token.VAR, Specs: []ast.Spec{
					&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(id.Name)}, Type: typ},
				}}})
			}
		}
		decl(as.Lhs[0], typ)
		decl(as.Lhs[1], ast.NewIdent("bool"))
		assign := &ast.AssignStmt{Lhs: as.Lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: as.Rhs}
		out = append(out, &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
			Type: &ast.FuncType{Func: as.Pos(), Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{assign}},
		}}})
	}
	return out, nil
}

func nodeString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.IndexExpr:
		return "a map index (v, ok := m[k])"
	case *ast.UnaryExpr:
		return "a channel receive (v, ok := <-c)"
	default:
		_ = x
		return "this expression"
	}
}

package rewrite

import (
	"go/ast"
)

// guardRecursion starts each recursive function (named in recursive: "f"
// or "T.M") with `defer ᐧs.Leave(ᐧs.Enter())`, which turns runaway
// recursion into a panic before the stack overflows.
func guardRecursion(f *ast.File, recursive map[string]bool) {
	if len(recursive) == 0 {
		return
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		key := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			key = RecvName(fd.Recv.List[0].Type) + "." + key
		}
		if !recursive[key] {
			continue
		}
		guard := &ast.DeferStmt{Defer: fd.Body.Lbrace, Call: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Leave")},
			Args: []ast.Expr{&ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Enter")}}},
		}}
		fd.Body.List = append([]ast.Stmt{guard}, fd.Body.List...)
	}
}

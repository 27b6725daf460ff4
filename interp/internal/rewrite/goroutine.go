package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
)

// goRecover rewrites `go f(a, b)` into
//
//	{ ᐧa0, ᐧa1 := a, b; ᐧs.GoStart(); go func() { ᐧs.GoRun(func() { defer <recover and report>; f(ᐧa0, ᐧa1) }) }() }
//
// Arguments are still evaluated by the go statement, and a panic in the
// goroutine is reported instead of killing the process. The interpreted
// recover reports what a cell's code panics with, as the cell would see
// it; GoRun runs the body behind a native recover too, for the panics
// yaegi raises inside calls it makes through reflect (a func field, a
// method value), which an interpreted recover misses: Go's test/gcgort.go
// ended the process so. The go statement stays interpreted, as yaegi
// copies the goroutine's variables there (a func literal handed to native
// code would share them with the loop that made it). GoStart and GoRun
// count the goroutines still running, so that the end of a cell can wait
// for one that is panicking to report it (a deferred call of its own may
// have let the cell end first).
func goRecover(fset *token.FileSet, g *ast.GoStmt, done map[ast.Node]bool) ast.Stmt {
	tmpl, err := parser.ParseExprFrom(fset, "goroutine", "func() { ᐧs.GoRun(func() { defer func() { if ᐧr := recover(); ᐧr != nil { ᐧs.GoPanic(ᐧr) } }() }) }", 0)
	if err != nil {
		return g
	}
	lit := tmpl.(*ast.FuncLit)
	body := lit.Body.List[0].(*ast.ExprStmt).X.(*ast.CallExpr).Args[0].(*ast.FuncLit)
	call := g.Call
	var pre []ast.Stmt
	if len(call.Args) > 0 {
		as := &ast.AssignStmt{Tok: token.DEFINE}
		newArgs := make([]ast.Expr, len(call.Args))
		for i, a := range call.Args {
			id := ast.NewIdent("ᐧa" + strconv.Itoa(i))
			as.Lhs = append(as.Lhs, id)
			as.Rhs = append(as.Rhs, a)
			newArgs[i] = ast.NewIdent(id.Name)
		}
		pre = append(pre, as)
		call = &ast.CallExpr{Fun: call.Fun, Args: newArgs, Ellipsis: call.Ellipsis}
	}
	body.Body.List = append(body.Body.List, &ast.ExprStmt{X: call})
	ng := &ast.GoStmt{Go: g.Go, Call: &ast.CallExpr{Fun: lit}}
	done[ng] = true
	start := &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(Sess), Sel: ast.NewIdent("GoStart")}}}
	return &ast.BlockStmt{List: append(pre, start, ng)}
}

// guardGoMethods wraps a func() literal passed to a method named Go
// (`wg.Go(func() {...})`, which starts a goroutine in sync.WaitGroup) in
// ᐧs.Guard, so that a panic in it is reported instead of ending the
// process (guard.go). Called by interpreted code, the guarded func lets a
// panic go on as before.
func guardGoMethods(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Go" {
			return true
		}
		lit, ok := c.Args[0].(*ast.FuncLit)
		if !ok || lit.Type.Params.NumFields() != 0 || lit.Type.Results.NumFields() != 0 {
			return true
		}
		where := &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(Clean(types.ExprString(sel)))}
		c.Args[0] = &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Guard")}, Args: []ast.Expr{where, lit}}
		return true
	})
}

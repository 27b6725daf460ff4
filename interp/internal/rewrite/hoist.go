package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
)

// HoistArgs moves the arguments that hoist selects, of the calls that
// native selects, into variables defined just before the statement. yaegi
// passes the result of an interpreted call straight to a native function's
// interface parameter without its interface wrapper, so
// nn.NumParams(NewNet()) panicked ("reflect: Call using *struct {...} as
// type nn.Module"), while the same value through a variable works. The
// session selects the calls of native functions and, as hoist, the calls of
// cell functions with one result.
//
// Only statements whose expressions run once, in order, are rewritten (an
// expression statement, an assignment, a return, a var declaration, an
// if's condition); an argument inside a func literal, or behind && or ||,
// stays. Earlier arguments of the same native call that are calls move too,
// so the calls still run left to right.
//
//	before: fmt.Println(nn.NumParams(NewNet()))
//	after:  ᐧarg1 := NewNet(); fmt.Println(nn.NumParams(ᐧarg1))
func HoistArgs(n ast.Node, native, hoist func(*ast.CallExpr) bool) {
	count := 0
	var block func(list []ast.Stmt) []ast.Stmt
	block = func(list []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for _, st := range list {
			var roots []ast.Node
			switch s := st.(type) {
			case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.DeclStmt:
				roots = []ast.Node{s}
			case *ast.IfStmt:
				if s.Init == nil {
					roots = []ast.Node{s.Cond}
				}
			}
			for _, r := range roots {
				out = append(out, hoistIn(r, native, hoist, &count)...)
			}
			out = append(out, st)
		}
		return out
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch b := n.(type) {
		case *ast.BlockStmt:
			b.List = block(b.List)
		case *ast.CaseClause:
			b.Body = block(b.Body)
		case *ast.CommClause:
			b.Body = block(b.Body)
		}
		return true
	})
}

// hoistIn rewrites the arguments in root and returns the definitions to
// put before its statement.
func hoistIn(root ast.Node, native, hoist func(*ast.CallExpr) bool, count *int) []ast.Stmt {
	var defs []ast.Stmt
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				ast.Inspect(x.X, walk) // the left operand always runs
				return false
			}
		case *ast.CallExpr:
			if !native(x) {
				return true
			}
			last := -1
			for i, a := range x.Args {
				if c, ok := a.(*ast.CallExpr); ok && hoist(c) {
					last = i
				}
			}
			for i := 0; i <= last; i++ {
				c, ok := x.Args[i].(*ast.CallExpr)
				if !ok || !hoist(c) {
					continue
				}
				ast.Inspect(c, walk) // its own arguments first
				*count++
				id := &ast.Ident{NamePos: c.Pos(), Name: fmt.Sprintf("ᐧarg%d", *count)}
				defs = append(defs, &ast.AssignStmt{Lhs: []ast.Expr{id}, TokPos: c.Pos(), Tok: token.DEFINE, Rhs: []ast.Expr{c}})
				x.Args[i] = &ast.Ident{NamePos: c.Pos(), Name: id.Name}
			}
		}
		return true
	}
	ast.Inspect(root, walk)
	return defs
}

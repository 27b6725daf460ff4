package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
)

// HoistArgs moves the arguments that hoist selects, of the calls that
// native selects, into variables defined just before the statement, of the
// type hoist names ("" for the argument's own). yaegi gives native code an
// interpreted value without the wrapper that carries its methods when the
// value comes straight from an interpreted call, a composite literal or a
// conversion, but with it when it comes from a variable of an interface
// type:
//
//   - nn.NumParams(NewNet()) panicked ("reflect: Call using *struct {...}
//     as type nn.Module"); through a variable it works (hoist: "");
//   - fmt.Println(&ParseError{}) ignored its Error method, and
//     fmt.Errorf("%w", &ParseError{}) printed %!w and wrapped nothing;
//     through a variable of type error both work (hoist: "error"; the same
//     for String and "fmt.Stringer").
//
// The session selects the calls of native functions, and the arguments
// by what it knows of their types.
//
// Only statements whose expressions run once, in order, are rewritten (an
// expression statement, an assignment, a return, a var declaration, an
// if's condition); an argument inside a func literal, or behind && or ||,
// stays. Earlier arguments of the same native call that are calls move too,
// so the calls still run left to right.
//
//	before: fmt.Println(nn.NumParams(NewNet()), &ParseError{})
//	after:  ᐧarg1 := NewNet(); var ᐧarg2 error = &ParseError{}; fmt.Println(nn.NumParams(ᐧarg1), ᐧarg2)
func HoistArgs(n ast.Node, native func(*ast.CallExpr) bool, hoist func(ast.Expr) (typ string, ok bool)) {
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
func hoistIn(root ast.Node, native func(*ast.CallExpr) bool, hoist func(ast.Expr) (string, bool), count *int) []ast.Stmt {
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
			// An earlier argument with a call or a receive in it moves too,
			// so that they still run in order.
			ast.Inspect(x.Fun, walk)
			last := -1
			types := make([]string, len(x.Args))
			selected := make([]bool, len(x.Args))
			for i, a := range x.Args {
				if t, ok := hoist(a); ok {
					last, types[i], selected[i] = i, t, true
				}
			}
			for i, a := range x.Args {
				ast.Inspect(a, walk) // its own arguments first
				if i > last || !selected[i] && !runsSomething(a) {
					continue
				}
				*count++
				name := fmt.Sprintf("ᐧarg%d", *count)
				if types[i] == "" {
					defs = append(defs, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name)}, TokPos: a.Pos(), Tok: token.DEFINE, Rhs: []ast.Expr{a}})
				} else {
					typ, err := parser.ParseExpr(types[i])
					if err != nil {
						panic("rewrite: HoistArgs: bad type " + types[i])
					}
					defs = append(defs, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: a.Pos(), Tok: token.VAR, Specs: []ast.Spec{
						&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(name)}, Type: typ, Values: []ast.Expr{a}},
					}}})
				}
				x.Args[i] = &ast.Ident{NamePos: a.Pos(), Name: name}
			}
			return false // its arguments are done
		}
		return true
	}
	ast.Inspect(root, walk)
	return defs
}

// runsSomething says whether e has a call or a receive in it, outside func
// literals (conversions count as calls: moving one changes nothing).
func runsSomething(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			found = true
		case *ast.UnaryExpr:
			found = found || x.Op == token.ARROW
		}
		return !found
	})
	return found
}

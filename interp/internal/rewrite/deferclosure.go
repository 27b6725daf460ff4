package rewrite

import (
	"go/ast"
	"go/token"
)

// deferredClosures makes the function literals that a function's deferred
// calls use in another frame than the function's own. yaegi v0.16.1 runs
// a function's deferred calls holding the lock of the function's frame,
// and a function literal, when a call of it returns, takes the lock of the
// frame it was made in: a deferred call of a closure made in the same
// function waits for itself for ever, whatever the closure does
//
//	func f() (s string) {
//		add := func(i int) { s += "x" }
//		defer add(1)         // hangs when f returns
//		return
//	}
//
// (also `defer func() { add(1) }()` and `defer run(add)`). Made by a
// function literal called at once, the closure belongs to that call's
// frame, and works the same (it shares f's variables):
//
//	add := func(i int) { s += "x" }   ->   add := func() func(i int) { return func(i int) { s += "x" } }()
//
// A function literal is rewritten when it is the value assigned to or
// defining a variable of the function that the function's defer
// statements name; one deferred or called where it is written is not
// made by the function's frame and stays.
func deferredClosures(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Body != nil {
				closuresOfDefers(x.Body)
			}
		case *ast.FuncLit:
			closuresOfDefers(x.Body)
		}
		return true
	})
}

// closuresOfDefers rewrites the closures of one function's body.
func closuresOfDefers(body *ast.BlockStmt) {
	named := map[string]bool{} // identifiers the function's defer statements use
	ownBody(body, func(n ast.Node) {
		if d, ok := n.(*ast.DeferStmt); ok {
			ast.Inspect(d.Call, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					named[id.Name] = true
				}
				return true
			})
		}
	})
	if len(named) == 0 {
		return
	}
	wrap := func(names []*ast.Ident, vals []ast.Expr) {
		if len(names) != len(vals) {
			return
		}
		for i, v := range vals {
			if fl, ok := v.(*ast.FuncLit); ok && names[i] != nil && named[names[i].Name] {
				vals[i] = madeInOwnFrame(fl)
			}
		}
	}
	ownBody(body, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE || x.Tok == token.ASSIGN {
				names := make([]*ast.Ident, len(x.Lhs))
				for i, l := range x.Lhs {
					names[i], _ = l.(*ast.Ident)
				}
				wrap(names, x.Rhs)
			}
		case *ast.ValueSpec:
			wrap(x.Names, x.Values)
		}
	})
}

// ownBody calls visit with the nodes of body outside its function
// literals: what the function's own frame runs.
func ownBody(body *ast.BlockStmt, visit func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if n != nil {
			visit(n)
		}
		return true
	})
}

// madeInOwnFrame is func() T { return fl }(), T fl's type.
func madeInOwnFrame(fl *ast.FuncLit) *ast.CallExpr {
	return &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: fl.Pos(), Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: copyExpr(fl.Type)}}}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: []ast.Expr{fl}}}},
	}}
}

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A value of a cell-defined type held in an error reaches == as the
// wrapper yaegi makes for native code (a struct of the value and its
// methods as funcs): `err == ErrX`, ErrX a pointer of a cell type, was
// false where Go says true, and two errors holding wrappers panicked
// ("comparing uncomparable type interp._error"). errorComparisons turns a
// comparison with an operand of type error into a call of ᐧs.SameError,
// which compares what the wrappers hold. An operand is of type error when
// the code says: a variable the session or the enclosing function declares
// so (facts.ErrorTyped "x"), a call of a func or package func whose one
// result is an error ("call:f", "call:errors.Unwrap"), a variable defined
// from such a call.
//
//	err == ErrX   ->   ᐧs.SameError(err, ErrX)
//	err != ErrX   ->   !ᐧs.SameError(err, ErrX)
func errorComparisons(f *ast.File, typed map[string]bool) {
	isErr := func(e ast.Expr, local map[string]bool) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return local[x.Name] || typed[x.Name]
		case *ast.CallExpr:
			return typed["call:"+types.ExprString(x.Fun)]
		}
		return false
	}
	var walk func(n ast.Node, local map[string]bool)
	walk = func(n ast.Node, local map[string]bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				walk(x.Body, errorLocals(x.Type, x.Body, local, isErr))
				return false
			case *ast.FuncDecl:
				if x.Body != nil {
					walk(x.Body, errorLocals(x.Type, x.Body, local, isErr))
				}
				return false
			}
			rewriteErrorOperands(n, func(e ast.Expr) ast.Expr {
				b, ok := e.(*ast.BinaryExpr)
				if !ok || b.Op != token.EQL && b.Op != token.NEQ || isNil(b.X) || isNil(b.Y) || !isErr(b.X, local) && !isErr(b.Y, local) {
					return e
				}
				var out ast.Expr = &ast.CallExpr{
					Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: b.Pos(), Name: Sess}, Sel: ast.NewIdent("SameError")},
					Lparen: b.OpPos, Args: []ast.Expr{b.X, b.Y}, Rparen: b.End(),
				}
				if b.Op == token.NEQ {
					out = &ast.UnaryExpr{OpPos: b.Pos(), Op: token.NOT, X: out}
				}
				return out
			})
			return true
		})
	}
	walk(f, nil)
}

// errorLocals adds to outer the names a function declares of type error:
// parameters, results, var declarations, and := of an error-typed call.
func errorLocals(ft *ast.FuncType, body *ast.BlockStmt, outer map[string]bool, isErr func(ast.Expr, map[string]bool) bool) map[string]bool {
	local := map[string]bool{}
	for n := range outer {
		local[n] = true
	}
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, fd := range fl.List {
			if id, ok := fd.Type.(*ast.Ident); ok && id.Name == "error" {
				for _, n := range fd.Names {
					local[n.Name] = true
				}
			}
		}
	}
	fields(ft.Params)
	fields(ft.Results)
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ValueSpec:
			if id, ok := x.Type.(*ast.Ident); ok && id.Name == "error" {
				for _, n := range x.Names {
					local[n.Name] = true
				}
			}
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
				for i, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok && isErr(x.Rhs[i], local) {
						local[id.Name] = true
					}
				}
			}
		}
		return true
	})
	return local
}

// rewriteErrorOperands replaces the expressions directly under n by what
// f returns for them.
func rewriteErrorOperands(n ast.Node, f func(ast.Expr) ast.Expr) {
	each := func(es []ast.Expr) {
		for i := range es {
			es[i] = f(es[i])
		}
	}
	switch x := n.(type) {
	case *ast.ExprStmt:
		x.X = f(x.X)
	case *ast.AssignStmt:
		each(x.Rhs)
	case *ast.ValueSpec:
		each(x.Values)
	case *ast.ReturnStmt:
		each(x.Results)
	case *ast.IfStmt:
		x.Cond = f(x.Cond)
	case *ast.ForStmt:
		if x.Cond != nil {
			x.Cond = f(x.Cond)
		}
	case *ast.CallExpr:
		each(x.Args)
	case *ast.BinaryExpr:
		x.X, x.Y = f(x.X), f(x.Y)
	case *ast.UnaryExpr:
		x.X = f(x.X)
	case *ast.ParenExpr:
		x.X = f(x.X)
	case *ast.CaseClause:
		each(x.List)
	case *ast.KeyValueExpr:
		x.Value = f(x.Value)
	case *ast.CompositeLit:
		each(x.Elts)
	case *ast.SendStmt:
		x.Value = f(x.Value)
	}
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

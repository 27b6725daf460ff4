package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// literalsAssignedToIfaces converts a composite literal of a cell type
// (or its address) assigned to a variable, field or element of an
// interface type to that type, explicitly. yaegi v0.16.1 stores such a
// literal in the interface bare, without its type, where a conversion or a
// variable stores its valueInterface: `c = Celsius{7}` with c of type any
// printed {7}, not with Celsius's String method, and a type assertion to
// Celsius could not be told from one to any struct of the same fields. The
// conversion then goes through a variable of its own (literalsThroughVars):
//
//	c = Celsius{7}        ->   c = any(Celsius{7})
//	m["k"] = &P{2}        ->   m["k"] = any(&P{2})
//	s = Sq{2}             ->   s = Shape(Sq{2})          (s a Shape, a cell's interface)
//	e = T{5}              ->   e = error(T{5})           (inside a function it panicked
//	                                                       "value of type struct {...} is not assignable to type error")
//
// go/types gives the types (checkTypes, with the session's types from
// Facts.TypeDecls and ValueDecls); an assignment whose types it cannot tell stays. It runs
// on the names as written, before the renames and literalsThroughVars.
func literalsAssignedToIfaces(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var assigns []*ast.AssignStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && a.Tok == token.ASSIGN && len(a.Lhs) == len(a.Rhs) {
			for _, r := range a.Rhs {
				if cellLiteral(r) {
					assigns = append(assigns, a)
					break
				}
			}
		}
		return true
	})
	if len(assigns) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	for _, a := range assigns {
		for i, r := range a.Rhs {
			if !cellLiteral(r) {
				continue
			}
			lt, rt := info.Types[a.Lhs[i]].Type, info.Types[r].Type
			if lt == nil || rt == nil || !types.IsInterface(lt) || types.IsInterface(rt) || !ownNamed(rt, pkg) {
				continue
			}
			var conv ast.Expr
			switch t := types.Unalias(lt).(type) {
			case *types.Named:
				if t.Obj().Pkg() == nil && t.Obj().Name() == "error" {
					conv = &ast.Ident{NamePos: r.Pos(), Name: "error"}
					break
				}
				if t.Obj().Pkg() != pkg || t.TypeParams() != nil {
					continue // another package's interface
				}
				conv = &ast.Ident{NamePos: r.Pos(), Name: t.Obj().Name()}
			case *types.Interface:
				if !t.Empty() {
					continue
				}
				conv = &ast.Ident{NamePos: r.Pos(), Name: "any"}
			default:
				continue
			}
			a.Rhs[i] = &ast.CallExpr{Fun: conv, Lparen: r.Pos(), Args: []ast.Expr{r}, Rparen: r.End()}
		}
	}
}

// cellLiteral tells whether e is, by its syntax, a composite literal of a
// named type or its address: T{...}, &T{...}.
func cellLiteral(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	_, named := cl.Type.(*ast.Ident)
	return named
}

// ownNamed tells whether t is a named type of pkg (the cell's), or a
// pointer to one.
func ownNamed(t types.Type, pkg *types.Package) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == pkg
}

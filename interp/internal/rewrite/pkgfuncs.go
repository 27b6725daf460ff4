package rewrite

import (
	"go/ast"
	"go/token"
)

// Generic functions of native packages. `yaegi extract` skips generic
// functions, so a package's table holds at most one instantiation (lib
// gives math/rand/v2's N for int only: rand.N(10*time.Second) failed with
// "cannot use type time.Duration as type int"). A call of one is pointed
// at an interpreted generic version the bootstrap defines (engine's
// builtins), which calls a native non-generic function for the work.
//
//	rand.N(10 * time.Second)   ->   ᐧrandN(10 * time.Second)
var genericPkgFuncs = []struct{ path, pkg, fn, in string }{
	{"math/rand/v2", "rand", "N", "ᐧrandN"},
}

// GenericPkgFuncs returns, for the packages the session imports (local
// name -> import path), "name.F" -> the interpreted generic version of F,
// for Facts.PkgFuncs.
func GenericPkgFuncs(imports map[string]string) map[string]string {
	var out map[string]string
	for name, path := range imports {
		for _, g := range genericPkgFuncs {
			if g.path == path {
				if out == nil {
					out = map[string]string{}
				}
				out[name+"."+g.fn] = g.in
			}
		}
	}
	return out
}

// pkgFuncs replaces the selectors pkg.F of pkgFuncs ("pkg.F" -> name) by
// the name, where pkg is a package (isPkg).
func pkgFuncs(f *ast.File, funcs map[string]string, isPkg func(*ast.Ident) bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		var slot *ast.Expr
		switch n := n.(type) {
		case *ast.CallExpr:
			slot = &n.Fun
		case *ast.IndexExpr: // rand.N[time.Duration]
			slot = &n.X
		default:
			return true
		}
		sel, ok := (*slot).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || !isPkg(id) {
			return true
		}
		if in, ok := funcs[id.Name+"."+sel.Sel.Name]; ok {
			*slot = &ast.Ident{NamePos: id.Pos(), Name: in}
		}
		return true
	})
}

// topLevelPkgFuncDefs splits a top-level definition by a call of one of
// the generic versions in two, since yaegi cannot type a global from a
// generic call's result ("nil reflect type"); their result has their
// argument's type:
//
//	d := ᐧrandN(10 * time.Second)   ->   d := 10 * time.Second; d = ᐧrandN(d)
//	x := ᐧrandN[int32](1000)         ->   x := int32(1000); x = ᐧrandN[int32](x)
func topLevelPkgFuncDefs(list []ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	for i, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			if out != nil {
				out = append(out, st)
			}
			continue
		}
		x, _ := as.Lhs[0].(*ast.Ident)
		c, _ := as.Rhs[0].(*ast.CallExpr)
		if x == nil || x.Name == "_" || c == nil || len(c.Args) != 1 || c.Ellipsis.IsValid() || !isPkgFuncVersion(c.Fun) {
			if out != nil {
				out = append(out, st)
			}
			continue
		}
		if out == nil {
			out = append([]ast.Stmt{}, list[:i]...)
		}
		arg := c.Args[0]
		if ix, ok := c.Fun.(*ast.IndexExpr); ok { // rand.N[int32](1000): x is an int32
			arg = &ast.CallExpr{Fun: ix.Index, Lparen: arg.Pos(), Args: []ast.Expr{arg}, Rparen: arg.End()}
		}
		c.Args[0] = &ast.Ident{NamePos: arg.Pos(), Name: x.Name}
		out = append(out,
			&ast.AssignStmt{Lhs: []ast.Expr{x}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{arg}},
			&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: x.Pos(), Name: x.Name}}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{c}})
	}
	if out == nil {
		return list
	}
	return out
}

// isPkgFuncVersion tells whether fun names one of the generic versions.
func isPkgFuncVersion(fun ast.Expr) bool {
	if ix, ok := fun.(*ast.IndexExpr); ok {
		fun = ix.X
	}
	id, ok := fun.(*ast.Ident)
	if !ok {
		return false
	}
	for _, g := range genericPkgFuncs {
		if id.Name == g.in {
			return true
		}
	}
	return false
}

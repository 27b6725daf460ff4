package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
)

// Generic functions of native packages. `yaegi extract` skips generic
// functions, so a package's table holds at most one instantiation (lib
// gives math/rand/v2's N for int only: rand.N(10*time.Second) failed with
// "cannot use type time.Duration as type int"). A call of one is pointed
// at an interpreted generic version the bootstrap defines (engine's
// builtins), which calls a native non-generic function for the work.
//
//	rand.N(10 * time.Second)   ->   ᐧrandN(10 * time.Second)
//	unsafe.Slice(&a[0], len(a)) ->  ᐧunsafeSlice(&a[0], len(a))
//	unsafe.SliceData(s)        ->   ᐧunsafeSliceData(s)
var genericPkgFuncs = []struct {
	path, pkg, fn, in string
	argTyped          bool // the result has the type of the one argument (topLevelPkgFuncDefs)
}{
	{"math/rand/v2", "rand", "N", "ᐧrandN", true},
	{"unsafe", "unsafe", "Slice", "ᐧunsafeSlice", false},
	{"unsafe", "unsafe", "SliceData", "ᐧunsafeSliceData", false},
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
		case *ast.IndexListExpr: // unsafe.Slice[byte, int] (unsafeTypeArgs)
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
//
// and of unsafe's, whose type arguments unsafeTypeArgs wrote out, into a
// declaration and an assignment:
//
//	s := ᐧunsafeSlice[byte, int](p, n)  ->  var s []byte; s = ᐧunsafeSlice[byte, int](p, n)
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
		if t := unsafeResult(c); t != nil && x != nil && x.Name != "_" {
			if out == nil {
				out = append([]ast.Stmt{}, list[:i]...)
			}
			out = append(out,
				&ast.DeclStmt{Decl: &ast.GenDecl{TokPos: x.Pos(), Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{x}, Type: t}}}},
				&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: x.Pos(), Name: x.Name}}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{c}})
			continue
		}
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

// unsafeResult returns the result type of c, a call of ᐧunsafeSlice or
// ᐧunsafeSliceData with type arguments, or nil.
func unsafeResult(c *ast.CallExpr) ast.Expr {
	if c == nil {
		return nil
	}
	switch fun := c.Fun.(type) {
	case *ast.IndexListExpr:
		if id, ok := fun.X.(*ast.Ident); ok && id.Name == "ᐧunsafeSlice" {
			return &ast.ArrayType{Elt: fun.Indices[0]}
		}
	case *ast.IndexExpr:
		if id, ok := fun.X.(*ast.Ident); ok && id.Name == "ᐧunsafeSliceData" {
			return &ast.StarExpr{X: fun.Index}
		}
	}
	return nil
}

// isPkgFuncVersion tells whether fun names one of the generic versions
// whose result has their argument's type.
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
			return g.argTyped
		}
	}
	return false
}

// unsafeTypeArgs writes out the type arguments of unsafe.Slice and
// unsafe.SliceData calls where go/types knows their arguments' types, for
// the generic versions pkgFuncs points them at: yaegi's inference fails
// (a "CFG post-order panic") when an argument's type came from a native
// function, as p's does in p := unsafe.StringData(s). It runs on the
// names as written, before the renames.
//
//	unsafe.Slice(unsafe.StringData(s), len(s))  ->  unsafe.Slice[byte, int](unsafe.StringData(s), len(s))
//	unsafe.SliceData(b)                         ->  unsafe.SliceData[byte](b)
func unsafeTypeArgs(fset *token.FileSet, f *ast.File, isPkg func(*ast.Ident) bool) {
	var calls []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Slice" && len(c.Args) == 2 || sel.Sel.Name == "SliceData" && len(c.Args) == 1) {
				if id, ok := sel.X.(*ast.Ident); ok && isPkg(id) {
					calls = append(calls, c)
				}
			}
		}
		return true
	})
	if len(calls) == 0 {
		return
	}
	// A session's cell has no imports of its own: unsafe is imported
	// for the check.
	name := calls[0].Fun.(*ast.SelectorExpr).X.(*ast.Ident).Name
	imp := &ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{&ast.ImportSpec{
		Name: ast.NewIdent(name), Path: &ast.BasicLit{Kind: token.STRING, Value: `"unsafe"`}}}}
	decls := f.Decls
	f.Decls = append([]ast.Decl{imp}, decls...)
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	f.Decls = decls
	if pkg == nil {
		return
	}
	typeExpr := func(t types.Type) ast.Expr {
		if t == nil || !expressible(t, pkg) {
			return nil
		}
		e, err := parser.ParseExpr(types.TypeString(t, func(*types.Package) string { return "" }))
		if err != nil {
			return nil
		}
		return e
	}
	for _, c := range calls {
		var idx []ast.Expr
		switch arg := info.Types[c.Args[0]].Type; c.Fun.(*ast.SelectorExpr).Sel.Name {
		case "Slice":
			p, ok := arg.(*types.Pointer)
			if !ok {
				continue
			}
			n := info.Types[c.Args[1]].Type
			if n != nil {
				n = types.Default(n)
			}
			idx = []ast.Expr{typeExpr(p.Elem()), typeExpr(n)}
		case "SliceData":
			s, ok := arg.(*types.Slice)
			if !ok {
				continue
			}
			idx = []ast.Expr{typeExpr(s.Elem())}
		}
		if slices.Contains(idx, nil) {
			continue
		}
		if len(idx) == 1 {
			c.Fun = &ast.IndexExpr{X: c.Fun, Lbrack: c.Fun.End(), Index: idx[0], Rbrack: c.Fun.End()}
		} else {
			c.Fun = &ast.IndexListExpr{X: c.Fun, Lbrack: c.Fun.End(), Indices: idx, Rbrack: c.Fun.End()}
		}
	}
}

package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// literalsThroughVars routes a composite literal that is bound to a
// declared variable, and any value converted to an interface, through a
// variable of the value's own type. yaegi v0.16.1 drops the methods of a
// type with value receivers when its composite literal goes straight into
// an interface, or when a value of it is converted to one:
//
//	var e error = E{"y"}; e.Error()     panic: reflect: Method index out of range
//	var e error; e = E{"y"}             the same
//	var a any = E{"y"}; a.(error)       interface conversion: missing method Error
//	error(E{"y"}), error(v)             reflect.Set: value of type struct {...} is not assignable
//
// while through a variable (v := E{"y"}; var e error = v) they are kept.
// Hence:
//
//	var e error = E{"y"}  ->  var e error = func() error { ᐧv := E{"y"}; var ᐧi error = ᐧv; return ᐧi }()
//	error(x)              ->  func() error { ᐧv := x; var ᐧi error = ᐧv; return ᐧi }()
//
// and, at package level, where yaegi would initialise a var of type any
// from that call to nil:
//
//	var a any = E{"y"}    ->  var ᐧlita0 = E{"y"}; var a any = ᐧlita0
//
// The other temporaries live in a function of their own, so that no name
// they take reaches the package or the session. A typed var's literal is
// rewritten unless it is of the declared type itself (var t T = T{...}).
// An assignment (e = E{"y"}) is not: through a variable, yaegi loses a
// value assigned to a package-level var of type any inside a function
// (func r() { v := E{6}; b = v } leaves b nil), which is worse. Conversions are rewritten wherever they are, for the types error, any,
// interface literals and the interface types the file declares or context
// (the session's type declarations, as source) does. It runs on the names
// as written, before the renames.
func literalsThroughVars(f *ast.File, context []string) {
	universe := map[string]bool{"error": true, "any": true}
	interfaces := map[string]bool{}
	declare := func(f *ast.File, own bool) {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					_, isIface := ts.Type.(*ast.InterfaceType)
					if own || !interfaces[ts.Name.Name] {
						interfaces[ts.Name.Name] = isIface
					}
					delete(universe, ts.Name.Name) // a cell's own error or any
				}
			}
		}
	}
	declare(f, true)
	if ifaceContext(context) {
		src := "package main\n" + strings.Join(context, "\n")
		if cf, err := parser.ParseFile(token.NewFileSet(), "context.go", src, parser.SkipObjectResolution); err == nil {
			declare(cf, false)
			declare(f, true) // the file's own declarations take precedence
		}
	}
	isInterface := func(t ast.Expr) bool {
		switch t := t.(type) {
		case *ast.InterfaceType:
			return true
		case *ast.Ident:
			return universe[t.Name] || interfaces[t.Name]
		}
		return false
	}
	literal := func(e ast.Expr, declared ast.Expr) bool {
		cl, ok := ast.Unparen(e).(*ast.CompositeLit)
		return ok && cl.Type != nil && (declared == nil || !sameType(cl.Type, declared))
	}
	// Package-level vars: a package-level temporary, as yaegi initialises
	// a package-level var of type any from a call to nil.
	packageLevel := map[*ast.ValueSpec]bool{}
	var decls []ast.Decl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				packageLevel[vs] = true
				if vs.Type == nil || len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, v := range vs.Values {
					if literal(v, vs.Type) {
						t := ast.NewIdent(fmt.Sprintf("ᐧlit%s%d", vs.Names[i].Name, len(decls)))
						decls = append(decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{t}, Values: []ast.Expr{v}}}})
						vs.Values[i] = ast.NewIdent(t.Name)
					}
				}
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
	ast.Inspect(f, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.CallExpr: // a conversion
			if len(x.Args) == 1 && !x.Ellipsis.IsValid() && isInterface(x.Fun) && !isNilIdent(x.Args[0]) { // error(nil) stays: ᐧv := nil is no Go
				*x = *throughVar(x.Fun, x.Args[0])
			}
		case *ast.ValueSpec:
			if !packageLevel[x] && x.Type != nil && len(x.Values) == len(x.Names) {
				for i, v := range x.Values {
					if literal(v, x.Type) {
						x.Values[i] = throughVar(x.Type, v)
					}
				}
			}
		}
		return true
	})
}

// throughVar is func() typ { ᐧv := e; var ᐧi typ = ᐧv; return ᐧi }().
func throughVar(typ, e ast.Expr) *ast.CallExpr {
	v, i := ast.NewIdent("ᐧv"), ast.NewIdent("ᐧi")
	return &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: typ}}}},
		Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.DEFINE, Rhs: []ast.Expr{e}},
			&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{i}, Type: typ, Values: []ast.Expr{ast.NewIdent(v.Name)}}}}},
			&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent(i.Name)}},
		}},
	}}
}

// ifaceContext tells whether the session's type declarations declare an
// interface, which is rare: only then are they parsed.
func ifaceContext(context []string) bool {
	for _, d := range context {
		if strings.HasPrefix(d, "type ") && strings.Contains(d, "interface") {
			return true
		}
	}
	return false
}

// sameType tells whether two type expressions are written the same.
func sameType(a, b ast.Expr) bool {
	return types.ExprString(a) == types.ExprString(b)
}

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
//	var e error = E{"y"}   ->  ᐧlit1 := E{"y"}; var e error = ᐧlit1
//	e = E{"y"}             ->  ᐧlit2 := E{"y"}; e = ᐧlit2
//	error(x)               ->  func() error { ᐧlit3 := x; var ᐧlit4 error = ᐧlit3; return ᐧlit4 }()
//
// Declarations and assignments are rewritten in statement lists (and a
// package-level var gets a package-level temporary); an assignment only
// when its left side is names and fields of names, which evaluate the same
// before or after the literal. Conversions are rewritten wherever they are,
// for the types error, any, interface literals and the interface types
// the file declares or context (the session's type declarations, as
// source) does. A literal of the declared type itself (var x T = T{...})
// stays. It runs on the names as written, before the renames.
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
	n := 0
	temp := func() *ast.Ident {
		n++
		return ast.NewIdent(fmt.Sprintf("ᐧlit%d", n))
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
	// Conversions first, anywhere: they are expressions.
	ast.Inspect(f, func(node ast.Node) bool {
		c, ok := node.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 || c.Ellipsis.IsValid() || !isInterface(c.Fun) {
			return true
		}
		typ, v, a := c.Fun, temp(), temp()
		lit := &ast.FuncLit{
			Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: typ}}}},
			Body: &ast.BlockStmt{List: []ast.Stmt{
				&ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.DEFINE, Rhs: []ast.Expr{c.Args[0]}},
				&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{a}, Type: typ, Values: []ast.Expr{ast.NewIdent(v.Name)}}}}},
				&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent(a.Name)}},
			}},
		}
		*c = ast.CallExpr{Fun: lit, Lparen: c.Lparen, Rparen: c.Rparen}
		return true
	})
	// hoist puts each composite literal of values (other than one of
	// type same) into a temporary defined by the statements it returns.
	hoist := func(values []ast.Expr, same ast.Expr) (defs []ast.Stmt) {
		for i, e := range values {
			cl, ok := ast.Unparen(e).(*ast.CompositeLit)
			if !ok || cl.Type == nil || (same != nil && sameType(cl.Type, same)) {
				continue
			}
			t := temp()
			defs = append(defs, &ast.AssignStmt{Lhs: []ast.Expr{t}, Tok: token.DEFINE, Rhs: []ast.Expr{e}})
			values[i] = ast.NewIdent(t.Name)
		}
		return defs
	}
	var list func(stmts []ast.Stmt) []ast.Stmt
	list = func(stmts []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for _, st := range stmts {
			switch s := st.(type) {
			case *ast.DeclStmt:
				if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, sp := range g.Specs {
						vs := sp.(*ast.ValueSpec)
						if vs.Type != nil && len(vs.Values) == len(vs.Names) {
							out = append(out, hoist(vs.Values, vs.Type)...)
						}
					}
				}
			case *ast.AssignStmt:
				if s.Tok == token.ASSIGN && len(s.Lhs) == len(s.Rhs) && plainTargets(s.Lhs) {
					out = append(out, hoist(s.Rhs, nil)...)
				}
			}
			out = append(out, st)
		}
		return out
	}
	ast.Inspect(f, func(node ast.Node) bool {
		switch b := node.(type) {
		case *ast.BlockStmt:
			b.List = list(b.List)
		case *ast.CaseClause:
			b.Body = list(b.Body)
		case *ast.CommClause:
			b.Body = list(b.Body)
		}
		return true
	})
	// Package-level vars: the temporary is a package-level var too.
	var decls []ast.Decl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				if vs.Type == nil || len(vs.Values) != len(vs.Names) {
					continue
				}
				for _, def := range hoist(vs.Values, vs.Type) {
					as := def.(*ast.AssignStmt)
					decls = append(decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
						&ast.ValueSpec{Names: []*ast.Ident{as.Lhs[0].(*ast.Ident)}, Values: as.Rhs},
					}})
				}
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
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

// plainTargets tells whether every left side is a name or a field of a
// name, whose evaluation cannot observe a literal evaluated before it.
func plainTargets(lhs []ast.Expr) bool {
	for _, e := range lhs {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
		case *ast.SelectorExpr:
			if _, ok := x.X.(*ast.Ident); !ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// sameType tells whether two type expressions are written the same.
func sameType(a, b ast.Expr) bool {
	return types.ExprString(a) == types.ExprString(b)
}

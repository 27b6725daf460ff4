package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// assertionMessages gives a failing type assertion to a cell's interface
// Go's message. yaegi v0.16.1 makes x.(I), I an interface a cell
// declares, of a value it does not hold as its own valueInterface (a
// native value, nil, a value of a type without methods) panic with
// "interface conversion: nil is not main.I", whatever the value; Go says
// "interface conversion: int is not main.I: missing method M", or
// "interface conversion: interface is nil, not main.I", as a
// runtime.Error. ᐧs.AssertIface looks at the variable first: when yaegi
// would fail, it panics with Go's message, naming the first of I's methods
// the value's type lacks (by name, in order); otherwise the assertion runs
// as before.
//
//	x.(I)   ->   func() I { ᐧx := x; ᐧs.AssertIface(&ᐧx, "main.I", "M", "N"); return ᐧx.(I) }()
//
// The address lets it see yaegi's own representation of the variable.
// Only single-value assertions to an interface with methods of its own
// (declared in the file, in the session, Facts.TypeDecls, or written as a
// literal) change; comma-ok assertions and type switches stay. It runs on
// the names as written, before the renames.
func assertionMessages(f *ast.File, context []string) {
	ifaces := map[string][]string{} // interface -> its own methods, sorted
	addIfaces := func(f *ast.File) {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, sp := range g.Specs {
				ts := sp.(*ast.TypeSpec)
				if it, ok := ts.Type.(*ast.InterfaceType); ok && ts.TypeParams == nil {
					ifaces[ts.Name.Name] = methodNames(it)
				} else {
					delete(ifaces, ts.Name.Name) // a cell's type of that name
				}
			}
		}
	}
	if ifaceContext(context) {
		if cf, err := parser.ParseFile(token.NewFileSet(), "context.go", "package main\n"+strings.Join(context, "\n"), parser.SkipObjectResolution); err == nil {
			addIfaces(cf)
		}
	}
	addIfaces(f)
	methodsOf := func(t ast.Expr) ([]string, string) {
		switch t := t.(type) {
		case *ast.Ident:
			if ms := ifaces[t.Name]; len(ms) > 0 {
				return ms, "main." + t.Name
			}
		case *ast.InterfaceType:
			if ms := methodNames(t); len(ms) > 0 { // as the runtime writes it
				src := types.ExprString(t)
				return ms, "interface { " + strings.TrimSuffix(strings.TrimPrefix(src, "interface{"), "}") + " }"
			}
		}
		return nil, ""
	}
	commaOk := map[*ast.TypeAssertExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		var rhs []ast.Expr
		switch x := n.(type) {
		case *ast.AssignStmt:
			if len(x.Lhs) == 2 {
				rhs = x.Rhs
			}
		case *ast.ValueSpec:
			if len(x.Names) == 2 {
				rhs = x.Values
			}
		}
		if len(rhs) == 1 {
			if ta, ok := ast.Unparen(rhs[0]).(*ast.TypeAssertExpr); ok {
				commaOk[ta] = true
			}
		}
		return true
	})
	done := map[*ast.TypeAssertExpr]bool{}
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		ta, ok := e.(*ast.TypeAssertExpr)
		if !ok || ta.Type == nil || commaOk[ta] || done[ta] {
			return e
		}
		ms, name := methodsOf(ta.Type)
		if ms == nil {
			return e
		}
		at := ta.Pos()
		x := func() *ast.Ident { return &ast.Ident{NamePos: at, Name: "ᐧx"} }
		args := []ast.Expr{&ast.UnaryExpr{OpPos: at, Op: token.AND, X: x()}, &ast.BasicLit{ValuePos: at, Kind: token.STRING, Value: strconv.Quote(name)}}
		for _, m := range ms {
			args = append(args, &ast.BasicLit{ValuePos: at, Kind: token.STRING, Value: strconv.Quote(m)})
		}
		assert := &ast.TypeAssertExpr{X: x(), Lparen: ta.Lparen, Type: ta.Type, Rparen: ta.Rparen}
		done[assert] = true
		return &ast.CallExpr{Lparen: at, Rparen: ta.End(), Fun: &ast.FuncLit{
			Type: &ast.FuncType{Func: at, Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ta.Type}}}},
			Body: &ast.BlockStmt{Lbrace: at, Rbrace: ta.End(), List: []ast.Stmt{
				&ast.AssignStmt{Lhs: []ast.Expr{x()}, TokPos: at, Tok: token.DEFINE, Rhs: []ast.Expr{ta.X}},
				&ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: at, Name: Sess}, Sel: &ast.Ident{NamePos: at, Name: "AssertIface"}}, Lparen: at, Args: args, Rparen: at}},
				&ast.ReturnStmt{Return: at, Results: []ast.Expr{assert}},
			}},
		}}
	})
}

// methodNames are the names of the methods an interface lists itself
// (not those of the interfaces it embeds), sorted.
func methodNames(it *ast.InterfaceType) []string {
	var out []string
	for _, m := range it.Methods.List {
		if _, ok := m.Type.(*ast.FuncType); ok {
			for _, n := range m.Names {
				out = append(out, n.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

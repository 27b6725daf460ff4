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
// runtime.Error. ᐧs.AssertIface looks at the value first: when yaegi
// would fail, it panics with Go's message, naming the first of I's methods
// the value's type lacks (by name, in order); otherwise it returns the
// value, and the assertion runs as before (a native call's result of type
// any is yaegi's valueInterface itself, so also from an interface{}
// variable, where yaegi's own assertion failed with "reflect.Set: value of
// type interface {} is not assignable to type interp.valueInterface"):
//
//	x.(I)   ->   ᐧs.AssertIface(x, "main.I", "M", "N").(I)
//
// Only single-value assertions to an interface with methods of its own
// (declared in the file, in the session, Facts.TypeDecls and ValueDecls, or written as a
// literal) of an operand of type any, error or another package's
// interface change (go/types tells, as checkTypes; from a cell's own
// interface yaegi holds its own value and checks it); comma-ok assertions
// and type switches stay. It runs on the names as written, before the
// renames.
func assertionMessages(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	ifaces := map[string][]string{} // interface -> its own methods, sorted
	addIfaces := func(f *ast.File) {
		// Also the types declared inside functions (type I1 interface{...}
		// in main): approximated by name, as if they were the package's.
		ast.Inspect(f, func(n ast.Node) bool {
			g, ok := n.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				return true
			}
			for _, sp := range g.Specs {
				ts := sp.(*ast.TypeSpec)
				if it, ok := ts.Type.(*ast.InterfaceType); ok && ts.TypeParams == nil {
					ifaces[ts.Name.Name] = methodNames(it)
				} else {
					delete(ifaces, ts.Name.Name) // a cell's type of that name
				}
			}
			return false
		})
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
	var asserts []*ast.TypeAssertExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if ta, ok := n.(*ast.TypeAssertExpr); ok && ta.Type != nil && !commaOk[ta] {
			if ms, _ := methodsOf(ta.Type); ms != nil {
				asserts = append(asserts, ta)
			}
		}
		return true
	})
	if len(asserts) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	for _, ta := range asserts {
		tv, ok := info.Types[ta.X]
		if !ok || tv.Type == nil || !validType(tv.Type) || !types.IsInterface(tv.Type) {
			continue
		}
		switch t := types.Unalias(tv.Type).(type) {
		case *types.Named:
			if t.Obj().Pkg() == pkg {
				continue // a cell's interface: yaegi holds its own value, and checks it
			}
		case *types.Interface:
			if !t.Empty() {
				continue // an interface literal with methods: the same
			}
		}
		ms, name := methodsOf(ta.Type)
		at := ta.X.Pos()
		args := []ast.Expr{ta.X, &ast.BasicLit{ValuePos: at, Kind: token.STRING, Value: strconv.Quote(name)}}
		for _, m := range ms {
			args = append(args, &ast.BasicLit{ValuePos: at, Kind: token.STRING, Value: strconv.Quote(m)})
		}
		ta.X = &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: at, Name: Sess}, Sel: &ast.Ident{NamePos: at, Name: "AssertIface"}}, Lparen: at, Args: args, Rparen: at}
	}
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

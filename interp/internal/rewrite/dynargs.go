package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// fmtPrinters are fmt's functions that print their operands.
var fmtPrinters = map[string]bool{
	"Print": true, "Printf": true, "Println": true, "Sprint": true, "Sprintf": true, "Sprintln": true,
	"Fprint": true, "Fprintf": true, "Fprintln": true, "Errorf": true, "Append": true, "Appendf": true, "Appendln": true,
}

// dynamicFmtArgs passes an operand of fmt's printing functions whose
// static type is the empty interface (any, interface{}) through ᐧs.Dyn.
// Such a variable holds a cell value
// as yaegi's valueInterface, and for an argument of fmt (a function with
// interface wrappers, MapTypes) yaegi v0.16.1 rebuilds the value from the
// node that made it, in the wrong frame: fmt.Println(v) printed <nil>,
// panicked in String ("reflect.Set: value of type *int is not assignable
// to type *struct {...}") or with "call of reflect.Value.Type on zero
// Value". ᐧs.Dyn is a plain native call, which gets the valueInterface
// whole, and returns the value with its String or Error method
// (lib.CellMethods, registerCellMethods):
//
//	func show(v any) { fmt.Println("got", v) }   ->   func show(v any) { fmt.Println("got", ᐧs.Dyn(v)) }
//
// go/types gives the operands' types from the cell and the session's
// variables of known type (checkTypes); an operand whose type it cannot
// tell stays, as does one of an interface with methods (yaegi hands native
// code its bare value, without the type). It runs on the names as
// written, before the renames, and
// only on a file that names an interface type (any, interface{...}) or
// passes a session variable of one: the others have no such operand that
// go/types could type.
func dynamicFmtArgs(fset *token.FileSet, f *ast.File, varTypes map[string]string, packages map[string]bool, context []string) {
	if !packages["fmt"] {
		return
	}
	var ctx []ast.Decl // the session's types and methods f does not declare
	ctxIfaces := map[string]bool{}
	if ifaceContext(context) {
		ctx, ctxIfaces = contextDecls(f, context)
	}
	var calls []*ast.CallExpr
	ifaces := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.InterfaceType:
			ifaces = true
		case *ast.Ident:
			if x.Name == "any" || ctxIfaces[x.Name] {
				ifaces = true
			} else if t, ok := varTypes[x.Name]; ok && (t == "any" || t == "interface{}") {
				ifaces = true
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && fmtPrinters[sel.Sel.Name] && !x.Ellipsis.IsValid() {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "fmt" {
					calls = append(calls, x)
				}
			}
		}
		return true
	})
	if len(calls) == 0 || !ifaces {
		return
	}
	pkg, info := checkWithDecls(fset, f, varTypes, ctx)
	if pkg == nil {
		return
	}
	cellIface := func(t types.Type) bool {
		if t == nil {
			return false
		}
		t = types.Unalias(t)
		if _, ok := t.Underlying().(*types.Interface); !ok {
			return false
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Pkg() == pkg // not error, not another package's
		}
		return true
	}
	for _, c := range calls {
		if tv, ok := info.Types[c.Fun.(*ast.SelectorExpr).X]; ok && tv.Type != nil && tv.Type != types.Typ[types.Invalid] {
			continue // a variable named fmt, not the package
		}
		for i, a := range c.Args {
			tv, ok := info.Types[a]
			if !ok || tv.IsNil() || tv.Value != nil || !cellIface(tv.Type) {
				continue
			}
			if it := tv.Type.Underlying().(*types.Interface); !it.Empty() {
				// A variable of an interface with methods gives native code
				// the bare value; its address would give yaegi's whole, but
				// & of a variable a closure captured panics in yaegi.
				continue
			}
			c.Args[i] = &ast.CallExpr{
				Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: a.Pos(), Name: Sess}, Sel: &ast.Ident{NamePos: a.Pos(), Name: "Dyn"}},
				Lparen: a.Pos(), Args: []ast.Expr{a}, Rparen: a.End(),
			}
		}
	}
}

// checkWithDecls is checkTypes with ctx, declarations of the session
// (contextDecls), added to f for the check.
func checkWithDecls(fset *token.FileSet, f *ast.File, varTypes map[string]string, ctx []ast.Decl) (*types.Package, *types.Info) {
	decls := f.Decls
	f.Decls = append(append([]ast.Decl(nil), f.Decls...), ctx...)
	defer func() { f.Decls = decls }()
	return checkTypes(fset, f, varTypes)
}

// contextDecls parses the session's type declarations and method
// signatures (Facts.TypeDecls) for a type check of f: those of the types f
// does not declare, and the names of the interfaces among them.
func contextDecls(f *ast.File, context []string) ([]ast.Decl, map[string]bool) {
	own := map[string]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
			for _, sp := range g.Specs {
				own[sp.(*ast.TypeSpec).Name.Name] = true
			}
		}
	}
	cf, err := parser.ParseFile(token.NewFileSet(), "context.go", "package main\n"+strings.Join(context, "\n"), parser.SkipObjectResolution)
	if err != nil {
		return nil, nil
	}
	var out []ast.Decl
	ifaces := map[string]bool{}
	for _, d := range cf.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			var specs []ast.Spec
			for _, sp := range d.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok && !own[ts.Name.Name] {
					specs = append(specs, ts)
					if _, ok := ts.Type.(*ast.InterfaceType); ok {
						ifaces[ts.Name.Name] = true
					}
				}
			}
			if len(specs) > 0 {
				out = append(out, &ast.GenDecl{Tok: d.Tok, Specs: specs})
			}
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) == 1 && !own[RecvName(d.Recv.List[0].Type)] {
				out = append(out, d)
			}
		}
	}
	return out, ifaces
}

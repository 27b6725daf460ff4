package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
)

// topLevelDerefTypes writes the type of a variable defined at a cell's
// top level from a value that dereferences or indexes a pointer. yaegi
// v0.16.1 types such a global from its value before it compiles the
// statement, and takes `*p` there for the pointer type *T (a type
// expression) and an index of a pointer for nothing:
//
//	q := &(*p)[2]      compile: runtime error: invalid memory address or nil pointer dereference
//	x := p[2]          constant definition loop                  (p a *[3]int)
//	x := (*ps)[0] + 1  compile: invalid memory address ...       (ps a *[]int)
//	f := (*s).f        compile: runtime error: index out of range [0] with length 0
//
// while with the type written it does not type the value, and the same
// statement runs as Go's. go/types (on the cell, the session's variables
// of known type and the type declarations of context) gives the type:
//
//	q := &(*p)[2]      ->   var q *int = &(*p)[2]
//	var x = p[2]       ->   var x int = p[2]
//
// Only single-variable definitions directly at the top level (the body of
// a statement unit, func _) are rewritten, and only when the type can be
// written with the cell's and the universe's names; inside functions yaegi
// types these values right. It runs on the names as written, before the
// renames.
func topLevelDerefTypes(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	if len(f.Decls) != 1 {
		return
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fd.Recv != nil || fd.Name.Name != "_" || fd.Body == nil {
		return
	}
	type def struct {
		i    int
		name *ast.Ident
		val  ast.Expr
	}
	var defs []def
	for i, st := range fd.Body.List {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) == 1 && len(x.Rhs) == 1 && mayDeref(x.Rhs[0]) {
				if id, ok := x.Lhs[0].(*ast.Ident); ok && id.Name != "_" {
					defs = append(defs, def{i, id, x.Rhs[0]})
				}
			}
		case *ast.DeclStmt:
			if g, ok := x.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR && len(g.Specs) == 1 {
				vs := g.Specs[0].(*ast.ValueSpec)
				if vs.Type == nil && len(vs.Names) == 1 && len(vs.Values) == 1 && vs.Names[0].Name != "_" && mayDeref(vs.Values[0]) {
					defs = append(defs, def{i, vs.Names[0], vs.Values[0]})
				}
			}
		}
	}
	if len(defs) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	for _, d := range defs {
		if !derefs(d.val, info) {
			continue
		}
		t := info.Types[d.val].Type
		if t == nil || !expressible(t, pkg) {
			continue
		}
		te, err := parser.ParseExpr(types.TypeString(t, func(*types.Package) string { return "" }))
		if err != nil {
			continue
		}
		fd.Body.List[d.i] = &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: d.name.Pos(), Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{d.name}, Type: te, Values: []ast.Expr{d.val}}}}}
	}
}

// mayDeref tells by its syntax whether e, outside function literals, has
// a star or an index: what derefs decides with types.
func mayDeref(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.StarExpr, *ast.IndexExpr:
			found = true
		}
		return !found
	})
	return found
}

// derefs tells whether e, outside function literals, dereferences a
// pointer (*p as a value) or indexes one (p[i] of a pointer to an array).
func derefs(e ast.Expr, info *types.Info) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.StarExpr:
			found = info.Types[x].IsValue()
		case *ast.IndexExpr:
			if t := info.Types[x.X].Type; t != nil {
				_, found = t.Underlying().(*types.Pointer)
			}
		}
		return !found
	})
	return found
}

// UntypedDerefDef is the name of the first variable that list, the
// statements at a cell's top level as built, defines from a value with a
// star or an index without writing its type (what topLevelDerefTypes
// could not type), or "". The session names it when yaegi's compile
// fails on such a unit.
func UntypedDerefDef(list []ast.Stmt) string {
	for _, st := range list {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
				for i, v := range x.Rhs {
					if id, ok := x.Lhs[i].(*ast.Ident); ok && id.Name != "_" && mayDeref(v) {
						return id.Name
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := x.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					if vs.Type != nil || len(vs.Values) != len(vs.Names) {
						continue
					}
					for i, v := range vs.Values {
						if vs.Names[i].Name != "_" && mayDeref(v) {
							return vs.Names[i].Name
						}
					}
				}
			}
		}
	}
	return ""
}

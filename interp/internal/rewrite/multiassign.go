package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// parallelAssignTemps gives the values of an assignment of several
// variables that yaegi v0.16.1 cannot assign there a variable of the
// destination's own type first. It fails on two kinds of value:
//
//	w, err = n, nil       (err an error, p a pointer)   panic: reflect: New(nil)
//	w, e = n, T{5}        (e an error, T a cell type)   panic: reflect.Set: value of type
//	                                                    interp._error is not assignable to type struct {...}
//
// while a single `var ᐧa error = nil` and an assignment of several
// values of the destinations' own types work. Hence
//
//	w, err = n, nil    ->   { var ᐧa1 error = nil; w, err = n, ᐧa1 }
//	w, e = f(), T{5}   ->   { ᐧa0 := f(); var ᐧa1 error = T{5}; w, e = ᐧa0, ᐧa1 }
//
// Into a variable of an empty interface type, a concrete value goes
// (and a variable of type any does not); its nil is assigned after the
// others, which is the same in Go as the variable is not among them:
//
//	w, a = n, nil      ->   { w = n; a = nil }      (a an any)
//
// A value before the moved one that calls or receives moves with it, so
// the values are still evaluated in order. go/types (on the file, the
// session's variables of known type and the type declarations of context)
// tells the destinations' types; an assignment it cannot type, or of a
// type it cannot write, is left as it is. Only assignments in statement
// lists are rewritten (not in an if's or for's init). It runs before
// literalsThroughVars, which routes `var ᐧa1 error = T{5}` through a
// variable of type T.
func parallelAssignTemps(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var cands []*ast.AssignStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) > 1 && len(as.Lhs) == len(as.Rhs) {
			for _, v := range as.Rhs {
				if _, ok := ast.Unparen(v).(*ast.BasicLit); !ok {
					cands = append(cands, as) // a candidate: go/types decides
					break
				}
			}
		}
		return true
	})
	if len(cands) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	blocks := map[*ast.AssignStmt]*ast.BlockStmt{}
	for _, as := range cands {
		if b := assignTemps(as, info, pkg); b != nil {
			blocks[as] = b
		}
	}
	if len(blocks) == 0 {
		return
	}
	eachStmtList(f, func(list []ast.Stmt) {
		for i, st := range list {
			if as, ok := st.(*ast.AssignStmt); ok && blocks[as] != nil {
				list[i] = blocks[as]
				delete(blocks, as) // the block holds as: once only
			}
		}
	})
}

// assignTemps is the block that replaces as, or nil when as needs none.
func assignTemps(as *ast.AssignStmt, info *types.Info, pkg *types.Package) *ast.BlockStmt {
	last := -1
	typ := make([]ast.Expr, len(as.Rhs))
	var after []ast.Stmt // nil assigned to a variable of an empty interface type
	var lhs, rhs []ast.Expr
	for i, v := range as.Rhs {
		lt := info.Types[as.Lhs[i]].Type
		vt, ok := info.Types[v]
		if lt == nil || !ok || vt.Type == nil {
			lhs, rhs = append(lhs, as.Lhs[i]), append(rhs, v)
			continue
		}
		it, isIface := lt.Underlying().(*types.Interface)
		needs := false
		if b, ok := vt.Type.(*types.Basic); ok && b.Kind() == types.UntypedNil {
			// Through a variable of an empty interface type the value is
			// lost as well: a variable takes its nil after the others.
			if id, ok := as.Lhs[i].(*ast.Ident); ok && isIface && it.NumMethods() == 0 && assignedOnce(as.Lhs, id) {
				after = append(after, &ast.AssignStmt{Lhs: []ast.Expr{id}, Tok: token.ASSIGN, Rhs: []ast.Expr{v}})
				continue
			}
			needs = true
		} else if isIface && it.NumMethods() > 0 && !types.IsInterface(vt.Type) && vt.Value == nil {
			needs = true
		}
		lhs, rhs = append(lhs, as.Lhs[i]), append(rhs, v)
		if !needs {
			continue
		}
		if !expressible(lt, pkg) {
			return nil
		}
		te, err := parser.ParseExpr(types.TypeString(lt, func(*types.Package) string { return "" }))
		if err != nil {
			return nil
		}
		typ[len(rhs)-1], last = te, len(rhs)-1
	}
	if last < 0 && len(after) == 0 {
		return nil
	}
	as.Lhs, as.Rhs = lhs, rhs
	blk := &ast.BlockStmt{Lbrace: as.Pos(), Rbrace: as.End()}
	for i := 0; i <= last; i++ {
		v := as.Rhs[i]
		name := ast.NewIdent("ᐧa" + strconv.Itoa(i))
		switch {
		case typ[i] != nil:
			blk.List = append(blk.List, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
				&ast.ValueSpec{Names: []*ast.Ident{name}, Type: typ[i], Values: []ast.Expr{v}}}}})
		case runsSomething(v):
			blk.List = append(blk.List, &ast.AssignStmt{Lhs: []ast.Expr{name}, Tok: token.DEFINE, Rhs: []ast.Expr{v}})
		default:
			continue
		}
		as.Rhs[i] = ast.NewIdent(name.Name)
	}
	if len(as.Lhs) > 0 {
		blk.List = append(blk.List, as)
	}
	blk.List = append(blk.List, after...)
	return blk
}

// assignedOnce tells whether id is the only target in lhs of its name.
func assignedOnce(lhs []ast.Expr, id *ast.Ident) bool {
	for _, e := range lhs {
		if x, ok := e.(*ast.Ident); ok && x != id && x.Name == id.Name {
			return false
		}
	}
	return true
}

// checkTypesIn is checkTypes with the declarations of context (Facts'
// TypeDecls and ValueDecls, as source: funcs and methods without bodies)
// declared too, so that a unit sees the types, funcs, vars and constants
// of the cell's other units and of the session. A declaration of a name
// the file declares is left out: the file's own takes precedence.
func checkTypesIn(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) (*types.Package, *types.Info) {
	if len(context) == 0 {
		return checkTypes(fset, f, varTypes)
	}
	own := map[string]bool{}
	eachDeclName(f.Decls, func(n string) { own[n] = true })
	src := "package " + f.Name.Name + "\n" + strings.Join(context, "\n")
	cf, err := parser.ParseFile(token.NewFileSet(), "context.go", src, parser.SkipObjectResolution)
	if err != nil {
		return checkTypes(fset, f, varTypes)
	}
	decls := f.Decls
	for _, d := range cf.Decls {
		clash := false
		eachDeclName([]ast.Decl{d}, func(n string) { clash = clash || own[n] })
		if fd, ok := d.(*ast.FuncDecl); ok {
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				clash = own[RecvName(fd.Recv.List[0].Type)] // the file's type, with its own methods
			}
			if fd.Body == nil {
				fd.Body = &ast.BlockStmt{} // a signature: what it does is not needed
			}
		}
		if !clash {
			f.Decls = append(f.Decls, d)
		}
	}
	defer func() { f.Decls = decls }()
	return checkTypes(fset, f, varTypes)
}

// eachDeclName calls name with the package-level names decls declare
// (not methods).
func eachDeclName(decls []ast.Decl, name func(string)) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				name(d.Name.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					name(sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						name(n.Name)
					}
				}
			}
		}
	}
}

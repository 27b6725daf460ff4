package interp

import (
	"go/ast"
	"go/token"
	"strconv"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// build parses u on fset and rewrites it (package rewrite) into what the
// interpreter runs.
func build(fset *token.FileSet, u *unit) (ast.Node, *Error) {
	switch u.kind {
	case cellsrc.SegImport:
		gd := &ast.GenDecl{Tok: token.IMPORT}
		for _, im := range u.imports {
			gd.Specs = append(gd.Specs, &ast.ImportSpec{Name: ast.NewIdent(im[0]), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(im[1])}})
		}
		return &ast.File{Name: ast.NewIdent("main"), Decls: []ast.Decl{gd}}, nil
	case cellsrc.SegDecl:
		out := &ast.File{Name: ast.NewIdent("main")}
		usesVars := false
		for _, p := range u.pieces {
			f, err := cellsrc.Parse(fset, p, cellsrc.SegDecl, 0)
			if err != nil {
				return nil, syntaxErr(err)
			}
			if !u.noCheck {
				usesVars = usesVars || initUsesVars(f, u.facts.Vars)
				rewrite.File(fset, f, &u.facts)
			}
			if out.Package == token.NoPos {
				out.Package = f.Package
			}
			out.Decls = append(out.Decls, f.Decls...)
		}
		if !u.noCheck {
			rewrite.InitOrder(fset, out)
		}
		if usesVars && onlyVars(out) {
			// yaegi refuses a package-level var whose initial value uses a
			// variable an earlier compile defined ("variable definition
			// loop" for `var limit = len(ops)*10` after `ops := ...`): as a
			// statement at the top level it defines the same global.
			body := &ast.BlockStmt{Lbrace: out.Package}
			for _, d := range out.Decls {
				body.List = append(body.List, &ast.DeclStmt{Decl: d})
			}
			return body, nil
		}
		return out, nil
	default:
		var body *ast.BlockStmt
		for _, p := range u.pieces {
			var f *ast.File
			if len(u.pieces) == 1 {
				f = u.pre.Take(fset, u.preFrom, u.preTo)
			}
			if f != nil {
				u.pre = nil // rewrite changes it: once only
			} else {
				var err error
				if f, err = cellsrc.Parse(fset, p, cellsrc.SegStmt, 0); err != nil {
					return nil, syntaxErr(err)
				}
			}
			if !u.noCheck {
				rewrite.File(fset, f, &u.facts)
			}
			b := f.Decls[0].(*ast.FuncDecl).Body
			list, err := rewrite.TopLevel(fset, b.List, &u.facts)
			if err != nil {
				return nil, compileErr(err.Error())
			}
			b.List = list
			if body == nil {
				body = b
			} else {
				body.List = append(body.List, b.List...)
			}
		}
		rewrite.ShowLast(body, u.show)
		return body, nil
	}
}

// initUsesVars says whether an initial value of f's var declarations uses
// one of vars (the session's and the cell's variables) that f does not
// declare itself.
func initUsesVars(f *ast.File, vars map[string]bool) bool {
	own := map[string]bool{}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, sp := range gd.Specs {
				for _, n := range sp.(*ast.ValueSpec).Names {
					own[n.Name] = true
				}
			}
		}
	}
	uses := false
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, sp := range gd.Specs {
			for _, v := range sp.(*ast.ValueSpec).Values {
				ast.Inspect(v, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.SelectorExpr:
						ast.Inspect(x.X, func(n ast.Node) bool {
							if id, ok := n.(*ast.Ident); ok && vars[id.Name] && !own[id.Name] {
								uses = true
							}
							return !uses
						})
						return false
					case *ast.Ident:
						uses = uses || vars[x.Name] && !own[x.Name]
					}
					return !uses
				})
			}
		}
	}
	return uses
}

// onlyVars says whether f declares variables and nothing else.
func onlyVars(f *ast.File) bool {
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); !ok || gd.Tok != token.VAR {
			return false
		}
	}
	return len(f.Decls) > 0
}

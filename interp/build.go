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
		for _, p := range u.pieces {
			f, err := cellsrc.Parse(fset, p, cellsrc.SegDecl, 0)
			if err != nil {
				return nil, syntaxErr(err)
			}
			if !u.noCheck {
				rewrite.File(fset, f, &u.facts)
			}
			if out.Package == token.NoPos {
				out.Package = f.Package
			}
			out.Decls = append(out.Decls, f.Decls...)
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

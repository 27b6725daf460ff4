package cellsrc

import (
	"fmt"
	"go/ast"
)

// sigTypeNames collects the identifiers used as types in the signature of
// the func declaration d (parameters and results, at any depth: `[]f`,
// `func(f)`), leaving out its type parameters. yaegi's compile recurses
// without end on a func whose signature names the func itself as a type
// (`func A(x A) {}`): a Go stack overflow, which ends the process, so the
// analysis must refuse it first.
func sigTypeNames(d *ast.FuncDecl) []*ast.Ident {
	if d.Recv != nil {
		return nil // methods are not package-level names
	}
	tparams := map[string]bool{}
	if d.Type.TypeParams != nil {
		for _, f := range d.Type.TypeParams.List {
			for _, n := range f.Names {
				tparams[n.Name] = true
			}
		}
	}
	var ids []*ast.Ident
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Field: // its names are not types
				walk(n.Type)
				return false
			case *ast.SelectorExpr: // pkg.T: not a cell's name
				return false
			case *ast.Ident:
				if !tparams[n.Name] {
					ids = append(ids, n)
				}
			}
			return true
		})
	}
	for _, fl := range []*ast.FieldList{d.Type.Params, d.Type.Results} {
		if fl != nil {
			walk(fl)
		}
	}
	return ids
}

// checkSigTypes refuses a func signature that uses a func as a type: the
// func itself (which would end the process in yaegi's compile) or another
// func of the cell or the session (which yaegi accepts silently).
func (an *analyser) checkSigTypes() error {
	funcs := map[string]bool{} // the cell's top-level names that are funcs
	defined := map[string]bool{}
	for _, d := range an.a.Defs {
		if d.Kind == Method {
			continue
		}
		for _, n := range d.Names {
			defined[n] = true
			funcs[n] = d.Kind == Func
		}
	}
	for _, id := range an.sigTypes {
		isFunc := funcs[id.Name]
		if !defined[id.Name] && !an.local[id.Name] {
			_, _, isFunc = an.r.Func(id.Name)
		}
		if isFunc {
			return fmt.Errorf("%s: %s is a func, not a type", an.fset.Position(id.Pos()), id.Name)
		}
	}
	return nil
}

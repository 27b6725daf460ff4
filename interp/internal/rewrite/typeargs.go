package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// ExplicitTypeArgs writes out the type arguments Go infers for each call
// in target of a generic function declared in target or context, where
// the call gives none. yaegi's own inference fails on common calls:
// Map(xs, func(i int) string {...}) of Map[T, U any] gives "cannot use type
// func(int) string as type func(int) int", Sum(1, 2, 3) of a variadic
// Sum[T int | float64](xs ...T) gives "undefined type for T"; with the
// type arguments written out both run. go/types infers them from the cell
// and the declarations the caller gives as context (the session's
// definitions the cell uses). Imported packages are not loaded (loading the
// standard library from source takes seconds): a call whose inference
// needs an imported package's types is left as it is, for yaegi to try.
// It reports whether it changed target.
//
//	before: Map([]int{1, 2}, func(i int) string { return fmt.Sprint(i) })
//	after:  Map[int, string]([]int{1, 2}, func(i int) string { return fmt.Sprint(i) })
func ExplicitTypeArgs(fset *token.FileSet, target *ast.File, context []*ast.File) bool {
	generic := map[string]bool{}
	for _, f := range append([]*ast.File{target}, context...) {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Type.TypeParams != nil {
				generic[fd.Name.Name] = true
			}
		}
	}
	if len(generic) == 0 {
		return false
	}
	var calls []*ast.CallExpr
	ast.Inspect(target, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && generic[id.Name] {
				calls = append(calls, c)
			}
		}
		return true
	})
	if len(calls) == 0 {
		return false
	}
	info := &types.Info{Instances: map[*ast.Ident]types.Instance{}}
	conf := types.Config{
		Importer: emptyImporter{},
		Error:    func(error) {}, // a cell's own errors are yaegi's to report
	}
	files := append([]*ast.File{target}, context...)
	pkg, _ := conf.Check(target.Name.Name, fset, files, info)
	if pkg == nil {
		return false
	}
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	changed := false
	for _, c := range calls {
		id := c.Fun.(*ast.Ident)
		inst, ok := info.Instances[id]
		if !ok || inst.TypeArgs == nil {
			continue
		}
		var idx []ast.Expr
		for i := 0; i < inst.TypeArgs.Len(); i++ {
			t := inst.TypeArgs.At(i)
			if !expressible(t, pkg) {
				idx = nil
				break
			}
			e, err := parser.ParseExpr(types.TypeString(t, qual))
			if err != nil {
				idx = nil
				break
			}
			idx = append(idx, e)
		}
		if len(idx) == 0 {
			continue
		}
		if len(idx) == 1 {
			c.Fun = &ast.IndexExpr{X: id, Lbrack: id.End(), Index: idx[0]}
		} else {
			c.Fun = &ast.IndexListExpr{X: id, Lbrack: id.End(), Indices: idx}
		}
		changed = true
	}
	return changed
}

// expressible says whether t can be written in the cell: no invalid parts,
// no untyped kinds, and names only of the cell's package or the universe.
func expressible(t types.Type, pkg *types.Package) bool {
	s := types.TypeString(t, func(p *types.Package) string {
		if p != pkg {
			return "\x00"
		}
		return ""
	})
	return !strings.Contains(s, "\x00") && !strings.Contains(s, "invalid type") && !strings.Contains(s, "untyped")
}

// emptyImporter gives every import as an empty, complete package, so that
// the check of a cell needs no files: uses of its names are errors, which
// ExplicitTypeArgs ignores. unsafe is go/types' own.
type emptyImporter struct{}

func (emptyImporter) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	p := types.NewPackage(path, name)
	p.MarkComplete()
	return p, nil
}

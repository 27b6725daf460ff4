package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// checkedSliceConversions checks the length of a slice converted to an
// array or a pointer to an array before yaegi v0.16.1 converts it: a slice
// too short made reflect panic with a string ("reflect: cannot convert
// slice with length 8 to pointer to array with length 9"), which
// `recover().(error)` cannot take, where Go panics with a runtime.Error.
// ᐧs.SliceConv panics with Go's error when the slice is shorter than the
// array and returns 0 otherwise, the start of a slice expression that
// leaves the slice as it is (nil stays nil):
//
//	(*[9]byte)(s)   ->   (*[9]byte)(s[ᐧs.SliceConv(len(s), 9):])
//	[4]int(s)       ->   [4]int(s[ᐧs.SliceConv(len(s), 4):])
//
// go/types tells the conversions (checkTypesIn); one whose slice has side
// effects stays, the slice being read twice. It runs on the names as
// written, before the renames.
func checkedSliceConversions(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	arrayNames := map[string]bool{} // the types f declares as arrays or pointers to arrays
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && arrayTypeSyntax(ts.Type, nil) {
			arrayNames[ts.Name.Name] = true
		}
		return true
	})
	conversion := anyNode(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		return ok && len(c.Args) == 1 && arrayTypeSyntax(c.Fun, arrayNames)
	})
	if !conversion {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 || c.Ellipsis.IsValid() {
			return true
		}
		tv, ok := info.Types[c.Fun]
		if !ok || !tv.IsType() {
			return true
		}
		to := tv.Type.Underlying()
		if p, ok := to.(*types.Pointer); ok {
			to = p.Elem().Underlying()
		}
		arr, ok := to.(*types.Array)
		if !ok {
			return true
		}
		from, ok := info.Types[c.Args[0]]
		if !ok || from.Type == nil {
			return true
		}
		if _, ok := from.Type.Underlying().(*types.Slice); !ok || !pure(c.Args[0], info) {
			return true
		}
		s, at := c.Args[0], c.Args[0].Pos()
		check := &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: at, Name: Sess}, Sel: &ast.Ident{NamePos: at, Name: "SliceConv"}},
			Lparen: at,
			Args: []ast.Expr{
				&ast.CallExpr{Fun: &ast.Ident{NamePos: at, Name: "len"}, Lparen: at, Args: []ast.Expr{s}, Rparen: at},
				&ast.BasicLit{ValuePos: at, Kind: token.INT, Value: strconv.FormatInt(arr.Len(), 10)},
			},
			Rparen: at,
		}
		x := s
		if _, star := s.(*ast.StarExpr); star {
			x = &ast.ParenExpr{Lparen: at, X: s, Rparen: s.End()}
		}
		c.Args[0] = &ast.SliceExpr{X: x, Lbrack: at, Low: check, Rbrack: s.End()}
		return true
	})
}

// arrayTypeSyntax tells whether e can be, by its syntax, an array type or
// a pointer to one: [N]T, (*[N]T), or one of names.
func arrayTypeSyntax(e ast.Expr, names map[string]bool) bool {
	e = ast.Unparen(e)
	if s, ok := e.(*ast.StarExpr); ok {
		e = ast.Unparen(s.X)
	}
	switch e := e.(type) {
	case *ast.ArrayType:
		return e.Len != nil
	case *ast.Ident:
		return names[e.Name]
	}
	return false
}

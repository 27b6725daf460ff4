package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// constantLens writes out the lengths that Go knows without evaluating
// their operand: len and cap of an array, or of a pointer to one, and a
// range over a pointer to an array with at most an index. yaegi v0.16.1
// evaluates the operand, so a nil pointer or a slice element that does
// not exist fails where Go's program does not:
//
//	var p *[10]int; for i := range p {...}   panic: call of reflect.Value.Len on zero Value
//	len(p), len(f())                          the same
//	const n = len(s[10])  (s a [][30]int)     index out of range [10] with length 0
//
// go/types (on the file, the session's variables of known type and the
// type declarations of context) gives the constants:
//
//	len(p)                ->   int(10)
//	for i := range p      ->   for i := range 10     (then rangeInt)
//	for i := range mk()   ->   for i := range mk()   (evaluated, as in Go)
//	const n = len(s[10])  ->   const n = int(30)
func constantLens(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var calls []*ast.CallExpr
	var ranges []*ast.RangeStmt
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "len" || id.Name == "cap") && len(x.Args) == 1 {
				calls = append(calls, x)
			}
		case *ast.RangeStmt:
			if x.Value == nil || isBlank(x.Value) {
				ranges = append(ranges, x)
			}
		}
		return true
	})
	if len(calls) == 0 && len(ranges) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	// arrayLen is the length of t, an array or a pointer to one, or -1.
	arrayLen := func(t types.Type) int64 {
		if t == nil {
			return -1
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		if a, ok := t.Underlying().(*types.Array); ok {
			return a.Len()
		}
		return -1
	}
	lit := func(pos token.Pos, n int64) *ast.BasicLit {
		return &ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.FormatInt(n, 10)}
	}
	for _, c := range calls {
		n := arrayLen(info.Types[c.Args[0]].Type)
		switch {
		case n < 0:
			continue // not of an array: yaegi's own
		case info.Types[c].Value != nil:
			// In place, as len's result: a constant of type int.
			c.Fun = &ast.Ident{NamePos: c.Fun.Pos(), Name: "int"}
			c.Args[0] = lit(c.Args[0].Pos(), n)
		default:
			// A call or receive, which Go evaluates, of a pointer
			// (perhaps nil): the length of its type.
			c.Fun = lenFunc(c.Fun.Pos(), n)
		}
	}
	for _, r := range ranges {
		t := info.Types[r.X].Type
		if t == nil {
			continue
		}
		if _, ok := t.Underlying().(*types.Pointer); !ok {
			continue
		}
		n := arrayLen(t)
		switch {
		case n < 0 || runsSomething(r.X):
			// Go evaluates a call or receive (its len is not constant),
			// and so does yaegi.
		default:
			r.X = lit(r.X.Pos(), n)
		}
	}
}

// lenFunc is func(any) int { return n }.
func lenFunc(pos token.Pos, n int64) *ast.FuncLit {
	return &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("any")}}},
			Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("int")}}}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.FormatInt(n, 10)}}}}},
	}
}

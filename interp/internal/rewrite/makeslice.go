package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"runtime"
	"strconv"
)

// checkedMakeSlices checks the length and capacity of a make of a slice
// as Go's runtime does before yaegi v0.16.1 allocates it: yaegi's
// reflect.MakeSlice said "reflect.MakeSlice: negative cap", or the
// allocator "runtime: allocation size out of range", which cannot tell the
// length from the capacity, where Go panics with "runtime error:
// makeslice: len out of range" or "... cap out of range" (a length or
// capacity that is negative, does not fit an int, or whose elements take
// more memory than can be allocated, the length first when both are
// wrong). ᐧs.MakeCheck does the checks, given the element size go/types
// computes, and returns both as ints:
//
//	make(T, n)      ->   func() T { ᐧl, ᐧc := ᐧs.MakeCheck(n, n, 8); return make(T, ᐧl, ᐧc) }()
//	make(T, n, c)   ->   func() T { ᐧl, ᐧc := ᐧs.MakeCheck(n, c, 8); return make(T, ᐧl, ᐧc) }()
//
// A make whose sizes are all constants stays (Go checks those when it
// compiles), as does one whose type go/types cannot tell (from the cell,
// the session's types, Facts.TypeDecls, and its variables of known type).
// It runs on the names as written, before the renames.
func checkedMakeSlices(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var makes []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && len(c.Args) >= 2 && len(c.Args) <= 3 && !c.Ellipsis.IsValid() {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "make" {
				for _, a := range c.Args[1:] {
					if _, lit := a.(*ast.BasicLit); !lit {
						makes = append(makes, c)
						break
					}
				}
			}
		}
		return true
	})
	if len(makes) == 0 {
		return
	}
	var ctx []ast.Decl
	if len(context) > 0 {
		ctx, _ = contextDecls(f, context)
	}
	pkg, info := checkWithDecls(fset, f, varTypes, ctx)
	if pkg == nil {
		return
	}
	sizes := types.SizesFor("gc", runtime.GOARCH)
	for _, c := range makes {
		if tv, ok := info.Types[c.Fun]; !ok || !tv.IsBuiltin() {
			continue // a cell's own make
		}
		tv, ok := info.Types[c.Args[0]]
		if !ok || !tv.IsType() {
			continue
		}
		sl, ok := tv.Type.Underlying().(*types.Slice)
		if !ok || sizes == nil || !sizable(sl.Elem()) {
			continue
		}
		constant := true
		for _, a := range c.Args[1:] {
			if tv, ok := info.Types[a]; !ok || tv.Value == nil {
				constant = false
			}
		}
		if constant {
			continue
		}
		at := c.Pos()
		id := func(name string) *ast.Ident { return &ast.Ident{NamePos: at, Name: name} }
		l, cp := c.Args[1], c.Args[1]
		if len(c.Args) == 3 {
			cp = c.Args[2]
		}
		size := &ast.BasicLit{ValuePos: at, Kind: token.INT, Value: strconv.FormatInt(sizes.Sizeof(sl.Elem()), 10)}
		check := &ast.CallExpr{Fun: &ast.SelectorExpr{X: id(Sess), Sel: id("MakeCheck")}, Lparen: at, Args: []ast.Expr{l, cp, size}, Rparen: at}
		made := &ast.CallExpr{Fun: id("make"), Lparen: at, Args: []ast.Expr{c.Args[0], id("ᐧl"), id("ᐧc")}, Rparen: c.End()}
		*c = ast.CallExpr{Lparen: at, Rparen: c.End(), Fun: &ast.FuncLit{
			Type: &ast.FuncType{Func: at, Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: c.Args[0]}}}},
			Body: &ast.BlockStmt{Lbrace: at, Rbrace: c.End(), List: []ast.Stmt{
				&ast.AssignStmt{Lhs: []ast.Expr{id("ᐧl"), id("ᐧc")}, TokPos: at, Tok: token.DEFINE, Rhs: []ast.Expr{check}},
				&ast.ReturnStmt{Return: at, Results: []ast.Expr{made}},
			}},
		}}
	}
}

// sizable tells whether go/types can size t: it holds no invalid type (a
// type of another package, which the check does not import).
func sizable(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Kind() != types.Invalid
	case *types.Array:
		return sizable(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if !sizable(t.Field(i).Type()) {
				return false
			}
		}
		return true
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	}
	return false
}

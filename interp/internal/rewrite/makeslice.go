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
// wrong). ᐧs.MakeLen (ᐧs.MakeLen1 when the capacity is the length) does
// the checks, given the element size go/types computes, and returns the
// length as an int; ᐧs.MakeCap converts the capacity:
//
//	make(T, n)      ->   make(T, ᐧs.MakeLen1(n, 8))
//	make(T, n, c)   ->   make(T, ᐧs.MakeLen(n, c, 8), ᐧs.MakeCap(c))
//
// (native calls: a function literal made each make 20 times slower). A
// make whose sizes are all constants stays (Go checks those when it
// compiles), as does one whose capacity has side effects (it is read
// twice; names, fields, literals and conversions of them are read) or
// whose type go/types cannot tell (from the cell, the session's types,
// Facts.TypeDecls and ValueDecls, and its variables of known type).
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
	pkg, info := checkTypesIn(fset, f, varTypes, context)
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
		n, ok := sizeOf(sizes, sl.Elem())
		if !ok {
			continue
		}
		size := &ast.BasicLit{ValuePos: at, Kind: token.INT, Value: strconv.FormatInt(n, 10)}
		call := func(fn string, args ...ast.Expr) *ast.CallExpr {
			return &ast.CallExpr{Fun: &ast.SelectorExpr{X: id(Sess), Sel: id(fn)}, Lparen: at, Args: args, Rparen: at}
		}
		if len(c.Args) == 2 {
			c.Args[1] = call("MakeLen1", c.Args[1], size)
			continue
		}
		if !pure(c.Args[2], info) {
			continue // the capacity is read twice
		}
		c.Args[1], c.Args[2] = call("MakeLen", c.Args[1], c.Args[2], size), call("MakeCap", c.Args[2])
	}
}

// sizeOf is sizes.Sizeof(t), false if go/types cannot size it (it
// asserts on what sizable does not foresee).
func sizeOf(sizes types.Sizes, t types.Type) (n int64, ok bool) {
	defer func() {
		if recover() != nil {
			n, ok = 0, false
		}
	}()
	return sizes.Sizeof(t), true
}

// sizable tells whether go/types can size t: it holds no invalid type (a
// type of another package, which the check does not import) and no type
// parameter (a generic func's []T: the size is the instance's).
func sizable(t types.Type) bool {
	if _, ok := t.(*types.TypeParam); ok {
		return false
	}
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

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// NewOf is the bootstrap's generic func that new(expr) becomes: it returns
// a pointer to a copy of its argument.
const NewOf = "ᐧnewOf"

// newOfExprs gives Go 1.26's new(expr), a pointer to a new variable holding
// expr's value, which yaegi v0.16.1 takes for new(type) ("undefined
// type"):
//
//	p := new(42)          ->  p := func() *int { ᐧv := 42; return &ᐧv }()
//	q := new(x > 0)       ->  q := ᐧnewOf(x > 0)
//	r := new(bytes.Buffer)   (a type: unchanged)
//
// The argument is an expression when its form says so (a literal, an
// operation, a call, a composite literal) or when it is made of a variable
// (x, x.f, x[i], *x): a local of the file or one of vars, the session's.
// A package's member (pkg.Name) and any other name are taken for types.
// It runs on the names as written, before the renames.
func newOfExprs(f *ast.File, vars map[string]bool) {
	has := false
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && len(c.Args) == 1 {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "new" {
				has = true
			}
		}
		return !has
	})
	if !has {
		return
	}
	typeNames := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.TypeSpec:
			typeNames[x.Name.Name] = true
		case *ast.FuncType:
			if x.TypeParams != nil {
				for _, fd := range x.TypeParams.List {
					for _, id := range fd.Names {
						typeNames[id.Name] = true
					}
				}
			}
		}
		return true
	})
	free := map[*ast.Ident]bool{}
	PackageRefs(f, func(id *ast.Ident, isFree bool) {
		if isFree {
			free[id] = true
		}
	})
	isVar := func(id *ast.Ident) bool {
		if typeNames[id.Name] {
			return false
		}
		if _, ok := types.Universe.Lookup(id.Name).(*types.Const); ok && free[id] {
			return true // true, false
		}
		if free[id] {
			return vars[id.Name]
		}
		switch types.Universe.Lookup(id.Name).(type) {
		case nil:
			return true // declared in the file, not as a type
		case *types.Const:
			return true // a local named true
		default:
			return false // int, string, any...
		}
	}
	var isExpr func(e ast.Expr) bool
	isExpr = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.BasicLit, *ast.CompositeLit, *ast.BinaryExpr, *ast.CallExpr, *ast.FuncLit, *ast.TypeAssertExpr, *ast.SliceExpr:
			return true
		case *ast.UnaryExpr:
			return true
		case *ast.ParenExpr:
			return isExpr(x.X)
		case *ast.Ident:
			return isVar(x)
		case *ast.SelectorExpr:
			return isExpr(x.X)
		case *ast.IndexExpr:
			return isExpr(x.X)
		case *ast.StarExpr:
			return isExpr(x.X)
		}
		return false
	}
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		c, ok := e.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return e
		}
		id, ok := c.Fun.(*ast.Ident)
		if !ok || id.Name != "new" || !free[id] || !isExpr(c.Args[0]) {
			return e
		}
		if t := constType(c.Args[0], free); t != "" {
			return newOfConst(c.Args[0], t)
		}
		id.Name = NewOf
		return e
	})
}

// constType is the default type of e when it is an untyped constant
// literal, "" otherwise.
func constType(e ast.Expr, free map[*ast.Ident]bool) string {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return constType(x.X, free)
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			return "int"
		case token.FLOAT:
			return "float64"
		case token.IMAG:
			return "complex128"
		case token.CHAR:
			return "rune"
		case token.STRING:
			return "string"
		}
	case *ast.Ident:
		if free[x] && (x.Name == "true" || x.Name == "false") {
			return "bool"
		}
	}
	return ""
}

// newOfConst is new(lit) for an untyped constant literal of default type
// t: func() *t { ᐧv := lit; return &ᐧv }(). (The generic ᐧnewOf gives
// false for new(true) when the bootstrap's instance is reused, and fails
// in a package-level var's value.)
func newOfConst(lit ast.Expr, t string) ast.Expr {
	return &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: &ast.StarExpr{X: ast.NewIdent(t)}}}}},
		Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("ᐧv")}, Tok: token.DEFINE, Rhs: []ast.Expr{lit}},
			&ast.ReturnStmt{Results: []ast.Expr{&ast.UnaryExpr{Op: token.AND, X: ast.NewIdent("ᐧv")}}},
		}},
	}}
}

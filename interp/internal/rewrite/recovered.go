package rewrite

import (
	"go/ast"
	"reflect"
)

// RecoverValues turns each call of the builtin recover into a call of the
// session's ᐧs.Recovered on it. Inside interpreted code yaegi's recover
// gave a reflect.Value for panic(v) (so r.(error) and r == "boom" failed),
// reflect's panic strings for run-time errors, and its own compile-error
// type for a failed type assertion; ᐧs.Recovered (interp/internal/rterr)
// returns what Go's recover does. recover is still called directly by the
// deferred function, so it still stops the panic. builtin says whether an
// identifier named recover is the builtin (not a cell's own).
//
//	before: if r := recover(); r != nil {
//	after:  if r := ᐧs.Recovered(recover()); r != nil {
func RecoverValues(n ast.Node, builtin func(*ast.Ident) bool) {
	done := map[*ast.CallExpr]bool{}
	replaceExprs(n, func(e ast.Expr) ast.Expr {
		c, ok := e.(*ast.CallExpr)
		if !ok || done[c] || len(c.Args) != 0 {
			return e
		}
		id, ok := c.Fun.(*ast.Ident)
		if !ok || id.Name != "recover" || !builtin(id) {
			return e
		}
		done[c] = true
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: c.Pos(), Name: "ᐧs"}, Sel: ast.NewIdent("Recovered")}, Lparen: c.Pos(), Args: []ast.Expr{c}, Rparen: c.End()}
	})
}

var (
	exprType      = reflect.TypeFor[ast.Expr]()
	exprSliceType = reflect.TypeFor[[]ast.Expr]()
)

// replaceExprs calls f on every expression in n, outermost first, and
// puts what it returns in its place; f's result is then walked (f must
// not return a new node that it would replace again).
func replaceExprs(n ast.Node, f func(ast.Expr) ast.Expr) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() && v.Elem().Kind() == reflect.Struct {
				walk(v.Elem())
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				el := v.Index(i)
				if v.Type() == exprSliceType && !el.IsNil() {
					el.Set(reflect.ValueOf(f(el.Interface().(ast.Expr))))
				}
				walk(el)
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[ast.Object]() || v.Type() == reflect.TypeFor[ast.Scope]() {
				return // go/ast's deprecated objects point back into the tree
			}
			for i := 0; i < v.NumField(); i++ {
				fv := v.Field(i)
				if !fv.CanSet() {
					continue
				}
				if fv.Type() == exprType && !fv.IsNil() {
					fv.Set(reflect.ValueOf(f(fv.Interface().(ast.Expr))))
				}
				switch fv.Kind() {
				case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Struct:
					if _, isObj := fv.Interface().(*ast.Object); isObj {
						continue
					}
					if _, isScope := fv.Interface().(*ast.Scope); isScope {
						continue
					}
					walk(fv)
				}
			}
		}
	}
	walk(reflect.ValueOf(n))
}

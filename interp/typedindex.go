package interp

import (
	"go/ast"
	"go/parser"
	"reflect"
	"strconv"
	"strings"
)

// yaegi cannot infer the type of a global defined at the top level of a
// cell from an index or slice of a global whose type came from native code
// (`grid := ag.Meshgrid(...)`, then `XX := grid[0]`: "constant definition
// loop"). Converting the operand to its own type, `([]*ag.Tensor)(grid)[0]`,
// tells yaegi the type, so the session writes that conversion for operands
// whose type it can name with the packages the session has imported.

// typedTopLevelIndex rewrites the operands of index and slice expressions
// on the right of top-level `:=` statements.
func (s *Session) typedTopLevelIndex(list []ast.Stmt) {
	names := map[string]string{} // import path -> name in the session
	for name, path := range s.imports {
		names[path] = name
	}
	for _, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok.String() != ":=" {
			continue
		}
		for _, rhs := range as.Rhs {
			ast.Inspect(rhs, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncLit:
					return false // inside a function yaegi infers types itself
				case *ast.IndexExpr:
					x.X = s.typedOperand(x.X, names)
				case *ast.SliceExpr:
					x.X = s.typedOperand(x.X, names)
				}
				return true
			})
		}
	}
}

// typedOperand returns `(T)(id)` for a session global id of a slice, array
// or map type T that can be written down, else e unchanged.
func (s *Session) typedOperand(e ast.Expr, names map[string]string) ast.Expr {
	id, ok := e.(*ast.Ident)
	if !ok {
		return e
	}
	if s.globals == nil {
		s.globals = s.in.Globals()
	}
	v, ok := s.globals[id.Name]
	if !ok || !v.IsValid() {
		return e
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
	default:
		return e
	}
	src, ok := typeSource(v.Type(), names)
	if !ok {
		return e
	}
	te, err := parser.ParseExpr(src)
	if err != nil {
		return e
	}
	return &ast.CallExpr{Fun: &ast.ParenExpr{X: te}, Args: []ast.Expr{id}}
}

// typeSource writes t as Go source, naming packages as the session imported
// them; ok is false for types it cannot name (unexported, interpreted, or
// from a package not imported).
func typeSource(t reflect.Type, names map[string]string) (string, bool) {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name(), true // predeclared
		}
		name, ok := names[t.PkgPath()]
		if !ok || !ast.IsExported(t.Name()) || strings.ContainsAny(t.Name(), "[ᐧ") {
			return "", false
		}
		return name + "." + t.Name(), true
	}
	switch t.Kind() {
	case reflect.Pointer:
		e, ok := typeSource(t.Elem(), names)
		return "*" + e, ok
	case reflect.Slice:
		e, ok := typeSource(t.Elem(), names)
		return "[]" + e, ok
	case reflect.Array:
		e, ok := typeSource(t.Elem(), names)
		return "[" + strconv.Itoa(t.Len()) + "]" + e, ok
	case reflect.Map:
		k, ok1 := typeSource(t.Key(), names)
		e, ok2 := typeSource(t.Elem(), names)
		return "map[" + k + "]" + e, ok1 && ok2
	}
	return "", false
}

package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
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
// on the right of top-level `:=` statements whose types are known.
func typedTopLevelIndex(list []ast.Stmt, types map[string]string) {
	if len(types) == 0 {
		return
	}
	typed := func(e ast.Expr) ast.Expr {
		id, ok := e.(*ast.Ident)
		if !ok || types[id.Name] == "" {
			return e
		}
		te, err := parser.ParseExpr(types[id.Name])
		if err != nil {
			return e
		}
		return &ast.CallExpr{Fun: &ast.ParenExpr{X: te}, Args: []ast.Expr{id}}
	}
	for _, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, rhs := range as.Rhs {
			ast.Inspect(rhs, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncLit:
					return false // inside a function yaegi infers types itself
				case *ast.IndexExpr:
					x.X = typed(x.X)
				case *ast.SliceExpr:
					x.X = typed(x.X)
				}
				return true
			})
		}
	}
}

// operandTypes returns the types, as source, of the session's slice, array
// and map globals that can be written with the packages the session has
// imported. It is taken when a cell is planned, so that rebuilding the
// cell's units later (on the trial interpreter) gives the same program.
func (s *Session) operandTypes() map[string]string {
	names := map[string]string{} // import path -> name in the session
	for name, path := range s.imports {
		names[path] = name
	}
	if s.globals == nil {
		s.globals = s.in.Globals()
	}
	out := map[string]string{}
	for name, v := range s.globals {
		if !v.IsValid() {
			continue
		}
		switch v.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			if src, ok := typeSource(v.Type(), names); ok {
				out[name] = src
			}
		}
	}
	return out
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

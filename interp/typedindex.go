package interp

import (
	"go/ast"
	"reflect"
	"strconv"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// yaegi cannot infer the type of a global defined at the top level of a
// cell from an index or slice of a global whose type came from native code
// (`grid := ag.Meshgrid(...)`, then `XX := grid[0]`: "constant definition
// loop"; its global type analysis knows index types of interpreted slices
// only). Converting the operand to its own type, `([]*ag.Tensor)(grid)[0]`,
// tells yaegi the type, so the session writes that conversion for operands
// whose type it knows and can name with the packages the session imported.
//
// The session infers those types without running anything, in source
// order, from the values of the globals of earlier cells and from the
// expressions that define the cell's own variables, when native code fixes
// their types: a call of a package function (`ag.Meshgrid(...)`,
// `strings.Split(...)`), a package variable (`os.Args`), a method call,
// field, index or slice of a value whose type is known. Each operand is
// keyed by its source text; one written twice with different types (a
// variable redefined in between) is left alone.

// operandType writes t as source when it is a slice, array or map type
// that can be written with the packages of names (import path -> name in
// the session), else "".
func operandType(t reflect.Type, names map[string]string) string {
	if t == nil {
		return ""
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		if src, ok := typeSource(t, names); ok {
			return src
		}
	}
	return ""
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
		if !ok || !ast.IsExported(t.Name()) || strings.Contains(t.Name(), "[") || rewrite.IsInternal(t.Name()) {
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

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// fmtFormatters are fmt's functions with a format, and the index of the
// format among their arguments.
var fmtFormatters = map[string]int{"Printf": 0, "Sprintf": 0, "Errorf": 0, "Fprintf": 1, "Appendf": 1}

// typeVerbs writes out the operand of a %T in a constant format as its
// type's name. yaegi v0.16.1 builds a cell's types with reflect, unnamed,
// and hands fmt its own wrappers: %T printed struct { N int } for
// main.Plain, int for main.MyInt, stdlib._fmt_Stringer for a type with a
// String method, and interp.valueInterface (or the session's wrapper) for
// a cell value held in an any. An operand whose static type is not an
// interface has that type as its dynamic type, which go/types names; one
// of type any gets its name from ᐧs.TypeName, which reads yaegi's
// valueInterface (lib.TypeName). The verb becomes %s, with its flags and
// width:
//
//	fmt.Printf("%T %-8T\n", p, v)   ->   fmt.Printf("%s %-8s\n", "main.Plain", ᐧs.TypeName(v))
//
// Only operands without side effects are written out (a name, a field, a
// literal; not a call), and only formats without explicit argument indexes
// or * widths. go/types gives the types (checkTypes, with the session's
// types, Facts.TypeDecls and ValueDecls); an operand whose type it cannot tell, or whose
// type names no cell type, stays. It runs on the names as written, before
// the renames.
func typeVerbs(fset *token.FileSet, f *ast.File, varTypes map[string]string, packages map[string]bool, context []string) {
	if !packages["fmt"] {
		return
	}
	var calls []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || c.Ellipsis.IsValid() {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		at, ok := fmtFormatters[sel.Sel.Name]
		if id, isID := sel.X.(*ast.Ident); !ok || !isID || id.Name != "fmt" || len(c.Args) <= at {
			return true
		}
		if lit, ok := c.Args[at].(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, "T") {
			calls = append(calls, c)
		}
		return true
	})
	if len(calls) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	qualify := func(p *types.Package) string {
		if p == pkg {
			return "main"
		}
		return p.Name()
	}
	for _, c := range calls {
		sel := c.Fun.(*ast.SelectorExpr)
		if tv, ok := info.Types[sel.X]; ok && tv.Type != nil && tv.Type != types.Typ[types.Invalid] {
			continue // a variable named fmt
		}
		at := fmtFormatters[sel.Sel.Name]
		lit := c.Args[at].(*ast.BasicLit)
		format, err := strconv.Unquote(lit.Value)
		if err != nil {
			continue
		}
		verbs, ok := formatVerbs(format)
		if !ok {
			continue
		}
		out := []byte(format)
		changed := false
		for k, v := range verbs {
			i := at + 1 + k
			if v.verb != 'T' || i >= len(c.Args) || !pure(c.Args[i], info) {
				continue
			}
			a := c.Args[i]
			tv, ok := info.Types[a]
			if !ok || tv.Type == nil || tv.IsNil() || !validType(tv.Type) {
				continue
			}
			if types.IsInterface(tv.Type) {
				if it := tv.Type.Underlying().(*types.Interface); !it.Empty() {
					continue // native code gets the bare value (dynamicFmtArgs)
				}
				c.Args[i] = &ast.CallExpr{
					Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: a.Pos(), Name: Sess}, Sel: &ast.Ident{NamePos: a.Pos(), Name: "TypeName"}},
					Lparen: a.Pos(), Args: []ast.Expr{a}, Rparen: a.End(),
				}
			} else {
				if !namesCellType(tv.Type, pkg) {
					continue
				}
				c.Args[i] = &ast.BasicLit{ValuePos: a.Pos(), Kind: token.STRING, Value: strconv.Quote(types.TypeString(tv.Type, qualify))}
			}
			out[v.at] = 's'
			changed = true
		}
		if changed {
			lit.Value = strconv.Quote(string(out))
		}
	}
}

// verbAt is a verb of a format and its byte offset.
type verbAt struct {
	verb byte
	at   int
}

// formatVerbs lists the verbs of a format, each taking one operand; false
// when the format has an explicit argument index or a * width or
// precision, whose operands this does not follow.
func formatVerbs(format string) ([]verbAt, bool) {
	var out []verbAt
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			break
		}
		switch format[i] {
		case '%':
			continue
		case '[', '*':
			return nil, false
		}
		out = append(out, verbAt{format[i], i})
	}
	return out, true
}

// pure tells whether e has no side effects by its syntax: names, fields,
// literals, conversions, indexes and addresses of those.
func pure(e ast.Expr, info *types.Info) bool {
	switch e := e.(type) {
	case *ast.CallExpr:
		if tv, ok := info.Types[e.Fun]; !ok || !tv.IsType() || len(e.Args) != 1 {
			return false
		}
		return pure(e.Args[0], info)
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return pure(e.X, info)
	case *ast.SelectorExpr:
		return pure(e.X, info)
	case *ast.IndexExpr:
		return pure(e.X, info) && pure(e.Index, info)
	case *ast.UnaryExpr:
		return e.Op == token.AND && pure(e.X, info)
	case *ast.StarExpr:
		return pure(e.X, info)
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if !pure(el, info) {
				return false
			}
		}
		return true
	}
	return false
}

// validType tells whether t holds no invalid type (one of a package the
// check does not import).
func validType(t types.Type) bool {
	return !strings.Contains(types.TypeString(t, nil), "invalid type")
}

// namesCellType tells whether t's name mentions a type of pkg (the cell's).
func namesCellType(t types.Type, pkg *types.Package) bool {
	found := false
	types.TypeString(t, func(p *types.Package) string {
		if p == pkg {
			found = true
		}
		return p.Name()
	})
	return found
}

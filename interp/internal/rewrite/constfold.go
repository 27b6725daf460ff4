package rewrite

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// unsafeConstants writes out unsafe.Sizeof, unsafe.Alignof and
// unsafe.Offsetof, which Go evaluates when it compiles: yaegi v0.16.1
// failed to compile an Offsetof of a field promoted through an embedded
// struct ("CFG post-order panic: invalid memory address"), and sizes the
// interpreter's own representation otherwise. go/types computes them with
// gc's sizes for this architecture; a call whose operand it cannot size (a
// type of another package, which the check does not import) stays.
//
//	unsafe.Offsetof(t2.C)   ->   uintptr(8)
//	unsafe.Sizeof(x)        ->   uintptr(24)
func unsafeConstants(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	if !anyNode(f, func(n ast.Node) bool { return unsafeSizeCall(n) != nil }) {
		return
	}
	// A unit has no imports of its own (the session's are a unit of their
	// own): go/types needs this one to see the package.
	imp := &ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{&ast.ImportSpec{Path: &ast.BasicLit{Kind: token.STRING, Value: `"unsafe"`}}}}
	decls := f.Decls
	f.Decls = append([]ast.Decl{imp}, decls...)
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	f.Decls = decls
	if pkg == nil {
		return
	}
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		c := unsafeSizeCall(e)
		if c == nil {
			return e
		}
		tv := info.Types[c]
		if tv.Value == nil || tv.Value.Kind() != constant.Int || !sizedOperand(c.Args[0], info) {
			return e
		}
		return typedLit(c.Pos(), "uintptr", &ast.BasicLit{ValuePos: c.Pos(), Kind: token.INT, Value: tv.Value.ExactString()})
	})
}

// unsafeSizeCall is n if it is a call of unsafe.Sizeof, Alignof or
// Offsetof, nil if not.
func unsafeSizeCall(n ast.Node) *ast.CallExpr {
	c, ok := n.(*ast.CallExpr)
	if !ok || len(c.Args) != 1 {
		return nil
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Sizeof" && sel.Sel.Name != "Alignof" && sel.Sel.Name != "Offsetof" {
		return nil
	}
	if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "unsafe" {
		return nil
	}
	return c
}

// sizedOperand tells whether every type the size or offset of e depends
// on is one go/types can size: e's own, and for a field selector those of
// the structs it goes through.
func sizedOperand(e ast.Expr, info *types.Info) bool {
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil || !sizable(tv.Type) {
		return false
	}
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		return sizedOperand(sel.X, info)
	}
	return true
}

// constantLiteral writes tv's constant value as a literal of its basic
// type: bare when the constant is untyped, converted when it is typed
// (float64(1.5), bool(true)). It cannot write a complex value, a value of
// a named type or a float beyond float64, and says so.
func constantLiteral(at token.Pos, tv types.TypeAndValue) (ast.Expr, bool) {
	b, ok := tv.Type.(*types.Basic)
	if !ok || tv.Value == nil {
		return nil, false
	}
	typ := b.Name()
	if b.Info()&types.IsUntyped != 0 {
		typ = ""
	}
	switch {
	case b.Info()&types.IsBoolean != 0:
		return typedLit(at, typ, &ast.Ident{NamePos: at, Name: strconv.FormatBool(constant.BoolVal(tv.Value))}), true
	case b.Info()&types.IsInteger != 0 && tv.Value.Kind() == constant.Int:
		return typedLit(at, typ, &ast.BasicLit{ValuePos: at, Kind: token.INT, Value: tv.Value.ExactString()}), true
	case b.Info()&types.IsFloat != 0 && (tv.Value.Kind() == constant.Float || tv.Value.Kind() == constant.Int):
		bits := 64
		if b.Kind() == types.Float32 {
			bits = 32
		}
		x, _ := constant.Float64Val(tv.Value)
		if math.IsInf(x, 0) {
			return nil, false
		}
		s := strconv.FormatFloat(x, 'g', -1, bits)
		if !strings.ContainsAny(s, ".eEnN") { // a float literal, not an int
			s += ".0"
		}
		return typedLit(at, typ, &ast.BasicLit{ValuePos: at, Kind: token.FLOAT, Value: s}), true
	}
	return nil, false
}

// typedLit is lit converted to the named basic type, or lit itself when
// typ is empty (an untyped constant).
func typedLit(at token.Pos, typ string, lit ast.Expr) ast.Expr {
	if typ == "" {
		return lit
	}
	return &ast.CallExpr{Fun: &ast.Ident{NamePos: at, Name: typ}, Lparen: at, Args: []ast.Expr{lit}, Rparen: at}
}

// hugeConstants writes out the value of a constant expression that uses
// an untyped constant too large for an int64 or a uint64 (`1 << 100`,
// `1e100 >> 1000`), which Go computes exactly when it compiles and yaegi
// v0.16.1 converts to an int64 where it is used ("constant
// 1267650600228229401496703205376 overflows int64"). go/types gives the
// value and the type it takes in its context; the expression becomes a
// literal of that type. Constant declarations stay (yaegi keeps their
// values exact), and so do expressions of named or complex types.
//
//	const chuge = 1 << 100; chuge > chuge-1   ->   bool(true)
//	var f float64; f = chuge                   ->   f = float64(1.2676506002282294e+30)
func hugeConstants(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	if !mayBeHuge(f, context) {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	inConst := map[ast.Expr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GenDecl); ok && g.Tok == token.CONST {
			ast.Inspect(g, func(m ast.Node) bool {
				if e, ok := m.(ast.Expr); ok {
					inConst[e] = true
				}
				return true
			})
			return false
		}
		return true
	})
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		if _, lit := e.(*ast.BasicLit); lit || inConst[e] {
			return e
		}
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil || !usesHuge(e, info) {
			return e
		}
		if lit, ok := constantLiteral(e.Pos(), tv); ok {
			return lit
		}
		return e
	})
}

// hugeSyntax matches what can make a huge constant: a shift by 63 or more,
// an integer literal of 19 digits or more, an exponent of 19 or more.
var hugeSyntax = regexp.MustCompile(`<<\s*(6[3-9]|[7-9][0-9]|[0-9]{3,})\b|[0-9]{19,}|[0-9.][eE]\+?(19|[2-9][0-9]|[0-9]{3,})\b`)

// mayBeHuge tells cheaply whether f or the constants of context (the
// session's and the cell's declarations) can hold a huge constant.
func mayBeHuge(f *ast.File, context []string) bool {
	found := anyNode(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			return (n.Kind == token.INT || n.Kind == token.FLOAT) && hugeSyntax.MatchString(n.Value)
		case *ast.BinaryExpr:
			lit, ok := n.Y.(*ast.BasicLit)
			return ok && n.Op == token.SHL && lit.Kind == token.INT && hugeSyntax.MatchString("<<"+lit.Value)
		}
		return false
	})
	for _, d := range context {
		found = found || strings.HasPrefix(d, "const") && hugeSyntax.MatchString(d)
	}
	return found
}

// usesHuge tells whether e or one of its operands is a constant beyond
// int64 and uint64 (an integer) or of a magnitude of 2^63 or more (a
// float).
func usesHuge(e ast.Expr, info *types.Info) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		x, ok := n.(ast.Expr)
		if !ok || found {
			return !found
		}
		tv := info.Types[x]
		if tv.Value == nil {
			return true
		}
		switch tv.Value.Kind() {
		case constant.Int:
			_, exact := constant.Int64Val(tv.Value)
			_, uexact := constant.Uint64Val(tv.Value)
			found = !exact && !uexact
		case constant.Float:
			v, _ := constant.Float64Val(tv.Value)
			found = math.Abs(v) >= 1<<63
		}
		return !found
	})
	return found
}

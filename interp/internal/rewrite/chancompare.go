package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// chanComparisons converts the bidirectional channel of a comparison
// with a directional one to the other's type, which Go does implicitly and
// yaegi v0.16.1 refuses ("invalid operation: mismatched types chan int and
// <-chan int"). go/types tells the operands' types (checkTypesIn):
//
//	c == c1     ->   (<-chan int)(c) == c1      (c a chan int, c1 a <-chan int)
func chanComparisons(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	comparison := anyNode(f, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		return ok && (b.Op == token.EQL || b.Op == token.NEQ)
	})
	if !comparison || !mentionsDirectionalChan(f, context) {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	qual := types.RelativeTo(pkg)
	ast.Inspect(f, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL && b.Op != token.NEQ {
			return true
		}
		x, y := info.Types[b.X].Type, info.Types[b.Y].Type
		if x == nil || y == nil {
			return true
		}
		cx, okx := x.Underlying().(*types.Chan)
		cy, oky := y.Underlying().(*types.Chan)
		if !okx || !oky || cx.Dir() == cy.Dir() {
			return true
		}
		convert := func(e ast.Expr, to types.Type) ast.Expr {
			t, err := parser.ParseExpr(types.TypeString(to, qual))
			if err != nil {
				return e
			}
			return &ast.CallExpr{Fun: &ast.ParenExpr{Lparen: e.Pos(), X: t, Rparen: e.Pos()}, Lparen: e.Pos(), Args: []ast.Expr{e}, Rparen: e.End()}
		}
		switch {
		case cx.Dir() == types.SendRecv:
			b.X = convert(b.X, y)
		case cy.Dir() == types.SendRecv:
			b.Y = convert(b.Y, x)
		}
		return true
	})
}

// mentionsDirectionalChan tells cheaply whether f or context has a
// channel type with a direction (a <-chan or chan<- type).
func mentionsDirectionalChan(f *ast.File, context []string) bool {
	found := anyNode(f, func(n ast.Node) bool {
		c, ok := n.(*ast.ChanType)
		return ok && c.Dir != ast.SEND|ast.RECV
	})
	for _, d := range context {
		found = found || strings.Contains(d, "<-chan") || strings.Contains(d, "chan<-") || strings.Contains(d, "chan <-")
	}
	return found
}

package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

func TestHoistArgs(t *testing.T) {
	cells := map[string]bool{"NewNet": true, "g": true}
	native := func(c *ast.CallExpr) bool {
		s, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		id, ok := s.X.(*ast.Ident)
		return ok && (id.Name == "nn" || id.Name == "fmt")
	}
	hoist := func(e ast.Expr) (string, bool) {
		if u, ok := e.(*ast.UnaryExpr); ok {
			if cl, ok := u.X.(*ast.CompositeLit); ok && types.ExprString(cl.Type) == "ParseError" {
				return "error", true
			}
		}
		c, ok := e.(*ast.CallExpr)
		if !ok {
			return "", false
		}
		id, ok := c.Fun.(*ast.Ident)
		return "", ok && cells[id.Name]
	}
	cases := []struct{ in, want string }{
		{"fmt.Println(nn.NumParams(NewNet()))", "ᐧarg1 := NewNet(); fmt.Println(nn.NumParams(ᐧarg1))"},
		{"n := nn.NumParams(NewNet())", "ᐧarg1 := NewNet(); n := nn.NumParams(ᐧarg1)"},
		{"nn.Pair(g(), 1, NewNet())", "ᐧarg1 := g(); ᐧarg2 := NewNet(); nn.Pair(ᐧarg1, 1, ᐧarg2)"},
		{"nn.Pair(NewNet(), g())", "ᐧarg1 := NewNet(); ᐧarg2 := g(); nn.Pair(ᐧarg1, ᐧarg2)"},
		{"if nn.NumParams(NewNet()) > 0 {\n}", "ᐧarg1 := NewNet(); if nn.NumParams(ᐧarg1) > 0 {\n}"},
		{"ok := x && nn.NumParams(NewNet()) > 0", "ok := x && nn.NumParams(NewNet()) > 0"},
		{"f := func() int { return nn.NumParams(NewNet()) }", "f := func() int { ᐧarg1 := NewNet(); return nn.NumParams(ᐧarg1) }"},
		{"local(NewNet())", "local(NewNet())"},
		{"for nn.NumParams(NewNet()) > 0 {\n}", "for nn.NumParams(NewNet()) > 0 {\n}"},
		{`fmt.Println(1, x, NewNet())`, `ᐧarg1 := NewNet(); fmt.Println(1, x, ᐧarg1)`},
		{`fmt.Println(h(), -1, NewNet(), k())`, `ᐧarg1 := h(); ᐧarg2 := NewNet(); fmt.Println(ᐧarg1, -1, ᐧarg2, k())`},
		{`err := fmt.Errorf("at %d: %w", 3, &ParseError{4})`, `var ᐧarg1 error = &ParseError{4}; err := fmt.Errorf("at %d: %w", 3, ᐧarg1)`},
		{`fmt.Println(nn.NumParams(NewNet()), &ParseError{})`, `ᐧarg1 := NewNet(); ᐧarg2 := nn.NumParams(ᐧarg1); var ᐧarg3 error = &ParseError{}; fmt.Println(ᐧarg2, ᐧarg3)`},
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package p\nfunc _() {\n"+c.in+"\n}", 0)
		if err != nil {
			t.Fatal(err)
		}
		HoistArgs(f, native, hoist)
		var parts []string
		for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
			var b strings.Builder
			printer.Fprint(&b, fset, st)
			parts = append(parts, b.String())
		}
		got := strings.Join(parts, "; ")
		got = strings.ReplaceAll(got, "\n\t", " ")
		got = strings.ReplaceAll(strings.ReplaceAll(got, "{\n\t\t", "{ "), "\n\t}", " }")
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

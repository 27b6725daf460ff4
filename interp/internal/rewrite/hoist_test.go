package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
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
	hoist := func(c *ast.CallExpr) bool {
		id, ok := c.Fun.(*ast.Ident)
		return ok && cells[id.Name]
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

package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

func TestAssignThroughPointer(t *testing.T) {
	cases := []struct{ in, want string }{
		{"runtime.MemProfileRate = 0", "*(&runtime.MemProfileRate) = 0"},
		{"runtime.MemProfileRate, x = 1, 2", "*(&runtime.MemProfileRate), x = 1, 2"},
		{"runtime.MemProfileRate += 3", "*(&runtime.MemProfileRate) += 3"},
		{"runtime.MemProfileRate++", "*(&runtime.MemProfileRate)++"},
		{"v.Field = 1", "v.Field = 1"},                                 // v is not a package
		{"x := runtime.MemProfileRate", "x := runtime.MemProfileRate"}, // a read
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package p\nfunc _() {\n"+c.in+"\n}", 0)
		if err != nil {
			t.Fatal(err)
		}
		AssignThroughPointer(f, func(id *ast.Ident) bool { return id.Name == "runtime" })
		var b strings.Builder
		printer.Fprint(&b, fset, f.Decls[0].(*ast.FuncDecl).Body.List[0])
		if got := b.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.in, got, c.want)
		}
	}
}

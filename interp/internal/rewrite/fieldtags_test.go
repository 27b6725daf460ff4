package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

func TestHideUnexportedFields(t *testing.T) {
	cases := []struct{ in, want string }{
		{"type Cfg struct{ Name string; apiKey string }", "type Cfg struct {\n\tName\tstring\n\tapiKey\tstring\t`json:\"-\" xml:\"-\"`\n}"},
		{"type Cfg struct{ apiKey string `yaml:\"k\" json:\"key,omitempty\"` }", "type Cfg struct {\n\tapiKey string `yaml:\"k\" json:\"-\" xml:\"-\"`\n}"},
		{"type Cfg struct{ Name string `json:\"name\"` }", "type Cfg struct {\n\tName string `json:\"name\"`\n}"},
		{"type Cfg struct{ inner; Outer }", "type Cfg struct {\n\tinner\n\tOuter\n}"},
		{"var v = struct{ a, b int }{1, 2}", "var v = struct {\n\ta, b int `json:\"-\" xml:\"-\"`\n}{1, 2}"},
		{"type Block struct{ conv *nn.Linear; training bool }", "type Block struct {\n\tconv\t\t*nn.Linear\t`json:\"-\" xml:\"-\"`\n\ttraining\tbool\t\t`json:\"-\" xml:\"-\"`\n}"},
		{"type A struct{ B struct{ c int } }", "type A struct {\n\tB struct {\n\t\tc int `json:\"-\" xml:\"-\"`\n\t}\n}"},
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package p\n"+c.in, 0)
		if err != nil {
			t.Fatal(err)
		}
		HideUnexportedFields(f)
		var b strings.Builder
		printer.Fprint(&b, fset, f.Decls[0].(ast.Decl))
		if got := b.String(); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

func TestRecoverValues(t *testing.T) {
	cases := []struct{ in, want string }{
		{"defer func() { if r := recover(); r != nil { println(r) } }()", "defer func() {\n\tif r := ᐧs.Recovered(recover()); r != nil {\n\t\tprintln(r)\n\t}\n}()"},
		{"defer func() { err := recover().(error); _ = err }()", "defer func() { err := ᐧs.Recovered(recover()).(error); _ = err }()"},
		{"defer func() { fmt.Println(recover()) }()", "defer func() { fmt.Println(ᐧs.Recovered(recover())) }()"},
		{"defer func() { switch recover() { case nil: } }()", "defer func() {\n\tswitch ᐧs.Recovered(recover()) {\n\tcase nil:\n\t}\n}()"},
		{"defer recover()", "defer recover()"}, // a deferred call of recover itself: left as it is
		{"x := myrecover.recover()", "x := myrecover.recover()"},
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package p\nfunc _() {\n"+c.in+"\n}", parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		RecoverValues(f, func(id *ast.Ident) bool { return true })
		var b strings.Builder
		printer.Fprint(&b, fset, f.Decls[0].(*ast.FuncDecl).Body.List[0])
		if got := b.String(); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// A cell's own recover is not the builtin.
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "x.go", "package p\nfunc _() { _ = recover() }", parser.SkipObjectResolution)
	RecoverValues(f, func(id *ast.Ident) bool { return false })
	var b strings.Builder
	printer.Fprint(&b, fset, f)
	if strings.Contains(b.String(), "Recovered") {
		t.Errorf("a shadowed recover was wrapped: %s", b.String())
	}
}

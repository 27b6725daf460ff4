package cellsrc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	kinds := map[SegKind]string{SegImport: "import", SegDecl: "decl", SegStmt: "stmt"}
	for _, c := range []struct{ src, want string }{
		{"x := 1\ny := 2", `stmt "x := 1\ny := 2"`},
		{"import \"fmt\"\nfunc f() {}\nf()", `import "import \"fmt\"" | decl "func f() {}" | stmt "f()"`},
		{"func (t T) M() {}\nfunc (x int) { }(3)", `decl "func (t T) M() {}" | stmt "func (x int) { }(3)"`},
		{"// doc of f\nfunc f() {}\n\n// not a doc\n\nx := 1", `decl "// doc of f\nfunc f() {}" | stmt "x := 1"`},
		{"package main\n\nfunc main() {}", `decl "func main() {}"`},
		{"type T struct {\n\tA int\n}; var v T", `decl "type T struct {\n\tA int\n}; var v T"`},
		{"f(func() {\n\tx := 1\n})", `stmt "f(func() {\n\tx := 1\n})"`},
	} {
		var got []string
		for _, s := range Split(c.src) {
			got = append(got, fmt.Sprintf("%s %q", kinds[s.Kind], c.src[s.Start:s.End]))
		}
		if g := strings.Join(got, " | "); g != c.want {
			t.Errorf("Split(%q)\n got %s\nwant %s", c.src, g, c.want)
		}
	}
}

func TestIsComplete(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"for i := 0; i < 3; i++ {", "incomplete", "\t"},
		{"f(a,\n  g(", "incomplete", "\t\t"},
		{"x := 1 +", "incomplete", "\t"},
		{"s := `raw", "incomplete", ""},
		{"s := \"open", "invalid", ""},
		{"}", "invalid", ""},
		{"%time f()", "complete", ""},
		{"fmt.Println?", "complete", ""},
		{"  ", "complete", ""},
	} {
		if s, in := IsComplete(c.code); s != c.status || in != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, s, in, c.status, c.indent)
		}
	}
}

func TestExprAt(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code  string // | marks the cursor
		chain string
		ident string
	}{
		{"model.fc1.We|", "model.fc1", "We"},
		{"x := fmt.|", "fmt", ""},
		{"prin|tln", "", "println"},
		{"a[0].Le|", "", "Le"},
		{"héllo.wö|", "héllo", "wö"},
	} {
		off := strings.Index(c.code, "|")
		code := strings.Replace(c.code, "|", "", 1)
		chain, ident, start, end := ExprAt(code, off)
		if strings.Join(chain, ".") != c.chain || ident != c.ident || code[start:end] != ident {
			t.Errorf("ExprAt(%q) = %q %q [%d,%d); want %q %q", c.code, chain, ident, start, end, c.chain, c.ident)
		}
	}
}

func TestInCommentOrString(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code string // | marks the cursor
		want bool
	}{
		{"x := \"ab|c\"", true},
		{"x := 1 // a comm|ent", true},
		{"x := 1 /* a | */ + 2", true},
		{"x := `raw|`", true},
		{"x := fm|t", false},
		{"// c\nx|", false},
	} {
		off := strings.Index(c.code, "|")
		code := strings.Replace(c.code, "|", "", 1)
		if got := InCommentOrString(code, off); got != c.want {
			t.Errorf("InCommentOrString(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}

func TestCursorInCodePoints(t *testing.T) {
	t.Parallel()
	code := "é := \"ü\"; x"
	if off := ByteOffset(code, 10); code[off:] != "x" {
		t.Errorf("ByteOffset(10) = %d (%q)", off, code[off:])
	}
	if n := RuneCount(code); n != 11 {
		t.Errorf("RuneCount = %d", n)
	}
}

// TestParseKeepsCellPositions: a piece parses with positions in its cell's
// coordinates, whatever the wrapping around it.
func TestParseKeepsCellPositions(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	for _, kind := range []SegKind{SegDecl, SegStmt} {
		text := "var x = undefinedName"
		if kind == SegStmt {
			text = "x := 1 +\n\ty"
		}
		p := &Piece{Text: text, Cell: 7, Line: 3, Col: 5}
		f, err := Parse(fset, p, kind, parser.AllErrors)
		if err != nil {
			t.Fatal(err)
		}
		last := f.End()
		if kind == SegStmt {
			last = f.Decls[0].End() - 2 // before the wrapper's closing brace
		}
		pos := fset.Position(last)
		if pos.Filename != "cell[7]" || pos.Line < 3 {
			t.Errorf("%v: end at %v, want in cell[7] from line 3", kind, pos)
		}
		if kind == SegDecl && pos.Line != 3 || kind == SegStmt && pos.Line != 4 {
			t.Errorf("%v: end at line %d", kind, pos.Line)
		}
	}
}

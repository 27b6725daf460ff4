package cellsrc

import "testing"

func TestStrayClose(t *testing.T) {
	cases := []struct {
		src       string
		tok       string
		line, col int
	}{
		{"x := 1\nfmt.Println(x)\n}\n", "}", 3, 1},
		{"for i := 0; i < 2; i++ {\n\tfmt.Println(i)\n}}\n", "}", 3, 2},
		{"f(a[1)]\n", ")", 1, 6},
		{"s := \"}\" // }\nr := '}'\n", "", 0, 0},
		{"func f() {\n\tif x { y() }\n}\n", "", 0, 0},
		{"func f() {\n", "", 0, 0}, // unclosed: not a stray close
	}
	for _, c := range cases {
		tok, line, col, ok := StrayClose(c.src)
		if ok != (c.tok != "") || tok != c.tok || line != c.line || col != c.col {
			t.Errorf("%q: %q %d:%d %v, want %q %d:%d", c.src, tok, line, col, ok, c.tok, c.line, c.col)
		}
	}
}

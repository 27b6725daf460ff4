package rewrite

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
	"testing"
)

// A case is Go source in and the source the rewrites make of it out. Decls
// cases are files of declarations; the others are the statements of a
// cell's top level (the body of a unit of statements), which go through
// File, TopLevel and ShowLast, as the session builds them.
type rewriteCase struct {
	name  string
	decls bool
	facts Facts
	show  Show
	in    string
	out   string // "" with err: the rewrite fails
	err   string // part of the error TopLevel returns
}

func TestRewrites(t *testing.T) {
	t.Parallel()
	for _, c := range rewriteCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := rewriteSource(c)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("want an error containing %q, got %v (source %s)", c.err, err, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := normalise(t, c.decls, c.out)
			if !sameTokens(got, want) {
				t.Errorf("in:\n%s\ngot:\n%s\nwant:\n%s", c.in, got, want)
			}
		})
	}
}

// runRewriteCases checks that File rewrites each case's in to its out.
func runRewriteCases(t *testing.T, cases []rewriteCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rewriteSource(c)
			if err != nil {
				t.Fatal(err)
			}
			if want := normalise(t, c.decls, c.out); !sameTokens(got, want) {
				t.Errorf("in:\n%s\ngot:\n%s\nwant:\n%s", c.in, got, want)
			}
		})
	}
}

// rewriteSource rewrites c.in and prints the result in canonical form.
func rewriteSource(c rewriteCase) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", wrap(c.decls, c.in), 0)
	if err != nil {
		return "", err
	}
	File(fset, f, &c.facts)
	if !c.decls {
		body := f.Decls[0].(*ast.FuncDecl).Body
		if body.List, err = TopLevel(fset, body.List, &c.facts); err != nil {
			return "", err
		}
		ShowLast(body, c.show)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return "", err
	}
	out, err := format.Source(b.Bytes())
	return string(out), err
}

func wrap(decls bool, src string) string {
	if decls {
		return "package main\n\n" + src + "\n"
	}
	return "package main\n\nfunc _() {\n" + src + "\n}\n"
}

// sameTokens compares two sources token by token: the rewrites make nodes
// without positions, whose printing differs from the want text only in
// layout.
func sameTokens(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	if len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i] != tb[i] {
			return false
		}
	}
	return true
}

func tokens(src string) []string {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.SEMICOLON {
			lit = ";" // written or automatic
		}
		if n := len(out); n > 0 && out[n-1] == "; ;" && (tok == token.RBRACE || tok == token.RPAREN) {
			out = out[:n-1] // `{ a; b }` on one line has no semicolon before }
		}
		out = append(out, tok.String()+" "+lit)
	}
}

func normalise(t *testing.T, decls bool, src string) string {
	t.Helper()
	out, err := format.Source([]byte(wrap(decls, src)))
	if err != nil {
		t.Fatalf("want source does not parse: %v\n%s", err, src)
	}
	return string(out)
}

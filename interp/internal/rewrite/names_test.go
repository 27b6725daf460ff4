package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
	"testing"
)

func TestCleanUndoesTheInternalNames(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"cannot use x (variable of type Tᐧ12) as Tᐧ3 value":                        "cannot use x (variable of type T) as T value",
		"cell[2]:1:1: in ᐧmain":                                                    "cell[2]:1:1: in main",
		"undefined: ᐧmin":                                                          "undefined: min",
		"ᐧs.Show(ᐧv)":                                                              "Show(v)",
		"plain text, no internal names (the fast path)":                            "plain text, no internal names (the fast path)",
		"Tᐧ2 and Vec3ᐧ40: names ending in digits keep them":                        "T and Vec3: names ending in digits keep them",
		`hash of unhashable type: struct { Xa int "json:\"-\" xml:\"-\""; B int }`: "hash of unhashable type: struct { Xa int; B int }",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if n := Internal("Vec3", 40); Clean(n) != "Vec3" || !IsInternal(n) {
		t.Errorf("Internal(Vec3, 40) = %q: Clean gives %q", n, Clean(n))
	}
}

// TestPackageRefs: which identifiers are package-level references, and
// which of those the file does not declare (free).
func TestPackageRefs(t *testing.T) {
	t.Parallel()
	const src = `package main

type T struct{ F U }

func (t *T) M(x int) (y V) {
	L:
	for i := range x {
		_ = S{F: i, G: t.F}
		break L
	}
	var W int
	return V(W + g())
}

func g() int { return len(T{}.F) }
`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	PackageRefs(f, func(id *ast.Ident, free bool) {
		s := id.Name
		if free {
			s += "(free)"
		}
		got = append(got, s)
	})
	sort.Strings(got)
	want := "S(free) T T T U(free) V(free) V(free) g g int(free) int(free) int(free) len(free)"
	if strings.Join(got, " ") != want {
		t.Errorf("refs = %s\nwant   %s", strings.Join(got, " "), want)
	}
}

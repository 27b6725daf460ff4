package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

func TestExplicitTypeArgs(t *testing.T) {
	const decls = `package main

import "fmt"

func Map[T, U any](xs []T, f func(T) U) []U { return nil }
func Sum[T int | float64](xs ...T) T { var s T; return s }
func Pair[K comparable, V any](k K, v V) map[K]V { return nil }
type Point struct{ X, Y int }
`
	cases := []struct{ in, want string }{
		{`Map([]int{1, 2}, func(i int) string { return fmt.Sprint(i) })`, `Map[int, string]([]int{1, 2}, func(i int) string { return fmt.Sprint(i) })`},
		{`Sum(1, 2, 3)`, `Sum[int](1, 2, 3)`},
		{`Sum(1.5, 2)`, `Sum[float64](1.5, 2)`},
		{`Pair("a", []Point{{1, 2}})`, `Pair[string, []Point]("a", []Point{{1, 2}})`},
		{`Sum[int](1, 2)`, `Sum[int](1, 2)`},                                               // already explicit
		{`Map(fmt.Sprint, nil)`, `Map(fmt.Sprint, nil)`},                                   // needs an import's types: left to yaegi
		{`Map(ys, func(i int) int { return i })`, `Map(ys, func(i int) int { return i })`}, // ys unknown here
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		ctx, err := parser.ParseFile(fset, "decls.go", decls, 0)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, "cell.go", "package main\nfunc _() {\n_ = "+c.in+"\n}", 0)
		if err != nil {
			t.Fatal(err)
		}
		ExplicitTypeArgs(fset, f, []*ast.File{ctx})
		var b strings.Builder
		printer.Fprint(&b, fset, f)
		got := b.String()
		got = strings.TrimSpace(got[strings.Index(got, "_ =")+3 : strings.LastIndex(got, "}")])
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

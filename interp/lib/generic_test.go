package lib

import (
	"fmt"
	"go/parser"
	"maps"
	"slices"
	"strings"
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestGenericSourcesAgreeWithGo runs the generic standard library's
// additions in a bare yaegi interpreter, the way a session loads them, and
// compares each result with the compiled standard library's.
func TestGenericSourcesAgreeWithGo(t *testing.T) {
	in := yinterp.New(yinterp.Options{})
	if err := in.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := in.Use(Symbols); err != nil {
		t.Fatal(err)
	}
	for _, p := range GenericOrder {
		f, err := parser.ParseFile(in.FileSet(), "gradlab_"+p+".go", Generic[p], 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.CompileAST(f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if _, err := in.Eval(`import ("slices"; "maps"; "fmt"; "strings"; r2 "math/rand/v2")`); err != nil {
		t.Fatal(err)
	}
	type pair struct {
		N string
		A int
	}
	byA := func(a, b pair) int { return a.A - b.A }
	m := map[string]int{"b": 1, "a": 2, "c": 0}
	xs := []int{5, 3, 9, 1, 3, 7, 2}
	fs := []float64{2.5, -1, 8, 0.5}
	ps := []pair{{"x", 2}, {"y", 1}, {"z", 2}, {"w", 1}, {"v", 0}}
	sortedXs := slices.Clone(xs)
	slices.Sort(sortedXs)
	sortedSs := []string{"pear", "fig", "apple", "kiwi"}
	slices.SortFunc(sortedSs, strings.Compare)
	stable := slices.Clone(ps)
	slices.SortStableFunc(stable, byA)
	i3, ok3 := slices.BinarySearch(sortedXs, 3)
	i4, ok4 := slices.BinarySearch(sortedXs, 4)
	big := make([]int, 300)
	for i := range big {
		big[i] = i * 7919 % 1000
	}
	bigStable := make([]pair, len(big))
	for i, v := range big {
		bigStable[i] = pair{fmt.Sprint(i), v % 10}
	}
	slices.Sort(big)
	slices.SortStableFunc(bigStable, byA)
	cases := []struct{ code, want string }{
		{`big := make([]int, 300); for i := range big { big[i] = i * 7919 % 1000 }; slices.Sort(big); fmt.Sprint(big)`, fmt.Sprint(big)},
		{`xs := []int{5, 3, 9, 1, 3, 7, 2}; slices.Sort(xs); fmt.Sprint(xs, slices.IsSorted(xs))`, fmt.Sprint(sortedXs, true)},
		{`fs := []float64{2.5, -1, 8, 0.5}; fmt.Sprint(slices.Min(fs), slices.Max(fs))`, fmt.Sprint(slices.Min(fs), slices.Max(fs))},
		{`ss := []string{"pear", "fig", "apple", "kiwi"}; slices.SortFunc(ss, strings.Compare); fmt.Sprint(ss)`, fmt.Sprint(sortedSs)},
		{`type pair struct{N string; A int}`, ""},
		{`ps := []pair{{"x", 2}, {"y", 1}, {"z", 2}, {"w", 1}, {"v", 0}}; slices.SortStableFunc(ps, func(a, b pair) int { return a.A - b.A }); fmt.Sprint(ps)`, fmt.Sprint(stable)},
		{`bs := make([]pair, 300); for i := range bs { bs[i] = pair{fmt.Sprint(i), i * 7919 % 1000 % 10} }; slices.SortStableFunc(bs, func(a, b pair) int { return a.A - b.A }); fmt.Sprint(bs)`, fmt.Sprint(bigStable)},
		{`fmt.Sprint(slices.BinarySearch(xs, 3))`, fmt.Sprint(i3, ok3)},
		{`fmt.Sprint(slices.BinarySearch(xs, 4))`, fmt.Sprint(i4, ok4)},
		{`m := map[string]int{"b": 1, "a": 2, "c": 0}; fmt.Sprint(slices.Sorted(maps.Keys(m)), slices.Sorted(maps.Values(m)))`, fmt.Sprint(slices.Sorted(maps.Keys(m)), slices.Sorted(maps.Values(m)))},
		{`fmt.Sprint(slices.Collect(slices.Values([]int{4, 5})), len(maps.Collect(maps.All(m))))`, fmt.Sprint(slices.Collect(slices.Values([]int{4, 5})), len(maps.Collect(maps.All(m))))},
		{`fmt.Sprint(slices.Repeat([]int{1, 2}, 2), slices.MaxFunc(ps, func(a, b pair) int { return a.A - b.A }))`, fmt.Sprint(slices.Repeat([]int{1, 2}, 2), slices.MaxFunc(ps, byA))},
		{`n := r2.N(10); fmt.Sprint(n >= 0 && n < 10)`, "true"},
	}
	for _, c := range cases {
		v, err := in.Eval(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if c.want == "" {
			continue
		}
		if got, _ := v.Interface().(string); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.code, got, c.want)
		}
	}
}

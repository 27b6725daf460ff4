package rewrite

import (
	"slices"
	"sort"
	"testing"
)

// goSemanticsCases are the rewrites that make valid Go that yaegi runs
// differently from Go (found by Go's own test programs, bench/gotests)
// behave as Go: before and after, through File as the session builds a
// unit.
var goSemanticsCases = []rewriteCase{
	{name: "method expressions called: a conversion of the receiver and a method call (an interface's: the function)", decls: true,
		in: `type T int

func (t T) add(k int) int { return int(t) + k }

type I interface{ add(int) int }

func f(t T, p *T) {
	_ = T.add(t, 1)
	_ = (*T).add(p, 2)
	_ = I.add(t, 3)
	_ = interface{ add(int) int }.add(t, 4)
}`,
		out: `type T int

func (t T) add(k int) int { return int(t) + k }

type I interface{ add(int) int }

func f(t T, p *T) {
	_ = T(t).add(1)
	_ = (*T)(p).add(2)
	_ = func(ᐧr I, ᐧp0 int) int { return ᐧr.add(ᐧp0) }(t, 3)
	_ = func(ᐧr interface{ add(int) int }, ᐧp0 int) int { return ᐧr.add(ᐧp0) }(t, 4)
}`},
	{name: "method expressions as values: function literals of the method's signature", decls: true,
		in: `type T int

func (t *T) set(k int, rest ...int) { *t = T(k) }

type I interface{ get() (int, error) }

type Outer struct{ *T }

var f = (*T).set
var g = I.get
var h = (*Outer).set
var k = interface{ m(string) }.m`,
		out: `type T int

func (t *T) set(k int, rest ...int) { *t = T(k) }

type I interface{ get() (int, error) }

type Outer struct{ *T }

var f = func(ᐧr (*T), ᐧp0 int, ᐧp1 ...int) { ᐧr.set(ᐧp0, ᐧp1...) }
var g = func(ᐧr I) (int, error) { return ᐧr.get() }
var h = func(ᐧr (*Outer), ᐧp0 int, ᐧp1 ...int) { ᐧr.set(ᐧp0, ᐧp1...) }
var k = func(ᐧr interface{ m(string) }, ᐧp0 string) { ᐧr.m(ᐧp0) }`},
	{name: "a local variable named as a type, and a package's selector, are left alone", decls: true,
		facts: Facts{SessionTypes: map[string]bool{"Net": true}},
		in: `type T struct{ N int }

func (t T) get() int { return t.N }

func f(T T, net Net) int { return T.get() + fmt.Println(net) + Net.Forward(net, 1) }`,
		out: `type T struct{ N int }

func (t T) get() int { return t.N }

func f(T T, net Net) int { return T.get() + fmt.Println(net) + Net(net).Forward(1) }`},
	{name: "a method expression of a type an earlier cell or piece declared takes the signature from the session",
		facts: Facts{SessionTypes: map[string]bool{"Vec": true}, TypeDecls: []string{"type Vec struct{ X, Y float64 }", "func (v Vec) Scale(k float64) Vec"}},
		in:    `scale := Vec.Scale`,
		out:   `scale := func(ᐧr Vec, ᐧp0 float64) Vec { return ᐧr.Scale(ᐧp0) }`},
	{name: "a deferred call's arguments that read variables are copied at the defer; constants and package members stay",
		facts: Facts{Vars: map[string]bool{"total": true}},
		in: `const k = 2
x, v := 1, T{}
defer fmt.Println("x", x, k, math.Pi, total, nil)
defer f(v.N, func() int { return x }, g(x))
defer mu.Unlock()
x = 3`,
		out: `const k = 2
x, v := 1, (T{})
ᐧd0, ᐧd1 := x, total
defer fmt.Println("x", ᐧd0, k, math.Pi, ᐧd1, nil)
ᐧd2, ᐧd3 := v.N, g(x)
defer f(ᐧd2, func() int { return x }, ᐧd3)
defer mu.Unlock()
x = 3`},
	{name: "in a loop, a deferred call's calls are copied too, but not a lone call that may have several values", decls: true,
		in: `func one() int { return 1 }

func f() {
	for i := 0; i < 3; i++ {
		defer out(i, next())
		defer fmt.Println(one())
		defer fmt.Println(pair())
	}
	defer out(0, next())
}`,
		out: `func one() int { return 1 }

func f() {
	for i := 0; i < 3; i++ {
		ᐧd0, ᐧd1 := i, next()
		defer out(ᐧd0, ᐧd1)
		ᐧd2 := one()
		defer fmt.Println(ᐧd2)
		defer fmt.Println(pair())
	}
	defer out(0, next())
}`},
	{name: "new(expr): a constant literal's through a function literal of its default type, other values through ᐧnewOf; types unchanged",
		facts: Facts{Vars: map[string]bool{"cfg": true}},
		in: `x := 2
type T struct{ N int }
a, b, c := new(1), new(true), new("s")
d, e, g := new(x), new(x > 0), new(T{3})
h, k := new(cfg.N), new(*cfg)
i, j, l := new(T), new(bytes.Buffer), new(int)`,
		out: `x := 2
type T struct{ N int }
a, b, c := func() *int { ᐧv := 1; return &ᐧv }(), func() *bool { ᐧv := true; return &ᐧv }(), func() *string { ᐧv := "s"; return &ᐧv }()
d, e, g := ᐧnewOf(x), ᐧnewOf(x > 0), ᐧnewOf(T{3})
h, k := ᐧnewOf(cfg.N), ᐧnewOf(*cfg)
i, j, l := new(T), new(bytes.Buffer), new(int)`},
	{name: "a select case's receive loses its parentheses; other parentheses stay", decls: true,
		in: `func f(ch chan int) {
	select {
	case x, ok := (<-ch):
		_, _ = x, (ok)
	case v := ((<-ch)):
		_ = v
	case (<-ch):
	}
}`,
		out: `func f(ch chan int) {
	select {
	case ᐧv, ᐧok := <-ch:
		x, ok := ᐧv, ᐧok
		_, _ = x, (ok)
	case ᐧv := <-ch:
		v := ᐧv
		_ = v
	case <-ch:
	}
}`},
	{name: "range over a conversion to an integer type the file declares, and over a rune literal", decls: true,
		in: `type MyInt int

type Level MyInt

func f() {
	for i := range MyInt(2) {
		_ = i
	}
	for range Level(1) {
	}
	for r := range 'a' {
		_ = r
	}
}`,
		out: `type MyInt int

type Level MyInt

func f() {
	{
		ᐧn := MyInt(2)
		for i := ᐧn - ᐧn; i < ᐧn; i++ {
			_ = i
		}
	}
	{
		ᐧn := Level(1)
		for ᐧi := ᐧn - ᐧn; ᐧi < ᐧn; ᐧi++ {
		}
	}
	{
		ᐧn := 'a'
		for r := ᐧn - ᐧn; r < ᐧn; r++ {
			_ = r
		}
	}
}`},
}

func TestGoSemanticsRewrites(t *testing.T) {
	t.Parallel()
	runRewriteCases(t, goSemanticsCases)
}

func TestIntTypes(t *testing.T) {
	got := IntTypes([]string{"type Level int", "type L2 Level", "type Name string", "func (l Level) String() string", "type (\n\tA uint8\n\tB struct{}\n)"})
	sort.Strings(got)
	if want := []string{"A", "L2", "Level"}; !slices.Equal(got, want) {
		t.Errorf("IntTypes = %v, want %v", got, want)
	}
}

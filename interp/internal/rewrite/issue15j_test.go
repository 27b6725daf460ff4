package rewrite

import (
	"bytes"
	"go/parser"
	"go/printer"
	"go/token"
	"testing"
)

// issue15jCases: constants Go computes when it compiles (constfold.go),
// slices converted to arrays (sliceconv.go), channels compared across
// directions (chancompare.go), negations assigned to interfaces
// (parallelassign.go).
var issue15jCases = []rewriteCase{
	{name: "unsafe.Sizeof, Alignof and Offsetof become constants, also of a field promoted through an embedded struct", decls: true,
		facts: Facts{Packages: map[string]bool{"unsafe": true}},
		in: `type U2 struct{ B, C int32 }

type T2 struct {
	A int32
	U2
}

var t2 T2

var p2 *T2

func f() (uintptr, uintptr, uintptr, uintptr) {
	return unsafe.Offsetof(t2.C), unsafe.Offsetof(p2.U2.C), unsafe.Sizeof(t2), unsafe.Alignof(t2)
}`,
		out: `type U2 struct{ B, C int32 }

type T2 struct {
	A int32
	U2
}

var t2 T2

var p2 *T2

func f() (uintptr, uintptr, uintptr, uintptr) {
	return uintptr(8), uintptr(4), uintptr(12), uintptr(4)
}`},
	{name: "an unsafe.Sizeof of a type of another package stays (go/types cannot size it)", decls: true,
		in: `var d time.Duration

func f() uintptr { return unsafe.Sizeof(d) + unsafe.Sizeof(struct{ T time.Time }{}) }`,
		out: `var d time.Duration

func f() uintptr { return unsafe.Sizeof(d) + unsafe.Sizeof(struct{ T time.Time }{}) }`},
	{name: "expressions using constants beyond int64 become their values, in the type of their context; constant declarations stay", decls: true,
		in: `const (
	chuge   = 1 << 100
	chuge_1 = chuge - 1
	c1      = chuge >> 100
	rsh1    = 1e100 >> 1000
)

func f(ok bool) {
	var fl float64
	fl = chuge
	assert(chuge > chuge_1)
	assert(fl == chuge_1)
	assert(c1 == 1, rsh1 == 0)
	var i int = c1
	_ = i
}

func assert(...bool) {}`,
		out: `const (
	chuge   = 1 << 100
	chuge_1 = chuge - 1
	c1      = chuge >> 100
	rsh1    = 1e100 >> 1000
)

func f(ok bool) {
	var fl float64
	fl = float64(1.2676506002282294e+30)
	assert(bool(true))
	assert(fl == float64(1.2676506002282294e+30))
	assert(c1 == 1, rsh1 == 0)
	var i int = c1
	_ = i
}

func assert(...bool) {}`},
	{name: "a slice converted to an array or a pointer to one is checked first; one read twice with side effects stays", decls: true,
		in: `type Int4 [4]int

func f(s []byte, p *[]byte, ii []int, mk func() []byte) {
	_ = (*[9]byte)(s)
	_ = [9]byte(s)
	_ = [0]byte(*p)
	_ = (*Int4)(ii)
	_ = [2]byte(mk())
	_ = []byte(s)
}`,
		out: `type Int4 [4]int

func f(s []byte, p *[]byte, ii []int, mk func() []byte) {
	_ = (*[9]byte)(s[ᐧs.SliceConv(len(s), 9):])
	_ = [9]byte(s[ᐧs.SliceConv(len(s), 9):])
	_ = [0]byte((*p)[ᐧs.SliceConv(len(*p), 0):])
	_ = (*Int4)(ii[ᐧs.SliceConv(len(ii), 4):])
	_ = [2]byte(mk())
	_ = []byte(s)
}`},
	{name: "a bidirectional channel compared with a directional one is converted to its type", decls: true,
		in: `func f(c chan int, r <-chan int, s chan<- int) bool {
	return c == r && s != c && c == c && r == nil
}`,
		out: `func f(c chan int, r <-chan int, s chan<- int) bool {
	return (<-chan int)(c) == r && s != (chan<- int)(c) && c == c && r == nil
}`},
	{name: "a negation assigned with = is parenthesised; one defined with := stays", decls: true,
		in: `func f(a any, b bool) {
	a = !a.(bool)
	b = !b
	c := !b
	_ = c
}`,
		out: `func f(a any, b bool) {
	a = (!a.(bool))
	b = (!b)
	c := !b
	_ = c
}`},
	{name: "a method value evaluates its receiver when it is made: copied, dereferenced for a value receiver, a nil interface panics; promoted paths are written out; a call and (&v).M stay", decls: true,
		in: `type V int

func (v V) M(x int) int { return x + int(v) }

type P int

func (p *P) M(x int) int { return x + int(*p) }

type I interface{ M(int) int }

type T2 struct{ *V }

type T1 struct{ T2 }

func f(v V, pv *V, p P, pp *P, i I, t1 T1) {
	var g func(int) int
	g = pv.M
	g = v.M
	g = i.M
	g = pp.M
	g = p.M
	g = t1.M
	_ = pv.M(1) + i.M(2)
	_ = g
}`,
		out: `type V int

func (v V) M(x int) int { return x + int(v) }

type P int

func (p *P) M(x int) int { return x + int(*p) }

type I interface{ M(int) int }

type T2 struct{ *V }

type T1 struct{ T2 }

func f(v V, pv *V, p P, pp *P, i I, t1 T1) {
	var g func(int) int
	g = func() func(x int) int { ᐧr := *pv; return ᐧr.M }()
	g = func() func(x int) int { ᐧr := v; return ᐧr.M }()
	g = func() func(int) int {
		ᐧr := i
		if ᐧr == nil {
			ᐧs.NilDeref()
		}
		return ᐧr.M
	}()
	g = func() func(x int) int { ᐧr := pp; return ᐧr.M }()
	g = p.M
	g = func() func(x int) int { ᐧr := *t1.T2.V; return ᐧr.M }()
	_ = pv.M(1) + i.M(2)
	_ = g
}`},
	{name: "a range over a string decodes it rune by rune, keeping a label and assigning existing variables; a range over a slice stays", decls: true,
		in: `func f(s string, xs []int) {
	var i int
	var r rune
L:
	for i, r = range s {
		continue L
	}
	for j := range s + "x" {
		_ = j
	}
	for range s {
	}
	for k := range xs {
		_ = k
	}
}`,
		out: `func f(s string, xs []int) {
	var i int
	var r rune
	{
		ᐧstr, ᐧat := s, 0
	L:
		for ᐧat < len(ᐧstr) {
			ᐧr, ᐧw := rune(ᐧstr[ᐧat]), 1
			if ᐧr >= 0x80 {
				ᐧr, ᐧw = ᐧs.DecodeRune(ᐧstr, ᐧat)
			}
			i, r = ᐧat, ᐧr
			ᐧat += ᐧw
			{
				continue L
			}
		}
	}
	{
		ᐧstr, ᐧat := s+"x", 0
		for ᐧat < len(ᐧstr) {
			ᐧr, ᐧw := rune(ᐧstr[ᐧat]), 1
			if ᐧr >= 0x80 {
				ᐧr, ᐧw = ᐧs.DecodeRune(ᐧstr, ᐧat)
			}
			j := ᐧat
			ᐧat += ᐧw
			{
				_ = j
			}
		}
	}
	{
		ᐧstr, ᐧat := s, 0
		for ᐧat < len(ᐧstr) {
			ᐧr, ᐧw := rune(ᐧstr[ᐧat]), 1
			if ᐧr >= 0x80 {
				ᐧr, ᐧw = ᐧs.DecodeRune(ᐧstr, ᐧat)
			}
			ᐧat += ᐧw
			{
			}
		}
	}
	for k := range xs {
		_ = k
	}
}`},
	{name: "an assertion from an any to an interface a function declares is checked as one to a package's interface", decls: true,
		in: `func check(e any) {
	type I1 interface{ x() }
	_ = e.(I1)
}`,
		out: `func check(e any) {
	type I1 interface{ x() }
	_ = ᐧs.AssertIface(e, "main.I1", "x").(I1)
}`},
}

func TestIssue15jRewrites(t *testing.T) {
	t.Parallel()
	runRewriteCases(t, issue15jCases)
}

// TestInitOrder: a unit's variables are declared in Go's order of
// initialisation, dependencies through functions included; zero values
// and a unit already in order stay where they are.
func TestInitOrder(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, out string }{
		{"a variable a function sets before the one calling it",
			`package main

var n4 = len(f())

var z int

var calledF = false

func f() *[40]int {
	calledF = true
	return nil
}
`, `package main

var (
	calledF = false
	z       int
	n4      = len(f())
)

func f() *[40]int {
	calledF = true
	return nil
}
`},
		{"in order already",
			`package main

var a = 1

var b = a + g()

func g() int { return a }
`, `package main

var a = 1

var b = a + g()

func g() int { return a }
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "cell.go", c.in, 0)
			if err != nil {
				t.Fatal(err)
			}
			InitOrder(fset, f)
			var b bytes.Buffer
			if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, token.NewFileSet(), f); err != nil {
				t.Fatal(err)
			}
			if !sameTokens(b.String(), c.out) {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), c.out)
			}
		})
	}
}

package rewrite

import "testing"

// issue15iCases: cell values held in variables of interface types reach
// fmt through ᐧs.Dyn, with their String and Error methods registered
// (dynamicFmtArgs, registerCellMethods).
var issue15iCases = []rewriteCase{
	{name: "String and Error methods are registered under yaegi's names of their types; other methods, other signatures and generic receivers are not", decls: true,
		facts: Facts{Rename: map[string]string{"T": "Tᐧ2"}},
		in: `func (c C) String() string { return "c" }

func (p *P) Error() string { return "p" }

func (t T) String() string { return "t" }

func (c C) Len() int { return 1 }

func (c C) Stringf(x int) string { return "" }

func (g G[K]) String() string { return "g" }`,
		out: `func (c C) String() string { return "c" }

func (p *P) Error() string { return "p" }

func (t Tᐧ2) String() string { return "t" }

func (c C) Len() int { return 1 }

func (c C) Stringf(x int) string { return "" }

func (g G[K]) String() string { return "g" }

var _ bool = ᐧs.Method("main.C", "String", func(ᐧr C) string { return ᐧr.String() })

var _ bool = ᐧs.Method("*main.P", "Error", func(ᐧr *P) string { return ᐧr.Error() })

var _ bool = ᐧs.Method("main.Tᐧ2", "String", func(ᐧr Tᐧ2) string { return ᐧr.String() })`},
	{name: "fmt's operands of type any or interface{} go through ᐧs.Dyn; of other types, constants and nil they stay", decls: true,
		facts: Facts{Packages: map[string]bool{"fmt": true}},
		in: `func show(v any, w interface{}, n int, e error) {
	fmt.Println(v, w, n, e, "x", nil)
	s := fmt.Sprintf("%v", v)
	_ = s
}`,
		out: `func show(v any, w interface{}, n int, e error) {
	fmt.Println(ᐧs.Dyn(v), ᐧs.Dyn(w), n, e, "x", nil)
	s := fmt.Sprintf("%v", ᐧs.Dyn(v))
	_ = s
}`},
	{name: "an operand of an interface with methods, declared in the cell or the session, or a call's result stays", decls: true,
		facts: Facts{Packages: map[string]bool{"fmt": true}, TypeDecls: []string{"type Shape interface{ Area() float64 }"}},
		in: `type Named interface{ Name() string }

func show(s Shape, n Named, mk func() Shape) {
	fmt.Print(s, n, mk())
}`,
		out: `type Named interface{ Name() string }

func show(s Shape, n Named, mk func() Shape) {
	fmt.Print(s, n, mk())
}`},
	{name: "a session variable of type any goes through ᐧs.Dyn; a spread slice stays",
		facts: Facts{Packages: map[string]bool{"fmt": true}, VarTypes: map[string]string{"a": "any"}},
		in: `fmt.Println(a)
xs := []any{a}
fmt.Println(xs...)`,
		out: `fmt.Println(ᐧs.Dyn(a))
xs := []any{a}
fmt.Println(xs...)`},
	{name: "a variable named fmt is not the package", decls: true,
		facts: Facts{Packages: map[string]bool{"fmt": true}},
		in: `func f(a any) {
	fmt := struct{ Println func(...any) }{}
	fmt.Println(a)
}`,
		out: `func f(a any) {
	fmt := struct{ Println func(...any) }{}
	fmt.Println(a)
}`},
	{name: "without an import of fmt nothing changes", decls: true,
		in:  `func f(a any) { fmt.Println(a) }`,
		out: `func f(a any) { fmt.Println(a) }`},
	{name: "a single-value assertion of an any or error to a cell's interface is checked by ᐧs.AssertIface first; comma-ok ones, of a cell's interface, of untyped operands, to interfaces without methods of their own and to other types stay", decls: true,
		facts: Facts{TypeDecls: []string{"type Shape interface{ Perimeter() float64; Area() float64 }"}},
		in: `type m interface{ m() }

type Empty interface{}

func f(x any, sh Shape, e error) {
	s := x.(Shape)
	_ = x.(m).m
	v, ok := x.(m)
	var w, ok2 = x.(Shape)
	_ = x.(Empty)
	_ = x.(int)
	_ = x.(interface{ Len() int })
	_ = f2().(Shape)
	_ = sh.(m)
	_ = e.(m)
}`,
		out: `type m interface{ m() }

type Empty interface{}

func f(x any, sh Shape, e error) {
	s := ᐧs.AssertIface(x, "main.Shape", "Area", "Perimeter").(Shape)
	_ = ᐧs.AssertIface(x, "main.m", "m").(m).m
	v, ok := x.(m)
	var w, ok2 = x.(Shape)
	_ = x.(Empty)
	_ = x.(int)
	_ = ᐧs.AssertIface(x, "interface { Len() int }", "Len").(interface{ Len() int })
	_ = f2().(Shape)
	_ = sh.(m)
	_ = ᐧs.AssertIface(e, "main.m", "m").(m)
}`},
	{name: "a make of a slice with sizes that are not constant checks them through ᐧs.MakeLen, with the element's size; of maps, channels, type parameters, constant sizes and capacities with side effects it stays", decls: true,
		facts: Facts{TypeDecls: []string{"type Pt struct{ X, Y float64 }"}},
		in: `func f(n uint64, k int, next func() int) {
	type T []int
	_ = make(T, int(n))
	_ = make([]byte, 0, n)
	_ = make([]Pt, next())
	_ = make([]int, 4)
	_ = make([]int, k, next())
	_ = make(map[int]int, k)
	_ = make(chan int, k)
}

func g[U any, P interface{ ~[]U }](k int) {
	_ = make([]U, 0, k)
	_ = make([]P, k)
}`,
		out: `func f(n uint64, k int, next func() int) {
	type T []int
	_ = make(T, ᐧs.MakeLen1(int(n), 8))
	_ = make([]byte, ᐧs.MakeLen(0, n, 1), ᐧs.MakeCap(n))
	_ = make([]Pt, ᐧs.MakeLen1(next(), 16))
	_ = make([]int, 4)
	_ = make([]int, k, next())
	_ = make(map[int]int, k)
	_ = make(chan int, k)
}

func g[U any, P interface{ ~[]U }](k int) {
	_ = make([]U, 0, k)
	_ = make([]P, k)
}`},
	{name: "a cell type's literal assigned to a variable, element or field of an interface type is converted to it; to other types, and other values, stay", decls: true,
		facts: Facts{TypeDecls: []string{"type Shape interface{ Area() float64 }", "type Sq struct{ S float64 }", "func (q Sq) Area() float64"}},
		in: `type C struct{ D float64 }

func f(a any, m map[string]any, s Shape, e error, c C, x struct{ V any }) {
	a = C{1}
	m["k"] = &C{2}
	s = Sq{3}
	x.V = C{4}
	c = C{5}
	a = c
	a, c = C{6}, C{7}
}`,
		out: `type C struct{ D float64 }

func f(a any, m map[string]any, s Shape, e error, c C, x struct{ V any }) {
	a = func() any { ᐧv := C{1}; var ᐧi any = ᐧv; return ᐧi }()
	m["k"] = func() any { ᐧv := &C{2}; var ᐧi any = ᐧv; return ᐧi }()
	s = func() Shape { ᐧv := Sq{3}; var ᐧi Shape = ᐧv; return ᐧi }()
	x.V = func() any { ᐧv := C{4}; var ᐧi any = ᐧv; return ᐧi }()
	c = C{5}
	a = c
	a, c = (func() any { ᐧv := C{6}; var ᐧi any = ᐧv; return ᐧi }()), (C{7})
}`},
	{name: "%T of an operand of a cell type is written out as its name, of a variable of an interface type through ᐧs.TypeName; of native types, calls and formats with indexes it stays", decls: true,
		facts: Facts{Packages: map[string]bool{"fmt": true}, TypeDecls: []string{"type MyInt int"}},
		in: `type Plain struct{ N int }

func f(p Plain, v any, n int, mk func() Plain) {
	fmt.Printf("%T %-8T %v %T %T%%\n", p, v, p, n, MyInt(3))
	_ = fmt.Sprintf("%T", mk())
	_ = fmt.Sprintf("%[1]T", p)
}`,
		out: `type Plain struct{ N int }

func f(p Plain, v any, n int, mk func() Plain) {
	fmt.Printf("%s %-8s %v %T %s%%\n", "main.Plain", ᐧs.TypeName(v), p, n, "main.MyInt")
	_ = fmt.Sprintf("%T", mk())
	_ = fmt.Sprintf("%[1]T", p)
}`},
}

func TestIssue15iRewrites(t *testing.T) {
	t.Parallel()
	runRewriteCases(t, issue15iCases)
}

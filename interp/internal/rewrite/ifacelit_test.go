package rewrite

import "testing"

// ifaceLitCases: composite literals bound to declared variables, and
// conversions to interfaces, go through a variable of their own type
// (literalsThroughVars).
var ifaceLitCases = []rewriteCase{
	{name: "a typed var's composite literal through a temporary; a literal of the declared type stays",
		in: `var e error = E{"y"}
var p error = &E{"z"}
var t T = T{1}
var a, b any = E{}, 2`,
		out: `ᐧlit1 := E{"y"}
var e error = ᐧlit1
var p error = &E{"z"}
var t T = T{1}
ᐧlit2 := E{}
var a, b any = ᐧlit2, 2`},
	{name: "an assignment's composite literals through temporaries when its targets are names and fields of names",
		in: `e = E{"y"}
s.err, n = E{}, 3
m[k()] = E{}
x := E{}`,
		out: `ᐧlit1 := E{"y"}
e = ᐧlit1
ᐧlit2 := E{}
s.err, n = ᐧlit2, 3
m[k()] = E{}
x := E{}`},
	{name: "conversions to error, any, interface literals and interfaces declared here or in the session: a function literal; other conversions stay",
		facts: Facts{TypeDecls: []string{"type Shape interface{ Area() float64 }", "type Meters float64"}},
		in: `_ = error(v)
_ = any(E{})
_ = interface{ M() }(v)
_ = Shape(sq)
_ = Meters(3)
_ = f(v)`,
		out: `_ = func() error { ᐧlit1 := v; var ᐧlit2 error = ᐧlit1; return ᐧlit2 }()
_ = func() any { ᐧlit3 := E{}; var ᐧlit4 any = ᐧlit3; return ᐧlit4 }()
_ = func() interface{ M() } { ᐧlit5 := v; var ᐧlit6 interface{ M() } = ᐧlit5; return ᐧlit6 }()
_ = func() Shape { ᐧlit7 := sq; var ᐧlit8 Shape = ᐧlit7; return ᐧlit8 }()
_ = Meters(3)
_ = f(v)`},
	{name: "package-level vars get package-level temporaries; a cell's own type named error is not the interface", decls: true,
		in: `type Celsius float64

var e error = E{"x"}

var c = Celsius(2)`,
		out: `type Celsius float64

var ᐧlit1 = E{"x"}

var e error = ᐧlit1

var c = Celsius(2)`},
	{name: "in nested blocks, case clauses and func literals", decls: true,
		in: `func g(ok bool) {
	if ok {
		var e error = E{}
		_ = e
	}
	switch {
	case ok:
		e = E{}
	}
	f := func() { var s fmt.Stringer = S{}; _ = s }
}`,
		out: `func g(ok bool) {
	if ok {
		ᐧlit1 := E{}
		var e error = ᐧlit1
		_ = e
	}
	switch {
	case ok:
		ᐧlit2 := E{}
		e = ᐧlit2
	}
	f := func() { ᐧlit3 := S{}; var s fmt.Stringer = ᐧlit3; _ = s }
}`},
}

func TestLiteralsThroughVars(t *testing.T) {
	t.Parallel()
	for _, c := range ifaceLitCases {
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

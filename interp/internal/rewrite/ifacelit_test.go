package rewrite

import "testing"

// ifaceLitCases: composite literals bound to declared variables, and
// conversions to interfaces, go through a variable of their own type
// (literalsThroughVars).
var ifaceLitCases = []rewriteCase{
	{name: "a typed var's composite literal through a function literal; a literal of the declared type, or an untyped var, stays",
		in: `var e error = E{"y"}
var p error = &E{"z"}
var t T = T{1}
var u = E{}
var a, b any = E{}, 2`,
		out: `var e error = func() error { ᐧv := E{"y"}; var ᐧi error = ᐧv; return ᐧi }()
var p error = &E{"z"}
var t T = T{1}
var u = E{}
var a, b any = func() any { ᐧv := E{}; var ᐧi any = ᐧv; return ᐧi }(), 2`},
	{name: "an assignment stays (through a variable, yaegi loses a value assigned to a package-level any)",
		in:  `e = E{"y"}`,
		out: `e = E{"y"}`},
	{name: "conversions to error, any, interface literals and interfaces declared here or in the session: a function literal; other conversions stay",
		facts: Facts{TypeDecls: []string{"type Shape interface{ Area() float64 }", "type Meters float64"}},
		in: `_ = error(v)
_ = any(E{})
_ = interface{ M() }(v)
_ = Shape(sq)
_ = Meters(3)
_ = f(v)`,
		out: `_ = func() error { ᐧv := v; var ᐧi error = ᐧv; return ᐧi }()
_ = func() any { ᐧv := E{}; var ᐧi any = ᐧv; return ᐧi }()
_ = func() interface{ M() } { ᐧv := v; var ᐧi interface{ M() } = ᐧv; return ᐧi }()
_ = func() Shape { ᐧv := sq; var ᐧi Shape = ᐧv; return ᐧi }()
_ = Meters(3)
_ = f(v)`},
	{name: "package-level vars too; a cell's own type named error is not the interface", decls: true,
		in: `type error struct{}

var e fmt.Stringer = E{"x"}

var c = error(x)`,
		out: `type error struct{}

var ᐧlite1 = E{"x"}

var e fmt.Stringer = ᐧlite1

var c = error(x)`},
	{name: "in nested blocks, case clauses and func literals", decls: true,
		in: `func g(ok bool) {
	if ok {
		var e error = E{}
		_ = e
	}
	switch {
	case ok:
		var s fmt.Stringer = S{}
		_ = s
	}
	f := func() { var s fmt.Stringer = S{}; _ = s }
}`,
		out: `func g(ok bool) {
	if ok {
		var e error = func() error { ᐧv := E{}; var ᐧi error = ᐧv; return ᐧi }()
		_ = e
	}
	switch {
	case ok:
		var s fmt.Stringer = func() fmt.Stringer { ᐧv := S{}; var ᐧi fmt.Stringer = ᐧv; return ᐧi }()
		_ = s
	}
	f := func() { var s fmt.Stringer = func() fmt.Stringer { ᐧv := S{}; var ᐧi fmt.Stringer = ᐧv; return ᐧi }(); _ = s }
}`},
}

func TestLiteralsThroughVars(t *testing.T) {
	t.Parallel()
	runRewriteCases(t, ifaceLitCases)
}

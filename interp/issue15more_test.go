package interp

import "testing"

// TestIssue15More has the scenarios of issue 15's findings that remained
// after TestIssue15: each is what a notebook user wrote, and what compiled
// Go does with it.
func TestIssue15More(t *testing.T) {
	runScenarios(t, []scenario{
		{"math/rand/v2's N takes any integer type (was: cannot use type time.Duration as type int)", []step{
			{code: "import r2 \"math/rand/v2\"\nd := r2.N(10 * time.Second)\nfmt.Printf(\"%T %v\\n\", d, d >= 0 && d < 10*time.Second)", out: "time.Duration true\n"},
			{code: "type Small uint16\nfunc pick() Small { return r2.N[Small](4) }\nvar s Small = pick()\nfmt.Println(s < 4, r2.N(uint8(3)) < 3)", out: "true true\n"},
			{code: "x := r2.N[int32](1000)\nfmt.Printf(\"%T %v\\n\", x, x < 1000)", out: "int32 true\n"},
			{code: "r2.N(0)", err: "panic: invalid argument to N", tb: "cell[4]:1:1: in cell"},
		}},
		{"== on errors holding values of a cell-defined error type (was: false, or comparing uncomparable type interp._error)", []step{
			{code: "import \"errors\"\ntype E struct{ msg string }\nfunc (e *E) Error() string { return e.msg }\nvar ErrX = &E{\"x\"}\nfunc parse() error { return ErrX }\nerr := parse()\nfmt.Println(err == ErrX, err != ErrX)", out: "true false\n"},
			{code: "e := &E{\"y\"}\nw := fmt.Errorf(\"w: %w\", e)\nfmt.Println(errors.Unwrap(w) == e, errors.Unwrap(w) == err)", out: "true false\n"},
			{code: "var ee error = ErrX\nfunc check(x error) bool { return x == ErrX }\nfmt.Println(ee == err, check(ee), check(errors.Unwrap(fmt.Errorf(\"%w\", ErrX))), check(e))", out: "true true true false\n"},
		}},
		{"unexported fields of package types and of cell structs stay out of JSON and %+v shows their names (was: Xwhen, Xt, Xin)", []step{
			{code: "import \"encoding/json\"\ntype In struct {\n\tA int\n\tb string\n}\ntype T struct {\n\tName string\n\twhen time.Time\n\tt    *ag.Tensor\n\tin   In\n\tIn2  In\n}\nfunc (v *T) Rename(s string) { v.Name = s }\nv := T{Name: \"n\", t: ag.Zeros(1), in: In{1, \"s\"}, In2: In{2, \"q\"}}\nv.Rename(\"m\")\nb, err := json.Marshal(v)\nfmt.Println(string(b), err)", out: "{\"Name\":\"m\",\"In2\":{\"A\":2}} <nil>\n"},
			{code: "s := fmt.Sprintf(\"%+v\", v)\nfmt.Println(strings.Contains(s, \"X\"), strings.Contains(s, \" when:\"), strings.Contains(s, \"in:{A:1 b:s} In2:{A:2 b:q}\"))", out: "false true true\n"},
			{code: "type Net struct {\n\tfc  *nn.Linear\n\tkey string\n}\nfunc (n *Net) Forward(x *ag.Tensor) *ag.Tensor { return n.fc.Forward(x) }\nfunc (n *Net) Parameters() []*ag.Tensor { return n.fc.Parameters() }\nnet := &Net{nn.NewLinear(2, 1), \"secret\"}\nb2, _ := json.Marshal(net)\nfmt.Println(nn.NumParams(net), string(b2))", out: "3 {}\n"},
		}},
		{"indexing what cannot be indexed is Go's compile error (was: CompileError: runtime error: invalid memory address)", []step{
			{code: "m := ag.Zeros(3)\nm[0]", err: "CompileError: cell[1]:2:1: invalid operation: cannot index m (variable of type *ag.Tensor)"},
			{code: "m := ag.Zeros(3)\nx := m[1]", err: "CompileError: cell[2]:2:6: invalid operation: cannot index m (variable of type *ag.Tensor)"},
			{code: "func first(t *ag.Tensor) float64 { return t[0] }", err: "CompileError: cell[3]:1:43: invalid operation: cannot index t (variable of type *ag.Tensor)"},
			{code: "type Model struct{ w *ag.Tensor }\nfunc (md *Model) W0() float64 {\n\treturn md.w[0]\n}", err: "CompileError: cell[4]:3:9: invalid operation: cannot index md.w (variable of type *ag.Tensor)"},
			{code: "lin := nn.NewLinear(2, 3)\nlin[0]", err: "CompileError: cell[5]:2:1: invalid operation: cannot index lin (variable of type *nn.Linear)"},
			{code: "p := &[]int{1}\np[0]", err: "CompileError: cell[6]:2:1: invalid operation: cannot index p (variable of type *[]int)"},
			{code: "ag.Zeros(2)[0]", err: "CompileError: cell[7]:1:1: invalid operation: cannot index ag.Zeros(2) (value of type *ag.Tensor)"},
			{code: "t := ag.Zeros(2)\nfunc at(a *[3]int, t [][]int) int { return a[0] + t[1][0] }\nfor _, t := range [][]int{{5}} {\n\tfmt.Println(t[0], at(&[3]int{4}, [][]int{{0}, {1}}))\n}\nt.Numel()", out: "5 5\n", value: "2"},
		}},
		{"a panic's traceback names the failing line, in funcs and at the top level (was: the first statement of the func or cell)", []step{
			{code: "func f(xs []int) int {\n\ta := 1\n\tb := 2\n\treturn xs[a+b+2]\n}"},
			{code: "f([]int{1, 2, 3})", err: "panic: runtime error: index out of range", tb: "cell[1]:4:9: in f\ncell[2]:1:1: in cell"},
			{code: "func outer() int {\n\ts := 0\n\ts += 2\n\treturn f(nil) + s\n}\nfunc top() {\n\tfmt.Println(\"a\")\n\touter()\n}", value: ""},
			{code: "fmt.Println(1)\ntop()", out: "1\na\n", err: "panic: runtime error: index out of range", tb: "cell[1]:4:9: in f\ncell[3]:4:9: in outer\ncell[3]:8:2: in top\ncell[4]:2:1: in cell"},
			{code: "type T struct{ v []int }\nfunc (t *T) At(i int) int {\n\tk := i * 2\n\treturn t.v[k]\n}\n(&T{}).At(1)", err: "panic: runtime error: index out of range", tb: "cell[5]:4:9: in At"},
			{code: "func g() {\n\tm := map[string]int{}\n\t_ = m\n\tvar mm map[string]int\n\tmm[\"x\"] = 1\n}\ng()", err: "panic: assignment to entry in nil map", tb: "cell[6]:5:2: in g\ncell[6]:7:1: in cell"},
			{code: "func tryIt() (r any) {\n\tdefer func() { r = recover() }()\n\treturn f(nil)\n}\ntryIt()\nz := 0\nfmt.Println(1 / z)", err: "panic: runtime error: integer divide by zero", tb: "cell[7]:7:13: in cell"},
		}},
		{"an index out of range at a cell's top level says the index and the length (was: reflect: slice index out of range)", []step{
			{code: "x, y := 1, 2\nfmt.Println(x, y)\nxs := []int{1}\nz := xs[x+y]\nfmt.Println(z)", out: "1 2\n", err: "panic: runtime error: index out of range [3] with length 1", tb: "cell[1]:4:6: in cell"},
			{code: "xs[5]", err: "panic: runtime error: index out of range [5] with length 1"},
			{code: "s := \"ab\"\ni := -1\ns[i+4]", err: "panic: runtime error: index out of range [3] with length 2"},
			{code: "xs[0]", value: "1"},
		}},
		{"range over a cell func returning iter.Seq or iter.Seq2 (was: the interpreter cannot compile)", []step{
			{code: "import \"iter\"\nfunc Count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nfor v := range Count(3) {\n\tfmt.Print(v, \" \")\n}", out: "0 1 2 "},
			{code: "func Pairs(m map[string]int) iter.Seq2[string, int] {\n\treturn func(yield func(string, int) bool) {\n\t\tfor k, v := range m {\n\t\t\tif !yield(k, v) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nfor k, v := range Pairs(map[string]int{\"a\": 1}) {\n\tfmt.Println(k, v)\n}\nseq := Count(5)\nfor v := range seq {\n\tif v == 2 {\n\t\tbreak\n\t}\n\tfmt.Println(\"v\", v)\n}", out: "a 1\nv 0\nv 1\n"},
		}},
	})
}

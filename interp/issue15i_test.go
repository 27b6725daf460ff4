package interp

import "testing"

// TestIssue15i: Go's own test programs as cells, the cluster of runtime
// calls that end the process and of cell values in interfaces: what a
// notebook user writes, and what compiled Go does with it.
func TestIssue15i(t *testing.T) {
	runScenarios(t, []scenario{
		{"runtime.Breakpoint and a lower stack or thread limit are the cell's error (were: SIGTRAP, fatal stack overflow, both ending the kernel)", []step{
			{code: "import \"runtime\"\nruntime.Breakpoint()", err: "runtime.Breakpoint called"},
			{code: "import \"runtime/debug\"\nfunc deep(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn deep(n-1) + 1\n}\ndebug.SetMaxStack(1 << 16)\nfmt.Println(deep(2000))", err: "debug.SetMaxStack: a cell cannot lower the stack limit"},
			{code: "debug.SetMaxThreads(2)", err: "debug.SetMaxThreads: a cell cannot lower the thread limit"},
			{code: "fmt.Println(deep(2000))", out: "2000\n"},
		}},
		{"a cell value held in a variable of type any prints with its String or Error method (was: <nil>, yaegi's wrapper, a panic in String)", []step{
			{code: `type Celsius struct{ D float64 }
func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", c.D) }
type P struct{ D float64 }
func (p *P) String() string { return fmt.Sprintf("P%.1f", p.D) }
type NotFound struct{ Key string }
func (e NotFound) Error() string { return "no " + e.Key }
type Plain struct{ N int }
func (Plain) Foo() {}
type Shape interface{ Area() float64 }
type Sq struct{ S float64 }
func (q Sq) Area() float64  { return q.S * q.S }
func (q Sq) String() string { return fmt.Sprint("Sq", q.S) }
func show(v any) { fmt.Println(v) }`},
			{code: "c := Celsius{7}\nshow(c)\nshow(Celsius{8})\nshow(&P{2})\nshow(NotFound{\"k\"})\nshow(Plain{3})\nshow(nil)", out: "7.0°C\n8.0°C\nP2.0\nno k\n{3}\n<nil>\n"},
			{code: "xs := []any{Celsius{1}, NotFound{\"x\"}, 4}\nfmt.Println(xs)\nfmt.Println(xs...)\nfunc wrapErr(v any) error { return fmt.Errorf(\"lookup: %w\", v) }\nfmt.Println(wrapErr(NotFound{\"y\"}))", out: "[1.0°C no x 4]\n1.0°C no x 4\nlookup: no y\n"},
			{code: "var a any = Celsius{5}\nfmt.Printf(\"%v|%s|%q\\n\", a, a, a)", out: "5.0°C|5.0°C|\"5.0°C\"\n"},
			{code: "var c any\nok := true"},
			{code: "if ok { w := Celsius{9}; c = w }\nfmt.Println(c)", out: "9.0°C\n"},
			{code: "c = Celsius{10}\nfunc setC() { c = &P{11} }\nfmt.Println(c)\nsetC()\nfmt.Println(c)\nm := map[string]any{}\nm[\"k\"] = NotFound{\"z\"}\nfmt.Println(m[\"k\"], m)", out: "10.0°C\nP11.0\nno z map[k:no z]\n"},
		}},
		{"a failing assertion to a cell's interface says what Go says (was: interface conversion: nil is not main.Shape, whatever the value)", []step{
			{code: "type Shape interface{ Area() float64; Perimeter() float64 }\ntype Sq struct{ S float64 }\nfunc (q Sq) Area() float64 { return q.S * q.S }\nfunc (q Sq) Perimeter() float64 { return 4 * q.S }"},
			{code: "var v any = 3\n_ = v.(Shape)", err: "interface conversion: int is not main.Shape: missing method Area"},
			{code: "var n any\n_ = n.(Shape)", err: "interface conversion: interface is nil, not main.Shape"},
			{code: "import \"runtime\"\nfunc try(f func()) (r any) {\n\tdefer func() { r = recover() }()\n\tf()\n\treturn nil\n}\nr := try(func() { var e any = \"s\"; _ = e.(Shape) })\n_, isRuntime := r.(runtime.Error)\nfmt.Println(r, isRuntime)", out: "interface conversion: string is not main.Shape: missing method Area true\n"},
			{code: "var s Shape = Sq{2}\nfmt.Println(s.(Shape).Area())", out: "4\n"},
		}},
		{"make of a slice too long or with a capacity below its length says which, as Go does (was: reflect.MakeSlice: negative cap, runtime: allocation size out of range)", []step{
			{code: `func try(f func()) {
	defer func() { fmt.Println(recover()) }()
	f()
}
n := -1
big := 1 << 59
try(func() { _ = make([]int, n) })
try(func() { _ = make([]int, 0, n) })
try(func() { _ = make([]int, big) })
try(func() { _ = make([]int, 0, big) })
try(func() { _ = make([]byte, 4, 2+n) })
try(func() { _ = make([]int, uint64(n)) })
fmt.Println(len(make([]float64, 3, big>>50)), cap(make([]float64, 3, big>>50)))`, out: "runtime error: makeslice: len out of range\nruntime error: makeslice: cap out of range\nruntime error: makeslice: len out of range\nruntime error: makeslice: cap out of range\nruntime error: makeslice: cap out of range\nruntime error: makeslice: len out of range\n3 512\n"},
		}},
		{"%T of a cell type names it as Go does (was: struct { N int }, int, stdlib._fmt_Stringer, interp.valueInterface)", []step{
			{code: "type Celsius struct{ D float64 }\nfunc (c Celsius) String() string { return \"C\" }\ntype Plain struct{ N int }\ntype MyInt int\nc := Celsius{1}"},
			{code: "var a any = c\nvar n any\nfmt.Printf(\"%T|%T|%T|%T|%T|%T|%T|%T\\n\", c, a, Plain{}, MyInt(3), &c, []Celsius{}, n, 2.5)", out: "main.Celsius|main.Celsius|main.Plain|main.MyInt|*main.Celsius|[]main.Celsius|<nil>|float64\n"},
		}},
	})
}

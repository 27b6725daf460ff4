package interp

import (
	"strings"
	"testing"

	"github.com/gradlab/gradlab/interp/internal/nativecell"
)

// TestIssue15 has one scenario per finding of issue 15: what a notebook
// user wrote, and what compiled Go does with it.
func TestIssue15(t *testing.T) {
	runScenarios(t, []scenario{
		{"a top-level var whose value uses a variable made with := (was: variable definition loop)", []step{
			{code: "ops := []string{\"a\", \"b\"}"},
			{code: "var limit = len(ops) * 10\nfmt.Println(limit)", out: "20\n"},
			{code: "var k = 3"},
			{code: "var j = k * 2\nfunc twice() int { return j * 2 }\nfmt.Println(j, twice())", out: "6 12\n"},
			{code: "n := 4\nvar m int = n + 1\nfunc useM() int { return m }\nfmt.Println(useM())", out: "5\n"},
		}},
		{"a cell-defined struct passed straight to a native interface parameter (was: reflect: Call using *struct)", []step{
			{code: `type Net struct{ L *nn.Linear }
func (n *Net) Forward(x *ag.Tensor) *ag.Tensor { return n.L.Forward(x) }
func (n *Net) Parameters() []*ag.Tensor { return n.L.Parameters() }
func NewNet() *Net { return &Net{L: nn.NewLinear(3, 2)} }`},
			{code: "fmt.Println(nn.NumParams(NewNet()))", out: "8\n"},
			{code: "var m nn.Module = NewNet()\nfmt.Println(m)", out: "&{Linear(in_features=3, out_features=2, bias=true)}\n"},
		}},
		{"a cell-defined error type with fmt and errors (was: %!w, Error ignored, errors.As panicked)", []step{
			{code: `import "errors"
type ParseError struct{ Line int }
func (e *ParseError) Error() string { return fmt.Sprintf("line %d", e.Line) }
var ErrEmpty = &ParseError{0}`},
			{code: "err := fmt.Errorf(\"parsing: %w\", &ParseError{3})\nfmt.Println(err)\nfmt.Println(&ParseError{4})", out: "parsing: line 3\nline 4\n"},
			{code: "var pe *ParseError\nfmt.Println(errors.As(err, &pe), pe.Line)", out: "true 3\n"},
			{code: "fmt.Println(errors.Is(fmt.Errorf(\"x: %w\", ErrEmpty), ErrEmpty))", out: "true\n"},
		}},
		{"unexported fields stay private in JSON and keep their names in %+v (was: XapiKey)", []step{
			{code: "import \"encoding/json\"\ntype Cfg struct {\n\tName   string\n\tapiKey string\n}\nb, _ := json.Marshal(Cfg{\"n\", \"secret\"})\nfmt.Println(string(b))\nfmt.Printf(\"%+v\\n\", Cfg{\"n\", \"secret\"})", out: "{\"Name\":\"n\"}\n{Name:n apiKey:secret}\n"},
		}},
		{"generic functions: inference with a func literal and variadic parameters", []step{
			{code: "func Map[T, U any](xs []T, f func(T) U) []U {\n\tout := make([]U, 0, len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}\nfunc Sum[T int | float64](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}"},
			{code: "Map([]int{1, 2}, func(i int) string { return fmt.Sprint(i * 2) })", value: "[2 4]"},
			{code: "fmt.Println(Sum(1, 2, 3), Sum(1.5, 2))", out: "6 3.5\n"},
		}},
		{"the generic standard library: slices, maps, iter, rand.N", []step{
			{code: "import (\n\t\"maps\"\n\t\"slices\"\n\tr2 \"math/rand/v2\"\n)\nxs := []int{3, 1, 2}\nslices.Sort(xs)\nm := map[string]int{\"b\": 1, \"a\": 2}\nfmt.Println(xs, slices.Sorted(maps.Keys(m)), slices.Max(xs), slices.Contains(xs, 2))\nn := r2.N(10)\nfmt.Println(n >= 0 && n < 10)", out: "[1 2 3] [a b] 3 true\ntrue\n"},
		}},
		{"unsafe and syscall import", []step{
			{code: "import (\n\t\"syscall\"\n\t\"unsafe\"\n)\nx := 3.5\nfmt.Println(*(*uint64)(unsafe.Pointer(&x)), unsafe.Sizeof(x), syscall.Getpagesize() > 0)", out: "4615063718147915776 8 true\n"},
		}},
		{"a stray } is reported where it is (was: a line past the cell's end)", []step{
			{code: "x := 1\nfmt.Println(x)\n}", err: "cell[1]:3:1: unexpected }: it closes no open block or bracket"},
		}},
		{"print and println write the runtime's format to stderr; recover gives the panic's value", []step{
			{code: "println(\"hi\", 1.5, []int(nil))", eout: "hi 1.5 [0/0]0x0\n"},
			{code: `func try(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}
_, isErr := try(func() { panic(fmt.Errorf("boom")) }).(error)
re, isRuntime := try(func() { var s []int; _ = s[5] }).(error)
fmt.Println(isErr, isRuntime, re, try(func() { panic("text") }) == "text")`, out: "true true runtime error: index out of range true\n"},
		}},
		{"assigning a native package's variable", []step{
			{code: "import \"runtime\"\nold := runtime.MemProfileRate\nruntime.MemProfileRate = 0\nfmt.Println(runtime.MemProfileRate)\nruntime.MemProfileRate = old", out: "0\n"},
		}},
	})
}

// TestCompileMagic: a %%compile cell's funcs and types are callable from
// later interpreted cells; where plugins cannot be built here, the cell
// runs interpreted with a note, and the same later cells work.
func TestCompileMagic(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, "%%compile\nimport \"math\"\n\nfunc norm(xs []float64) float64 {\n\ts := 0.0\n\tfor _, x := range xs {\n\t\ts += x * x\n\t}\n\treturn math.Sqrt(s)\n}\n\ntype Acc struct{ S float64 }\n\nfunc (a *Acc) Add(x float64) *Acc { a.S += x; return a }\n")
	if o.res.Err != nil {
		t.Fatalf("%%%%compile: %v", o.res.Err)
	}
	if err := nativecell.Available(); err != nil {
		if !strings.Contains(o.stderr, "runs interpreted") {
			t.Errorf("no toolchain (%v), but no note that the cell runs interpreted: %q", err, o.stderr)
		}
	}
	o = run(t, s, 2, "a := &Acc{}\na.Add(norm([]float64{3, 4})).Add(1).S")
	if o.res.Err != nil || o.value() != "6" {
		t.Fatalf("using the compiled cell: %v, value %q", o.res.Err, o.value())
	}
	if nativecell.Available() == nil {
		o = run(t, s, 3, "%%compile\nfunc bad() int { return a + 1 }\n")
		if o.res.Err == nil || !strings.Contains(o.res.Err.Value, "cell[3]:1:25: undefined: a") {
			t.Errorf("a compiled cell using a session variable: %v", o.res.Err)
		}
	}
}

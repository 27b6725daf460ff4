package interp

import (
	"strconv"
	"strings"
	"testing"
)

// step is one cell and what it must produce.
type step struct {
	code  string
	value string // exact text/plain of the value; "" means no value
	out   string // stdout must contain this ("" means stdout must be empty)
	err   string // "Name: value" of the error must contain this; "" means success
	tb    string // the traceback must contain this
	eout  string // stderr must contain this
}

type scenario struct {
	name  string
	steps []step
}

func runScenarios(t *testing.T, scenarios []scenario) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := newSession(t)
			for i, st := range sc.steps {
				o := run(t, s, i+1, st.code)
				where := func() string { return "cell[" + strconv.Itoa(i+1) + "] " + strings.ReplaceAll(st.code, "\n", "⏎") }
				if st.err == "" && o.res.Err != nil {
					t.Fatalf("%s: unexpected error %s: %v", where(), o.res.Err.Name+": "+o.res.Err.Value, o.res.Err.Traceback)
				}
				if st.err != "" {
					if o.res.Err == nil {
						t.Fatalf("%s: want error %q, got none (value %q, out %q)", where(), st.err, o.value(), o.stdout)
					}
					if got := o.res.Err.Name + ": " + o.res.Err.Value; !strings.Contains(got, st.err) {
						t.Fatalf("%s: want error containing %q, got %q", where(), st.err, got)
					}
				}
				if st.tb != "" && (o.res.Err == nil || !strings.Contains(strings.Join(o.res.Err.Traceback, "\n"), st.tb)) {
					t.Fatalf("%s: want traceback containing %q, got %+v", where(), st.tb, o.res.Err)
				}
				if st.eout != "" && !strings.Contains(o.stderr, st.eout) {
					t.Fatalf("%s: want stderr containing %q, got %q", where(), st.eout, o.stderr)
				}
				if o.value() != st.value {
					t.Fatalf("%s: want value %q, got %q", where(), st.value, o.value())
				}
				if (st.out == "" && o.stdout != "") || !strings.Contains(o.stdout, st.out) {
					t.Fatalf("%s: want stdout %q, got %q", where(), st.out, o.stdout)
				}
			}
		})
	}
}

func TestCells(t *testing.T) {
	runScenarios(t, []scenario{
		{"mixed cell: statements, declarations, value", []step{
			{code: "x := 3\nfmt.Println(\"hi\", x)\nfunc double(v int) int { return 2 * v }\ndouble(x)", out: "hi 3\n", value: "6"},
			{code: "x + 1", value: "4"},
		}},
		{"statements before the declarations they use", []step{
			{code: "r := compute(3)\nfmt.Println(r)\n\nfunc compute(x int) int { return x * k }\n\nconst k = 2\ntype unused struct{}", out: "6\n"},
			{code: "base := 10\nfunc addBase(x int) int { return x + base }\naddBase(1)", value: "11"},
		}},
		{"declaration first, then statements", []step{
			{code: "func f() int { return 1 }\ny := f() + 1\ny", value: "2"},
		}},
		{"repeated imports", []step{
			{code: "import \"fmt\"\nfmt.Print(1)", out: "1"},
			{code: "import \"fmt\"\nfmt.Print(2)", out: "2"},
			{code: "import (\n\t\"strings\"\n\t\"fmt\"\n)\nstrings.ToUpper(fmt.Sprint(\"a\"))", value: `"A"`},
		}},
		{"auto imports", []step{
			{code: "math.Sqrt(16)", value: "4"},
			{code: "strings.Repeat(\"ab\", 2)", value: `"abab"`},
			{code: "xs := []int{3, 1, 2}\nsort.Ints(xs)\nxs", value: "[1 2 3]"},
			{code: "time.Duration(1500) * time.Millisecond", value: "1.5s"},
			{code: "rand.New(rand.NewSource(1)).Intn(1) + len(os.Args)", value: "1"},
		}},
		{"blank imports", []step{
			{code: "import _ \"image/png\"\nimport _ \"image/jpeg\"\n1", value: "1"},
			{code: "import _ \"image/gif\"\n2", value: "2"},
		}},
		{"import not preloaded", []step{
			{code: "import \"github.com/foo/bar\"", err: "CompileError: cell[1]:1:8: cannot import \"github.com/foo/bar\": not preloaded", tb: "github.com/gradlab/gradlab/display"},
		}},
		{"values: strings quoted, multiple values, void calls, statements", []step{
			{code: `"hello"`, value: `"hello"`},
			{code: "func two() (int, string) { return 1, \"a\" }\ntwo()", value: `1, "a"`},
			{code: "func none() {}\nnone()"},
			{code: "type Pair struct{}\nfunc (Pair) Both() (int, string) { return 2, \"b\" }\np := Pair{}\np.Both()", value: `2, "b"`},
			{code: "p.Both()", value: `2, "b"`},
			{code: "r := strings.NewReader(\"xyz\")"},
			{code: "r.ReadByte()", value: "120, <nil>"},
			{code: "if true { 42 }"}, // yaegi accepts the unused constant; it must not become the value
			{code: "v := 100\nif v > 0 { v = 42 }"},
			{code: "nil"},
			{code: "fmt.Println(\"x\")", out: "x\n"},
			{code: "os.Stdout.WriteString(\"y\\n\")", out: "y\n"},
			{code: "[]string{\"a\"}", value: "[a]"},
			{code: "map[string]int{\"a\": 1}", value: "map[a:1]"},
			{code: "big := make([]int, 1000000)\nlen(fmt.Sprint(big))", value: "2000001"},
		}},
		{"cell-defined types show through String", []step{
			{code: "type P struct{ X, Y int }\nfunc (p P) String() string { return fmt.Sprintf(\"P(%d,%d)\", p.X, p.Y) }\nP{1, 2}", value: "P(1,2)"},
			{code: "func mk() P { return P{3, 4} }\nmk()", value: "P(3,4)"},
			{code: "type Q struct{ A int }\nQ{5}", value: "{5}"},
			{code: "&Q{6}", value: "&{6}"},
		}},
	})
}

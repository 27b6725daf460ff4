package interp

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradlab/gradlab/display"
)

func TestNotesRows(t *testing.T) {
	runScenarios(t, []scenario{
		{"void native call as the last line shows nothing", []step{
			{code: "time.Sleep(time.Millisecond)"},
			{code: "xs := []int{2, 1}\nsort.Ints(xs)"},
		}},
		{"top-level comma-ok type assertion", []step{
			{code: "var v any = 3\nn, ok := v.(int)\nfmt.Println(n, ok)", out: "3 true\n"},
			{code: "s, ok2 := v.(string)\nfmt.Printf(\"%q %v\", s, ok2)", out: "\"\" false"},
		}},
		{"two-value definitions in loops and blocks at the top level", []step{
			{code: "func two() (int, string) { return 1, \"a\" }\nfor i := 0; i < 2; i++ {\n\tx, y := two()\n\tfmt.Print(x, y, \" \")\n}", out: "1a 1a "},
			{code: "p, q := two()\nfmt.Print(p, q)", out: "1a"},
			{code: "mm := map[string]int{\"k\": 2}\nv1, ok1 := mm[\"k\"]\nfmt.Print(v1, ok1)", out: "2 true"},
			{code: "c1 := make(chan string, 1)\nc1 <- \"s\"\nv2, ok2 := <-c1\nfmt.Print(v2, ok2)", out: "strue"},
			{code: "func getMap() map[int]int { return nil }\nv3, ok3 := getMap()[1]", err: "CompileError: cell[5]:2:1: the interpreter cannot define two variables from a map index"},
			{code: "m := map[string]int{\"k\": 3}\nif true {\n\tv, ok := m[\"k\"]\n\tfmt.Print(v, ok)\n}", out: "3 true"},
			{code: "ch := make(chan int, 1)\nch <- 4\nfor j := 0; j < 1; j++ {\n\tv, ok := <-ch\n\tfmt.Print(v, ok)\n}", out: "4 true"},
		}},
		{"top-level index and slice of a slice that native code returned", []step{
			{code: "grid := ag.Meshgrid([]*ag.Tensor{ag.Linspace(0, 1, 3), ag.Linspace(0, 1, 2)}, \"ij\")"},
			{code: "XX := grid[0]\nYY := grid[1]\nfmt.Println(XX.Shape(), YY.Shape())", out: "[3 2] [3 2]\n"},
			{code: "n := grid[1].Numel()\nfirst := grid[:1]\nfmt.Println(n, len(first))", out: "6 1\n"},
			{code: "words := strings.Fields(\"a b\")"},
			{code: "w := words[1]\nw", value: "\"b\""},
			{code: "words := 5\nwords", value: "5"}, // redefined with another type: the trial rebuild still compiles
			{code: "w + \"!\"", value: "\"b!\""},
		}},
		{"top-level index of a slice a native call returned in the same cell", []step{
			{code: "grid := ag.Meshgrid([]*ag.Tensor{ag.Linspace(-1, 1, 3), ag.Linspace(-1, 1, 2)}, \"ij\")\nXX := grid[0]\nXX.Shape()", value: "[3 2]"},
			{code: "parts := strings.Split(\"a,b\", \",\")\np0 := parts[0]\np0", value: `"a"`},
			{code: "g2 := ag.Meshgrid([]*ag.Tensor{ag.Linspace(0, 1, 4), ag.Linspace(0, 1, 2)}, \"ij\")\nsh := g2[0].Shape()\nrows := sh[0]\nfmt.Println(rows, g2[1].Shape())\ng2[0].Shape()", out: "4 [4 2]\n", value: "[4 2]"},
			{code: "before, after, _ := strings.Cut(\"k=v w\", \"=\")\nws := strings.Fields(after)\nfirst, tail := ws[0], ws[1:]\nfmt.Println(before, first, len(tail))", out: "k v 1\n"},
			{code: "args := os.Args\narg0 := args[0]\narg0", value: `"gradlab"`},
			{code: "t := ag.Linspace(0, 1, 5)\nd0 := t.Shape()[0]\nd0", value: "5"},
			{code: "m := map[string][]string{\"k\": strings.Fields(\"x y\")}\nks := m[\"k\"]\nk1 := ks[1]\nk1", value: `"y"`},
			{code: "ws2 := strings.Fields(\"p q\")\nfunc pick(i int) string { return ws2[i] }\npick(1)", value: `"q"`},
		}},
		{"a slice of an array global shares the array", []step{
			{code: "arr := [3]int{1, 2, 3}"},
			{code: "s := arr[:2]\ns[0] = 100\narr[0]", value: "100"},
			{code: "import \"crypto/sha256\"\nh := sha256.Sum256([]byte(\"a\"))"},
			{code: "hs := h[:4]\nhs[0] = 7\nh0 := h[0]\nh0", value: "7"},
		}},
		{"a cell declaring a variable indexes its own, not the session's", []step{
			{code: "xd := strings.Split(\"a b\", \" \")"},
			{code: "var xd = []int{1, 2}\nyd := xd[0]\nyd", value: "1"},
			{code: "var xd = []float64{0.5, 1.5}\nzd := xd[1]\nzd", value: "1.5"},
		}},
		{"a cell redefining a variable with another type indexes the new one", []step{
			{code: "xs := strings.Fields(\"a b\")"},
			{code: "xs := []int{1, 2}\ny := xs[1]\ny", value: "2"},
			{code: "xs := strings.Fields(\"c d\")\nz := xs[1]\nz", value: `"d"`},
		}},
		{"a cell that failed to compile leaves the session usable", []step{
			{code: "okA := 1\nokB := okA + \"s\"", err: "mismatched types"},
			{code: "xs := []int{4}\nxs[0]", value: "4"},
			{code: "okA := 2\nvar zz int = \"s\"", err: "cannot convert"},
			{code: "ys := strings.Fields(\"e f\")\ny1 := ys[1]\ny1", value: `"f"`},
		}},
		{"a variable defined in a loop does not overwrite the session's", []step{
			{code: "opt := 5\nfor i := 0; i < 2; i++ {\n\topt := i * 10\n\t_ = opt\n}\nopt", value: "5"},
			{code: "i := 100\nfor i := 0; i < 3; i++ {}\ni", value: "100"},
			{code: "optimizer := 1\nnames := []string{\"p\"}\nfor k := range names {\n\tmodel, optimizer := k, names[k]\n\tfmt.Print(model, optimizer)\n}\noptimizer", out: "0p", value: "1"},
		}},
		{"loop variables are per iteration (Go 1.22)", []step{
			{code: "var fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\nfor _, f := range fs { fmt.Print(f()) }", out: "012"},
			{code: "var gs []func() int\nfor _, v := range []int{7, 8, 9} { gs = append(gs, func() int { return v }) }\nfor _, g := range gs { fmt.Print(g()) }", out: "789"},
			{code: "func mk() []func() int {\n\tvar fs []func() int\n\tfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\n\treturn fs\n}\nfor _, f := range mk() { fmt.Print(f()) }", out: "012"},
			{code: "for i := 0; i < 6; i++ {\n\tf := func() {}\n\tf()\n\ti++\n\tfmt.Print(i)\n}", out: "135"},
			{code: "ch := make(chan int, 3)\nfor i := 0; i < 3; i++ { go func() { ch <- i }() }\nsum := 0\nfor k := 0; k < 3; k++ { sum += <-ch }\nsum", value: "3"},
		}},
		{"type switch on cell types behind a native interface", []step{
			{code: "type My struct{ K int }\nfunc (m *My) Forward(x *ag.Tensor) *ag.Tensor { return x }\nfunc (m *My) Parameters() []*ag.Tensor { return nil }\nseq := nn.NewSequential([]nn.Module{&My{3}, nn.NewReLU(), nil})"},
			{code: "for _, l := range seq.Layers {\n\tswitch v := l.(type) {\n\tcase *My:\n\t\tif v.K == 3 { break }\n\t\tfmt.Print(\"unreached\")\n\tcase *nn.ReLU, *nn.Linear:\n\t\tfmt.Printf(\"act %T|\", v)\n\tcase nil:\n\t\tfmt.Print(\"nil|\")\n\tdefault:\n\t\tfmt.Print(\"other|\")\n\t}\n\tfmt.Print(\"next|\")\n}", out: "next|act *nn.ReLU|next|nil|next|"},
			{code: "func kind(m nn.Module) string {\n\tswitch m.(type) {\n\tcase *My:\n\t\treturn \"mine\"\n\t}\n\treturn \"theirs\"\n}\nkind(seq.Layers[0]) + \" \" + kind(seq.Layers[1])", value: `"mine theirs"`},
		}},
		{"interpreted generics", []step{
			{code: "func Sum[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs { s += x }\n\treturn s\n}\nSum([]float64{1.5, 2})", value: "3.5"},
			{code: "Sum[int]([]int{1, 2, 3})", value: "6"},
		}},
		{"an interpreted struct passed to native code as an interface", []step{
			{code: "type Named struct{ N string }\nfunc (n Named) String() string { return \"<\" + n.N + \">\" }\nfmt.Sprint(Named{\"a\"})", value: `"<a>"`},
			{code: "fmt.Println(Named{\"b\"})", out: "<b>\n"},
		}},
	})
}

func TestNativePackageOutput(t *testing.T) {
	old := display.SetSink(nil) // the text sink prints from native code to os.Stdout
	defer display.SetSink(old)
	s := newSession(t)
	if o := run(t, s, 1, "display.Text(\"from native code\")"); !strings.Contains(o.stdout, "from native code\n") {
		t.Fatalf("native output: %q %+v", o.stdout, o.res.Err)
	}
}

func TestGoroutineOutputAfterItsCell(t *testing.T) {
	s := newSession(t)
	var mu sync.Mutex
	var got strings.Builder
	out := func(stream, text string) {
		mu.Lock()
		defer mu.Unlock()
		got.WriteString(text)
	}
	res := s.Execute(context.Background(), Cell{Code: "go func() {\n\ttime.Sleep(100 * time.Millisecond)\n\tfmt.Println(\"late\")\n}()", Count: 1, Out: out})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		done := strings.Contains(got.String(), "late\n")
		mu.Unlock()
		if done {
			return
		}
	}
	t.Fatalf("output of a goroutine after its cell ended was lost: %q", got.String())
}

func TestInterruptBlockedChannel(t *testing.T) {
	s := newSession(t)
	o := runInterrupted(t, s, 1, "c := make(chan int)\nfmt.Println(\"started\")\n<-c")
	if o.res.Err == nil || o.res.Err.Name != "interrupted" {
		t.Fatalf("want interrupted, got %+v", o.res.Err)
	}
	if o = run(t, s, 2, "3"); o.value() != "3" {
		t.Fatalf("after interrupt: %+v", o.res)
	}
}

// TestOutputStreamsWhileTheCellRuns: the cell waits until its first line
// has reached Out, so it finishes only if output streams during the run.
func TestOutputStreamsWhileTheCellRuns(t *testing.T) {
	s := newSession(t)
	os.Unsetenv("GRADLAB_STREAM_SEEN")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := s.Execute(ctx, Cell{Code: "fmt.Println(\"first\")\nfor os.Getenv(\"GRADLAB_STREAM_SEEN\") == \"\" { time.Sleep(time.Millisecond) }\n\"done\"", Count: 1,
		Out: func(stream, text string) {
			if strings.Contains(text, "first") {
				os.Setenv("GRADLAB_STREAM_SEEN", "1")
			}
		}})
	if res.Err != nil || res.Value["text/plain"] != `"done"` {
		t.Fatalf("output did not stream while the cell ran: %+v", res.Err)
	}
}

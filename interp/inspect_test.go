package interp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "type MLP struct{ Hidden int; rate float64 }\nfunc (m *MLP) Forward(x float64) float64 { return x }\nmodel := &MLP{Hidden: 3}\nmyValue := 42\nfunc myFunc() {}")
	cases := []struct {
		code   string
		cursor int // -1: end
		want   []string
		start  int
	}{
		{"fmt.Pri", -1, []string{"Print", "Printf", "Println"}, 4},
		{"x := fmt.Sprin", -1, []string{"Sprint", "Sprintf", "Sprintln"}, 9},
		{"my", -1, []string{"myFunc", "myValue"}, 0},
		{"model.", -1, []string{"Forward", "Hidden", "rate"}, 6},
		{"model.Fo", -1, []string{"Forward"}, 6},
		{"strconv.Ato", -1, []string{"Atoi"}, 8},
		{"fun", -1, []string{"func"}, 0},
		{"// fmt.Pri", -1, nil, 10},
		{"é := 1; fmt.Pri", -1, []string{"Print", "Printf", "Println"}, 12},
		{"fmt.Pri(x)", 7, []string{"Print", "Printf", "Println"}, 4},
		{"%ti", -1, []string{"%time", "%timeit"}, 0},
		{"%%ti", -1, []string{"%%time", "%%timeit"}, 0},
	}
	for _, c := range cases {
		cur := c.cursor
		if cur < 0 {
			cur = len([]rune(c.code))
		}
		got, start, _ := s.Complete(c.code, cur)
		if strings.Join(got, ",") != strings.Join(c.want, ",") || start != c.start {
			t.Errorf("Complete(%q, %d) = %v from %d; want %v from %d", c.code, cur, got, start, c.want, c.start)
		}
	}
}

func TestInspectAndPager(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "// Area is the area of a rectangle.\nfunc Area(w, h float64) float64 { return w * h }\nsize := 7\ntype Box struct{ W int }")
	cases := []struct {
		code string
		want []string
	}{
		{"fmt.Println", []string{"func Println(a ...any) (n int, err error)", "Println formats"}},
		{"Area", []string{"func Area(w, h float64) float64", "Area is the area of a rectangle.", "cell[1]"}},
		{"size", []string{"var size int", "value: 7"}},
		{"strings", []string{"package strings"}},
		{"append", []string{"func append"}},
		{"Box", []string{"type Box struct{ W int }"}},
	}
	for _, c := range cases {
		d, ok := s.Inspect(c.code, len([]rune(c.code)), 0)
		text, _ := d["text/plain"].(string)
		for _, w := range c.want {
			if !ok || !strings.Contains(text, w) {
				t.Errorf("Inspect(%q) = %q, %v; want it to contain %q", c.code, text, ok, w)
			}
		}
	}
	run(t, s, 5, "tt := ag.Randn(2, 2)")
	if d, ok := s.Inspect("tt.Matmul", 9, 0); !ok || !strings.Contains(d["text/plain"].(string), "func (t *Tensor) Matmul(o *Tensor) *Tensor") {
		t.Errorf("Inspect of a tensor method: %v %v", d, ok)
	}
	if got, _, _ := s.Complete("tt.Matm", 7); strings.Join(got, ",") != "Matmul" {
		t.Errorf("Complete of a tensor method: %v", got)
	}
	if _, ok := s.Inspect("nothingHere", 5, 0); ok {
		t.Errorf("Inspect of an unknown name found something")
	}
	if d, ok := s.Inspect("Area(", 5, 0); !ok || !strings.Contains(d["text/plain"].(string), "func Area") {
		t.Errorf("Inspect after the paren: %v %v", d, ok)
	}
	for _, code := range []string{"fmt.Println?", "?fmt.Println"} {
		o := run(t, s, 2, code)
		if o.res.Err != nil || len(o.res.Payload) != 1 {
			t.Fatalf("%s: %+v", code, o.res)
		}
		p := o.res.Payload[0]
		data := p["data"].(map[string]any)
		if p["source"] != "page" || !strings.Contains(data["text/plain"].(string), "func Println") {
			t.Errorf("%s: payload %v", code, p)
		}
	}
	o := run(t, s, 3, "size?")
	if len(o.res.Payload) != 1 || !strings.Contains(o.res.Payload[0]["data"].(map[string]any)["text/plain"].(string), "value: 7") {
		t.Errorf("size?: %+v", o.res)
	}
	o = run(t, s, 4, "nope?")
	if o.res.Err == nil {
		t.Errorf("nope?: want an error")
	}
}

func TestIsComplete(t *testing.T) {
	s := newSession(t)
	cases := []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "\t"},
		{"for i := 0; i < 3; i++ {\n\tif i > 0 {", "incomplete", "\t\t"},
		{"fmt.Println(1,", "incomplete", "\t"},
		{"x := 1 +", "incomplete", "\t"},
		{"s := `raw", "incomplete", ""},
		{"x := )", "invalid", ""},
		{"}", "invalid", ""},
		{"%time x := 1", "complete", ""},
		{"", "complete", ""},
		{"x++", "complete", ""},
		{"s := \"abc", "invalid", ""},
		{"/* open comment", "incomplete", ""},
	}
	for _, c := range cases {
		st, in := s.IsComplete(c.code)
		if st != c.status || in != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, st, in, c.status, c.indent)
		}
	}
}

// TestCompleteWhileCellsRun completes and inspects from another goroutine
// while cells compile and run, as a kernel may do: the answers stay right
// (inspection may find nothing while a cell runs) and, under -race, no
// access races.
func TestCompleteWhileCellsRun(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "model := 1\ntype M struct{ A int }")
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if got, _, _ := s.Complete("mod", 3); !slices.Contains(got, "model") {
				t.Errorf("Complete(mod) while cells run: %v", got)
				return
			}
			s.Inspect("model", 5, 0)
			if st, _ := s.IsComplete("for {"); st != "incomplete" {
				t.Errorf("IsComplete(for {) while cells run: %s", st)
				return
			}
		}
	}()
	for i := 2; i < 40; i++ {
		run(t, s, i, "func f"+strconv.Itoa(i)+"() int { return model }\nv"+strconv.Itoa(i)+" := f"+strconv.Itoa(i)+"() + len(fmt.Sprint(M{}))")
	}
	close(stop)
	<-done
}

// Completion lists the cell's own names first, then packages, then Go's
// builtins and keywords (a learner typing in an argument list wants their
// variable, not the keyword), each with its kind for JupyterLab.
func TestCompletionsNearestScopeFirstWithKinds(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "printed := 3\nfunc process() {}\ntype Point struct{ X int }")
	got, start, _ := s.Completions("fmt.Println(p", 13)
	if start != 12 || len(got) < 6 {
		t.Fatalf("Completions in an argument list = %v from %d", got, start)
	}
	if want := []Completion{{"printed", "instance"}, {"process", "function"}}; fmt.Sprint(got[:2]) != fmt.Sprint(want) {
		t.Errorf("the cell's names come first: %v, want %v", got[:2], want)
	}
	// then packages (plt, path...), then the builtins, then keywords
	rank := map[string]int{"instance": 0, "function": 0, "module": 1, "keyword": 3}
	last := 0
	for i, c := range got[2:] {
		r := rank[c.Type]
		if c.Type == "function" {
			r = 2 // builtins: the cell's own functions were the first two
		}
		if r < last {
			t.Errorf("%v at %d comes after a farther scope: %v", c, i+2, got)
		}
		last = r
	}
	if !containsCompletion(got, Completion{"plt", "module"}) || !containsCompletion(got, Completion{"println", "function"}) || got[len(got)-1] != (Completion{"package", "keyword"}) {
		t.Errorf("want plt (module), println (function) and the keyword package last: %v", got)
	}
	if got, _, _ := s.Completions("Po", 2); fmt.Sprint(got) != fmt.Sprint([]Completion{{"Point", "class"}}) {
		t.Errorf("a cell's type completes as %v, want class", got)
	}
	got, _, _ = s.Completions("ag.ZerosL", 9)
	if fmt.Sprint(got) != fmt.Sprint([]Completion{{"ZerosLike", "function"}}) {
		t.Errorf("package members = %v, want ZerosLike, a function", got)
	}
	if got, _, _ := s.Completions("ag.Tens", 7); len(got) == 0 || got[0] != (Completion{"Tensor", "class"}) {
		t.Errorf("ag.Tens completes as %v, want Tensor first, a class", got)
	}
	if got, _, _ := s.Completions("mat", 3); !containsCompletion(got, Completion{"math", "module"}) || got[len(got)-1].Type != "module" {
		t.Errorf("mat completes as %v, want the packages math and mat", got)
	}
}

func containsCompletion(l []Completion, c Completion) bool {
	for _, x := range l {
		if x == c {
			return true
		}
	}
	return false
}

package nativecell

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// needToolchain skips a test that builds plugins where this machine cannot:
// the reason is Available's.
func needToolchain(t testing.TB) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("cells cannot be compiled here: %v", err)
	}
}

func newInterp(t testing.TB) *yinterp.Interpreter {
	t.Helper()
	in := yinterp.New(yinterp.Options{})
	if err := in.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	return in
}

// load compiles src and imports it into in as c.
func load(t testing.TB, in *yinterp.Interpreter, src string) *Unit {
	t.Helper()
	u, err := Compile(context.Background(), src, "cell[1]")
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Use(u.Exports); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval(`import c "` + u.Path + `"`); err != nil {
		t.Fatal(err)
	}
	return u
}

const cellSrc = `import "math"

const scale = 0.5

var calls int

// sum is a hot loop.
func sum(n int) float64 {
	calls++
	s := 0.0
	for i := 0; i < n; i++ {
		s += math.Sqrt(float64(i)) * scale
	}
	return s
}

type Acc struct{ S float64 }

func (a *Acc) Add(x float64) *Acc { a.S += x; return a }

func apply(xs []float64, f func(float64) float64) {
	for i, x := range xs {
		xs[i] = f(x)
	}
}

func Max[T int | float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}
`

func TestCompiledCellIsCallableFromInterpretedCode(t *testing.T) {
	needToolchain(t)
	in := newInterp(t)
	u := load(t, in, cellSrc)
	if got, want := strings.Join(u.Names, " "), "scale calls sum Acc apply"; got != want {
		t.Errorf("names handed over: %q, want %q", got, want)
	}
	if _, ok := u.Skipped["Max"]; !ok {
		t.Errorf("the generic Max should be reported as skipped: %v", u.Skipped)
	}
	want := 0.0
	for i := 0; i < 1000; i++ {
		want += sqrt(float64(i)) * 0.5
	}
	// Eval's value of a called func literal is unreliable: declare it.
	if _, err := in.Eval("func applied() float64 { xs := []float64{1, 2}; c.apply(xs, func(x float64) float64 { return x * 10 }); return xs[0] + xs[1] }"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		code string
		want any
	}{
		{"c.sum(1000)", want},
		{"c.calls", 1},                      // a compiled var, changed by compiled code
		{"c.scale * 4", 2.0},                // a const
		{"(&c.Acc{}).Add(2).Add(3).S", 5.0}, // a compiled type, its methods, chaining
		{"applied()", 30.0},                 // an interpreted closure called by compiled code
	}
	for _, c := range cases {
		v, err := in.Eval(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if got := v.Interface(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %v (%T), want %v (%T)", c.code, got, got, c.want, c.want)
		}
	}
	// The bindings give the names to interpreted code as its own.
	if _, err := in.Eval(u.Bindings("ᐧc1")); err != nil {
		t.Fatalf("%s: %v", u.Bindings("ᐧc1"), err)
	}
	if _, err := in.Eval("func viaBindings() float64 { a := &Acc{S: scale}; a.Add(sum(4)); return a.S }"); err != nil {
		t.Fatal(err)
	}
	if v, err := in.Eval("viaBindings()"); err != nil {
		t.Errorf("using the bindings: %v", err)
	} else if got, want := v.Interface(), 0.5+0.5*(1+sqrt(2)+sqrt(3)); got != want {
		t.Errorf("through the bindings: %v, want %v", got, want)
	}
	// Compiled again, the same source is the same unit (a plugin loads once).
	u2, err := Compile(context.Background(), cellSrc, "cell[1]")
	if err != nil || u2 != u {
		t.Errorf("compiling the same cell again: %v, same unit %v", err, u2 == u)
	}
}

// sqrt is math.Sqrt by Newton's method, so the expected value is computed
// independently of the compiled code.
func sqrt(x float64) float64 {
	if x == 0 {
		return 0
	}
	z := x
	for i := 0; i < 60; i++ {
		z -= (z*z - x) / (2 * z)
	}
	return z
}

func TestCompileErrorsSayWhatToWrite(t *testing.T) {
	needToolchain(t)
	cases := []struct{ src, want string }{
		{"x := 1\n", "takes imports and declarations only"},
		{"import \"github.com/gradlab/gradlab/autograd\"\nvar _ = autograd.New\n", `standard library only, not "github.com/gradlab/gradlab/autograd"`},
		{"func f() int {\n\treturn fromOtherCell + 1\n}\n", "cell[7]:2:9: undefined: fromOtherCell"},
		{"func f() int {\n\treturn fromOtherCell + 1\n}\n", "not names other cells defined"},
		{"func f() int { return 1 }\nfunc main() {}\n", ""}, // main is allowed, and not handed over
		{"func init() {}\n", "declares nothing the interpreter could use"},
	}
	for _, c := range cases {
		u, err := Compile(context.Background(), c.src, "cell[7]")
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.src, err)
			} else if _, ok := u.Skipped["main"]; !ok || len(u.Names) != 1 {
				t.Errorf("%q: names %v, skipped %v", c.src, u.Names, u.Skipped)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.src, err, c.want)
		}
	}
}

func TestCompileIsCancelled(t *testing.T) {
	needToolchain(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A source no earlier test built, so the build has to run.
	_, err := Compile(ctx, "func cancelled() int { return 42 }\n", "cell[9]")
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("a cancelled build returned %v", err)
	}
}

// The two workloads of issue 15, interpreted by yaegi and compiled: a
// float loop of 1e7 iterations, and 47 MB of bytes (Fashion-MNIST's
// training images) turned into float32 in [0,1].
const loopSrc = `func floatLoop(n int) float64 {
	s := 0.0
	for i := 0; i < n; i++ {
		s += float64(i) * 1e-7
	}
	return s
}

func bytesToFloat(b []byte) []float32 {
	out := make([]float32, len(b))
	for i, v := range b {
		out[i] = float32(v) / 255
	}
	return out
}
`

func BenchmarkFloatLoop1e7(b *testing.B) {
	bench(b, "floatLoop(10000000)", nil)
}

func BenchmarkBytesToFloat47MB(b *testing.B) {
	data := make([]byte, 60000*784)
	for i := range data {
		data[i] = byte(i * 7)
	}
	bench(b, "bytesToFloat(data)", data)
}

func bench(b *testing.B, call string, data []byte) {
	for _, mode := range []string{"interpreted", "compiled"} {
		b.Run(mode, func(b *testing.B) {
			in := newInterp(b)
			prefix := ""
			if mode == "compiled" {
				needToolchain(b)
				load(b, in, loopSrc)
				prefix = "c."
			} else if _, err := in.Eval(loopSrc); err != nil {
				b.Fatal(err)
			}
			if data != nil {
				if err := in.Use(yinterp.Exports{"benchdata/benchdata": {"Data": reflect.ValueOf(data)}}); err != nil {
					b.Fatal(err)
				}
				if _, err := in.Eval(`import "benchdata"; var data = benchdata.Data`); err != nil {
					b.Fatal(err)
				}
			}
			prog, err := in.Compile(prefix + call)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := in.Execute(prog); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestUnavailableIsRecognisable(t *testing.T) {
	err := Available()
	if err != nil && !errors.Is(err, ErrUnavailable) {
		t.Errorf("Available's error %v does not wrap ErrUnavailable", err)
	}
	if err == nil {
		// Compile errors of a cell are not unavailability.
		_, cerr := Compile(context.Background(), "x := 1\n", "cell[1]")
		if cerr == nil || errors.Is(cerr, ErrUnavailable) {
			t.Errorf("a statement cell: %v", cerr)
		}
	}
}

package interp

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMagics(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, "%%time\nx := 0\nfor i := 0; i < 1000; i++ { x += i }\nx")
	if o.value() != "499500" || !strings.Contains(o.stdout, "CPU times: user") || !strings.Contains(o.stdout, "Wall time:") {
		t.Errorf("%%%%time: %q %q %+v", o.stdout, o.value(), o.res.Err)
	}
	o = run(t, s, 2, "%time y := x * 2")
	if !strings.Contains(o.stdout, "Wall time:") || o.res.Err != nil {
		t.Errorf("%%time: %q %+v", o.stdout, o.res.Err)
	}
	if o = run(t, s, 3, "y"); o.value() != "999000" {
		t.Errorf("%%time line did not define y: %q", o.value())
	}
	o = run(t, s, 4, "%%timeit\nz := 0\nfor i := 0; i < 100; i++ { z += i }\nz")
	if !strings.Contains(o.stdout, "per loop (mean ± std. dev. of") || o.res.Err != nil || o.res.Value != nil {
		t.Errorf("%%%%timeit: %q %+v", o.stdout, o.res.Err)
	}
	o = run(t, s, 5, "%who")
	for _, n := range []string{"x", "y", "z"} {
		if !strings.Contains(o.stdout, n) {
			t.Errorf("%%who %q lacks %s", o.stdout, n)
		}
	}
	o = run(t, s, 6, "%env GRADLAB_TEST_VAR=hello")
	if os.Getenv("GRADLAB_TEST_VAR") != "hello" {
		t.Errorf("%%env did not set: %q", o.stdout)
	}
	if o = run(t, s, 7, "%env GRADLAB_TEST_VAR"); o.value() != `"hello"` {
		t.Errorf("%%env NAME: %q", o.value())
	}
	if o = run(t, s, 8, "os.Getenv(\"GRADLAB_TEST_VAR\")"); o.value() != `"hello"` {
		t.Errorf("os.Getenv after %%env: %q", o.value())
	}
	o = run(t, s, 9, "!echo from-shell")
	if o.stdout != "from-shell\n" || o.res.Err != nil {
		t.Errorf("!cmd: %q %+v", o.stdout, o.res.Err)
	}
	o = run(t, s, 10, "a := 2\n!echo mixed\nfmt.Println(a)")
	if o.stdout != "mixed\n2\n" || o.res.Err != nil {
		t.Errorf("!cmd inside Go: %q %+v", o.stdout, o.res.Err)
	}
	o = run(t, s, 101, "p, q := true, false\nif p &&\n\t!q {\n\tfmt.Println(\"go, not shell\")\n}\ns := `\n!not a command`\nlen(s)")
	if o.stdout != "go, not shell\n" || o.value() != "15" || o.res.Err != nil {
		t.Errorf("! continuing a Go line: %q %q %+v", o.stdout, o.value(), o.res.Err)
	}
	o = run(t, s, 11, "%%bash\necho one\necho two >&2")
	if o.stdout != "one\n" || o.stderr != "two\n" {
		t.Errorf("%%%%bash: %q %q", o.stdout, o.stderr)
	}
	o = run(t, s, 12, "%help")
	if !strings.Contains(o.stdout, "%%timeit") {
		t.Errorf("%%help: %q", o.stdout)
	}
	o = run(t, s, 13, "%reset")
	if o = run(t, s, 14, "x"); o.res.Err == nil || !strings.Contains(o.res.Err.Value, "undefined: x") {
		t.Errorf("after %%reset: %+v", o.res)
	}
	if o = run(t, s, 15, "x := \"fresh\"\nx"); o.value() != `"fresh"` {
		t.Errorf("after %%reset a new x: %+v", o.res)
	}
	o = run(t, s, 16, "%nosuchmagic")
	if o.res.Err == nil || o.res.Err.Name != "UsageError" {
		t.Errorf("unknown magic: %+v", o.res)
	}
}

// %time reports yaegi's compile time of the cell when it reaches IPython's
// threshold (0.1 s), as IPython's "Compiler :" line; the session counts it
// apart from the run time.
func TestTimeReportsCompiler(t *testing.T) {
	s := newSession(t)
	defer func(was time.Duration) { compilerTimeMin = was }(compilerTimeMin)
	compilerTimeMin = time.Hour
	o := run(t, s, 1, "%%time\nv := 1\nv + 1")
	if strings.Contains(o.stdout, "Compiler") || o.value() != "2" {
		t.Errorf("a fast compile is reported: %q", o.stdout)
	}
	compilerTimeMin = 0
	y0 := s.yaegi
	o = run(t, s, 2, "%%time\nfunc f(a int) int { return a * 2 }\nw := f(3)\nfor i := 0; i < 200000; i++ { w++ }\nw")
	if !regexp.MustCompile(`(?m)^Compiler : [0-9.]+ (ns|µs|ms|s)$`).MatchString(o.stdout) || o.value() != "200006" {
		t.Errorf("%%%%time with a zero threshold: %q, value %q", o.stdout, o.value())
	}
	if d := s.yaegi.compile - y0.compile; d <= 0 {
		t.Errorf("compile time not counted: %v", d)
	}
	// the loop runs in yaegi's Execute: its time is run time, not compile time
	if run, compile := s.yaegi.run-y0.run, s.yaegi.compile-y0.compile; run <= compile {
		t.Errorf("run time %v not above compile time %v for a 200000-step loop", run, compile)
	}
}

package interp

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCellsCannotEndKernel: typos and ordinary mistakes that used to
// overflow the Go stack (a fatal error, not a panic) come back as errors.
func TestCellsCannotEndKernel(t *testing.T) {
	runScenarios(t, []scenario{
		{"a parameter typed by its own func's name", []step{
			{code: "func A(x A) {}", err: "A is a func, not a type"},
			{code: "1 + 1", value: "2"},
		}},
		{"a parameter typed by its func's name, with a result", []step{
			{code: "func f(x f) int { return 0 }", err: "f is a func, not a type"},
			{code: "func f(x int) int { return x }\nf(3)", value: "3"},
		}},
		{"closures keep the top-level block variables they captured", []step{
			{code: "fs := []func() int{}\nfor i := 0; i < 3; i++ {\n\tk := i * 10\n\tfs = append(fs, func() int { return i + k })\n}"},
			{code: "s := make([]int, 1000)\nlen(s)", value: "1000"},
			{code: "fs[0]() + fs[1]() + fs[2]()", value: "33"},
		}},
		{"a variable defined again keeps its new value", []step{
			{code: "big := make([]float64, 1<<20)\nbig[0] = 1"},
			{code: "big := make([]float64, 10)\nbig[1] = 2"},
			{code: "len(big) + int(big[1])", value: "12"},
		}},
		{"unbounded recursion through a closure variable", []step{
			{code: "var g func(int) int\ng = func(n int) int { return g(n+1) + 1 }\ng(0)", err: "stack overflow"},
			{code: "1 + 1", value: "2"},
		}},
	})
}

// spinning starts a goroutine that sets the environment variable name to
// an ever larger count, and returns a func telling whether it still runs.
func spinning(t *testing.T, s *Session, count int, name string) func() bool {
	t.Helper()
	o := run(t, s, count, `import "strconv"
go func() {
	for n := 0; ; n++ {
		os.Setenv("`+name+`", strconv.Itoa(n))
		time.Sleep(time.Millisecond)
	}
}()`)
	if o.res.Err != nil {
		t.Fatalf("%s: %s", o.res.Err.Name, o.res.Err.Value)
	}
	return func() bool {
		a := os.Getenv(name)
		time.Sleep(100 * time.Millisecond)
		return os.Getenv(name) != a
	}
}

// TestInterruptWhileIdleStopsGoroutines: a goroutine a cell started stops
// on an interrupt that arrives between cells, and the session goes on.
func TestInterruptWhileIdleStopsGoroutines(t *testing.T) {
	s := newSession(t)
	runs := spinning(t, s, 1, "GRADLAB_TEST_SPIN_INTERRUPT")
	if !runs() {
		t.Fatal("the goroutine does not run")
	}
	s.Interrupt()
	if runs() {
		t.Fatal("the goroutine still runs after an interrupt while idle")
	}
	if o := run(t, s, 2, "1 + 1"); o.value() != "2" {
		t.Fatalf("after the interrupt: %+v", o.res)
	}
}

// TestResetStopsGoroutines: %reset stops the goroutines of the cells it forgets.
func TestResetStopsGoroutines(t *testing.T) {
	s := newSession(t)
	runs := spinning(t, s, 1, "GRADLAB_TEST_SPIN_RESET")
	if !runs() {
		t.Fatal("the goroutine does not run")
	}
	if o := run(t, s, 2, "%reset"); o.res.Err != nil {
		t.Fatal(o.res.Err.Value)
	}
	if runs() {
		t.Fatal("the goroutine still runs after %reset")
	}
}

// TestLateGoroutineOutputIsMarked: what a goroutine prints after its cell
// ended goes to the cell's stderr, after a line saying so.
func TestLateGoroutineOutputIsMarked(t *testing.T) {
	s := newSession(t)
	var mu sync.Mutex
	var stdout, stderr strings.Builder
	out := func(stream, text string) {
		mu.Lock()
		defer mu.Unlock()
		if stream == "stdout" {
			stdout.WriteString(text)
		} else {
			stderr.WriteString(text)
		}
	}
	// The goroutine prints once the test has seen the cell end, not after
	// a sleep: under load the cell's end can take longer than any sleep.
	os.Unsetenv("GRADLAB_LATE_CELL_ENDED")
	defer os.Unsetenv("GRADLAB_LATE_CELL_ENDED")
	res := s.Execute(context.Background(), Cell{Code: "fmt.Println(\"own\")\ngo func() {\n\tfor os.Getenv(\"GRADLAB_LATE_CELL_ENDED\") == \"\" {\n\t\ttime.Sleep(time.Millisecond)\n\t}\n\tfmt.Println(\"late\")\n}()", Count: 3, Out: out})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	os.Setenv("GRADLAB_LATE_CELL_ENDED", "1")
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		o, e := stdout.String(), stderr.String()
		mu.Unlock()
		if strings.Contains(e, "late\n") {
			if o != "own\n" || !strings.HasPrefix(e, "[output of a goroutine of cell[3], after the cell ended]\n") {
				t.Fatalf("stdout %q, stderr %q", o, e)
			}
			return
		}
	}
	t.Fatalf("the late output did not reach stderr: stdout %q, stderr %q", stdout.String(), stderr.String())
}

// TestPanicInCmdCancel: a panic in exec.Cmd's Cancel, which os/exec calls
// from a goroutine of its own, is reported instead of ending the process.
func TestPanicInCmdCancel(t *testing.T) {
	runScenarios(t, []scenario{
		{"exec.Cmd.Cancel panics", []step{
			{code: "import \"os/exec\"\nimport \"context\"\nctx, cancel := context.WithCancel(context.Background())\ncmd := exec.CommandContext(ctx, \"sleep\", \"0.3\")\ncmd.Cancel = func() error { panic(\"boom in Cancel\") }\ncmd.Start()\ncancel()\ncmd.Wait()\ntime.Sleep(100 * time.Millisecond)",
				err: "boom in Cancel"},
			{code: "1 + 1", value: "2"},
		}},
	})
}

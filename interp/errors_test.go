package interp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradlab/gradlab/autograd"
)

func TestErrorsAndPanics(t *testing.T) {
	runScenarios(t, []scenario{
		{"compile errors name the cell position", []step{
			{code: "x := 1\ny := x +* 2", err: "CompileError: cell[1]:2:"},
			{code: "\n\n   undefinedThing()", err: "CompileError: cell[2]:3:4: undefined: undefinedThing"},
			{code: "var s string = 1", err: "CompileError: cell[3]:1:16"},
			{code: "func f() int { return \"a\" }", err: "CompileError: cell[4]:1:23"},
			{code: "for {", err: "CompileError: cell[5]"},
			{code: "strconv.Itoa(3)", err: "CompileError: cell[6]:1:1: undefined: strconv (import \"strconv\" to use the package)"},
			{code: "1 + 1", value: "2"},
		}},
		{"index out of range", []step{
			{code: "xs := []int{1, 2, 3}\ni := 5\nxs[i]", err: "panic: runtime error: index out of range", tb: "cell[1]:3:1"},
			{code: "len(xs)", value: "3"},
		}},
		{"index out of range in a function", []step{
			{code: "func deep(xs []int) int { return xs[10] }\nfunc outer() int { return deep(nil) }", value: ""},
			{code: "outer()", err: "panic: runtime error: index out of range", tb: "cell[1]:1:34: in deep"},
		}},
		{"nil map", []step{
			{code: "var m map[string]int\nm[\"a\"] = 1", err: "panic: assignment to entry in nil map", tb: "cell[1]:2:1"},
		}},
		{"nil pointer", []step{
			{code: "type N struct{ V int }\nvar p *N\np.V", err: "panic: runtime error: invalid memory address or nil pointer dereference"},
		}},
		{"infinite recursion is a panic, not a crash", []step{
			{code: "func down(n int) int { return down(n+1) + 1 }\ndown(0)", err: "panic: stack overflow: more than 20000 nested calls of recursive functions (infinite recursion?)"},
			{code: "func even(n int) bool { if n == 0 { return true }; return odd(n - 1) }\nfunc odd(n int) bool { return even(n + 1) }\neven(3)", err: "stack overflow"},
			{code: "type Node struct{ Next *Node }\nfunc (n *Node) Len() int { return 1 + n.Len() }\n(&Node{}).Len()", err: "stack overflow"},
			{code: "type V2 struct{}\nfunc (v V2) R(n int) int { return v.R(n+1) + 1 }\nV2{}.R(0)", err: "stack overflow"}, // a type name ending in a digit
			{code: "func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }\nfib(20)", value: "6765"},
			{code: "func sum(n int) int { if n == 0 { return 0 }; return n + sum(n-1) }\nsum(2000)", value: "2001000"},
		}},
		{"recursion as deep as Go's own test programs go, stopped past 20000", []step{
			{code: "func sum(n int) int { if n == 0 { return 0 }; return n + sum(n-1) }\nsum(15000)", value: "112507500"},
			// As in Go, where a stack overflow is fatal, no recover keeps the cell going.
			{code: "func deep(n int) int { defer func() { recover() }(); return deep(n+1) + 1 }\ndeep(0)\nfmt.Println(\"went on\")", err: "panic: stack overflow: more than 20000 nested calls"},
			{code: "go func() { sum(-1) }()\nselect {}", err: "more than 20000 nested calls of recursive functions (infinite recursion?) (in a goroutine)"},
			// A goroutine that ends a cell's wait as it unwinds still has its overflow reported by the cell.
			{code: "done := make(chan bool)\ngo func() { defer close(done); sum(-1) }()\n<-done", err: "(in a goroutine)"},
			{code: "sum(100)", value: "5050"},
		}},
		{"recursion in a func that native code calls on its own goroutine stops at 3000", []step{
			{code: "import \"time\"\nfunc down(n int) int { return down(n+1) + 1 }\ntime.AfterFunc(time.Millisecond, func() { down(0) })\nselect {}", err: "more than 3000 nested calls of recursive functions (infinite recursion?) (in a func passed to time.AfterFunc)"},
			{code: "func sum(n int) int { if n == 0 { return 0 }; return n + sum(n-1) }\nsum(5000)", value: "12502500"},
		}},
		{"runtime.Goexit in a cell ends the cell with an error", []step{
			{code: "import \"runtime\"\nx := 1\nruntime.Goexit()\nx = 2", err: "runtime.Goexit: the cell's goroutine exited"},
			{code: "x", value: "1"},
		}},
		{"method call on a nil interface", []step{
			{code: "var m nn.Module\nm.Forward(nil)", err: "panic: runtime error: invalid memory address or nil pointer dereference"},
		}},
		{"division by zero", []step{
			{code: "z := 0\n1 / z", err: "panic: runtime error: integer divide by zero"},
			{code: "1 / 0", err: "CompileError: cell[2]:1:1: invalid operation: division by zero"},
		}},
		{"explicit panic", []step{
			{code: "panic(\"boom\")", err: "panic: boom", tb: "cell[1]:1:1"},
			{code: "panic(fmt.Errorf(\"wrapped %d\", 3))", err: "panic: wrapped 3"},
			{code: "1", value: "1"},
		}},
		{"goroutine panic is reported, not fatal", []step{
			{code: "done := make(chan bool)\ngo func() {\n\tdefer close(done)\n\tvar m map[int]int\n\tm[1] = 2\n}()\n<-done", err: "panic: assignment to entry in nil map (in a goroutine)"},
			{code: "func work(xs []int) { fmt.Println(xs[3]) }\ngo work([]int{1})\nselect {}", err: "panic: runtime error: index out of range (in a goroutine)"},
			{code: "func again() {\nL:\n\tgo func(n int) { panic(fmt.Sprint(\"labeled \", n)) }(1)\n\tif false {\n\t\tgoto L\n\t}\n}\nagain()\nselect {}", err: "panic: labeled 1 (in a goroutine)"},
			// A cell waiting for a worker that panicked stops with the panic,
			// as a Go program would, instead of waiting for ever.
			{code: "import \"sync\"\nvar wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n\tvar m map[string]int\n\tm[\"x\"]++\n\twg.Done()\n}()\nwg.Wait()", err: "panic: assignment to entry in nil map (in a goroutine)"},
			{code: "\"still alive\"", value: `"still alive"`},
			// A panic yaegi raises inside a call it makes through reflect
			// (here a func field) got past the goroutine's interpreted
			// recover and ended the process (Go's test/gcgort.go).
			// (The negation gcgort.go used no longer panics; a switch on an
			// interface with cases of two types still does, inside yaegi.)
			{code: "type mod struct{ flip func() }\nvar mods = []mod{{flip: func() {\n\tvar a any = \"x\"\n\tswitch a {\n\tcase 42:\n\tcase \"x\":\n\t}\n}}}\ngo func(m mod) {\n\tgo func() { m.flip() }()\n}(mods[0])\nselect {}", err: "cannot be converted to type int (in a goroutine)"},
			{code: "\"alive after yaegi's own panic\"", value: `"alive after yaegi's own panic"`},
		}},
		{"time.AfterFunc still works", []step{
			{code: "t := time.AfterFunc(time.Hour, func() {})\nt.Stop()", value: "true"},
			{code: "fired := make(chan int, 1)\ntime.AfterFunc(time.Millisecond, func() { fired <- 7 })\n<-fired", value: "7"},
		}},
		{"a panic in a func native code runs on a goroutine of its own is reported, not fatal", []step{
			{code: "time.AfterFunc(time.Millisecond, func() { panic(\"boom\") })\nselect {}", err: "panic: boom (in a func passed to time.AfterFunc)"},
			{code: "import \"context\"\nctx, cancel := context.WithCancel(context.Background())\ncontext.AfterFunc(ctx, func() { var m map[int]int; m[1] = 1 })\ncancel()\nselect {}", err: "panic: assignment to entry in nil map (in a func passed to context.AfterFunc)"},
			{code: "after := time.AfterFunc\nafter(time.Millisecond, func() { panic(\"through a variable\") })\nselect {}", err: "panic: through a variable (in a func passed to time.AfterFunc)"},
			{code: "func tick() { var xs []int; _ = xs[1] }\nstop := context.AfterFunc(ctx, tick)\nselect {}\nstop()", err: "index out of range (in a func passed to context.AfterFunc)"},
			{code: "time.AfterFunc(time.Millisecond, func() {\n\tsort.Slice([]int{2, 1}, func(i, j int) bool { panic(\"nested\") })\n})\nselect {}", err: "panic: nested (in a func passed to time.AfterFunc)"},
			{code: "import \"sync\"\ntime.AfterFunc(time.Millisecond, func() {\n\tonce := sync.OnceFunc(func() { panic(\"guard in guard\") })\n\tonce()\n})\nselect {}", err: "panic: guard in guard (in a func passed to time.AfterFunc)"},
			{code: "import \"testing\"\nr := testing.Benchmark(func(b *testing.B) { panic(\"bench\") })\nr.N", err: "panic: bench (in a func passed to testing.Benchmark)"},
			{code: "hookRuns := 0\ndisplay.OnCellEnd(func() {\n\thookRuns++\n\tif hookRuns == 1 { panic(\"hook\") }\n})\n5", value: "5", eout: "panic outside a cell's code: hook (in a func passed to display.OnCellEnd)"},
			{code: "import \"sync\"\nvar wg sync.WaitGroup\nwg.Go(func() { fmt.Println(\"in wg.Go\") })\nwg.Wait()", out: "in wg.Go\n"},
			{code: "wg.Go(func() { panic(\"in a WaitGroup\") })\nwg.Wait()", err: "panic: in a WaitGroup (in a func passed to wg.Go)"},
			{code: "import \"os\"\nvar pe *os.PathError // its Error method panics on nil\ntime.AfterFunc(time.Millisecond, func() { panic(pe) })\nselect {}", err: "panic: <nil> (in a func passed to time.AfterFunc)"},
			{code: "go func() { panic(pe) }()\nselect {}", err: "panic: <nil> (in a goroutine)"},
			{code: "panic(pe)", err: "panic: <nil>"},
			{code: "\"still alive\"", value: `"still alive"`},
		}},
		{"a panic in a func native code calls on the cell's goroutine stays the cell's panic", []step{
			{code: "sort.Slice([]int{2, 1}, func(i, j int) bool { panic(\"less\") })", err: "panic: less"},
			{code: "func try() (r any) {\n\tdefer func() { r = recover() }()\n\tsort.Slice([]int{2, 1}, func(i, j int) bool { panic(\"caught\") })\n\treturn nil\n}\ntry()", value: `"caught"`},
			{code: "ag.NoGrad(func() { panic(\"in NoGrad\") })", err: "panic: in NoGrad"},
			{code: "done := make(chan any)\ngo func() {\n\tdefer func() { done <- recover() }()\n\tstrings.Map(func(r rune) rune { panic(\"in a go statement\") }, \"x\")\n}()\n<-done", value: `"in a go statement"`},
			{code: "import \"sync\"\ndone2 := make(chan any)\ngo func() {\n\tdefer func() { done2 <- recover() }()\n\tsync.OnceFunc(func() { panic(\"guarded, in a go statement\") })()\n}()\n<-done2", value: `"guarded, in a go statement"`},
			{code: "func tryOnce() (r any) {\n\tdefer func() { r = recover() }()\n\tsync.OnceFunc(func() { panic(\"guarded, recovered\") })()\n\treturn nil\n}\ntryOnce()", value: `"guarded, recovered"`},
			{code: "strings.Map(func(r rune) rune { return r + 1 }, \"abc\")", value: `"bcd"`},
			{code: "type Runner struct{}\nfunc (Runner) Go(f func()) { f() }\nfunc tryGo() (r any) {\n\tdefer func() { r = recover() }()\n\tRunner{}.Go(func() { panic(\"in Runner.Go\") })\n\treturn nil\n}\ntryGo()", value: `"in Runner.Go"`},
			{code: "Runner{}.Go(func() { panic(\"uncaught\") })", err: "panic: uncaught"},
			{code: "import \"reflect\"\nmf := reflect.MakeFunc(reflect.TypeOf(func(int) int { return 0 }), func(a []reflect.Value) []reflect.Value {\n\treturn []reflect.Value{reflect.ValueOf(int(a[0].Int()) * 2)}\n})\nmf.Interface().(func(int) int)(21)", value: "42"},
			{code: "xs := []int{3, 1, 2}\nsort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })\nxs", value: "[1 2 3]"},
		}},
		{"go statement arguments are evaluated at once", []step{
			{code: "ch := make(chan int, 3)\nfor i := 0; i < 3; i++ {\n\tgo func(v int) { ch <- v }(i)\n}\ns := 0\nfor i := 0; i < 3; i++ { s += <-ch }\ns", value: "3"},
		}},
		{"a String method that panics on the value shown", []step{
			{code: "type PS struct{ n int }\nfunc (p *PS) String() string { return fmt.Sprint(p.n) }\nvar ps *PS\nps", value: "<nil>"},                             // as fmt prints a nil receiver,
			{code: "type PQ struct{}\nfunc (PQ) String() string { panic(\"bad\") }\nPQ{}", value: "stdlib._fmt_Stringer (String/MIMEBundle method panicked: bad)"}, // yaegi hands Show its Stringer wrapper
		}},
		{"log.Fatal does not exit", []step{
			{code: "import \"log\"\nlog.Fatal(\"fatal!\")", err: "panic: fatal!"},
		}},
		{"os.Exit does not exit", []step{
			{code: "os.Exit(3)", err: "os.Exit(3)"},
		}},
	})
}

func TestSyntaxAndBuiltins(t *testing.T) {
	runScenarios(t, []scenario{
		{"range over int", []step{
			{code: "for i := range 3 { fmt.Print(i) }", out: "012"},
			{code: "n := 4\ns := 0\nfor i := range n { s += i }\ns", value: "6"},
			{code: "for range 2 { fmt.Print(\"x\") }", out: "xx"},
			{code: "func sum(k int) int { t := 0; for i := range k { t += i }; return t }\nsum(5)", value: "10"},
			{code: "var total int64\nfor i := range int64(3) { total += i }\ntotal", value: "3"},
			{code: "xs := []string{\"a\", \"b\"}\nfor i := range xs { fmt.Print(i) }", out: "01"},
			{code: "outer:\nfor i := range 3 {\n\tfor j := range 3 {\n\t\tif j == 1 { continue outer }\n\t\tif i == 2 { break outer }\n\t\tfmt.Printf(\"%d%d \", i, j)\n\t}\n}", out: "00 10 "},
		}},
		{"range over ints the session knows from earlier cells", []step{
			{code: "type Cfg struct{ N int }\ncfg := Cfg{3}\nfunc epochs() int { return 2 }\nds := ag.Zeros(4)", value: ""},
			{code: "for i := range cfg.N { fmt.Print(i) }", out: "012"},
			{code: "for i := range epochs() { fmt.Print(i) }", out: "01"},
			{code: "for i := range ds.Numel() { fmt.Print(i) }", out: "0123"},
			{code: "func steps() int { return 3 }\nfor i := range steps() { fmt.Print(i) }", out: "012"},
		}},
		{"range over an int the session cannot see is a clear error", []step{
			{code: "xs := []int{4}\nfor i := range xs[0] { fmt.Print(i) }", err: "for i := 0; i < n; i++"},
		}},
		{"range over func", []step{
			{code: "func count(n int) func(func(int) bool) {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) { return }\n\t\t}\n\t}\n}\nfor v := range count(3) { fmt.Print(v) }", out: "012"},
			{code: "for v := range count(10) {\n\tif v == 1 { continue }\n\tif v == 4 { break }\n\tfor j := 0; j < 2; j++ { if j == 1 { break } }\n\tswitch v { case 2: break }\n\tfmt.Print(v)\n}", out: "023"},
			{code: "func pairs() func(func(string, int) bool) {\n\treturn func(yield func(string, int) bool) { yield(\"a\", 1); yield(\"b\", 2) }\n}\nfor k, v := range pairs() { fmt.Print(k, v, \" \") }", out: "a1 b2 "},
			{code: "seq := count(2)\nfor range seq { fmt.Print(\"x\") }", out: "xx"},
			{code: "func firstBig(xs []int) int {\n\tfor v := range count(5) {\n\t\tif v > 2 { return v }\n\t}\n\treturn -1\n}\nfirstBig(nil)", err: "seq(func(v T) bool"},
		}},
		{"min, max, clear", []step{
			{code: "min(3, 1, 2)", value: "1"},
			{code: "x := 2.5\nmax(x, 1)", value: "2.5"},
			{code: "min(\"b\", \"a\")", value: `"a"`},
			{code: "m := map[string]int{\"a\": 1}\nclear(m)\nlen(m)", value: "0"},
			{code: "s := []int{1, 2}\nclear(s)\ns", value: "[0 0]"},
			{code: "func min(a, b int) int { return 42 }\nmin(1, 2)", value: "42"},
		}},
		{"a whole program pasted into a cell", []step{
			{code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello\")\n}", out: "hello\n"},
		}},
	})
}

func TestInterruptInterpreted(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "n := 0")
	o := runInterrupted(t, s, 2, "fmt.Println(\"started\")\nfor { n++ }")
	if o.res.Err == nil || o.res.Err.Name != "interrupted" {
		t.Fatalf("want interrupted, got %+v", o.res.Err)
	}
	o = run(t, s, 3, "n > 0")
	if o.value() != "true" {
		t.Fatalf("session lost its variables: %+v %q", o.res.Err, o.value())
	}
}

func TestInputFromFrontend(t *testing.T) {
	s := newSession(t)
	var prompts int
	input := func(prompt string, password bool) (string, error) {
		prompts++
		return "Ada Lovelace", nil
	}
	o := runCtx(context.Background(), t, s, 1, "var first, last string\nfmt.Print(\"Name: \")\nfmt.Scanln(&first, &last)\nlast", input)
	if o.res.Err != nil || o.value() != `"Lovelace"` || o.stdout != "Name: " {
		t.Fatalf("Scanln: %+v %q %q", o.res.Err, o.value(), o.stdout)
	}
	o = runCtx(context.Background(), t, s, 2, "import \"bufio\"\nr := bufio.NewReader(os.Stdin)\nline, _ := r.ReadString('\\n')\nline", input)
	if o.res.Err != nil || o.value() != `"Ada Lovelace\n"` {
		t.Fatalf("bufio: %+v %q", o.res.Err, o.value())
	}
	if prompts != 2 {
		t.Fatalf("want 2 input requests, got %d", prompts)
	}
	o = run(t, s, 3, "_, err := fmt.Scanln(&first)\nerr")
	if !strings.Contains(o.value(), "standard input is not available") {
		t.Fatalf("without Input: %+v %q", o.res.Err, o.value())
	}
	_ = errors.New
}

func TestMillionLines(t *testing.T) {
	s := newSession(t)
	var chunks, lines int
	var last string
	var sb strings.Builder
	res := s.Execute(context.Background(), Cell{Code: "for i := 0; i < 1000000; i++ { fmt.Println(i) }", Count: 1, Out: func(stream, text string) {
		chunks++
		sb.WriteString(text)
	}})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	out := sb.String()
	lines = strings.Count(out, "\n")
	if i := strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n"); i >= 0 {
		last = out[i+1:]
	}
	if lines != 1000000 || last != "999999\n" || !strings.HasPrefix(out, "0\n1\n2\n") {
		t.Fatalf("got %d lines, last %q", lines, last)
	}
	if chunks > 1000 {
		t.Fatalf("output not batched: %d chunks for 1e6 lines", chunks)
	}
}

func TestOutputOfEveryKindReachesTheCell(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, `import "log"
fmt.Println("fmt")
fmt.Fprintln(os.Stdout, "fprintln")
os.Stdout.WriteString("write\n")
println("builtin")
log.SetFlags(0)
log.Println("logged")
fmt.Fprintln(os.Stderr, "to stderr")
done := make(chan bool)
go func() { fmt.Println("goroutine"); done <- true }()
<-done`)
	if o.res.Err != nil {
		t.Fatal(o.res.Err)
	}
	for _, want := range []string{"fmt\n", "fprintln\n", "write\n", "goroutine\n"} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("stdout %q lacks %q", o.stdout, want)
		}
	}
	for _, want := range []string{"logged\n", "to stderr\n"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr %q lacks %q", o.stderr, want)
		}
	}
	if !strings.Contains(o.stdout+o.stderr, "builtin\n") {
		t.Errorf("println output lost")
	}
}

func TestInterruptNative(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "a := ag.Randn(3000, 3000)\nkeep := 1")
	// Dozens of seconds of matrix products in native code, unless stopped.
	o := runInterrupted(t, s, 2, "fmt.Println(\"started\")\nfor i := 0; i < 100; i++ { a = a.Matmul(a) }")
	if o.res.Err == nil || o.res.Err.Name != "interrupted" {
		t.Fatalf("want interrupted, got %+v", o.res.Err)
	}
	// The next cell runs, with the session's variables.
	if o = run(t, s, 3, "keep + 1"); o.value() != "2" {
		t.Fatalf("after interrupt: %+v %q", o.res.Err, o.value())
	}
	// The running cell's context reaches autograd, so that native loops
	// (matrix product chunks, DataLoader, training helpers) stop at their
	// next check, even when yaegi has already returned.
	o = runInterrupted(t, s, 4, "b := ag.Randn(1000, 1000)\nfmt.Println(\"started\")\nfor { b = b.Matmul(b).Tanh() }")
	if o.res.Err == nil || o.res.Err.Name != "interrupted" {
		t.Fatalf("want interrupted, got %+v", o.res.Err)
	}
	func() {
		defer func() {
			r := recover()
			err, _ := r.(error)
			if !errors.Is(err, autograd.ErrInterrupted) {
				t.Errorf("after an interrupt, native checks must see the cancelled context; recovered %v", r)
			}
		}()
		autograd.CheckInterrupt("test")
	}()
	// A cell that ends normally leaves no cancelled context behind.
	run(t, s, 5, "1")
	autograd.CheckInterrupt("test")
}

// TestAfterFuncPanic: a panic in a callback that native code runs on its
// own goroutine is reported (as the cell's error, or on stderr once the
// cell ended), and the process lives on.
func TestAfterFuncPanic(t *testing.T) {
	s := newSession(t)
	var mu sync.Mutex
	var errs strings.Builder
	res := s.Execute(context.Background(), Cell{Code: "time.AfterFunc(time.Millisecond, func() {\n\tvar xs []int\n\t_ = xs[3]\n})", Count: 1,
		Out: func(stream, text string) {
			mu.Lock()
			defer mu.Unlock()
			if stream == "stderr" {
				errs.WriteString(text)
			}
		}})
	const want = "index out of range (in a func passed to time.AfterFunc)"
	if res.Err != nil && strings.Contains(res.Err.Value, want) {
		return
	}
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		got := errs.String()
		mu.Unlock()
		if strings.Contains(got, want) {
			return
		}
	}
	t.Fatalf("the callback's panic was not reported: %+v, stderr %q", res.Err, errs.String())
}

// TestStoredClosureAfterInterrupt: an interpreted closure that native code
// keeps (a cell-end hook) still works after an interrupt.
func TestStoredClosureAfterInterrupt(t *testing.T) {
	s := newSession(t)
	run(t, s, 1, "calls := 0\ndisplay.OnCellEnd(func() { calls++ })")
	if o := runInterrupted(t, s, 2, "fmt.Println(\"started\")\nfor {}"); o.res.Err == nil || o.res.Err.Name != "interrupted" {
		t.Fatalf("want interrupted, got %+v", o.res.Err)
	}
	before := run(t, s, 3, "calls").value()
	after := run(t, s, 4, "calls").value()
	if before == "" || before == after {
		t.Fatalf("the stored closure stopped working after the interrupt: calls %q then %q", before, after)
	}
}

// TestInterruptIsKnownByIdentity: a panic is an interrupt when its error
// wraps a cancelled context or a preloaded package's ErrInterrupted, not
// when its text happens to say "interrupted".
func TestInterruptIsKnownByIdentity(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("Matmul: %w", autograd.ErrInterrupted), true},
		{fmt.Errorf("wait: %w", context.Canceled), true},
		{errors.New("the upload was interrupted"), false},
	} {
		if got := isInterrupt(c.err); got != c.want {
			t.Errorf("isInterrupt(%q) = %v, want %v", c.err, got, c.want)
		}
	}
}

// TestGoroutinePanicReportedAfterItsDefers: a goroutine that panics lets
// the cell end from one of its deferred calls (close(done)) and takes its
// time in another before the panic reaches the session: the cell still
// reports the panic, not standard error.
func TestGoroutinePanicReportedAfterItsDefers(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, "done := make(chan bool)\ngo func() {\n\tdefer time.Sleep(300 * time.Millisecond)\n\tdefer close(done)\n\tvar m map[int]int\n\tm[1] = 2\n}()\n<-done")
	if o.res.Err == nil || !strings.Contains(o.res.Err.Value, "assignment to entry in nil map (in a goroutine)") {
		t.Fatalf("want the goroutine's panic as the cell's error, got %+v (stderr %q)", o.res.Err, o.stderr)
	}
	// A goroutine that keeps running does not hold the next cell's end.
	o = run(t, s, 2, "stop := make(chan bool)\ngo func() { <-stop }()\n1")
	if o.value() != "1" || o.res.Err != nil {
		t.Fatalf("%q %+v", o.value(), o.res.Err)
	}
	run(t, s, 3, "close(stop)")
}

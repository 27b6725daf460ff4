package rewrite

// rewriteCases are the rewrites' specification: each yaegi workaround,
// before and after.
var rewriteCases = []rewriteCase{
	// Renames (File): package-level names only.
	{name: "a redefined type gets its internal name where it is declared and used", decls: true,
		facts: Facts{Rename: map[string]string{"T": "Tᐧ2"}},
		in: `type T struct{ T int }

func mk(n int) *T { return &T{T: n} }

func (t T) Get() int { return t.T }`,
		out: `type Tᐧ2 struct{ T int }

func mk(n int) *Tᐧ2 { return &Tᐧ2{T: n} }

func (t Tᐧ2) Get() int { return t.T }`},
	{name: "locals, parameters and type parameters keep the names a session name has", decls: true,
		facts: Facts{Rename: map[string]string{"T": "Tᐧ2"}},
		in: `func f(T int) int { return T }

func g[T any](x T) T { return x }

func h() int {
	T := 1
	return T
}`,
		out: `func f(T int) int { return T }

func g[T any](x T) T { return x }

func h() int {
	T := 1
	return T
}`},
	{name: "a name used before a local of that name is declared is still the session's",
		facts: Facts{Rename: map[string]string{"T": "Tᐧ2"}},
		in: `f := func() T { return T{} }
T := 3
_, _ = f, T`,
		out: `f := func() Tᐧ2 { return Tᐧ2{} }
T := 3
_, _ = f, T`},
	{name: "the builtins yaegi lacks become the bootstrap's, unless a local has the name",
		in: `a := min(1, 2)
b := max(a, 3)
m := map[int]int{1: 1}
clear(m)
f := func(min int) int { return min }
_, _ = b, f`,
		out: `a := ᐧmin(1, 2)
b := ᐧmax(a, 3)
m := map[int]int{1: 1}
ᐧclear(m)
f := func(min int) int { return min }
_, _ = b, f`},
	{name: "a cell's func main gets its internal name", decls: true,
		facts: Facts{Rename: map[string]string{"main": Main}},
		in:    `func main() { main() }`,
		out:   `func ᐧmain() { ᐧmain() }`},
	{name: "os.Stdin reads from the frontend, unless os is a cell's own",
		in:  `s := bufio.NewScanner(os.Stdin)`,
		out: `s := bufio.NewScanner(ᐧs.Stdin)`},
	{name: "os.Stdin of a cell's own os stays",
		facts: Facts{OSShadowed: true},
		in:    `s := bufio.NewScanner(os.Stdin)`,
		out:   `s := bufio.NewScanner(os.Stdin)`},

	// rangeInt and rangeFunc.
	{name: "range over an integer literal", decls: true,
		in: `func f() {
	for i := range 3 {
		println(i)
	}
}`,
		out: `func f() {
	{
		ᐧn := 3
		for i := ᐧn - ᐧn; i < ᐧn; i++ {
			ᐧprintln(i)
		}
	}
}`},
	{name: "range over an integer the facts know, without a key", decls: true,
		facts: Facts{Ints: map[string]bool{"n": true}},
		in: `func f() {
	for range n {
	}
}`,
		out: `func f() {
	{
		ᐧn := n
		for ᐧi := ᐧn - ᐧn; ᐧi < ᐧn; ᐧi++ {
		}
	}
}`},
	{name: "range over a slice is left alone", decls: true,
		in: `func f(xs []int) {
	for i := range xs {
		println(i)
	}
}`,
		out: `func f(xs []int) {
	for i := range xs {
		ᐧprintln(i)
	}
}`},
	{name: "range over a function iterator whose type is known", decls: true,
		facts: Facts{FuncTypes: map[string]string{"seq": "func(yield func(int) bool)"}},
		in: `func f() {
	for v := range seq {
		if v > 2 {
			break
		}
		for {
			break
		}
		println(v)
	}
}`,
		out: `func f() {
	seq(func(v int) bool {
		if v > 2 {
			return false
		}
		for {
			break
		}
		ᐧprintln(v)
		return true
	})
}`},

	// goRecover and guardGoMethods.
	{name: "a goroutine reports its panic; its arguments are evaluated by the go statement", decls: true,
		in: `func f(a, b int) {
	go work(a, b+1)
}`,
		out: `func f(a, b int) {
	{
		ᐧa0, ᐧa1 := a, b+1
		ᐧs.GoStart()
		go func() {
			ᐧs.GoRun(func() {
				defer func() {
					if ᐧr := recover(); ᐧr != nil {
						ᐧs.GoPanic(ᐧr)
					}
				}()
				work(ᐧa0, ᐧa1)
			})
		}()
	}
}`},
	{name: "a func() literal passed to a method named Go is guarded", decls: true,
		in: `func f(wg *sync.WaitGroup) {
	wg.Go(func() { work() })
}`,
		out: `func f(wg *sync.WaitGroup) {
	wg.Go(ᐧs.Guard("wg.Go", func() { work() }))
}`},

	// guardRecursion.
	{name: "a recursive function and method count their frames", decls: true,
		facts: Facts{Recursive: map[string]bool{"fact": true, "T.Walk": true}},
		in: `func fact(n int) int {
	if n == 0 {
		return 1
	}
	return n * fact(n-1)
}

func (t *T) Walk() { t.Walk() }

func other() {}`,
		out: `func fact(n int) int {
	defer ᐧs.Leave(ᐧs.Enter())
	if n == 0 {
		return 1
	}
	return n * fact(n-1)
}

func (t *T) Walk() {
	defer ᐧs.Leave(ᐧs.Enter())
	t.Walk()
}

func other() {}`},

	// perIterationLoopVars.
	{name: "a loop whose body makes closures gets per-iteration variables", decls: true,
		in: `func f() (fs []func() int) {
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	for _, v := range []int{1} {
		fs = append(fs, func() int { return v })
	}
	for j := 0; j < 3; j++ {
		println(j)
	}
	return fs
}`,
		out: `func f() (fs []func() int) {
	for i := 0; i < 3; i++ {
		i := i
		fs = append(fs, func() int { return i })
	}
	for _, v := range []int{1} {
		v := v
		fs = append(fs, func() int { return v })
	}
	for j := 0; j < 3; j++ {
		ᐧprintln(j)
	}
	return fs
}`},

	// typeSwitchesToAssertions.
	{name: "a type switch naming a cell's type becomes assertions", decls: true,
		facts: Facts{SessionTypes: map[string]bool{"T": true}},
		in: `func f(x any) {
	switch v := x.(type) {
	case *T:
		use(v)
	case int, string:
		show(v)
	default:
		other(v)
	}
}`,
		out: `func f(x any) {
	switch {
	default:
		ᐧx := x
		if v, ᐧok := ᐧx.(*T); ᐧok {
			use(v)
		} else if func() bool { _, ᐧok := ᐧx.(int); return ᐧok }() || func() bool { _, ᐧok := ᐧx.(string); return ᐧok }() {
			v := ᐧx
			show(v)
		} else {
			v := ᐧx
			other(v)
		}
	}
}`},
	{name: "a type switch on native types only is left alone", decls: true,
		facts: Facts{SessionTypes: map[string]bool{"T": true}},
		in: `func f(x any) {
	switch x.(type) {
	case int:
	}
}`,
		out: `func f(x any) {
	switch x.(type) {
	case int:
	}
}`},

	// TopLevel: comma-ok, function scope, typed index.
	{name: "a top-level comma-ok of a map of known type is declared first",
		facts: Facts{VarTypes: map[string]string{"m": "map[string]int"}},
		in:    `v, ok := m["a"]`,
		out: `var v int
var ok bool
func() { v, ok = m["a"] }()`},
	{name: "a top-level type assertion with comma-ok",
		in: `s, ok := x.(fmt.Stringer)`,
		out: `var s fmt.Stringer
var ok bool
func() { s, ok = x.(fmt.Stringer) }()`},
	{name: "a top-level comma-ok of a map of unknown type is refused with the way out",
		in:  `v, ok := m["a"]`,
		err: "declare them first (var v T; var ok bool)"},
	{name: "a top-level loop that defines variables runs in a function",
		in: `for i := 0; i < 2; i++ {
	x, y := i, i
	_, _ = x, y
}
for i = 0; i < 2; i++ {
}`,
		out: `func() {
	for i := 0; i < 2; i++ {
		x, y := i, i
		_, _ = x, y
	}
}()
for i = 0; i < 2; i++ {
}`},
	{name: "an index operand whose type native code fixed is converted to it",
		facts: Facts{Operands: map[string]string{"grid": "[]*ag.Tensor", "arr": "[3]int"}},
		in: `XX := grid[0]
s := arr[1:]
f := func() int { return len(grid[1:]) }`,
		out: `XX := ([]*ag.Tensor)(grid)[0]
s := arr[1:]
f := func() int { return len(grid[1:]) }`},

	// ShowLast.
	{name: "the last expression is shown through a variable",
		show: ShowAssign,
		in: `x := 2
x * 3`,
		out: `x := 2
{
	ᐧv := x * 3
	ᐧs.Show(ᐧv)
}`},
	{name: "a call with several values is shown directly",
		show: ShowDirect,
		in:   `f()`,
		out:  `ᐧs.Show(f())`},
	{name: "a statement that is not an expression is not shown",
		show: ShowAssign,
		in:   `x := 2`,
		out:  `x := 2`},
}

package interp

import "testing"

// TestGoSemantics has one scenario per construct of valid Go that Go's own
// test programs (bench/gotests, issue 15) showed a cell did not run as Go
// does: what the code is, and what compiled Go prints for it.
func TestGoSemantics(t *testing.T) {
	runScenarios(t, []scenario{
		{"a cell's type named T, as the bootstrap's min/max type parameter (was: nil reflect type)", []step{
			{code: "type T chan uint64\nfunc mk() T { return make(T, 3) }\nfmt.Println(cap(mk()), min(2, 1))", out: "3 1\n"},
		}},
		{"method expressions, called and as values, of cell types and interfaces (was: too many arguments, reflect.Set panics)", []step{
			{code: "type Vec struct{ X, Y float64 }\nfunc (v Vec) Scale(k float64) Vec { return Vec{v.X * k, v.Y * k} }\nfunc (v *Vec) Add(w Vec) { v.X += w.X; v.Y += w.Y }\ntype Shape interface{ Area() float64 }\ntype Sq float64\nfunc (s Sq) Area() float64 { return float64(s * s) }"},
			{code: "v := Vec{1, 2}\n(*Vec).Add(&v, Vec{1, 1})\nfmt.Println(Vec.Scale(v, 2), Shape.Area(Sq(3)))", out: "{4 6} 9\n"},
			{code: "scale, area := Vec.Scale, Shape.Area\nadd := (*Vec).Add\nadd(&v, v)\nfmt.Println(scale(v, 0.5), area(Sq(2)))", out: "{2 3} 4\n"},
		}},
		{"a deferred call's arguments are the values at the defer (was: the values at the function's end)", []step{
			{code: `var trail []int
func note(i int) { trail = append(trail, i) }
func order() {
	for i := 0; i < 3; i++ {
		defer note(i)
	}
	n := 10
	defer note(n)
	n = 20
}
order()
fmt.Println(trail)`, out: "[10 2 1 0]\n"},
		}},
		{"new(expr) of Go 1.26: a pointer to a new variable holding the value (was: undefined type)", []step{
			{code: "type Opt struct{ Name *string; N *int }\nvar def = new(7)\nx := 2\no := Opt{Name: new(\"a\"), N: new(x * 10)}\nx = 5\nfmt.Println(*o.Name, *o.N, *def, *new(x > 3), *new(true))", out: "a 20 7 true true\n"},
		}},
		{"a select case may receive in parentheses (was: unsupported assign expression)", []step{
			{code: "ch := make(chan int, 1)\nch <- 4\nselect {\ncase v, ok := (<-ch):\n\tfmt.Println(v, ok)\n}", out: "4 true\n"},
		}},
		{"range over a conversion to a cell's integer type, and over a rune (was: cannot compile)", []step{
			{code: "type Level int\nn := 0\nfor i := range Level(3) {\n\tn += int(i)\n}\nfor r := range 'c' {\n\tif r == 'b' {\n\t\tfmt.Printf(\"%T %c \", r, r)\n\t}\n}\nfmt.Println(n)", out: "int32 b 3\n"},
		}},
		{"unsafe.Slice and unsafe.SliceData, generic in Go (was: unsafe has no symbol Slice)", []step{
			{code: "import \"unsafe\"\na := [4]int16{1, 2, 3, 4}\ns := unsafe.Slice(&a[1], uint8(2))\ns[0] = 9\nb := []byte(\"hey\")\np := unsafe.SliceData(b)\nfmt.Println(s, a, string(unsafe.Slice(unsafe.StringData(\"abc\"), 2)), *p, unsafe.Slice((*int)(nil), 0) == nil)", out: "[9 3] [1 9 3 4] ab 104 true\n"},
			{code: "var n = -1\n_ = unsafe.Slice(&a[0], n)", err: "len out of range"},
		}},
		{"syscall.Kill with a harmless signal to the kernel's own process (was: syscall has no symbol Kill)", []step{
			{code: "import \"syscall\"\nfmt.Println(syscall.Kill(syscall.Getpid(), syscall.SIGCHLD), syscall.Kill(syscall.Getpid(), syscall.SIGTERM))", out: "<nil> operation not permitted\n"},
		}},
		{"an assignment of several values, one a call, receive or composite literal, sets every variable (was: the others kept their old values); a returned receive (was: reflect.Value.Set using unaddressable value), one assigned to an element or a field (was: lost)", []step{
			{code: `type P struct{ X int }
func twice(u uint32) uint32 { return 2 * u }
var a uint32 = 7
var want, got uint32
want, got = a+1, twice(a)
ch := make(chan int, 1)
ch <- 5
x, y := a, P{2}
v, r := 3, <-ch
var g1, g2 = "g", P{4}
fmt.Println(want, got, x, y, v, r, g1, g2)`, out: "8 14 7 {2} 3 5 g {4}\n"},
			{code: "type Q chan int\nfunc (q Q) Recv() int { return <-q }\nq := make(Q, 3)\nq <- 6\nq <- 7\nq <- 8\nxs := make([]int, 2)\nxs[1] = <-q\nvar pt P\npt.X = <-q\nfmt.Println(q.Recv(), xs, pt)", out: "8 [0 6] {7}\n"},
		}},
		{"select cases: break and continue of the loop, a plain break in an if, assigning what a case receives, an untyped constant sent, a case's variable in a loop (were: only the select was left, the loop was left, invalid Dir, int not assignable to int32, one variable for all iterations)", []step{
			{code: `c := make(chan int32, 1)
tries := 0
Send:
for {
	tries++
	select {
	case c <- 7:
		break Send
	default:
		if tries > 3 {
			panic("the loop was not left")
		}
	}
}
var got struct{ v int32 }
var ok bool
select {
case got.v, ok = <-c:
}
var trail []int
for i := 0; i < 3; i++ {
	c <- int32(i)
	select {
	case v := <-c:
		if v == 1 {
			break
		}
		trail = append(trail, int(v))
	}
}
fmt.Println(tries, got.v, ok, trail)`, out: "1 7 true [0 2]\n"},
			{code: "var ps []*int32\nfor i := 0; i < 2; i++ {\n\tc <- int32(i)\n\tselect {\n\tcase v := <-c:\n\t\tps = append(ps, &v)\n\t}\n}\nfmt.Println(*ps[0], *ps[1])", out: "0 1\n"},
		}},
		{"an untyped constant shifted by a variable takes its context's type (was: call of reflect.Value.SetUint on int Value)", []step{
			{code: "s := 3\nvar u uint64 = 1 << s\nu |= 1 << uint(s+1)\nx := 1\nfmt.Println(u, x<<(1<<x))", out: "24 4\n"},
		}},
		{"a range statement assigning an existing variable leaves it and its closures the last value (was: 0, and 2 in the closure)", []step{
			{code: "var g func() int\nvar i int\nfor i = range [2]int{} {\n\tif i == 0 {\n\t\tg = func() int { return i }\n\t}\n}\nfmt.Println(i, g())", out: "1 1\n"},
		}},
		{"&p[i] of a pointer to an array (was: cannot take address of int)", []step{
			{code: "var arr *[4]int = new([4]int)\nfunc at(i int) *int { return &arr[i] }\n*at(2) = 5\nfmt.Println(*arr)", out: "[0 0 5 0]\n"},
			{code: "func second() bool { p := new([2]int); q := &p[1]; *q = 3; return p[1] == 3 && q == &(*p)[1] }\nfmt.Println(second())", out: "true\n"},
		}},
		{"a range over a slice of channels with a value variable (was: call of reflect.Value.Len on int Value)", []step{
			{code: "func fill(chans []chan int) int {\n\tn := 0\n\tfor i, c := range chans {\n\t\tc <- i\n\t\tn += cap(c)\n\t}\n\treturn n\n}\ncs := []chan int{make(chan int, 1), make(chan int, 2)}\nfmt.Println(fill(cs), <-cs[1])", out: "3 1\n"},
		}},
		{"constants with iota, comparisons and string(iota + 'a') (were: false for iota == 0, constant definition loop)", []step{
			{code: "const (\n\tfirst = iota == 0\n\tsecond\n)\nconst (\n\tla = string(iota + 'a')\n\tlb\n)\nconst eq = 1 == 1\nfmt.Println(first, second, la+lb, eq)", out: "true false ab true\n"},
		}},
	})
}

package rewrite

import (
	"strings"
	"testing"
)

// issue15Cases specify the rewrites for issue 15's remaining findings,
// before and after (the runner is TestRewrites').
var issue15Cases = []rewriteCase{
	{name: "== and != with an operand of type error compare through ᐧs.SameError",
		facts: Facts{ErrorTyped: map[string]bool{"err": true, "call:errors.Unwrap": true}, Packages: map[string]bool{"errors": true}},
		in: `ok := err == ErrX
if errors.Unwrap(w) != e {
	ok = false
}
isNil := err == nil
n := 1
same := n == 2`,
		out: `ok := ᐧs.SameError(err, ErrX)
if !ᐧs.SameError(errors.Unwrap(w), e) {
	ok = false
}
isNil := err == nil
n := 1
same := n == 2`},
	{name: "a function's own error parameters and variables are error-typed", decls: true,
		in: `func check(x error, n int) bool {
	var y error
	z := n == 1
	return x == ErrX && y != x && z
}`,
		out: `func check(x error, n int) bool {
	var y error
	z := n == 1
	return ᐧs.SameError(x, ErrX) && !ᐧs.SameError(y, x) && z
}`},
	{name: "rand.N of math/rand/v2 calls the generic version; a top-level definition is split",
		facts: Facts{PkgFuncs: GenericPkgFuncs(map[string]string{"r2": "math/rand/v2", "rand": "math/rand"}), Packages: map[string]bool{"r2": true, "rand": true}},
		in: `d := r2.N(10 * time.Second)
x := r2.N[int32](1000)
old := rand.Intn(3)
fmt.Println(r2.N(uint8(3)))`,
		out: `d := 10 * time.Second
d = ᐧrandN(d)
x := int32(1000)
x = ᐧrandN[int32](x)
old := rand.Intn(3)
fmt.Println(ᐧrandN(uint8(3)))`},
	{name: "unsafe.Slice and SliceData call generic versions, with the type arguments go/types knows",
		facts: Facts{PkgFuncs: GenericPkgFuncs(map[string]string{"unsafe": "unsafe"}), Packages: map[string]bool{"unsafe": true}},
		in: `s := "abc"
b := unsafe.Slice(unsafe.StringData(s), len(s))
p := unsafe.SliceData(b)
q := unsafe.Slice(p, uint8(2))
r := unsafe.Slice(f(), 3)`,
		out: `s := "abc"
var b []byte
b = ᐧunsafeSlice[byte, int](unsafe.StringData(s), len(s))
var p *byte
p = ᐧunsafeSliceData[byte](b)
var q []byte
q = ᐧunsafeSlice[byte, uint8](p, uint8(2))
r := ᐧunsafeSlice(f(), 3)`},
	{name: "calls, receives and composite literals among several assigned values are parenthesised",
		in: `want, got = a+c, f(a)
x, y := n, T{2}
var v, ok = k, <-ch
p, q := -n, &T{}
r := f(a)
m, err := g()
i, j := n, f(a)`,
		out: `want, got = a+c, (f(a))
x, y := n, (T{2})
var v, ok = k, (<-ch)
p, q := -n, &T{}
r := f(a)
m, err := g()
i, j := n, f(a)`},
	{name: "iota is written out; untyped constants shifted by a variable, sent in a select case or converted to string get their Go type; constant comparisons are folded",
		in: `s := 3
var u uint64 = 1 << s
x := 1
y := x << (1 << x)
z := u | 1<<uint(x)
var f float64 = 1 << 3
w := 2 << x
c := make(chan int32, 1)
select {
case c <- 123:
case c <- -(1 + 2):
}
const big = 1 << 40
const (
	a = string(iota + 'a')
	b
)
t := string(65) + string(x) + string('c')
const (
	m = iota == 0
	n
	k int = 2 * iota
	l
)`,
		out: `s := 3
var u uint64 = uint64(1) << s
x := 1
y := x << (uint(1) << x)
z := u | uint64(1)<<uint(x)
var f float64 = 1 << 3
w := int(2) << x
c := make(chan int32, 1)
select {
case c <- int32(123):
case c <- int32(-(1 + 2)):
}
const big = 1 << 40
const (
	a = string(rune(0 + 'a'))
	b = string(rune(1 + 'a'))
)
t := string(rune(65)) + string(x) + string(rune('c'))
const (
	m = true
	n = false
	k int = 2 * 2
	l int = 2 * 3
)`},
	{name: "a select case that assigns or defines what it receives does it in its body", decls: true,
		in: `func f() {
	select {
	case x.a = <-c:
		use(x)
	case i, ok = <-d:
	case j := <-e:
	}
}`,
		out: `func f() {
	select {
	case ᐧv := <-c:
		x.a = ᐧv
		use(x)
	case ᐧv, ᐧok := <-d:
		i, ok = ᐧv, ᐧok
	case ᐧv := <-e:
		j := ᐧv
	}
}`},
	{name: "a jump ending a select case goes in an if; a plain break elsewhere in a case names the select", decls: true,
		in: `func f() {
L:
	for {
		select {
		case c <- 1:
			break L
		case <-d:
			continue
		case v := <-e:
			if v < 0 {
				break
			}
			use(v)
			break
		default:
			continue L
		}
	}
S:
	select {
	case <-d:
		if ok {
			break
		}
	}
}`,
		out: `func f() {
L:
	for {
	ᐧs0:
		select {
		case c <- 1:
			if true {
				break L
			}
		case <-d:
			if true {
				continue
			}
		case ᐧv := <-e:
			v := ᐧv
			if v < 0 {
				break ᐧs0
			}
			use(v)
			break
		default:
			if true {
				continue L
			}
		}
	}
S:
	select {
	case <-d:
		if ok {
			break S
		}
	}
}`},
	{name: "a range statement assigning existing variables defines its own and assigns them each iteration", decls: true,
		in: `func f() {
	for i = range xs {
		use(i)
	}
	for k, a[j] = range m {
	}
	for i := range xs {
	}
}`,
		out: `func f() {
	for ᐧk := range xs {
		i = ᐧk
		use(i)
	}
	for ᐧk, ᐧv := range m {
		k, a[j] = ᐧk, ᐧv
	}
	for i := range xs {
	}
}`},
	{name: "&p[i] of a pointer to an array, also of a session variable's declared type, dereferences p",
		facts: Facts{VarTypes: map[string]string{"g": "*[4]int"}},
		in: `p := new([3]int)
s := []int{1}
type P *[2]byte
var q P
x, y, z, w := &p[1], &s[0], &q[0], &g[2]`,
		out: `p := new([3]int)
s := []int{1}
type P *[2]byte
var q P
x, y, z, w := &(*p)[1], &s[0], &(*q)[0], &(*g)[2]`},
	{name: "a returned or assigned receive is parenthesised", decls: true,
		in: `func recv(c chan int) (int, int) {
	if len(c) > 1 {
		return 1, <-c
	}
	xs[0] = <-c
	v, ok = <-c
	s := <-c
	var t = <-c
	return <-c, 0
}`,
		out: `func recv(c chan int) (int, int) {
	if len(c) > 1 {
		return 1, (<-c)
	}
	xs[0] = (<-c)
	v, ok = <-c
	s := (<-c)
	var t = (<-c)
	return (<-c), 0
}`},
	{name: "a range over a slice or map of channels with a value reads the value by index", decls: true,
		facts: Facts{VarTypes: map[string]string{"m": "map[string]chan int"}},
		in: `func f() {
	chans := []chan bool{make(chan bool, 1)}
	for _, d := range chans {
		d <- true
	}
	for k, c := range m {
		use(k, c)
	}
	for i, x := range []int{1} {
		use(i, x)
	}
}`,
		out: `func f() {
	chans := []chan bool{make(chan bool, 1)}
	for ᐧi := range chans {
		d := chans[ᐧi]
		d <- true
	}
	for ᐧi := range m {
		k, c := ᐧi, m[ᐧi]
		use(k, c)
	}
	for i, x := range []int{1} {
		use(i, x)
	}
}`},
}

func TestIssue15Rewrites(t *testing.T) {
	runRewriteCases(t, issue15Cases)
	if got := Clean("ᐧrandN(d)"); !strings.Contains(got, "rand.N(d)") {
		t.Errorf("Clean(ᐧrandN(d)) = %q, want rand.N(d)", got)
	}
}

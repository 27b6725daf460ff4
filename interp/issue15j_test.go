package interp

import "testing"

// TestIssue15j: what Go computes when it compiles (unsafe's sizes,
// constants beyond int64, the order of package variables), slices
// converted to arrays, channels compared across directions and negations
// stored in interfaces: found by Go's own test programs (sizeof.go,
// const.go, const4.go, convert4.go, cmp.go, gcgort.go), written as a
// notebook user would.
func TestIssue15j(t *testing.T) {
	runScenarios(t, []scenario{
		{"unsafe.Offsetof of a promoted field, Sizeof and Alignof are Go's (was: CFG post-order panic)", []step{
			{code: "import \"unsafe\"\ntype U2 struct{ B, C int32 }\ntype T2 struct {\n\tA int32\n\tU2\n}\nvar t2 T2\nvar p2 *T2\nfmt.Println(unsafe.Offsetof(t2.C), unsafe.Offsetof(p2.U2.C), unsafe.Sizeof(t2), unsafe.Alignof(t2))", out: "8 4 12 4\n"},
		}},
		{"constants beyond int64 compare and convert exactly (was: constant ... overflows int64)", []step{
			{code: "const huge = 1 << 100\nconst huge1 = huge - 1\nvar f float64 = huge\nfmt.Println(huge > huge1, huge>>98, f == huge1, huge1+1 == huge)", out: "true 4 true true\n"},
		}},
		{"package variables are initialised in Go's order, through the functions they call (was: the source's)", []step{
			{code: "var n4 = len(f())\nvar calledF = false\nfunc f() *[40]int {\n\tcalledF = true\n\treturn nil\n}\nfmt.Println(n4, calledF)", out: "40 true\n"},
		}},
		{"a slice too short for the array it is converted to panics with Go's runtime error (was: a string from reflect); the pointer it gives is typed in later statements (was: cannot take address)", []step{
			{code: "import \"runtime\"\ns := make([]byte, 8, 10)\nfunc try(f func()) {\n\tdefer func() {\n\t\tr := recover()\n\t\t_, isRuntime := r.(runtime.Error)\n\t\tfmt.Println(r, isRuntime)\n\t}()\n\tf()\n}\ntry(func() { _ = (*[9]byte)(s) })\ntry(func() { _ = [9]byte(s) })\np := (*[8]byte)(s)\nvar n []byte\nfmt.Println(&p[0] == &s[0], [8]byte(s) == *p, (*[0]byte)(n) == nil, (*[0]byte)(s[:0]) != nil)", out: "runtime error: cannot convert slice with length 8 to array or pointer to array with length 9 true\nruntime error: cannot convert slice with length 8 to array or pointer to array with length 9 true\ntrue true true true\n"},
		}},
		{"a channel compares with its receive-only and send-only views (was: mismatched types)", []step{
			{code: "c := make(chan int)\nvar r <-chan int = c\nvar s chan<- int = c\nfmt.Println(c == r, s == c, r != c)", out: "true true false\n"},
		}},
		{"a negation stored in a variable of type any (was: reflect: call of reflect.Value.SetBool on interface Value)", []step{
			{code: "a := any(false)\nfor i := 0; i < 3; i++ {\n\ta = !a.(bool)\n}\nfmt.Println(a)", out: "true\n"},
		}},
		{"a method value reads its receiver when it is made, and panics then for a nil one (was: when called)", []step{
			{code: "type Counter int\nfunc (c Counter) Plus(x int) int { return x + int(c) }\ntype Adder interface{ Plus(int) int }\nfunc try(f func()) {\n\tdefer func() { fmt.Println(recover()) }()\n\tf()\n}"},
			{code: "c := Counter(1)\npc := &c\nf := pc.Plus\ng := c.Plus\nc = 5\nfmt.Println(f(10), g(10), pc.Plus(10))", out: "11 11 15\n"},
			{code: "var np *Counter\nvar na Adder\ntry(func() { f = np.Plus })\ntry(func() { f = na.Plus })\nfmt.Println(f(10))", out: "runtime error: invalid memory address or nil pointer dereference\nruntime error: invalid memory address or nil pointer dereference\n11\n"},
		}},
		{"a range over a string gives byte positions, decodes an invalid byte as one U+FFFD, and is linear (was: rune numbers with one variable, three bytes on after an invalid byte, O(n²))", []step{
			{code: "s := \"héllo, 世界\\xff!\"\nfor i, r := range s {\n\tfmt.Print(i, \":\", string(r), \" \")\n}\nfor i := range s {\n\tfmt.Print(i, \" \")\n}\nfmt.Println()", out: "0:h 1:é 3:l 4:l 5:o 6:, 7:  8:世 11:界 14:\uFFFD 15:! 0 1 3 4 5 6 7 8 11 14 15 \n"},
			// A string from a native function, in a later cell: its type comes
			// from its value. 200,000 runes took minutes (O(n²)).
			{code: "import \"strings\"\nlong := strings.Repeat(\"abcdé\", 40000)"},
			{code: "last, n := 0, 0\nfor i, r := range long {\n\tif r == 'é' {\n\t\tn++\n\t}\n\tlast = i\n}\nfmt.Println(last, n)", out: "239998 40000\n"},
			{code: "L:\nfor i, r := range \"abc\" {\n\tfor _, q := range \"xy\" {\n\t\tif q == 'y' {\n\t\t\tcontinue L\n\t\t}\n\t\tif r == 'c' {\n\t\t\tfmt.Println(\"break at\", i)\n\t\t\tbreak L\n\t\t}\n\t}\n}", out: "break at 2\n"},
		}},
		{"an assertion from an any to an interface declared inside a function (was: reflect.Set: value of type interface {} is not assignable to type interp.valueInterface)", []step{
			{code: "type X int\nfunc (X) x() {}\nfunc check() {\n\ttype I1 interface{ x() }\n\tvar e interface{} = X(3)\n\ta := e.(I1)\n\tfmt.Println(a)\n}\ncheck()", out: "3\n"},
		}},
		{"a literal of a cell error type assigned to an error inside a function (was: reflect.Set: value of type struct { Xn int } is not assignable to type error)", []step{
			{code: "type E struct{ n int }\nfunc (e E) Error() string { return fmt.Sprint(\"E\", e.n) }\nfunc f() error {\n\tvar e error\n\te = E{5}\n\treturn e\n}\nfmt.Println(f())", out: "E5\n"},
		}},
	})
}

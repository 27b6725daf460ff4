package rtprint

import (
	"strings"
	"testing"
)

// The expected texts are what compiled Go 1.26 prints for the same
// operands ($GOROOT/test/print.go, goprint.go, ken/string.go).
func TestFormatsAsTheRuntime(t *testing.T) {
	var nilIface interface{ f() }
	cases := []struct {
		args []any
		ln   bool
		want string
	}{
		{[]any{42, true, false, true, 1.5, "world", (chan int)(nil), []int(nil), (map[string]int)(nil), (func())(nil), byte(255)}, true, "42 true false true 1.5 world 0x0 [0/0]0x0 0x0 0x0 255\n"},
		{[]any{nil}, true, "(0x0,0x0)\n"},
		{[]any{nilIface}, true, "(0x0,0x0)\n"},
		{[]any{struct {
			IValue any
			WF     func()
		}{}}, true, "(0x0,0x0)\n"}, // yaegi's wrapper of a nil interface with methods
		{[]any{int64(-7), uint64(7), uintptr(7), 8.0, complex(9.0, 10.0), complex(14.0, -15.0)}, true, "-7 7 7 8 (9+10i) (14-15i)\n"},
		{[]any{float32(0.1), 1e21, -1e-7}, true, "0.1 1e+21 -1e-07\n"},
		{[]any{"abc", "xyz", 1}, false, "abcxyz1"},
		{[]any{make([]byte, 2, 5)[:0]}, true, "[0/5]0x"}, // prefix: the address varies
	}
	for _, c := range cases {
		var b strings.Builder
		if c.ln {
			Println(&b, c.args...)
		} else {
			Print(&b, c.args...)
		}
		if got := b.String(); got != c.want && !(strings.HasSuffix(c.want, "0x") && strings.HasPrefix(got, c.want)) {
			t.Errorf("print %v: got %q, want %q", c.args, got, c.want)
		}
	}
}

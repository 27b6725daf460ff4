package cellsrc

import (
	"fmt"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// fakeSession is a Resolver over a fixed table: the names the session
// defines, its packages and funcs.
type fakeSession struct {
	defined map[string]bool
	pkgs    map[string]string // name -> path
	funcs   map[string][2]any // name -> nres, rtype
	removed map[string]string
}

func (f fakeSession) Defined(name string) bool {
	_, isFunc := f.funcs[name]
	return f.defined[name] || isFunc || f.pkgs[name] != "" || name == "len" || name == "int" || name == "string"
}
func (f fakeSession) Undefined(name string) string { return f.removed[name] }
func (f fakeSession) Package(name string) string   { return f.pkgs[name] }
func (f fakeSession) Importable(path string) (string, bool) {
	return path[strings.LastIndex(path, "/")+1:], path != "nope"
}
func (f fakeSession) Symbol(path, name string) (reflect.Value, bool) {
	if path == "strings" && name == "Cut" {
		return reflect.ValueOf(strings.Cut), true
	}
	return reflect.Value{}, false
}
func (f fakeSession) Func(name string) (int, string, bool) {
	if r, ok := f.funcs[name]; ok {
		return r[0].(int), r[1].(string), true
	}
	return 0, "", false
}
func (f fakeSession) MethodResults(v, method string) (int, bool) { return 0, false }
func (f fakeSession) GlobalTypes() map[string]reflect.Type       { return nil }

var session = fakeSession{
	defined: map[string]bool{"old": true},
	pkgs:    map[string]string{"fmt": "fmt", "strings": "strings"},
	funcs:   map[string][2]any{"two": {2, ""}},
	removed: map[string]string{"gone": "cell[3] removed it"},
}

// summary prints what an analysis found, in a stable order.
func summary(src string, a *Analysis) string {
	var defs []string
	for _, d := range a.Defs {
		deps := make([]string, 0, len(d.Deps))
		for n := range d.Deps {
			deps = append(deps, n)
		}
		sort.Strings(deps)
		s := fmt.Sprintf("%s %s", d.Kind, strings.Join(d.Names, ","))
		if d.Recv != "" {
			s = fmt.Sprintf("%s %s.%s", d.Kind, d.Recv, d.Names[0])
		}
		if d.Kind == Func || d.Kind == Method {
			s += fmt.Sprintf("/%d", d.NRes)
		}
		if d.SelfCall {
			s += " (recursive)"
		}
		defs = append(defs, s+" uses "+strings.Join(deps, ","))
	}
	var vars, free []string
	for n := range a.VarDefs {
		vars = append(vars, n+":"+a.VarType[n])
	}
	for n := range a.Free {
		free = append(free, n)
	}
	sort.Strings(vars)
	sort.Strings(free)
	last := "none"
	if a.LastOff >= 0 {
		last = fmt.Sprintf("%q/%d", src[a.LastOff:], a.LastN)
	}
	return fmt.Sprintf("defs [%s] vars [%s] free [%s] last %s imports %v", strings.Join(defs, "; "), strings.Join(vars, " "), strings.Join(free, " "), last, a.Imports)
}

func TestAnalyse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ src, want string }{
		{"x := 1\nx",
			`defs [] vars [x:] free [] last "x"/1 imports []`},
		{"type T struct{ N int }\nfunc (t *T) Grow() { t.N++; t.Grow() }\nv := &T{}\nv",
			`defs [type T uses int; method T.Grow/0 (recursive) uses T] vars [v:*T] free [int] last "v"/1 imports []`},
		{"func f(n int) int { if n == 0 { return old }; return f(n-1) }\nfmt.Println(f(3))",
			"defs [func f/1 (recursive) uses int,old] vars [] free [fmt int old] last none imports []"},
		{"import \"strings\"\na, b, ok := strings.Cut(\"a=b\", \"=\")\nstrings.Cut(a, b)",
			`defs [] vars [a: b: ok:] free [] last "strings.Cut(a, b)"/3 imports [[strings strings]]`},
		{"two()", `defs [] vars [] free [two] last "two()"/2 imports []`},
		{"func g() {}\ng()", `defs [func g/0 uses ] vars [] free [] last "g()"/0 imports []`},
		{"s := struct{ len int }{len: 2}\nm := map[string]int{\"k\": s.len}", "defs [] vars [m:map[string]int s:struct{len int}] free [int string] last none imports []"},
	} {
		a, err := Analyse(token.NewFileSet(), c.src, 1, session)
		if err != nil {
			t.Errorf("Analyse(%q): %v", c.src, err)
			continue
		}
		if got := summary(c.src, a); got != c.want {
			t.Errorf("Analyse(%q)\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestAnalyseErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ src, want string }{
		{"y := undefinedThing + 1", "cell[4]:1:6: undefined: undefinedThing"},
		{"gone()", "undefined: gone (cell[3] removed it)"},
		{"import \"nope\"", `cell[4]:1:8: cannot import "nope": not preloaded in this kernel`},
		{"import . \"strings\"", "dot imports are not supported"},
		{"x := (1", "cell[4]:1:8: expected ')'"},
	} {
		_, err := Analyse(token.NewFileSet(), c.src, 4, session)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Analyse(%q): error %v, want one containing %q", c.src, err, c.want)
		}
	}
}

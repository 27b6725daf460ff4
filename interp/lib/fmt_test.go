package lib

import (
	"reflect"
	"strings"
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestFmtPrintsCellTypesAsGo: %+v names a cell struct's unexported fields
// as written (yaegi's XapiKey), also nested and behind a pointer, in a
// slice and a map; a cell value held in a native interface prints as the
// value, not as yaegi's wrapper; other verbs are untouched.
func TestFmtPrintsCellTypesAsGo(t *testing.T) {
	var out strings.Builder
	in := yinterp.New(yinterp.Options{Stdout: &out})
	for _, s := range []map[string]map[string]reflect.Value{stdlib.Symbols, Symbols} {
		if err := in.Use(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := InstallFmt(in, &out, NewCellMethods()); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval(`import ("fmt"; "sort")
type Inner struct{ depth int }
type Cfg struct { Name string; apiKey string; in Inner; p *Inner }
type ParseError struct{ Line int }
func (e *ParseError) Error() string { return fmt.Sprintf("line %d", e.Line) }
type V struct{ X int }
func (v V) String() string { return "V!" }
func mk() *ParseError { return &ParseError{5} }
type S []int
func (s S) Len() int { return len(s) }
func (s S) Less(i, j int) bool { return s[i] < s[j] }
func (s S) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
var c = Cfg{"n", "secret", Inner{2}, nil}
var si sort.Interface = S{3, 1}
`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ code, want string }{
		{`fmt.Sprintf("%+v", c)`, "{Name:n apiKey:secret in:{depth:2} p:<nil>}"},
		{`fmt.Sprintf("%+v", &c)`, "&{Name:n apiKey:secret in:{depth:2} p:<nil>}"},
		{`fmt.Sprintf("%+v|%v|%s", []Inner{{1}, {2}}, c, "x")`, "[{depth:1} {depth:2}]|{n secret {2} <nil>}|x"},
		{`fmt.Sprintf("%+v", map[string]Inner{"b": {2}, "a": {1}})`, "map[a:{depth:1} b:{depth:2}]"},
		{`fmt.Sprint(si)`, "[3 1]"},
		{`fmt.Sprintf("%v %d", si, 7)`, "[3 1] 7"},
		{`fmt.Errorf("%+v", Inner{5}).Error()`, "{depth:5}"},
		// A call's result (mk()) reaches fmt unwrapped: the session moves it
		// into a variable first (rewrite.HoistArgs).
		{`func viaVar() string { e := mk(); return fmt.Sprint(&ParseError{4}, " ", e, " ", V{1}) }`, ""},
		{`viaVar()`, "line 4 line 5 V!"},
		{`fmt.Errorf("at: %w", &ParseError{6}).Error()`, "at: line 6"},
		{`fmt.Sprintf("%v|%s|%+v", &ParseError{7}, V{2}, V{3})`, "line 7|V!|V!"},
	}
	for _, c := range cases {
		v, err := in.Eval(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if c.want == "" {
			continue
		}
		if got, _ := v.Interface().(string); got != c.want {
			t.Errorf("%s = %q, want %q", c.code, got, c.want)
		}
	}
	if _, err := in.Eval(`fmt.Printf("%+v\n", Inner{7}); fmt.Println(si)`); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "{depth:7}\n[3 1]\n"; got != want {
		t.Errorf("Printf and Println wrote %q, want %q", got, want)
	}
}

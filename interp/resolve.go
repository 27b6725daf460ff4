package interp

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// analyse reads a cell (package cellsrc), with the session answering what
// its names mean.
func (s *Session) analyse(src string, count int) (*cellsrc.Analysis, *Error) {
	a, err := cellsrc.Analyse(s.in.FileSet(), src, count, resolver{s})
	if err != nil {
		var ie *cellsrc.ImportError
		if errors.As(err, &ie) {
			return nil, compileErr(err.Error() + "\n" + availableText())
		}
		return nil, compileErr(err.Error())
	}
	return a, nil
}

// resolver is the session as cellsrc.Analyse sees it: the table's one
// lookup, the preloaded packages' symbols and the interpreter's globals.
type resolver struct{ s *Session }

func (r resolver) Defined(name string) bool { return r.s.tab.lookup(name).defined() }

func (r resolver) Undefined(name string) string {
	if why := r.s.tab.removed[name]; why != "" {
		return why
	}
	if p := packageNamed(name); p != "" {
		return fmt.Sprintf("import %q to use the package", p)
	}
	return ""
}

func (r resolver) Package(name string) string { return r.s.tab.lookup(name).pkg }

func (r resolver) Importable(path string) (string, bool) {
	if name, ok := packages[path]; ok {
		return name, ok
	}
	if name, ok := r.s.compiled.Load(path); ok { // a %%compile cell's package
		return name.(string), true
	}
	return "", false
}

func (r resolver) Symbol(path, name string) (reflect.Value, bool) {
	v, ok := symbolsOf(path)[name]
	return v, ok
}

func (r resolver) Func(name string) (int, string, bool) {
	if e := r.s.tab.ents[name]; e != nil && e.kind == entFunc {
		return e.nres, e.rtype, true
	}
	return 0, "", false
}

func (r resolver) MethodResults(v, method string) (int, bool) {
	e := r.s.tab.ents[v]
	if e == nil {
		return 0, false
	}
	return r.s.methodResults(e, method), true
}

func (r resolver) GlobalTypes() map[string]reflect.Type { return r.s.globalTypes() }

// compileErr is a compile error, in the user's names.
func compileErr(msg string) *Error {
	msg = rewrite.Clean(msg)
	return &Error{Name: "CompileError", Value: msg, Traceback: strings.Split(msg, "\n")}
}

// syntaxErr is the compile error of a parse that failed.
func syntaxErr(err error) *Error { return compileErr(cellsrc.FirstErrors(err).Error()) }

// methodResults tells how many values v.name() has, v a session variable:
// from the cell's declaration of the method, or from the native type.
func (s *Session) methodResults(v *entity, name string) int {
	if v.kind != entVar {
		return -1
	}
	if t := s.tab.ents[strings.TrimPrefix(v.typ, "*")]; t != nil && t.kind == entType {
		if m := t.methods[name]; m != nil {
			return m.nres
		}
	}
	val, ok := s.globalValue(v.internal)
	if !ok || !val.IsValid() {
		return -1
	}
	if mt, ok := cellsrc.MethodOf(val.Type(), name); ok {
		return mt.NumOut()
	}
	return -1
}

// packageNamed returns the import path of the preloaded package called
// name, preferring the shortest path (strconv, not some/x/strconv).
func packageNamed(name string) string {
	best := ""
	for p, n := range packages {
		if n == name && !strings.Contains(p, "internal") && (best == "" || len(p) < len(best)) {
			best = p
		}
	}
	return best
}

// globalValues returns the interpreter's globals, cached for one cell.
func (s *Session) globalValues() map[string]reflect.Value {
	if s.globals == nil {
		s.globals = s.in.Globals()
	}
	return s.globals
}

// globalTypes returns the types of the session's globals, from their values.
func (s *Session) globalTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, v := range s.globalValues() {
		if v.IsValid() {
			out[name] = v.Type()
		}
	}
	return out
}

// availableText lists the packages a cell can import.
func availableText() string {
	var ours, std []string
	for p := range packages {
		if strings.Contains(p, ".") {
			ours = append(ours, p)
		} else if !strings.Contains(p, "internal") {
			std = append(std, p)
		}
	}
	sort.Strings(ours)
	sort.Strings(std)
	return "preloaded packages: " + strings.Join(ours, ", ") + "\nand the standard library: " + strings.Join(std, ", ")
}

package interp

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
	"github.com/gradlab/gradlab/interp/lib"
)

// Completion and inspection read the session's own table of names, the
// interpreter's globals (values, never by running code) and the generated
// symbol and doc tables of the packages.

var magicNames = []string{"%%bash", "%%sh", "%%time", "%%timeit", "%env", "%help", "%lsmagic", "%magic", "%reset", "%time", "%timeit", "%who", "%whos"}

var keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
	"struct", "switch", "type", "var"}

// Complete returns completions for code at cursor (in code points) and the
// range they replace, in code points.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	s.tabMu.RLock()
	defer s.tabMu.RUnlock()
	off := cellsrc.ByteOffset(code, cursor)
	if cellsrc.InCommentOrString(code, off) {
		return nil, cursor, cursor
	}
	chain, _, bs, be := cellsrc.ExprAt(code, off)
	// Magics: %ti -> %time, %timeit; %%ti -> %%time, %%timeit.
	if p := strings.LastIndexAny(code[:bs], "\n"); bs > 0 && code[bs-1] == '%' && strings.TrimLeft(code[p+1:bs], "%") == "" {
		ms := bs - 1
		for ms > 0 && code[ms-1] == '%' {
			ms--
		}
		for _, m := range magicNames {
			if strings.HasPrefix(m, code[ms:off]) {
				matches = append(matches, m)
			}
		}
		return matches, cellsrc.RuneCount(code[:ms]), cellsrc.RuneCount(code[:be])
	}
	prefix := code[bs:off]
	start, end = cellsrc.RuneCount(code[:bs]), cellsrc.RuneCount(code[:be])
	var cands []string
	if len(chain) == 0 {
		cands = s.topNames()
	} else {
		cands = s.members(chain)
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] && !rewrite.IsInternal(c) {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, start, end
}

// topNames are the names a cell can use unqualified.
func (s *Session) topNames() []string {
	out := s.names()
	for n := range s.tab.imports {
		out = append(out, n)
	}
	for n := range autoImports {
		if _, ok := packages[autoImports[n]]; ok {
			out = append(out, n)
		}
	}
	for _, n := range packages {
		out = append(out, n)
	}
	out = append(out, keywords...)
	for n := range universe {
		out = append(out, n)
	}
	return out
}

// pkgPath tells which package a name in a cell refers to, if any.
func (s *Session) pkgPath(name string) string {
	r := s.tab.lookup(name)
	if r.ent != nil || r.pkg != "" {
		return r.pkg
	}
	// A package not imported yet, by its name (strconv, bufio...).
	return packageNamed(name)
}

// members lists what can follow chain and a dot.
func (s *Session) members(chain []string) []string {
	if len(chain) == 1 {
		if p := s.pkgPath(chain[0]); p != "" {
			var out []string
			for n := range symbolsOf(p) {
				if !strings.HasPrefix(n, "_") {
					out = append(out, n)
				}
			}
			return out
		}
	}
	v, typ, ok := s.resolve(chain)
	if !ok {
		return nil
	}
	return memberNames(v, typ, s)
}

// resolve finds the value a chain names: a session variable and fields of
// it. typ is the session type name when known (interpreted methods live
// only in the session's table).
func (s *Session) resolve(chain []string) (reflect.Value, string, bool) {
	e := s.tab.ents[chain[0]]
	if e == nil || (e.kind != entVar && e.kind != entConst) {
		return reflect.Value{}, "", false
	}
	v, ok := s.globalValue(e.internal)
	if !ok {
		return reflect.Value{}, "", false
	}
	typ := strings.TrimPrefix(e.typ, "*")
	for _, f := range chain[1:] {
		v = indirect(v)
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, "", false
		}
		v = field(v, f)
		if !v.IsValid() {
			return reflect.Value{}, "", false
		}
		typ = ""
	}
	return v, typ, true
}

// globalValue reads a variable of the interpreter, unless a cell is being
// compiled or run (yaegi's tables and frame would be read while written:
// a concurrent map read and write ends the process).
func (s *Session) globalValue(name string) (reflect.Value, bool) {
	if s.busy.Load() {
		return reflect.Value{}, false
	}
	v, ok := s.in.Globals()[name]
	return v, ok
}

func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func memberNames(v reflect.Value, typ string, s *Session) []string {
	var out []string
	if v.IsValid() {
		t := v.Type()
		for i := 0; i < t.NumMethod(); i++ {
			out = append(out, t.Method(i).Name)
		}
		if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
			pt := reflect.PointerTo(t)
			for i := 0; i < pt.NumMethod(); i++ {
				out = append(out, pt.Method(i).Name)
			}
		}
		st := t
		for st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() == reflect.Struct {
			interpreted := st.Name() == ""
			for i := 0; i < st.NumField(); i++ {
				f := st.Field(i)
				switch {
				case f.Name == "_":
				case interpreted:
					out = append(out, fieldName(f.Name))
				case f.IsExported():
					out = append(out, f.Name)
				}
			}
		}
	}
	if t := s.tab.ents[typ]; t != nil {
		for m := range t.methods {
			out = append(out, m)
		}
	}
	return out
}

// fieldName undoes yaegi's renaming of unexported fields of interpreted
// structs ("n" is stored as "Xn").
func fieldName(n string) string {
	if len(n) > 1 && n[0] == 'X' {
		r, _ := utf8.DecodeRuneInString(n[1:])
		if unicode.IsLower(r) || r == '_' {
			return n[1:]
		}
	}
	return n
}

// field finds a field by the name the user wrote.
func field(v reflect.Value, name string) reflect.Value {
	if f := v.FieldByName(name); f.IsValid() {
		return f
	}
	if v.Type().Name() == "" {
		return v.FieldByName("X" + name)
	}
	return reflect.Value{}
}

// Inspect returns what is known about the name at cursor (in code
// points): signature and doc comment of package symbols, declaration and
// doc of session funcs and types, type and value of session variables.
func (s *Session) Inspect(code string, cursor int, detail int) (map[string]any, bool) {
	s.tabMu.RLock()
	defer s.tabMu.RUnlock()
	off := cellsrc.ByteOffset(code, cursor)
	if cellsrc.InCommentOrString(code, off) {
		return nil, false
	}
	chain, ident, _, _ := cellsrc.ExprAt(code, off)
	if ident == "" && off > 0 {
		// Cursor right after `f(`: inspect the callee.
		q := strings.TrimRight(code[:off], " \t")
		q = strings.TrimSuffix(q, "(")
		if len(q) < len(code[:off]) {
			chain, ident, _, _ = cellsrc.ExprAt(q, len(q))
		}
	}
	if ident == "" {
		return nil, false
	}
	text, ok := s.describe(chain, ident, detail)
	if !ok {
		return nil, false
	}
	return map[string]any{"text/plain": text}, true
}

// describe returns the help text for chain.ident.
func (s *Session) describe(chain []string, ident string, detail int) (string, bool) {
	if len(chain) == 0 {
		if e := s.tab.ents[ident]; e != nil {
			return s.describeEntity(e, detail), true
		}
		if p := s.pkgPath(ident); p != "" {
			if d, ok := lib.Docs[p]; ok {
				return d, true
			}
			return fmt.Sprintf("package %s // import %q", packages[p], p), true
		}
		if d, ok := builtinDocs[ident]; ok {
			return d, true
		}
		return "", false
	}
	if len(chain) == 1 {
		if p := s.pkgPath(chain[0]); p != "" {
			if d, ok := lib.Docs[p+"."+ident]; ok {
				return d, true
			}
			if v, ok := symbolsOf(p)[ident]; ok {
				return fmt.Sprintf("%s.%s: %s", packages[p], ident, symbolType(v)), true
			}
			return "", false
		}
	}
	v, typ, ok := s.resolve(chain)
	if !ok {
		return "", false
	}
	if t := s.tab.ents[typ]; t != nil {
		if m := t.methods[ident]; m != nil {
			return s.describeEntity(m, detail), true
		}
	}
	if !v.IsValid() {
		return "", false
	}
	t := v.Type()
	if m, ok := t.MethodByName(ident); ok {
		return methodDoc(t, m), true
	}
	if pt := reflect.PointerTo(t); t.Kind() != reflect.Pointer {
		if m, ok := pt.MethodByName(ident); ok {
			return methodDoc(pt, m), true
		}
	}
	if f := indirect(v); f.IsValid() && f.Kind() == reflect.Struct {
		if fv := field(f, ident); fv.IsValid() {
			return fmt.Sprintf("field %s %s\n\nvalue: %s", ident, fv.Type(), short(fmt.Sprintf("%v", valueOf(fv)))), true
		}
	}
	return "", false
}

func valueOf(v reflect.Value) any {
	if v.CanInterface() {
		return v.Interface()
	}
	return v
}

func symbolType(v reflect.Value) string {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return "type " + v.Type().Elem().String()
	}
	return v.Type().String()
}

func methodDoc(t reflect.Type, m reflect.Method) string {
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if d, ok := lib.Docs[base.PkgPath()+"."+base.Name()+"."+m.Name]; ok {
		return d
	}
	return fmt.Sprintf("func (%s) %s%s", t, m.Name, strings.TrimPrefix(m.Type.String(), "func"))
}

func (s *Session) describeEntity(e *entity, detail int) string {
	var b strings.Builder
	switch e.kind {
	case entVar, entConst:
		v, ok := s.globalValue(e.internal)
		typ := e.typ
		if ok && typ == "" && v.IsValid() {
			typ = v.Type().String()
		}
		fmt.Fprintf(&b, "%s %s %s", e.kind, e.name, typ)
		if ok && v.IsValid() {
			fmt.Fprintf(&b, "\n\nvalue: %s", short(fmt.Sprintf("%v", valueOf(v))))
		}
		fmt.Fprintf(&b, "\n\ndefined in cell[%d]", e.cell)
	default:
		sig := e.sig
		if detail > 0 && e.piece != nil {
			sig = e.piece.Text
		}
		b.WriteString(sig)
		if e.doc != "" {
			b.WriteString("\n\n" + strings.TrimSpace(e.doc))
		}
		fmt.Fprintf(&b, "\n\ndefined in cell[%d]", e.cell)
		if e.kind == entType && len(e.methods) > 0 {
			b.WriteString("\n\nmethods:")
			for _, m := range sortedMethods(e) {
				b.WriteString("\n  " + m.sig)
			}
		}
	}
	return b.String()
}

func short(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

var builtinDocs = map[string]string{
	"append":  "func append(slice []Type, elems ...Type) []Type\n\nappends elements to the end of a slice and returns the updated slice.",
	"len":     "func len(v Type) int\n\nthe length of v: string, array, slice, map, channel.",
	"cap":     "func cap(v Type) int\n\nthe capacity of v.",
	"make":    "func make(t Type, size ...IntegerType) Type\n\nallocates and initializes a slice, map or channel.",
	"new":     "func new(Type) *Type\n\nallocates a zero value and returns a pointer to it.",
	"min":     "func min[T cmp.Ordered](x T, y ...T) T\n\nthe smallest of its arguments.",
	"max":     "func max[T cmp.Ordered](x T, y ...T) T\n\nthe largest of its arguments.",
	"clear":   "func clear[T ~[]Type | ~map[Type]Type1](t T)\n\ndeletes all entries of a map, zeroes all elements of a slice.",
	"delete":  "func delete(m map[Type]Type1, key Type)\n\ndeletes the element with the given key from the map.",
	"copy":    "func copy(dst, src []Type) int\n\ncopies elements from src to dst, returns the number copied.",
	"panic":   "func panic(v any)\n\nstops normal execution of the current goroutine.",
	"recover": "func recover() any\n\nregains control of a panicking goroutine, inside a deferred function.",
	"print":   "func print(args ...Type)",
	"println": "func println(args ...Type)",
}

// help answers `name?`, `name??` and `?name` with a pager payload, as
// IPython does.
func (s *Session) help(code string) (Result, bool) {
	c := strings.TrimSpace(code)
	if strings.Contains(c, "\n") || len(c) < 2 {
		return Result{}, false
	}
	detail := 0
	switch {
	case strings.HasSuffix(c, "??"):
		c, detail = strings.TrimSuffix(c, "??"), 1
	case strings.HasSuffix(c, "?"):
		c = strings.TrimSuffix(c, "?")
	case strings.HasPrefix(c, "??"):
		c, detail = strings.TrimPrefix(c, "??"), 1
	case strings.HasPrefix(c, "?"):
		c = strings.TrimPrefix(c, "?")
	default:
		return Result{}, false
	}
	c = strings.TrimSpace(c)
	for _, r := range c {
		if !cellsrc.IsIdentRune(r) && r != '.' {
			return Result{}, false
		}
	}
	parts := strings.Split(c, ".")
	text, ok := s.describe(parts[:len(parts)-1], parts[len(parts)-1], detail)
	if !ok {
		return Result{Err: &Error{Name: "NameError", Value: fmt.Sprintf("object `%s` not found", c), Traceback: []string{fmt.Sprintf("object `%s` not found", c)}}}, true
	}
	return Result{Payload: []map[string]any{{"source": "page", "data": map[string]any{"text/plain": text}, "start": 0}}}, true
}

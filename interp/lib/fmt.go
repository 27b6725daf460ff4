package lib

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	yinterp "github.com/traefik/yaegi/interp"
)

// InstallFmt replaces fmt's printing functions in in, which has yaegi's
// stdlib, by versions that print values of cell-defined types as compiled
// Go does (Print, Printf and Println write to stdout, as yaegi's own do).
// It changes the interpreter's table in place: Use cannot, since a table
// with fmt makes Use load yaegi's stdlib fixes and generic sources again.
//
// Two things of yaegi's show otherwise:
//   - an interpreted value held in a variable of a native interface type
//     (a cell's model as an nn.Module) reaches fmt as yaegi's wrapper, a
//     struct of the value and its methods as funcs, and printed as
//     {0xc000... 0x5168c0 0x5168c0}; it is unwrapped (unless the wrapper
//     is an error, Stringer or Formatter, whose method fmt calls);
//   - yaegi exports unexported fields under an X prefix, so %+v printed
//     {Name:n XapiKey:secret}; %+v of a cell-defined struct (the types
//     reflect.StructOf built: unnamed) prints the field names as written;
//   - a cell value held in a variable of type any reaches fmt as yaegi's
//     valueInterface: it prints through the String or Error method methods
//     has for its type, or as the bare value (cellvalue.go).
func InstallFmt(in *yinterp.Interpreter, stdout io.Writer, methods *CellMethods) error {
	table := in.Symbols("fmt")["fmt"]
	if table == nil {
		return fmt.Errorf("lib: InstallFmt: the interpreter has no fmt")
	}
	// yaegi wraps an interpreted argument of these functions in a native
	// type with its methods when it implements one of these interfaces
	// (first match); its own list for fmt lacks error, so
	// fmt.Println(&ParseError{}) ignored the Error method and
	// fmt.Errorf("%w", &ParseError{}) printed %!w.
	wrap := []reflect.Type{formatterType, errorType, stringerType}
	mt := map[reflect.Value][]reflect.Type{}
	for k, v := range fmtSymbols(stdout, methods) {
		table[k] = v
		mt[v] = wrap
	}
	return in.Use(yinterp.Exports{".": {"MapTypes": reflect.ValueOf(mt)}})
}

func fmtSymbols(stdout io.Writer, methods *CellMethods) map[string]reflect.Value {
	args := func(a []any, names bool) []any { return cellArgs(a, names, methods) }
	return map[string]reflect.Value{
		"Print":    reflect.ValueOf(func(a ...any) (int, error) { return fmt.Fprint(stdout, args(a, false)...) }),
		"Printf":   reflect.ValueOf(func(f string, a ...any) (int, error) { return fmt.Fprintf(stdout, f, args(a, plus(f))...) }),
		"Println":  reflect.ValueOf(func(a ...any) (int, error) { return fmt.Fprintln(stdout, args(a, false)...) }),
		"Sprint":   reflect.ValueOf(func(a ...any) string { return fmt.Sprint(args(a, false)...) }),
		"Sprintf":  reflect.ValueOf(func(f string, a ...any) string { return fmt.Sprintf(f, args(a, plus(f))...) }),
		"Sprintln": reflect.ValueOf(func(a ...any) string { return fmt.Sprintln(args(a, false)...) }),
		"Fprint":   reflect.ValueOf(func(w io.Writer, a ...any) (int, error) { return fmt.Fprint(w, args(a, false)...) }),
		"Fprintf":  reflect.ValueOf(func(w io.Writer, f string, a ...any) (int, error) { return fmt.Fprintf(w, f, args(a, plus(f))...) }),
		"Fprintln": reflect.ValueOf(func(w io.Writer, a ...any) (int, error) { return fmt.Fprintln(w, args(a, false)...) }),
		"Errorf":   reflect.ValueOf(func(f string, a ...any) error { return fmt.Errorf(f, args(a, plus(f))...) }),
		"Appendf":  reflect.ValueOf(func(b []byte, f string, a ...any) []byte { return fmt.Appendf(b, f, args(a, plus(f))...) }),
		"Append":   reflect.ValueOf(func(b []byte, a ...any) []byte { return fmt.Append(b, args(a, false)...) }),
		"Appendln": reflect.ValueOf(func(b []byte, a ...any) []byte { return fmt.Appendln(b, args(a, false)...) }),
	}
}

var (
	errorType     = reflect.TypeFor[error]()
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
)

// plus says whether a format has a verb with the + flag (%+v), the one
// where yaegi's field names show.
func plus(format string) bool { return strings.Contains(format, "%+") }

// cellArgs returns a with yaegi's wrappers unwrapped and, when names (the
// format has %+v), cell-defined structs given their field names; a itself
// when nothing needs it. The structs are wrapped only then: their
// Formatter would change what %T prints.
func cellArgs(a []any, names bool, methods *CellMethods) []any {
	var out []any
	for i, x := range a {
		y, changed := cellArg(x, names, methods)
		if out == nil && changed {
			out = append([]any(nil), a...)
		}
		if out != nil {
			out[i] = y
		}
	}
	if out == nil {
		return a
	}
	return out
}

// cellArg returns what to print for x, and whether that is not x (the
// values cannot be compared: yaegi's wrappers have func fields). The
// elements of a []any are looked at too.
func cellArg(x any, names bool, methods *CellMethods) (any, bool) {
	t := reflect.TypeOf(x)
	if t == nil {
		return x, false
	}
	changed := false
	if y, ok := cellDynamic(x, methods); ok {
		x, t, changed = y, reflect.TypeOf(y), true
		if _, ok := y.(fmt.Formatter); ok || t == nil {
			return x, true
		}
	}
	if xs, ok := x.([]any); ok {
		if ys := cellArgs(xs, names, methods); len(xs) > 0 && &ys[0] != &xs[0] {
			return ys, true
		}
		return x, changed
	}
	if t.Kind() == reflect.Map && t.Elem() == anyType {
		if y, ok := cellMap(reflect.ValueOf(x), names, methods); ok {
			return y, true
		}
	}
	if t.Kind() == reflect.Struct && t.NumField() > 0 && t.Field(0).Name == "IValue" &&
		!t.Implements(errorType) && !t.Implements(stringerType) && !t.Implements(formatterType) {
		x = reflect.ValueOf(x).Field(0).Interface()
		t = reflect.TypeOf(x)
		changed = true
	}
	if names && t != nil && !t.Implements(errorType) && hasXFields(t, map[reflect.Type]bool{}) {
		return cellValue{x}, true
	}
	return x, changed
}

var anyType = reflect.TypeFor[any]()

// cellMap is m, a map with values of type any, with its values as
// cellArg prints them, and whether any of them changed.
func cellMap(m reflect.Value, names bool, methods *CellMethods) (any, bool) {
	out := reflect.MakeMapWithSize(m.Type(), m.Len())
	changed := false
	for it := m.MapRange(); it.Next(); {
		v := it.Value().Interface()
		y, ok := cellArg(v, names, methods)
		changed = changed || ok
		if y == nil {
			out.SetMapIndex(it.Key(), reflect.Zero(anyType))
		} else {
			out.SetMapIndex(it.Key(), reflect.ValueOf(y))
		}
	}
	return out.Interface(), changed
}

// isXField says whether f is a field yaegi exported: X and a name that
// starts with a lower-case letter or an underscore.
func isXField(f reflect.StructField) bool {
	n := f.Name
	return len(n) > 1 && n[0] == 'X' && (n[1] == '_' || n[1] >= 'a' && n[1] <= 'z')
}

// hasXFields says whether t holds a struct type reflect.StructOf built
// (unnamed) with a field yaegi exported.
func hasXFields(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return hasXFields(t.Elem(), seen)
	case reflect.Map:
		return hasXFields(t.Key(), seen) || hasXFields(t.Elem(), seen)
	case reflect.Struct:
		if t.Name() != "" {
			return false // a native type: fmt prints it right
		}
		for i := 0; i < t.NumField(); i++ {
			if isXField(t.Field(i)) || hasXFields(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// cellValue prints a value holding cell-defined structs: %+v with the
// fields' own names, every other verb (but %T) as fmt does.
type cellValue struct{ v any }

func (c cellValue) Format(f fmt.State, verb rune) {
	if verb != 'v' || !f.Flag('+') {
		fmt.Fprintf(f, fmt.FormatString(f, verb), c.v)
		return
	}
	var b strings.Builder
	plusV(&b, reflect.ValueOf(c.v), 0)
	io.WriteString(f, b.String())
}

// plusV writes v as %+v does, with the X of yaegi's exported names
// dropped.
func plusV(b *strings.Builder, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("<nil>")
		return
	}
	if !v.CanInterface() || !hasXFields(v.Type(), map[reflect.Type]bool{}) {
		if v.CanInterface() {
			fmt.Fprintf(b, "%+v", v.Interface())
		} else {
			fmt.Fprint(b, v)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("<nil>")
			return
		}
		if depth == 0 {
			switch v.Elem().Kind() {
			case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
				b.WriteByte('&')
				plusV(b, v.Elem(), depth+1)
				return
			}
		}
		fmt.Fprintf(b, "%p", v.Interface())
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("<nil>")
			return
		}
		plusV(b, v.Elem(), depth)
	case reflect.Struct:
		b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			name := v.Type().Field(i).Name
			if isXField(v.Type().Field(i)) {
				name = name[1:]
			}
			b.WriteString(name + ":")
			plusV(b, v.Field(i), depth+1)
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			plusV(b, v.Index(i), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
		b.WriteString("map[")
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(' ')
			}
			plusV(b, k, depth+1)
			b.WriteByte(':')
			plusV(b, v.MapIndex(k), depth+1)
		}
		b.WriteByte(']')
	default:
		fmt.Fprintf(b, "%+v", v.Interface())
	}
}

// keyLess orders map keys as fmt does for the common kinds (numbers,
// strings); others by their printed form.
func keyLess(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() < b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() < b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() < b.Float()
	case reflect.String:
		return a.String() < b.String()
	}
	return fmt.Sprint(a) < fmt.Sprint(b)
}

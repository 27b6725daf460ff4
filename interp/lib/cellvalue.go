package lib

import (
	"fmt"
	"reflect"
	"regexp"
	"sync"
	"unsafe"

	"github.com/gradlab/gradlab/interp/internal/rterr"
)

// A value of a cell type with methods, held in a variable, parameter or
// slice element of type any, reaches native code as yaegi's internal
// valueInterface{node, value}: fmt printed it as <nil>, as
// {0xc000... {...}}, or failed in its String method, since yaegi converts
// such an argument to no native interface (it does for a value of the
// cell type itself). Native code cannot call interpreted methods, but
// interpreted closures it can: each String and Error method of a cell
// type is registered with CellMethods, under yaegi's name of the type,
// by the session (rewrite.registerCellMethods):
//
//	var _ = ᐧs.Method("main.C", "String", func(ᐧr C) string { return ᐧr.String() })
//
// and fmt's functions (cellArg) turn such a value into one whose String
// and Error call the registered closures, or into the bare value when its
// type has neither, which prints as Go prints a type without them.

// CellMethods are the String and Error methods of a session's cell types,
// by yaegi's name of the receiver type ("main.C", "*main.P").
type CellMethods struct {
	mu sync.RWMutex
	m  map[string]reflect.Value // "main.C.String" -> func(C) string
}

// NewCellMethods returns an empty registry.
func NewCellMethods() *CellMethods { return &CellMethods{m: map[string]reflect.Value{}} }

// Add registers fn, a func(T) string, as method name of the type typ; the
// result (true) lets the session register in a package-level var.
func (c *CellMethods) Add(typ, name string, fn any) bool {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.Type().NumIn() != 1 || v.Type().NumOut() != 1 || v.Type().Out(0).Kind() != reflect.String {
		return false
	}
	c.mu.Lock()
	c.m[typ+"."+name] = v
	c.mu.Unlock()
	return true
}

// lookup returns the method name of the type typ for a receiver recv, the
// value a valueInterface holds: a value method serves a pointer too.
func (c *CellMethods) lookup(typ, name string, recv reflect.Value) (reflect.Value, reflect.Value, bool) {
	if c == nil {
		return reflect.Value{}, reflect.Value{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if fn, ok := c.m[typ+"."+name]; ok && recv.IsValid() && recv.Type().AssignableTo(fn.Type().In(0)) {
		return fn, recv, true
	}
	if len(typ) > 1 && typ[0] == '*' && recv.IsValid() && recv.Kind() == reflect.Pointer {
		if fn, ok := c.m[typ[1:]+"."+name]; ok && recv.Type().Elem().AssignableTo(fn.Type().In(0)) {
			return fn, recv, true // called on recv.Elem(), unless recv is nil
		}
	}
	return reflect.Value{}, reflect.Value{}, false
}

// Dynamic returns what native code should get for x, an operand of a
// cell interface type (rewrite.dynamicFmtArgs): for yaegi's
// valueInterface, the value it holds, with its type's String or Error
// method if registered; x itself otherwise.
func (c *CellMethods) Dynamic(x any) any {
	y, _ := cellDynamic(x, c)
	return y
}

// yaegiInterp is the package of yaegi's valueInterface.
const yaegiInterp = "github.com/traefik/yaegi/interp"

// dynamicCell returns, for x a yaegi valueInterface, the value it holds
// and yaegi's name of its type ("main.C", "*main.P"). It reads yaegi
// v0.16.1's unexported fields (valueInterface{node *node; value
// reflect.Value}, node.typ.str): TestDynamicCellValue fails when another
// version lays them out otherwise.
func dynamicCell(x any) (typ string, v reflect.Value, ok bool) {
	t := reflect.TypeOf(x)
	if t != nil && t.Kind() == reflect.Pointer && t.Elem().Name() == "valueInterface" && t.Elem().PkgPath() == yaegiInterp {
		// The address of a variable of a cell interface with methods
		// (rewrite.dynamicFmtArgs).
		p := reflect.ValueOf(x)
		if p.IsNil() {
			return "", reflect.Value{}, false
		}
		x, t = p.Elem().Interface(), t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || t.Name() != "valueInterface" || t.PkgPath() != yaegiInterp || t.NumField() != 2 ||
		t.Field(1).Type != reflect.TypeFor[reflect.Value]() || t.Field(0).Type.Kind() != reflect.Pointer {
		return "", reflect.Value{}, false
	}
	c := reflect.New(t).Elem()
	c.Set(reflect.ValueOf(x))
	v = *(*reflect.Value)(unsafe.Pointer(c.Field(1).UnsafeAddr()))
	if node := c.Field(0); !node.IsNil() {
		if it := node.Elem().FieldByName("typ"); it.IsValid() && it.Kind() == reflect.Pointer && !it.IsNil() {
			if s := it.Elem().FieldByName("str"); s.IsValid() && s.Kind() == reflect.String {
				typ = s.String()
			}
		}
	}
	return typ, v, true
}

// internalSuffix is the suffix of the session's fresh names (Tᐧ2).
var internalSuffix = regexp.MustCompile(`ᐧ\d+`)

// cellDynamic is what fmt prints for a valueInterface: the value, with
// its type's String and Error methods if it has them (nil if none).
func cellDynamic(x any, methods *CellMethods) (any, bool) {
	typ, v, ok := dynamicCell(x)
	if !ok {
		return x, false
	}
	if !v.IsValid() {
		return nil, true
	}
	m := method{typ: internalSuffix.ReplaceAllString(typ, "")}
	if fn, recv, ok := methods.lookup(typ, "Error", v); ok {
		m.fn, m.recv = fn, recv
		return cellError{m}, true
	}
	if fn, recv, ok := methods.lookup(typ, "String", v); ok {
		m.fn, m.recv = fn, recv
		return cellStringer{m}, true
	}
	if !v.CanInterface() {
		return x, false
	}
	return v.Interface(), true
}

// method is a registered method and its receiver.
type method struct {
	typ  string // the type's name as the user wrote it
	fn   reflect.Value
	recv reflect.Value
}

// call calls the method; on a nil pointer whose type has the method with
// a value receiver, it says <nil>, as fmt does.
func (m method) call() string {
	recv := m.recv
	if !recv.Type().AssignableTo(m.fn.Type().In(0)) {
		if recv.IsNil() {
			return "<nil>"
		}
		recv = recv.Elem()
	}
	return m.fn.Call([]reflect.Value{recv})[0].String()
}

// cellStringer and cellError print a cell value through its String or
// Error method, for the verbs fmt uses them for (v, s, q, x, X; not
// %#v), and as the bare value for the others.
type (
	cellStringer struct{ m method }
	cellError    struct{ m method }
)

func (c cellStringer) String() string { return c.m.call() }
func (c cellError) Error() string     { return c.m.call() }

func (c cellStringer) Format(f fmt.State, verb rune) { c.m.format(f, verb) }
func (c cellError) Format(f fmt.State, verb rune)    { c.m.format(f, verb) }

func (m method) format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
	case verb == 'v', verb == 's', verb == 'q', verb == 'x', verb == 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), m.call())
		return
	}
	var x any
	if m.recv.CanInterface() {
		x = m.recv.Interface()
	}
	x, _ = cellArg(x, f.Flag('+'), nil)
	fmt.Fprintf(f, fmt.FormatString(f, verb), x)
}

// AssertIface is the check before a single-value type assertion x.(I) to
// a cell's interface I of x of an interface type that is not a cell's
// (rewrite.assertionMessages): when yaegi would fail the assertion with
// its "interface conversion: nil is not main.I" (x is not one of its
// valueInterfaces), it panics with Go's run-time error instead, naming
// the first of methods (I's, sorted) that x's type lacks. It returns x,
// for the assertion.
func AssertIface(x any, iface string, methods ...string) any {
	if x == nil {
		panic(rterr.New("interface conversion: interface is nil, not " + iface))
	}
	if _, inner, ok := dynamicCell(x); ok {
		if !inner.IsValid() {
			panic(rterr.New("interface conversion: interface is nil, not " + iface))
		}
		return x // yaegi's own: it checks the methods
	}
	t := reflect.TypeOf(x)
	for _, m := range methods {
		if _, ok := t.MethodByName(m); !ok {
			panic(rterr.New("interface conversion: " + t.String() + " is not " + iface + ": missing method " + m))
		}
	}
	return x
}

// TypeName is what %T prints for x, an operand of type any
// (rewrite.typeVerbs): for a cell value yaegi holds as its valueInterface,
// the type's name as the user wrote it (main.Celsius, not
// interp.valueInterface); for others, its reflect type's.
func TypeName(x any) string {
	if x == nil {
		return "<nil>"
	}
	if typ, inner, ok := dynamicCell(x); ok {
		if !inner.IsValid() || typ == "" {
			return "<nil>"
		}
		return internalSuffix.ReplaceAllString(typ, "")
	}
	return reflect.TypeOf(x).String()
}

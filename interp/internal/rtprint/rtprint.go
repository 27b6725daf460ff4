// Package rtprint formats values the way Go's builtin print and println
// do (the runtime's printing, not fmt's): no spaces between print's
// operands, nil pointers, maps, channels and funcs as 0x0, slices as
// [len/cap]0xaddr, interfaces as (0xtype,0xdata), floats and complex numbers
// in their shortest form (strconv's 'g', as the runtime of Go 1.26). A session rewrites a cell's calls of the builtins
// into calls of Print and Println, because yaegi's builtins print through
// fmt to standard output, where compiled Go prints to standard error.
package rtprint

import (
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Print writes its operands to w as the builtin print does.
func Print(w io.Writer, args ...any) {
	var b strings.Builder
	for _, a := range args {
		format(&b, a)
	}
	io.WriteString(w, b.String())
}

// Println writes its operands to w as the builtin println does: separated
// by spaces, ending with a newline.
func Println(w io.Writer, args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		format(&b, a)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func format(b *strings.Builder, a any) {
	if a == nil {
		b.WriteString("(0x0,0x0)") // a nil interface
		return
	}
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 32))
	case reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Complex64:
		b.WriteString(strconv.FormatComplex(v.Complex(), 'g', -1, 64))
	case reflect.Complex128:
		b.WriteString(strconv.FormatComplex(v.Complex(), 'g', -1, 128))
	case reflect.String:
		b.WriteString(v.String())
	case reflect.Slice:
		b.WriteString("[" + strconv.Itoa(v.Len()) + "/" + strconv.Itoa(v.Cap()) + "]")
		hex(b, uint64(v.Pointer()))
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		hex(b, uint64(v.Pointer()))
	case reflect.Struct:
		// yaegi passes an interface value of a method set as a wrapper
		// struct whose first field, IValue, holds the value: nil is a nil
		// interface.
		if v.NumField() > 0 && v.Type().Field(0).Name == "IValue" && v.Field(0).IsNil() {
			b.WriteString("(0x0,0x0)")
			return
		}
		// An interpreted interface value: its value field is the zero
		// reflect.Value when the interface is nil.
		if t := v.Type(); t.Name() == "valueInterface" && strings.HasSuffix(t.PkgPath(), "yaegi/interp") && t.NumField() == 2 && v.Field(1).IsZero() {
			b.WriteString("(0x0,0x0)")
			return
		}
		b.WriteString("(0x1,0x1)")
	default:
		// Arrays do not compile with the builtins; an interface holding one
		// prints as the pair of words the runtime prints.
		b.WriteString("(0x1,0x1)")
	}
}

func hex(b *strings.Builder, u uint64) {
	b.WriteString("0x")
	b.WriteString(strconv.FormatUint(u, 16))
}

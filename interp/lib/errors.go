package lib

import (
	"reflect"

	"github.com/traefik/yaegi/stdlib"
)

// errors.Is and errors.As, made to see through yaegi's error wrapper.
//
// A value of a cell-defined error type reaches native code wrapped in a
// struct whose first field, IValue, holds the interpreted value and whose
// other fields are its methods as funcs. The standard errors.As then
// panicked ("*target must be interface or implement error": reflect does
// not see an interpreted type's methods) and never matched a wrapped value,
// and errors.Is compared wrappers with ==, which panics on their func
// fields. These versions follow the standard ones (Is and As methods,
// Unwrap() error and Unwrap() []error) and compare and assign the wrapped
// value instead of the wrapper.
func init() {
	m := map[string]reflect.Value{}
	for k, v := range stdlib.Symbols["errors/errors"] {
		m[k] = v
	}
	m["Is"] = reflect.ValueOf(errorsIs)
	m["As"] = reflect.ValueOf(errorsAs)
	Symbols["errors/errors"] = m
}

// wrapped returns the interpreted value inside yaegi's interface wrapper
// v, or v itself.
func wrapped(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Struct && rv.NumField() > 0 && rv.Type().Field(0).Name == "IValue" {
		return rv.Field(0).Interface()
	}
	return v
}

// same says whether a and b are equal comparable values, without
// panicking on uncomparable dynamic values.
func same(a, b any) (eq bool) {
	ta := reflect.TypeOf(a)
	if ta == nil || ta != reflect.TypeOf(b) || !ta.Comparable() {
		return false
	}
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return a == b
}

func errorsIs(err, target error) bool {
	if err == nil || target == nil {
		return err == nil && target == nil
	}
	t := wrapped(target)
	return walkChain(err, func(e error) bool {
		if same(wrapped(e), t) {
			return true
		}
		x, ok := e.(interface{ Is(error) bool })
		return ok && x.Is(target)
	})
}

func errorsAs(err error, target any) bool {
	if err == nil {
		return false
	}
	if target == nil {
		panic("errors: target cannot be nil")
	}
	val := reflect.ValueOf(target)
	if val.Kind() != reflect.Pointer || val.IsNil() {
		panic("errors: target must be a non-nil pointer")
	}
	tt := val.Type().Elem()
	return walkChain(err, func(e error) bool {
		if reflect.TypeOf(e).AssignableTo(tt) {
			val.Elem().Set(reflect.ValueOf(e))
			return true
		}
		if w := wrapped(e); w != nil && reflect.TypeOf(w).AssignableTo(tt) {
			val.Elem().Set(reflect.ValueOf(w))
			return true
		}
		x, ok := e.(interface{ As(any) bool })
		return ok && x.As(target)
	})
}

// walkChain calls f on err and on each error it wraps, depth first as the
// errors package walks them (Unwrap() error and Unwrap() []error), until f
// returns true.
func walkChain(err error, f func(error) bool) bool {
	for err != nil {
		if f(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walkChain(e, f) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

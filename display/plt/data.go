package plt

import (
	"fmt"
	"reflect"
)

// Floats is what a tensor offers: its values as a fresh []float64.
type Floats interface{ Float64s() []float64 }

// Shaper is what a tensor offers for its shape; grids use it.
type Shaper interface{ Shape() []int }

const inputHelp = "want []float64, []float32, []int, [][]float64 or a tensor (anything with Float64s() []float64)"

// toFloats copies v's values. It panics with a message naming fn when v is
// not data.
func toFloats(fn string, v any) []float64 {
	switch x := v.(type) {
	case nil:
		panic(fmt.Sprintf("%s: data is nil; %s", fn, inputHelp))
	case []float64:
		return append([]float64(nil), x...)
	case []float32:
		out := make([]float64, len(x))
		for i, f := range x {
			out[i] = float64(f)
		}
		return out
	case []int:
		out := make([]float64, len(x))
		for i, f := range x {
			out[i] = float64(f)
		}
		return out
	case Floats:
		return x.Float64s()
	case float64:
		return []float64{x}
	case float32:
		return []float64{float64(x)}
	case int:
		return []float64{float64(x)}
	case [][]float64:
		_, _, d := toGrid(fn, x)
		return d
	}
	// Other numeric slices and arrays ([]int64, [3]float64, named types).
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		out := make([]float64, rv.Len())
		for i := range out {
			e := rv.Index(i)
			for e.Kind() == reflect.Interface {
				e = e.Elem()
			}
			switch e.Kind() {
			case reflect.Float32, reflect.Float64:
				out[i] = e.Float()
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				out[i] = float64(e.Int())
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				out[i] = float64(e.Uint())
			default:
				panic(fmt.Sprintf("%s: cannot use %T as data (element %d is %s); %s", fn, v, i, e.Kind(), inputHelp))
			}
		}
		return out
	}
	if m := rv.MethodByName("Float64s"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		if out, ok := m.Call(nil)[0].Interface().([]float64); ok {
			return out
		}
	}
	panic(fmt.Sprintf("%s: cannot use %T as data; %s", fn, v, inputHelp))
}

// toGrid reads a 2-D grid: [][]float64 (rows), or a tensor with a 2-D
// Shape. It returns rows, cols and the row-major values.
func toGrid(fn string, v any) (rows, cols int, data []float64) {
	switch x := v.(type) {
	case [][]float64:
		rows = len(x)
		if rows == 0 {
			panic(fmt.Sprintf("%s: grid has no rows", fn))
		}
		cols = len(x[0])
		data = make([]float64, 0, rows*cols)
		for i, r := range x {
			if len(r) != cols {
				panic(fmt.Sprintf("%s: grid is ragged: row 0 has %d values, row %d has %d", fn, cols, i, len(r)))
			}
			data = append(data, r...)
		}
		return rows, cols, data
	case [][]float32, [][]int:
		rv := reflect.ValueOf(x)
		g := make([][]float64, rv.Len())
		for i := range g {
			g[i] = toFloats(fn, rv.Index(i).Interface())
		}
		return toGrid(fn, g)
	}
	data = toFloats(fn, v)
	if s, ok := v.(Shaper); ok {
		shape := s.Shape()
		switch len(shape) {
		case 2:
			return shape[0], shape[1], data
		case 1:
			return 1, shape[0], data
		}
		panic(fmt.Sprintf("%s: want a 2-D grid, got shape %v", fn, shape))
	}
	return 1, len(data), data
}

package autograd

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestIntBoolReprLikeTorch(t *testing.T) {
	cases := []struct {
		got  *Tensor
		want string
	}{
		{FromInts([]int{1, 2, 3}), "tensor([1, 2, 3])"},
		{FromInts([]int{1, -2, 30}), "tensor([ 1, -2, 30])"},
		{FromBools([]bool{true, false}), "tensor([ True, False])"},
		{FromInts([]int{1, 2, 3, 4}, 2, 2), "tensor([[1, 2],\n        [3, 4]])"},
		{FromInts([]int{7}).Reshape(), "tensor(7)"},
		{FromBools([]bool{true}).Reshape(), "tensor(True)"},
		{FromInts(nil), "tensor([], dtype=int64)"},
		{FromBools(nil), "tensor([], dtype=bool)"},
		{FromInts([]int{1, 2}).Float(), "tensor([1., 2.])"},
	}
	for _, c := range cases {
		if s := c.got.String(); s != c.want {
			t.Errorf("got %q, want %q", s, c.want)
		}
	}
	if h := FromInts([]int{1, 2, 3, 4}, 2, 2).MIMEBundle()["text/html"].(string); !strings.Contains(h, "<td>4</td>") || !strings.Contains(h, "int64") {
		t.Errorf("int64 HTML table: %s", h)
	}
}

func TestConstructorsAndConversions(t *testing.T) {
	x := FromInts([]int{3, -1, 4}, 3)
	if x.DType() != Int64 || !slices.Equal(x.Int64s(), []int64{3, -1, 4}) {
		t.Fatalf("FromInts: %v %v", x.DType(), x.Int64s())
	}
	if v := FromInt64s([]int64{1 << 60}).Int64s()[0]; v != 1<<60 {
		t.Errorf("FromInt64s lost precision: %d", v)
	}
	p := FromUint8([]byte{0, 128, 255, 7}, 2, 2)
	if p.DType() != Float32 || !slices.Equal(p.Float32s(), []float32{0, 128, 255, 7}) || !slices.Equal(p.Shape(), []int{2, 2}) {
		t.Errorf("FromUint8: %v", p)
	}
	// a dataset's size is converted in chunks over the cores: every
	// chunk, the last partial one included, lands in its place
	big := make([]byte, 2<<20+12345)
	for i := range big {
		big[i] = byte(i*31 + i>>20)
	}
	for i, v := range FromUint8(big, len(big)).Float32s() {
		if v != float32(big[i]) {
			t.Fatalf("FromUint8 of %d bytes: element %d = %v, want %d", len(big), i, v, big[i])
		}
	}
	l := FromUint8Long([]uint8{9, 0, 255})
	if l.DType() != Int64 || !slices.Equal(l.Ints(), []int{9, 0, 255}) {
		t.Errorf("FromUint8Long: %v", l)
	}
	f := New([]float64{-1.7, 0, 2.9, 0.2})
	if got := f.Long(); got.DType() != Int64 || !slices.Equal(got.Int64s(), []int64{-1, 0, 2, 0}) {
		t.Errorf("Long rounds towards zero: %v", got)
	}
	if got := f.Bool(); got.DType() != Bool || !slices.Equal(got.Bools(), []bool{true, false, true, true}) {
		t.Errorf("Bool: %v", got)
	}
	if got := f.Bool().Long(); !slices.Equal(got.Int64s(), []int64{1, 0, 1, 1}) {
		t.Errorf("Bool().Long(): %v", got)
	}
	if got := x.Double(); got.DType() != Float64 || !slices.Equal(got.Float64s(), []float64{3, -1, 4}) {
		t.Errorf("Double: %v", got)
	}
	// a transposed (non-contiguous) int view converts in row-major order
	m := FromInts([]int{1, 2, 3, 4, 5, 6}, 2, 3).T()
	if !slices.Equal(m.Float().Float64s(), []float64{1, 4, 2, 5, 3, 6}) || !slices.Equal(m.Contiguous().Ints(), []int{1, 4, 2, 5, 3, 6}) {
		t.Errorf("transposed int view: %v", m.Float())
	}
	if got := ZerosOf(Bool, 2); got.DType() != Bool || got.String() != "tensor([False, False])" {
		t.Errorf("ZerosOf(Bool): %v", got)
	}
	if got := FullOf(Int64, 7, 2); !slices.Equal(got.Ints(), []int{7, 7}) {
		t.Errorf("FullOf: %v", got)
	}
	if got := ArangeLong(0, 5, 2); !slices.Equal(got.Ints(), []int{0, 2, 4}) {
		t.Errorf("ArangeLong: %v", got)
	}
	if got := ArangeLong(5, 0, -2); !slices.Equal(got.Ints(), []int{5, 3, 1}) {
		t.Errorf("ArangeLong down: %v", got)
	}
	mustPanic(t, "SetRequiresGrad: only floating point tensors can require gradients, this one is int64", func() { x.SetRequiresGrad(true) })
	mustPanic(t, "FromInts: 3 values do not fill shape [2 2]", func() { FromInts([]int{1, 2, 3}, 2, 2) })
}

func TestComparisonsGiveBool(t *testing.T) {
	x := New([]float64{1, 2, 3})
	for name, m := range map[string]*Tensor{
		"Gt": x.GtScalar(1.5), "Ge": x.Ge(Scalar(2)), "Lt": x.LtScalar(2.5), "Le": x.LeScalar(2),
		"Eq": x.EqScalar(2), "Ne": x.NeScalar(2),
	} {
		if m.DType() != Bool || m.RequiresGrad() {
			t.Errorf("%s: dtype %v", name, m.DType())
		}
	}
	if got := x.GtScalar(1.5).Bools(); !slices.Equal(got, []bool{false, true, true}) {
		t.Errorf("Gt: %v", got)
	}
	// int against float compares as float (1 < 1.5), and broadcasts
	i := FromInts([]int{1, 2}, 2, 1)
	if got := i.Lt(New([]float64{1.5, 2.5})).Bools(); !slices.Equal(got, []bool{true, true, false, true}) {
		t.Errorf("broadcast int < float: %v", got)
	}
	// accuracy: mask Mean is a float fraction, mask Sum an Int64 count
	pred := FromInts([]int{0, 2, 1, 1})
	y := FromInts([]int{0, 2, 2, 1})
	eq := pred.Eq(y)
	if s := eq.Sum(); s.DType() != Int64 || s.ItemInt() != 3 {
		t.Errorf("Sum of mask: %v", s)
	}
	if m := eq.Mean(); m.DType() != Float32 || m.Item() != 0.75 {
		t.Errorf("Mean of mask: %v", m)
	}
	if s := FromInts([]int{1, 2, 3, 4}, 2, 2).SumDim(0, false); s.DType() != Int64 || !slices.Equal(s.Ints(), []int{4, 6}) {
		t.Errorf("SumDim of int64: %v", s)
	}
	if m := FromInts([]int{1, 2, 4, 4}, 2, 2).MeanDim(0, true); m.DType() != Float32 || !slices.Equal(m.Shape(), []int{1, 2}) || !slices.Equal(m.Float64s(), []float64{2.5, 3}) {
		t.Errorf("MeanDim of int64: %v", m)
	}
	if m := FromBools([]bool{true, false, true, true, false, false}, 3, 2).MeanDim(1, false); !slices.Equal(m.Float64s(), []float64{0.5, 1, 0}) {
		t.Errorf("MeanDim of bool: %v", m)
	}
	if s := FromInt64s([]int64{1 << 60, 1}).Sum(); s.Int64s()[0] != 1<<60+1 {
		t.Errorf("int64 Sum is not exact: %v", s)
	}
}

func TestArgmaxIsInt64(t *testing.T) {
	x := New([]float64{1, 5, 2, 7, 0, 3}, 2, 3)
	if a := x.Argmax(); a.DType() != Int64 || a.ItemInt() != 3 {
		t.Errorf("Argmax: %v", a)
	}
	if a := x.ArgmaxDim(1, false); a.DType() != Int64 || !slices.Equal(a.Ints(), []int{1, 0}) {
		t.Errorf("ArgmaxDim: %v", a)
	}
	if a := x.ArgminDim(0, true); a.DType() != Int64 || !slices.Equal(a.Shape(), []int{1, 3}) || !slices.Equal(a.Ints(), []int{0, 1, 0}) {
		t.Errorf("ArgminDim: %v", a)
	}
	if m := FromInts([]int{4, 9, 2}).Max(); m.DType() != Int64 || m.ItemInt() != 9 {
		t.Errorf("Max of int64: %v", m)
	}
}

func TestTypePromotion(t *testing.T) {
	f32, f64 := New([]float64{1, 2}), New64([]float64{0.5, 0.25})
	i, b := FromInts([]int{3, 4}), FromBools([]bool{true, false})
	cases := []struct {
		name string
		got  *Tensor
		dt   DType
		want []float64
	}{
		{"float32+float64", f32.Add(f64), Float64, []float64{1.5, 2.25}},
		{"int+float32", i.Add(f32), Float32, []float64{4, 6}},
		{"int*int", i.Mul(i), Int64, []float64{9, 16}},
		{"int/int is true division", i.Div(FromInts([]int{2, 8})), Float32, []float64{1.5, 0.5}},
		{"bool+bool", b.Add(b), Int64, []float64{2, 0}},
		{"bool*float64", b.Mul(f64), Float64, []float64{0.5, 0}},
		{"int+0.5", i.AddScalar(0.5), Float32, []float64{3.5, 4.5}},
		{"int+1", i.AddScalar(1), Int64, []float64{4, 5}},
		{"float32 + 0-d float64 stays float32", f32.Add(Scalar64(1)), Float32, []float64{2, 3}},
		{"int + 0-d float64", i.Add(Scalar64(0.5)), Float64, []float64{3.5, 4.5}},
		{"int.Neg", i.Neg(), Int64, []float64{-3, -4}},
		{"int.Pow(2)", i.Pow(2), Int64, []float64{9, 16}},
		{"int.Pow(3)", i.Pow(3), Int64, []float64{27, 64}},
		{"int.Pow(0.5)", FromInts([]int{4, 9}).Pow(0.5), Float32, []float64{2, 3}},
		{"bool.Pow(2)", b.Pow(2), Int64, []float64{1, 0}},
		{"bool.Neg", b.Neg(), Int64, []float64{-1, 0}},
		{"int.Exp is float", FromInts([]int{0}).Exp(), Float32, []float64{1}},
		{"int.Relu", FromInts([]int{-1, 2}).Relu(), Int64, []float64{0, 2}},
		{"Where(mask, int, float)", Where(b, i, f32), Float32, []float64{3, 2}},
		{"Maximum(int, float64)", i.Maximum(f64), Float64, []float64{3, 4}},
	}
	for _, c := range cases {
		if c.got.DType() != c.dt || !slices.Equal(c.got.Float64s(), c.want) {
			t.Errorf("%s: %v (%v), want %v %v", c.name, c.got, c.got.DType(), c.dt, c.want)
		}
	}
	// mixed float dtypes: each input gets its gradient in its own dtype
	a := New([]float64{1, 2}).SetRequiresGrad(true)
	c := New64([]float64{3, 4}).SetRequiresGrad(true)
	a.Mul(c).Sum().Backward()
	if a.Grad().DType() != Float32 || c.Grad().DType() != Float64 ||
		!slices.Equal(a.Grad().Float64s(), []float64{3, 4}) || !slices.Equal(c.Grad().Float64s(), []float64{1, 2}) {
		t.Errorf("mixed-dtype gradients: %v %v", a.Grad(), c.Grad())
	}
	// in place keeps the tensor's dtype; a float cannot go into an int
	j := FromInts([]int{1, 2})
	j.AddInPlace(FromBools([]bool{true, true}))
	if !slices.Equal(j.Ints(), []int{2, 3}) || j.DType() != Int64 {
		t.Errorf("int AddInPlace bool: %v", j)
	}
	mustPanic(t, "AddInPlace: result type float32 cannot be stored in a int64 tensor", func() { j.AddInPlace(New([]float64{0.5, 0.5})) })
	g := New([]float64{1, 2})
	g.AddInPlace(New64([]float64{0.5, 0.5}))
	if !slices.Equal(g.Float64s(), []float64{1.5, 2.5}) {
		t.Errorf("float32 AddInPlace float64: %v", g)
	}
}

func TestIntIndexingAndJoining(t *testing.T) {
	x := FromInts([]int{1, 2, 3, 4, 5, 6}, 3, 2)
	if r := x.IndexSelect(0, []int{2, 0}); r.DType() != Int64 || !slices.Equal(r.Ints(), []int{5, 6, 1, 2}) {
		t.Errorf("IndexSelect rows: %v", r)
	}
	if r := x.IndexSelect(1, []int{1}); !slices.Equal(r.Ints(), []int{2, 4, 6}) {
		t.Errorf("IndexSelect columns: %v", r)
	}
	if r := x.Index(1); !slices.Equal(r.Ints(), []int{3, 4}) {
		t.Errorf("Index: %v", r)
	}
	if r := Stack([]*Tensor{FromInts([]int{1, 2}), FromInts([]int{3, 4})}, 1); !slices.Equal(r.Ints(), []int{1, 3, 2, 4}) {
		t.Errorf("Stack int64: %v", r)
	}
	m := FromBools([]bool{true, false, true, true}, 2, 2)
	if r := Cat([]*Tensor{m, m.T()}, 0); r.DType() != Bool || !slices.Equal(r.Bools(), []bool{true, false, true, true, true, true, false, true}) {
		t.Errorf("Cat bool: %v", r)
	}
	if oh := OneHot(FromInts([]int{2, 0}), 3); oh.DType() != Int64 || !slices.Equal(oh.Ints(), []int{0, 0, 1, 1, 0, 0}) {
		t.Errorf("OneHot of int64 labels: %v", oh)
	}
}

func TestCatPromotes(t *testing.T) {
	c := Cat([]*Tensor{FromInts([]int{1, 2}), New64([]float64{0.5}), FromBools([]bool{true})}, 0)
	if c.DType() != Float64 || !slices.Equal(c.Float64s(), []float64{1, 2, 0.5, 1}) {
		t.Errorf("Cat(int64, float64, bool): %v", c)
	}
	a := New([]float64{1, 2}).SetRequiresGrad(true)
	Cat([]*Tensor{a, New64([]float64{3})}, 0).Mul(New64([]float64{4, 5, 6})).Sum().Backward()
	if a.Grad().DType() != Float32 || !slices.Equal(a.Grad().Float64s(), []float64{4, 5}) {
		t.Errorf("gradient through a promoting Cat: %v", a.Grad())
	}
}

// TestEveryMethodOnIntAndBool calls every method of *Tensor on Int64 and
// Bool tensors (and on a float tensor with an Int64 or Bool argument): each
// must work or fail with an *Error naming the problem, never index a
// missing float slice (a runtime error a cell would show as a crash
// report).
func TestEveryMethodOnIntAndBool(t *testing.T) {
	skip := map[string]bool{"Release": true} // makes the tensor unusable, by contract
	mk := map[string]func() *Tensor{
		"int64": func() *Tensor { return FromInts([]int{1, -2, 3, 0, 2, 1}, 2, 3) },
		"bool":  func() *Tensor { return FromBools([]bool{true, false, true, true, false, false}, 2, 3) },
		"float": func() *Tensor { return New([]float64{0.5, -1, 2, 0, 1, 3}, 2, 3) },
	}
	typ := reflect.TypeOf(&Tensor{})
	called := 0
	for recvName, recv := range mk {
		for argName, arg := range mk {
			if recvName == "float" && argName == "float" {
				continue
			}
			for m := 0; m < typ.NumMethod(); m++ {
				meth := typ.Method(m)
				if skip[meth.Name] {
					continue
				}
				ft := meth.Type
				args := []reflect.Value{reflect.ValueOf(recv())}
				ok := true
				for i := 1; i < ft.NumIn(); i++ {
					in := ft.In(i)
					switch {
					case in == typ:
						args = append(args, reflect.ValueOf(arg()))
					case in == reflect.TypeOf(DType(0)):
						args = append(args, reflect.ValueOf(Int64))
					case in.Kind() == reflect.Float64:
						args = append(args, reflect.ValueOf(2.0))
					case in.Kind() == reflect.Int:
						args = append(args, reflect.ValueOf(1))
					case in.Kind() == reflect.Bool:
						args = append(args, reflect.ValueOf(false))
					case in == reflect.TypeOf([]int{}):
						if ft.IsVariadic() && i == ft.NumIn()-1 {
							args = append(args, reflect.ValueOf([]int{2, 3}))
						} else {
							args = append(args, reflect.ValueOf([]int{1}))
						}
					case in == reflect.TypeOf([]float64{}):
						args = append(args, reflect.ValueOf([]float64{1, 2, 3, 4, 5, 6}))
					default:
						ok = false
					}
				}
				if !ok {
					continue
				}
				called++
				func() {
					defer func() {
						if r := recover(); r != nil {
							if _, isErr := r.(*Error); !isErr {
								t.Errorf("%s on %s with %s: panicked with %T: %v", meth.Name, recvName, argName, r, r)
							}
						}
					}()
					var res []reflect.Value
					if ft.IsVariadic() {
						res = meth.Func.CallSlice(args)
					} else {
						res = meth.Func.Call(args)
					}
					for _, r := range res {
						if o, isT := r.Interface().(*Tensor); isT && o != nil && !hasStorage(o) {
							t.Errorf("%s on %s with %s: a %v result of shape %v has no %v storage", meth.Name, recvName, argName, o.dtype, o.shape, o.dtype)
						}
					}
				}()
			}
		}
	}
	if called < 8*100 {
		t.Errorf("only %d calls: the sweep no longer reaches the methods", called)
	}
}

// hasStorage reports whether t's dtype's storage covers its elements.
func hasStorage(t *Tensor) bool {
	n := t.Numel()
	if n == 0 {
		return true
	}
	var l int
	switch t.dtype {
	case Float32:
		l = len(t.d32)
	case Float64:
		l = len(t.d64)
	case Int64:
		l = len(t.is.i64)
	case Bool:
		l = len(t.is.b)
	}
	return l > 0
}

package autograd

import (
	"math"
	"strings"
	"testing"
)

func TestReprLikeTorch(t *testing.T) {
	cases := []struct {
		got  *Tensor
		want string
	}{
		{New([]float64{0.3720, 0.4497, 1.0605}), "tensor([0.3720, 0.4497, 1.0605])"},
		{Scalar(-2).SetRequiresGrad(true), "tensor(-2., requires_grad=true)"},
		{Scalar(-2.5).SetRequiresGrad(true), "tensor(-2.5000, requires_grad=true)"},
		{Arange(0, 6, 1).Reshape(2, 3), "tensor([[0., 1., 2.],\n        [3., 4., 5.]])"},
		{New64([]float64{1e-5, 1, 100}), "tensor([1.0000e-05, 1.0000e+00, 1.0000e+02], dtype=float64)"},
		{Zeros(0), "tensor([])"},
	}
	for _, c := range cases {
		if s := c.got.String(); s != c.want {
			t.Errorf("got %q, want %q", s, c.want)
		}
	}
	big := Arange(0, 2000, 1).String()
	if !strings.Contains(big, "...") {
		t.Errorf("large tensor not summarised: %q", big)
	}
	b := Ones(2, 2).MIMEBundle()
	if _, ok := b["text/html"].(string); !ok || b["text/plain"] != "tensor([[1., 1.],\n        [1., 1.]])" {
		t.Errorf("MIMEBundle = %v", b)
	}
}

func TestScalarGradient(t *testing.T) {
	a := Scalar(3).SetRequiresGrad(true)
	x := Scalar(2)
	b := Scalar(1).SetRequiresGrad(true)
	// loss = (a*x + b - 4)^2 = (3)^2 -> dl/da = 2*3*x = 12, dl/db = 6
	loss := a.Mul(x).Add(b).SubScalar(4).Pow(2).Mean()
	loss.Backward()
	if loss.Item() != 9 || a.Grad().Item() != 12 || b.Grad().Item() != 6 {
		t.Fatalf("loss %v grads %v %v", loss, a.Grad(), b.Grad())
	}
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want %q", want)
		}
		var msg string
		if e, ok := r.(error); ok {
			msg = e.Error()
		} else {
			msg = r.(string)
		}
		if !strings.Contains(msg, want) {
			t.Fatalf("panic %q, want it to contain %q", msg, want)
		}
	}()
	f()
}

func TestErrorsNameOpAndShapes(t *testing.T) {
	mustPanic(t, "Mul: shapes [3 2] and [4] do not broadcast", func() { Zeros(3, 2).Mul(Zeros(4)) })
	mustPanic(t, "Matmul: shapes [3 2] and [3 2] cannot be multiplied", func() { Zeros(3, 2).Matmul(Zeros(3, 2)) })
	mustPanic(t, "Item: only one-element tensors", func() { Zeros(3).Item() })
	mustPanic(t, "Matmul: expected a floating point tensor, got int64 with shape [3 2]", func() { FromInts([]int{1, 2, 3, 4, 5, 6}, 3, 2).Matmul(Zeros(2, 2)) })
	mustPanic(t, "grad can be implicitly created only for scalar outputs", func() {
		Zeros(3).SetRequiresGrad(true).MulScalar(2).Backward()
	})
	mustPanic(t, "does not require grad", func() { Zeros(3).Sum().Backward() })
	mustPanic(t, "backward through the graph a second time", func() {
		w := Ones(3).SetRequiresGrad(true)
		l := w.Mul(w).Sum()
		l.Backward()
		l.Backward()
	})
	mustPanic(t, "leaf tensor that requires grad is used in an in-place operation", func() {
		w := Ones(3).SetRequiresGrad(true)
		w.SubInPlace(Ones(3))
	})
}

func TestRandDeterministic(t *testing.T) {
	ManualSeed(42)
	a := Randn(5).Float64s()
	ManualSeed(42)
	b := Randn(5).Float64s()
	g := NewGenerator(42)
	c := g.Randn(5).Float64s()
	for i := range a {
		if a[i] != b[i] || a[i] != c[i] {
			t.Fatalf("not deterministic: %v %v %v", a, b, c)
		}
	}
	u := Rand(1000).Float64s()
	s := 0.0
	for _, v := range u {
		if v < 0 || v >= 1 {
			t.Fatalf("Rand out of [0,1): %v", v)
		}
		s += v
	}
	if math.Abs(s/1000-0.5) > 0.05 {
		t.Fatalf("Rand mean %v", s/1000)
	}
}

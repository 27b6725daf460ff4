package autograd

import (
	"context"
	"errors"
	"testing"
)

func TestGradAccumulatesAcrossBackward(t *testing.T) {
	w := New([]float64{1, 2}).SetRequiresGrad(true)
	w.Mul(w).Sum().Backward() // grad 2w = [2 4]
	w.MulScalar(3).Sum().Backward()
	if g := w.Grad().Float64s(); g[0] != 5 || g[1] != 7 {
		t.Fatalf("accumulated grad %v, want [5 7]", g)
	}
	buf := w.Grad()
	w.ZeroGrad()
	if g := w.Grad().Float64s(); g[0] != 0 || g[1] != 0 || w.Grad() != buf {
		t.Fatalf("ZeroGrad gave %v (same buffer %v)", g, w.Grad() == buf)
	}
	// a tensor used twice in one graph gets both contributions
	x := Scalar(3).SetRequiresGrad(true)
	x.Mul(x).Add(x).Backward()
	if x.Grad().Item() != 7 {
		t.Fatalf("d(x*x+x)/dx = %v, want 7", x.Grad().Item())
	}
}

func TestNoGradRecordsNothing(t *testing.T) {
	w := Ones(3).SetRequiresGrad(true)
	var y *Tensor
	NoGrad(func() { y = w.MulScalar(2).Sum() })
	if y.RequiresGrad() || y.GradFn() != "" {
		t.Fatalf("op under NoGrad recorded: requires %v fn %q", y.RequiresGrad(), y.GradFn())
	}
	if !IsGradEnabled() {
		t.Fatal("NoGrad did not restore grad mode")
	}
	prev := SetGradEnabled(false)
	z := w.Exp()
	SetGradEnabled(prev)
	if z.RequiresGrad() || !prev {
		t.Fatalf("SetGradEnabled(false) still recorded (prev %v)", prev)
	}
	// the seeds' update: w -= lr * w.grad, then zero the grad
	w.Mul(w).Sum().Backward()
	NoGrad(func() {
		w.SubInPlace(w.Grad().MulScalar(0.5))
		w.Grad().Zero()
	})
	if v := w.Float64s(); v[0] != 0 || !w.RequiresGrad() || !w.IsLeaf() {
		t.Fatalf("after in-place step w = %v leaf %v", v, w.IsLeaf())
	}
}

func TestDetachCutsGraphSharesStorage(t *testing.T) {
	w := New([]float64{1, 2}).SetRequiresGrad(true)
	d := w.Detach()
	if d.RequiresGrad() {
		t.Fatal("Detach requires grad")
	}
	y := w.Mul(d).Sum() // gradient only through w: d counts as a constant
	y.Backward()
	if g := w.Grad().Float64s(); g[0] != 1 || g[1] != 2 {
		t.Fatalf("grad through detached factor %v, want [1 2]", g)
	}
	NoGrad(func() { d.AddScalarInPlace(10) })
	if w.Float64s()[0] != 11 {
		t.Fatal("Detach does not share storage")
	}
}

func TestViewsShareStorage(t *testing.T) {
	a := Arange(0, 6, 1).Reshape(2, 3)
	tr := a.T()
	if tr.IsContiguous() || tr.At(2, 1) != 5 {
		t.Fatalf("transpose view wrong: %v", tr)
	}
	a.Narrow(1, 1, 1).Fill(-1)
	if a.At(0, 1) != -1 || a.At(1, 1) != -1 || tr.At(1, 0) != -1 {
		t.Fatalf("narrow view did not write through: %v", a)
	}
	e := Scalar(2).Expand(2, 3)
	if e.Strides()[0] != 0 || e.Numel() != 6 {
		t.Fatalf("expand not a broadcast view: strides %v", e.Strides())
	}
}

func TestBackwardWithAndRetain(t *testing.T) {
	x := New([]float64{1, 2, 3}).SetRequiresGrad(true)
	y := x.Mul(x)
	y.BackwardRetain(New([]float64{1, 0, 1}))
	y.BackwardWith(New([]float64{1, 1, 1}))
	if g := x.Grad().Float64s(); g[0] != 4 || g[1] != 4 || g[2] != 12 {
		t.Fatalf("grad %v, want [4 4 12]", g)
	}
	h := x.MulScalar(2)
	h.RetainGrad()
	h.Sum().Backward()
	if h.Grad() == nil || h.Grad().Float64s()[0] != 1 {
		t.Fatalf("RetainGrad kept %v", h.Grad())
	}
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	SetContext(ctx)
	defer SetContext(nil)
	cancel()
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrInterrupted) {
			t.Fatalf("recovered %v, want an error wrapping ErrInterrupted", r)
		}
	}()
	Randn(64, 64).Matmul(Randn(64, 64))
}

func TestFloat32Default(t *testing.T) {
	if Zeros(2).DType() != Float32 || Randn(2).DType() != Float32 || Zeros(2).Double().DType() != Float64 {
		t.Fatal("dtype defaults wrong")
	}
	x := Arange(0, 4, 1)
	if len(x.Data32()) != 4 {
		t.Fatal("Data32 length")
	}
	mustPanic(t, "Data64: tensor is float32", func() { x.Data64() })
	mustPanic(t, "not contiguous", func() { Zeros(2, 3).T().Data32() })
}

func TestLinspaceArangeEye(t *testing.T) {
	l := Linspace(-5, 5, 1000).Float64s()
	if l[0] != -5 || l[999] != 5 || len(l) != 1000 {
		t.Fatalf("Linspace ends %v %v", l[0], l[999])
	}
	if a := Arange(0, 1, 0.25).Float64s(); len(a) != 4 || a[3] != 0.75 {
		t.Fatalf("Arange %v", a)
	}
	if e := Eye(3); e.Sum().Item() != 3 || e.At(1, 1) != 1 {
		t.Fatalf("Eye %v", e)
	}
	r := Randint(2, 5, 100).Float64s()
	for _, v := range r {
		if v < 2 || v >= 5 || v != float64(int(v)) {
			t.Fatalf("Randint value %v", v)
		}
	}
}

// Backward passes in several goroutines at once must not leave recording
// switched off (nor record their own backward ops).
func TestConcurrentBackward(t *testing.T) {
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			w := Randn(8, 8).SetRequiresGrad(true)
			for i := 0; i < 200; i++ {
				w.Matmul(w).Relu().Sum().Backward()
			}
			done <- w.Grad() != nil
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Fatal("a goroutine got no gradient")
		}
	}
	x := Ones(2).SetRequiresGrad(true)
	if !IsGradEnabled() || !x.MulScalar(2).RequiresGrad() {
		t.Fatal("recording is off after concurrent backward passes")
	}
}

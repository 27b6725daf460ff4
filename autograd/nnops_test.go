package autograd

import (
	"math"
	"testing"
)

func TestGradNNOps(t *testing.T) {
	x, y := rnd(3, 4), gcGen.Rand(3, 4).Double().Detach()
	ops := map[string]func(v []*Tensor) *Tensor{
		"LeakyRelu":   func(v []*Tensor) *Tensor { return v[0].LeakyRelu(0.2) },
		"Gelu":        func(v []*Tensor) *Tensor { return v[0].Gelu(false) },
		"GeluTanh":    func(v []*Tensor) *Tensor { return v[0].Gelu(true) },
		"BCELogits":   func(v []*Tensor) *Tensor { return BCEWithLogits(v[0], v[1], nil) },
		"BCELogitsPW": func(v []*Tensor) *Tensor { return BCEWithLogits(v[0], v[1], New64([]float64{0.5, 2, 3, 1})) },
		"Huber":       func(v []*Tensor) *Tensor { return HuberLoss(v[0], v[1], 0.7) },
		"SmoothL1":    func(v []*Tensor) *Tensor { return SmoothL1Loss(v[0], v[1], 0.7) },
		"SmoothL1b0":  func(v []*Tensor) *Tensor { return SmoothL1Loss(v[0], v[1], 0) },
	}
	for name, f := range ops {
		if name == "LeakyRelu" || name[:4] == "Gelu" {
			gradCheck(t, name, f, x.Detach())
			continue
		}
		gradCheck(t, name, f, x.Detach(), y.Detach())
	}
}

func TestNNOpsValues(t *testing.T) {
	x := New64([]float64{-2, -0.5, 0, 0.5, 3})
	check := func(name string, got *Tensor, want []float64) {
		t.Helper()
		for i, v := range got.Float64s() {
			if math.Abs(v-want[i]) > 1e-12 {
				t.Fatalf("%s[%d] = %v, want %v", name, i, v, want[i])
			}
		}
	}
	check("LeakyRelu", x.LeakyRelu(0.1), []float64{-0.2, -0.05, 0, 0.5, 3})
	phi := func(v float64) float64 { return 0.5 * (1 + math.Erf(v/math.Sqrt2)) }
	check("Gelu", x.Gelu(false), []float64{-2 * phi(-2), -0.5 * phi(-0.5), 0, 0.5 * phi(0.5), 3 * phi(3)})
	// BCE with logits against its naive formula, and at a logit that would overflow exp
	y := New64([]float64{1, 0, 1, 0.3, 1})
	naive := make([]float64, 5)
	for i, v := range x.Float64s() {
		s := 1 / (1 + math.Exp(-v))
		yy := y.Float64s()[i]
		naive[i] = -(yy*math.Log(s) + (1-yy)*math.Log(1-s))
	}
	check("BCEWithLogits", BCEWithLogits(x, y, nil), naive)
	check("BCEWithLogits large", BCEWithLogits(New64([]float64{-1000, 1000}), New64([]float64{1, 1}), nil), []float64{1000, 0})
	check("Huber", HuberLoss(x, ZerosLike(x), 1), []float64{1.5, 0.125, 0, 0.125, 2.5})
	check("SmoothL1", SmoothL1Loss(x, ZerosLike(x), 2), []float64{1, 0.0625, 0, 0.0625, 2})
}

func TestDropout(t *testing.T) {
	x := Ones(100, 100).SetRequiresGrad(true)
	y := Dropout(x, 0.3, NewGenerator(5))
	zeros, kept := 0, 0
	for _, v := range y.Float64s() {
		switch {
		case v == 0:
			zeros++
		case math.Abs(v-1/0.7) < 1e-6:
			kept++
		default:
			t.Fatalf("value %v is neither 0 nor 1/(1-p)", v)
		}
	}
	if zeros+kept != 10000 || zeros < 2800 || zeros > 3200 {
		t.Fatalf("%d of 10000 dropped with p=0.3", zeros)
	}
	y.Sum().Backward()
	if g, v := x.Grad().Float64s(), y.Float64s(); g[0] != v[0] || g[1] != v[1] || g[9999] != v[9999] {
		t.Fatal("gradient is not the mask")
	}
	a, b := Dropout(Ones(50), 0.5, NewGenerator(9)), Dropout(Ones(50), 0.5, NewGenerator(9))
	closeAll(t, "same seed, same mask", a, b, 0)
	mustPanic(t, "Dropout: probability has to be between 0 and 1, but got 1.5", func() { Dropout(x, 1.5, nil) })
	if s := Dropout(x, 1, nil).Sum().Item(); s != 0 {
		t.Fatalf("p=1 keeps %v", s)
	}
}

package autograd

import (
	"math"
	"testing"
)

func TestGradClassificationLosses(t *testing.T) {
	y := FromInts([]int{2, 0, 1, 2, 3})
	w := New64([]float64{0.5, 2, 1, 1.5})
	for _, red := range []string{"mean", "sum", "none"} {
		gradCheck(t, "NLLLoss_"+red, func(x []*Tensor) *Tensor { return NLLLoss(x[0].LogSoftmax(1), y, w, 1, red) }, rnd(5, 4))
		for _, eps := range []float64{0, 0.3} {
			gradCheck(t, "CrossEntropy_"+red, func(x []*Tensor) *Tensor {
				return CrossEntropyLoss(x[0], y, w, 0, eps, red)
			}, rnd(5, 4))
			gradCheck(t, "CrossEntropyProbs_"+red, func(x []*Tensor) *Tensor {
				return CrossEntropyLoss(x[0], x[1].Softmax(1), w, -100, eps, red)
			}, rnd(5, 4), rnd(5, 4))
		}
	}
	gradCheck(t, "CrossEntropySpatial", func(x []*Tensor) *Tensor {
		return CrossEntropyLoss(x[0], FromInts([]int{0, 2, 1, 1, 2, 0}, 2, 3), nil, 2, 0.1, "mean")
	}, rnd(2, 3, 3))
	gradCheck(t, "CrossEntropyOneSample", func(x []*Tensor) *Tensor {
		return CrossEntropyLoss(x[0], FromInts([]int{1}).Reshape(), nil, -100, 0, "mean")
	}, rnd(3))
}

func TestClassificationLossErrors(t *testing.T) {
	logits := Randn(3, 4)
	mustPanic(t, "CrossEntropyLoss: target 1.5 (element 1) is not a class index", func() {
		CrossEntropyLoss(logits, New([]float64{0, 1.5, 2}), nil, -100, 0, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: target 4 (element 2) is out of range for 4 classes", func() {
		CrossEntropyLoss(logits, FromInts([]int{0, 1, 4}), nil, -100, 0, "mean")
	})
	mustPanic(t, "NLLLoss: target -1 (element 0) is out of range for 4 classes", func() {
		NLLLoss(logits, FromInts([]int{-1, 1, 3}), nil, -100, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: input of shape [3 4] needs class-index targets of shape [3], got [2]", func() {
		CrossEntropyLoss(logits, FromInts([]int{0, 1}), nil, -100, 0, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: weight must have shape [4] (one per class), got [3]", func() {
		CrossEntropyLoss(logits, FromInts([]int{0, 1, 2}), Ones(3), -100, 0, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: target must hold class indices as int64, got a bool tensor", func() {
		CrossEntropyLoss(logits, FromBools([]bool{true, false, true}), nil, -100, 0, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: expected a floating point tensor, got int64", func() {
		CrossEntropyLoss(FromInts([]int{1, 2, 3, 4}, 1, 4), FromInts([]int{0}), nil, -100, 0, "mean")
	})
	mustPanic(t, "CrossEntropyLoss: label smoothing must be in [0, 1], got 1.5", func() {
		CrossEntropyLoss(logits, FromInts([]int{0, 1, 2}), nil, -100, 1.5, "mean")
	})
	mustPanic(t, `NLLLoss: reduction must be "mean", "sum" or "none", got "avg"`, func() {
		NLLLoss(logits, FromInts([]int{0, 1, 2}), nil, -100, "avg")
	})
	// integral float class indices still work (the old float labels)
	a := CrossEntropyLoss(logits, New([]float64{0, 3, 2}), nil, -100, 0, "mean").Item()
	b := CrossEntropyLoss(logits, FromInts([]int{0, 3, 2}), nil, -100, 0, "mean").Item()
	if a != b {
		t.Errorf("float indices %v, int64 %v", a, b)
	}
	// every target ignored: the mean is 0/0, as torch
	if v := NLLLoss(logits, FromInts([]int{1, 1, 1}), nil, 1, "mean").Item(); !math.IsNaN(v) {
		t.Errorf("all ignored: %v, want NaN", v)
	}
}

func TestOneHotTargets(t *testing.T) {
	mustPanic(t, "OneHot: target 0.5 (element 0) is not a class index", func() { OneHot(New([]float64{0.5}), 2) })
	mustPanic(t, "OneHot: class index 2 out of range [0, 2)", func() { OneHot(FromInts([]int{2}), 2) })
	if oh := OneHot(New([]float64{1, 0}), 2); oh.DType() != Float32 || oh.String() != "tensor([[0., 1.],\n        [1., 0.]])" {
		t.Errorf("OneHot of float labels: %v", oh)
	}
}

// The fused cross-entropy (crossEntropyRows) against its definition,
// NLLLoss(LogSoftmax(input)): the same loss and the same gradient, over
// reductions, class weights, an ignored target, 1-D, 2-D and spatial
// inputs, a transposed (non-contiguous) input, both float dtypes, and
// rows holding NaN, +Inf and only -Inf (NaN, as the definition gives).
func TestFusedCrossEntropyMatchesDefinition(t *testing.T) {
	inf := math.Inf(1)
	type tc struct {
		name   string
		x      func() *Tensor
		target *Tensor
	}
	g := NewGenerator(8)
	cases := []tc{
		{"2-D", func() *Tensor { return g.Randn(6, 5).MulScalar(3) }, FromInts([]int{4, 0, 2, 2, 1, 3})},
		{"1-D", func() *Tensor { return g.Randn(7) }, FromInts([]int{5}).Reshape()},
		{"spatial", func() *Tensor { return g.Randn(2, 4, 3) }, FromInts([]int{0, 3, 1, 2, 2, 0}, 2, 3)},
		{"transposed", func() *Tensor { return g.Randn(5, 6).T() }, FromInts([]int{4, 0, 2, 2, 1, 3})},
		{"non-finite", func() *Tensor {
			return New64([]float64{1, 2, 3, math.NaN(), 0, 1, inf, 2, 0, -inf, -inf, -inf, 5, -inf, 1}).Reshape(5, 3)
		}, FromInts([]int{0, 1, 2, 1, 0})},
	}
	for _, c := range cases {
		for _, dt := range []DType{Float32, Float64} {
			x0 := c.x().Detach().To(dt)
			classes := x0.Shape()[min(1, len(x0.Shape())-1)]
			weight := Arange(1, float64(classes)+1, 1).To(dt)
			for _, w := range []*Tensor{nil, weight} {
				for _, ignore := range []int{-100, 2} {
					for _, red := range []string{"mean", "sum", "none"} {
						run := func(fused bool) (loss, grad []float64) {
							x := x0.Detach().SetRequiresGrad(true)
							var l *Tensor
							if fused {
								l = CrossEntropyLoss(x, c.target, w, ignore, 0, red)
							} else {
								l = NLLLoss(x.LogSoftmax(min(1, len(x.Shape())-1)), c.target, w, ignore, red)
							}
							l.BackwardWith(OnesLike(l).MulScalar(0.7))
							return l.Float64s(), x.Grad().Float64s()
						}
						fl, fg := run(true)
						dl, dg := run(false)
						tol := 1e-12
						if dt == Float32 {
							tol = 2e-6
						}
						same := func(what string, got, want []float64) {
							t.Helper()
							for i := range want {
								a, b := got[i], want[i]
								if math.IsNaN(a) != math.IsNaN(b) || (!math.IsNaN(b) && math.Abs(a-b) > tol*(1+math.Abs(b))) {
									t.Fatalf("%s %v weight=%v ignore=%d %s: %s[%d] = %v fused, %v by definition", c.name, dt, w != nil, ignore, red, what, i, a, b)
								}
							}
						}
						same("loss", fl, dl)
						same("gradient", fg, dg)
					}
				}
			}
		}
	}
}

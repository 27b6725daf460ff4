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

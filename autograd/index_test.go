package autograd

import (
	"math"
	"slices"
	"testing"
)

// Finite-difference checks of every new differentiable op (testdata's
// torch comparisons check the values; these check the backward on other
// shapes, strided inputs and broadcast upstream gradients).
func TestGradIndexOps(t *testing.T) {
	idx := FromInts([]int{2, 0, 1, 1, 3, 0}, 2, 3)
	gradCheck(t, "Gather1", func(x []*Tensor) *Tensor { return x[0].Gather(1, idx) }, rnd(2, 4))
	gradCheck(t, "Gather0Repeated", func(x []*Tensor) *Tensor { return x[0].Gather(0, FromInts([]int{1, 1, 0}, 1, 3)) }, rnd(2, 3))
	gradCheck(t, "GatherTransposed", func(x []*Tensor) *Tensor { return x[0].T().Gather(1, idx) }, rnd(4, 2))
	sidx := FromInts([]int{3, 0, 1, 2}, 2, 2)
	gradCheck(t, "Scatter", func(x []*Tensor) *Tensor { return x[0].Scatter(1, sidx, x[1]) }, rnd(2, 4), rnd(2, 2))
	gradCheck(t, "ScatterLargerSrc", func(x []*Tensor) *Tensor { return x[0].Scatter(1, sidx, x[1]) }, rnd(2, 4), rnd(3, 3))
	gradCheck(t, "ScatterAddRepeats", func(x []*Tensor) *Tensor {
		return x[0].ScatterAdd(0, FromInts([]int{0, 0, 1, 0}, 2, 2), x[1])
	}, rnd(2, 2), rnd(2, 2))
	gradCheck(t, "MaskedSelectBroadcast", func(x []*Tensor) *Tensor {
		return x[0].MaskedSelect(FromBools([]bool{true, false, true}))
	}, rnd(2, 3))
	gradCheck(t, "MaskedSelectExpandsInput", func(x []*Tensor) *Tensor {
		return x[0].MaskedSelect(FromBools([]bool{true, false, true, true}, 2, 2))
	}, rnd(2))
	gradCheck(t, "MaskedFill", func(x []*Tensor) *Tensor { return x[0].MaskedFill(x[0].GtScalar(0), 2) }, rnd(3, 2))
	gradCheck(t, "IndexByInt", func(x []*Tensor) *Tensor { return x[0].IndexBy(FromInts([]int{2, -1, 0, 2}, 2, 2)) }, rnd(3, 2))
	gradCheck(t, "IndexByMask", func(x []*Tensor) *Tensor { return x[0].IndexBy(FromBools([]bool{false, true, true})) }, rnd(3, 2))
	gradCheck(t, "Sort", func(x []*Tensor) *Tensor { v, _ := x[0].Sort(0, true); return v }, rnd(4, 3))
	gradCheck(t, "Topk", func(x []*Tensor) *Tensor { v, _ := x[0].Topk(2, 1, false); return v }, rnd(3, 4))
	gradCheck(t, "Repeat", func(x []*Tensor) *Tensor { return x[0].Repeat(3, 2) }, rnd(2))
	gradCheck(t, "RepeatPermuted", func(x []*Tensor) *Tensor { return x[0].Permute(1, 0).Repeat(1, 2) }, rnd(2, 3))
	gradCheck(t, "SplitCat", func(x []*Tensor) *Tensor {
		p := x[0].Split(2, 1)
		return p[0].Mul(p[1]).Add(p[2].Repeat(1, 2))
	}, rnd(2, 5))
	gradCheck(t, "Chunk", func(x []*Tensor) *Tensor { p := x[0].Chunk(2, 0); return p[0].Sub(p[1].Exp()) }, rnd(4, 2))
	gradCheck(t, "SplitSizes", func(x []*Tensor) *Tensor { p := x[0].SplitSizes([]int{1, 3}, 0); return p[1].Mul(p[0]) }, rnd(4))
	gradCheck(t, "Log1p", func(x []*Tensor) *Tensor { return x[0].Log1p() }, pos(3, 2))
	gradCheck(t, "Expm1", func(x []*Tensor) *Tensor { return x[0].Expm1() }, rnd(3, 2))
	gradCheck(t, "FlattenDims", func(x []*Tensor) *Tensor { return x[0].T().FlattenDims(0, 1).Pow(2) }, rnd(2, 3))
}

func TestIndexOpErrors(t *testing.T) {
	x := Randn(2, 3)
	mustPanic(t, "Gather: index must be an int64 tensor, got float32 (convert it with Long())", func() { x.Gather(1, Zeros(2, 1)) })
	mustPanic(t, "Gather: index 3 out of range for dimension 1 with size 3", func() { x.Gather(1, FromInts([]int{0, 3}, 2, 1)) })
	mustPanic(t, "Gather: index has 1 dimensions (shape [2]), the input 2 (shape [2 3]); they must match", func() { x.Gather(1, FromInts([]int{0, 1})) })
	mustPanic(t, "Scatter: index -1 out of range for dimension 0 with size 2", func() { x.Scatter(0, FromInts([]int{-1}, 1, 1), Ones(1, 1)) })
	mustPanic(t, "Scatter: src of dtype float32 cannot be written into a int64 tensor", func() {
		FromInts([]int{1, 2}).Scatter(0, FromInts([]int{0}), Ones(1))
	})
	mustPanic(t, "MaskedSelect: mask must be a bool tensor, got float32", func() { x.MaskedSelect(Ones(3)) })
	mustPanic(t, "MaskedSelect: shapes [2 3] and [2] do not broadcast", func() { x.MaskedSelect(FromBools([]bool{true, false})) })
	mustPanic(t, "IndexBy: index 2 out of range for dimension 0 with size 2", func() { x.IndexBy(FromInts([]int{2})) })
	mustPanic(t, "IndexBy: index must be an int64 or bool tensor, got float32", func() { x.IndexBy(Zeros(1)) })
	mustPanic(t, "Topk: k=4 is out of range for dimension 1 with size 3", func() { x.Topk(4, 1, true) })
	mustPanic(t, "Repeat: 1 repeats for a tensor of 2 dimensions", func() { x.Repeat(2) })
	mustPanic(t, "SplitSizes: sizes [1 1] add up to 2, but dimension 1 has size 3", func() { x.SplitSizes([]int{1, 1}, 1) })
}

func TestIndexOpsOnIntegers(t *testing.T) {
	x := FromInts([]int{5, 1, 4, 1, 3, 9}, 2, 3)
	v, i := x.Sort(1, false)
	if v.DType() != Int64 || !slices.Equal(v.Ints(), []int{1, 4, 5, 1, 3, 9}) || !slices.Equal(i.Ints(), []int{1, 2, 0, 0, 1, 2}) {
		t.Errorf("Sort int64: %v %v", v, i)
	}
	// stable: equal keys keep their order, ascending and descending
	_, i = FromInts([]int{2, 1, 2, 1}).Sort(0, false)
	if !slices.Equal(i.Ints(), []int{1, 3, 0, 2}) {
		t.Errorf("stable ascending: %v", i)
	}
	_, i = FromInts([]int{2, 1, 2, 1}).Sort(0, true)
	if !slices.Equal(i.Ints(), []int{0, 2, 1, 3}) {
		t.Errorf("stable descending: %v", i)
	}
	// NaN sorts last ascending, as torch
	v, _ = New([]float64{1, math.NaN(), -1}).Sort(0, false)
	if f := v.Float64s(); f[0] != -1 || f[1] != 1 || !math.IsNaN(f[2]) {
		t.Errorf("NaN order: %v", v)
	}
	if g := x.Gather(1, FromInts([]int{2, 0}, 2, 1)); g.DType() != Int64 || !slices.Equal(g.Ints(), []int{4, 1}) {
		t.Errorf("Gather int64: %v", g)
	}
	if m := x.MaskedSelect(x.GtScalar(3)); !slices.Equal(m.Ints(), []int{5, 4, 9}) {
		t.Errorf("MaskedSelect int64: %v", m)
	}
	if r := FromBools([]bool{true, false}).Repeat(2); r.DType() != Bool || !slices.Equal(r.Bools(), []bool{true, false, true, false}) {
		t.Errorf("Repeat bool: %v", r)
	}
	if s := ZerosOf(Int64, 2, 3).ScatterAdd(1, FromInts([]int{0, 0, 2, 2}, 2, 2), FromInts([]int{1, 2, 3, 4}, 2, 2)); !slices.Equal(s.Ints(), []int{3, 0, 0, 0, 0, 7}) {
		t.Errorf("ScatterAdd int64 (a bincount): %v", s)
	}
	if a := x.GtScalar(0).All(); a.DType() != Bool || !a.Bools()[0] {
		t.Errorf("All: %v", a)
	}
	if a := x.GtScalar(4).AnyDim(1, false); !slices.Equal(a.Bools(), []bool{true, true}) {
		t.Errorf("AnyDim: %v", a)
	}
	if a := x.GtScalar(1).AllDim(0, true); !slices.Equal(a.Shape(), []int{1, 3}) || !slices.Equal(a.Bools(), []bool{false, false, true}) {
		t.Errorf("AllDim: %v", a)
	}
	if a := Zeros(0).All(); !a.Bools()[0] || Zeros(0).Any().Bools()[0] {
		t.Errorf("All/Any of nothing: %v %v", a, Zeros(0).Any())
	}
	m := FromBools([]bool{true, true, false, false})
	n := FromBools([]bool{true, false, true, false})
	if !slices.Equal(m.LogicalAnd(n).Bools(), []bool{true, false, false, false}) ||
		!slices.Equal(m.LogicalOr(n).Bools(), []bool{true, true, true, false}) ||
		!slices.Equal(m.LogicalXor(n).Bools(), []bool{false, true, true, false}) ||
		!slices.Equal(m.LogicalNot().Bools(), []bool{false, false, true, true}) {
		t.Errorf("logical ops")
	}
	if s := x.FlattenDims(0, -1); !slices.Equal(s.Shape(), []int{6}) {
		t.Errorf("FlattenDims: %v", s.Shape())
	}
	if p := x.Split(2, 1); len(p) != 2 || !slices.Equal(p[1].Ints(), []int{4, 9}) {
		t.Errorf("Split: %v", x.Split(2, 1))
	}
}

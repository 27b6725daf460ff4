package nn_test

import (
	"fmt"
	"math"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
)

// fdCheck compares the gradients Backward gives for L = sum(f() * w), w
// random, with central finite differences, for every tensor of ins
// (float64, requiring grad).
func fdCheck(t *testing.T, name string, f func() *ag.Tensor, ins ...*ag.Tensor) {
	t.Helper()
	for _, x := range ins {
		x.SetGrad(nil)
	}
	out := f()
	w := ag.NewGenerator(1).Randn(out.Shape()...).Double()
	out.Mul(w).Sum().Backward()
	loss := func() float64 {
		var v float64
		ag.NoGrad(func() { v = f().Mul(w).Sum().Item() })
		return v
	}
	const eps = 1e-6
	for k, x := range ins {
		g := x.Grad()
		if g == nil {
			t.Fatalf("%s: input %d got no gradient", name, k)
		}
		d, gv := x.Data64(), g.Float64s()
		for i := range d {
			orig := d[i]
			d[i] = orig + eps
			lp := loss()
			d[i] = orig - eps
			lm := loss()
			d[i] = orig
			num := (lp - lm) / (2 * eps)
			if math.Abs(num-gv[i]) > 1e-5*(1+math.Abs(num)) {
				t.Fatalf("%s: input %d element %d: backward %.8g, finite difference %.8g", name, k, i, gv[i], num)
			}
		}
	}
}

func p64(t *ag.Tensor) *ag.Tensor { return nn.Param(t.Double().Detach().AddScalar(0)) }

func TestLayerGradientsFiniteDifferences(t *testing.T) {
	g := ag.NewGenerator(4)
	x4 := func(s ...int) *ag.Tensor { return g.Randn(s...).Double().SetRequiresGrad(true) }

	conv := nn.NewConv2dWith(4, 6, [2]int{3, 2}, 2, true, g).WithStride(2).WithPadding(1)
	conv.Weight, conv.Bias = p64(conv.Weight), p64(conv.Bias)
	x := x4(2, 4, 7, 6)
	fdCheck(t, "Conv2d", func() *ag.Tensor { return conv.Forward(x) }, x, conv.Weight, conv.Bias)

	for _, dims := range []int{1, 2} {
		bn := nn.NewBatchNorm2d(3)
		shape := []int{4, 3, 3, 2}
		if dims == 1 {
			bn, shape = nn.NewBatchNorm1d(3), []int{5, 3}
		}
		bn.Weight, bn.Bias = p64(g.Randn(3)), p64(g.Randn(3))
		bn.RunningMean, bn.RunningVar = bn.RunningMean.Double(), bn.RunningVar.Double()
		x := x4(shape...)
		fdCheck(t, "BatchNorm train", func() *ag.Tensor { return bn.Forward(x) }, x, bn.Weight, bn.Bias)
		bn.Eval()
		fdCheck(t, "BatchNorm eval", func() *ag.Tensor { return bn.Forward(x) }, x, bn.Weight, bn.Bias)
	}

	ln := nn.NewLayerNorm([]int{3, 4})
	ln.Weight, ln.Bias = p64(g.Randn(3, 4)), p64(g.Randn(3, 4))
	xl := x4(2, 3, 4)
	fdCheck(t, "LayerNorm", func() *ag.Tensor { return ln.Forward(xl) }, xl, ln.Weight, ln.Bias)

	emb := nn.NewEmbeddingWith(6, 3, -1, g)
	emb.Weight = p64(emb.Weight)
	idx := ag.New([]float64{0, 1, 5, 5, 2, 1}, 2, 3)
	fdCheck(t, "Embedding", func() *ag.Tensor { return emb.Forward(idx) }, emb.Weight)
	if got, want := emb.Forward(ag.FromInts([]int{5, 0}, 2)).Float64s(), emb.Forward(ag.New([]float64{5, 0})).Float64s(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Int64 and float indices look up different rows: %v %v", got, want)
	}
	// with a padding index, that row's value passes but its gradient does not (as in PyTorch)
	emb.PaddingIdx = 1
	emb.Weight.SetGrad(nil)
	emb.Forward(idx).Sum().Backward()
	if row := emb.Weight.Grad().Index(1).Float64s(); row[0] != 0 || row[2] != 0 {
		t.Fatalf("the padding row got gradient %v", row)
	}

	drop := nn.NewDropout(0.4)
	xd := x4(4, 5)
	fdCheck(t, "Dropout", func() *ag.Tensor {
		drop.Generator = ag.NewGenerator(8) // the same mask every call
		return drop.Forward(xd)
	}, xd)

	xa := x4(2, 3, 6, 5)
	for name, m := range map[string]nn.Module{
		"MaxPool2d": nn.NewMaxPool2d(2), "AvgPool2d": nn.NewAvgPool2d(3).WithStride(1).WithPadding(1),
		"AdaptiveAvgPool2d": nn.NewAdaptiveAvgPool2d(4, 2), "Flatten": nn.NewFlatten(), "LeakyReLU": nn.NewLeakyReLU(),
		"GELU": nn.NewGELU(), "Softmax": nn.NewSoftmax(1), "LogSoftmax": nn.NewLogSoftmax(-1),
	} {
		fdCheck(t, name, func() *ag.Tensor { return m.Forward(xa) }, xa)
	}
}

func TestDefaultInitialisation(t *testing.T) {
	c := nn.NewConv2dWith(6, 8, [2]int{3, 5}, 2, true, ag.NewGenerator(2))
	bound := 1 / math.Sqrt(3*3*5) // fan_in = in/groups · kH · kW
	lo, hi := 0.0, 0.0
	for _, v := range append(c.Weight.Float64s(), c.Bias.Float64s()...) {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo < -bound || hi > bound || hi < 0.8*bound || lo > -0.8*bound {
		t.Fatalf("conv init in [%v, %v], want U(±%v)", lo, hi, bound)
	}
	if s := c.Weight.Shape(); s[0] != 8 || s[1] != 3 || s[2] != 3 || s[3] != 5 {
		t.Fatalf("grouped conv weight shape %v", s)
	}
	e := nn.NewEmbeddingWith(200, 50, 3, ag.NewGenerator(2))
	w := e.Weight.Float64s()
	mean, sq := 0.0, 0.0
	for _, v := range w {
		mean += v / float64(len(w))
		sq += v * v / float64(len(w))
	}
	if math.Abs(mean) > 0.05 || math.Abs(sq-1) > 0.05 || e.Weight.Index(3).Sum().Item() != 0 {
		t.Fatalf("embedding init mean %v, E[x²] %v, padding row %v: want N(0, 1) with a zero row", mean, sq, e.Weight.Index(3))
	}
	bn, ln := nn.NewBatchNorm2d(4), nn.NewLayerNorm([]int{4})
	for _, tc := range []struct {
		t    *ag.Tensor
		want float64
	}{{bn.Weight, 4}, {bn.Bias, 0}, {bn.RunningMean, 0}, {bn.RunningVar, 4}, {ln.Weight, 4}, {ln.Bias, 0}} {
		if s := tc.t.Sum().Item(); s != tc.want {
			t.Fatalf("norm init sums to %v, want %v (ones/zeros)", s, tc.want)
		}
	}
	if bn.Eps != 1e-5 || bn.Momentum != 0.1 || ln.Eps != 1e-5 || nn.NewLeakyReLU().Slope != 0.01 {
		t.Fatal("PyTorch's default eps, momentum or slope")
	}
}

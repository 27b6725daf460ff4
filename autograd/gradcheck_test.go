package autograd

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// gradCheck compares the gradients Backward computes for f at inputs
// against central finite differences of L = sum(f(inputs) * w) for a
// random weight tensor w, in float64.
func gradCheck(t *testing.T, name string, f func(xs []*Tensor) *Tensor, inputs ...*Tensor) {
	t.Helper()
	// weighted: L = sum(f*w) gives contiguous upstream gradients; plain:
	// L = sum(f) gives broadcast (stride 0) ones, which take other paths.
	for _, weighted := range []bool{true, false} {
		gradCheckOnce(t, name, f, weighted, inputs)
	}
}

func gradCheckOnce(t *testing.T, name string, f func(xs []*Tensor) *Tensor, weighted bool, inputs []*Tensor) {
	t.Helper()
	for _, x := range inputs {
		x.SetRequiresGrad(true)
		x.SetGrad(nil)
	}
	out := f(inputs)
	if out.DType() != Float64 {
		t.Fatalf("%s: output is %v", name, out.DType())
	}
	w := OnesLike(out)
	if weighted {
		w = gcGen.Randn(out.shape...).Double()
	}
	scalar := func(o *Tensor) *Tensor {
		if weighted {
			return o.Mul(w).Sum()
		}
		return o.Sum()
	}
	loss := func() float64 {
		var v float64
		NoGrad(func() { v = scalar(f(inputs)).Item() })
		return v
	}
	scalar(out).Backward()
	const eps = 1e-6
	for k, x := range inputs {
		g := x.Grad()
		if g == nil {
			t.Fatalf("%s: input %d got no gradient", name, k)
		}
		if !slices.Equal(g.shape, x.shape) {
			t.Fatalf("%s: input %d gradient shape %v, want %v", name, k, g.shape, x.shape)
		}
		data := x.Data64()
		gv := g.Float64s()
		for i := range data {
			orig := data[i]
			data[i] = orig + eps
			lp := loss()
			data[i] = orig - eps
			lm := loss()
			data[i] = orig
			num := (lp - lm) / (2 * eps)
			if math.Abs(num-gv[i]) > 1e-5*(1+math.Abs(num)) {
				t.Errorf("%s (weighted %v): input %d shape %v element %d: backward %.8g, finite difference %.8g", name, weighted, k, x.shape, i, gv[i], num)
				return
			}
		}
	}
}

var gcGen = NewGenerator(7)

// randShape returns a random shape of 1..3 dims with sizes 1..4.
func randShape() []int {
	n := 1 + gcGen.Intn(3)
	s := make([]int, n)
	for i := range s {
		s[i] = 1 + gcGen.Intn(4)
	}
	return s
}

// bcastOf returns a shape that broadcasts against s: some dims set to 1,
// maybe some leading dims dropped.
func bcastOf(s []int) []int {
	b := append([]int(nil), s...)
	for i := range b {
		if gcGen.Intn(2) == 0 {
			b[i] = 1
		}
	}
	drop := gcGen.Intn(len(b) + 1)
	return b[drop:]
}

func rnd(shape ...int) *Tensor { return gcGen.Randn(shape...).Double().Detach() }

// pos returns values in [0.5, 2) (for log, sqrt, pow, division).
func pos(shape ...int) *Tensor {
	return gcGen.Rand(shape...).Double().MulScalar(1.5).AddScalar(0.5).Detach()
}

func TestGradBinaryBroadcast(t *testing.T) {
	ops := map[string]func(a, b *Tensor) *Tensor{
		"Add":     (*Tensor).Add,
		"Sub":     (*Tensor).Sub,
		"Mul":     (*Tensor).Mul,
		"Div":     (*Tensor).Div,
		"Pow":     (*Tensor).PowTensor,
		"Maximum": (*Tensor).Maximum,
		"Minimum": (*Tensor).Minimum,
	}
	for name, op := range ops {
		for trial := 0; trial < 8; trial++ {
			sa := randShape()
			sb := bcastOf(sa)
			if trial%2 == 1 {
				sa, sb = sb, sa
			}
			a, b := rnd(sa...), rnd(sb...)
			if name == "Div" || name == "Pow" {
				b = pos(sb...)
			}
			if name == "Pow" {
				a = pos(sa...)
			}
			gradCheck(t, fmt.Sprintf("%s%v%v", name, sa, sb), func(x []*Tensor) *Tensor { return op(x[0], x[1]) }, a, b)
		}
	}
}

func TestGradScalarOps(t *testing.T) {
	ops := map[string]func(a *Tensor) *Tensor{
		"AddScalar":  func(a *Tensor) *Tensor { return a.AddScalar(1.5) },
		"SubScalar":  func(a *Tensor) *Tensor { return a.SubScalar(1.5) },
		"MulScalar":  func(a *Tensor) *Tensor { return a.MulScalar(-2.5) },
		"DivScalar":  func(a *Tensor) *Tensor { return a.DivScalar(3) },
		"RSubScalar": func(a *Tensor) *Tensor { return a.RSubScalar(2) },
		"RDivScalar": func(a *Tensor) *Tensor { return a.RDivScalar(2) },
	}
	for name, op := range ops {
		s := randShape()
		a := pos(s...)
		gradCheck(t, name, func(x []*Tensor) *Tensor { return op(x[0]) }, a)
	}
}

func TestGradUnary(t *testing.T) {
	ops := map[string]func(a *Tensor) *Tensor{
		"Neg":       (*Tensor).Neg,
		"Exp":       (*Tensor).Exp,
		"Log":       (*Tensor).Log,
		"Sqrt":      (*Tensor).Sqrt,
		"Abs":       (*Tensor).Abs,
		"Sin":       (*Tensor).Sin,
		"Cos":       (*Tensor).Cos,
		"Tanh":      (*Tensor).Tanh,
		"Sigmoid":   (*Tensor).Sigmoid,
		"Relu":      (*Tensor).Relu,
		"Pow2":      func(a *Tensor) *Tensor { return a.Pow(2) },
		"Pow3":      func(a *Tensor) *Tensor { return a.Pow(3) },
		"Pow0.5":    func(a *Tensor) *Tensor { return a.Pow(0.5) },
		"Pow-1.5":   func(a *Tensor) *Tensor { return a.Pow(-1.5) },
		"Clamp":     func(a *Tensor) *Tensor { return a.Clamp(-0.5, 0.7) },
		"ClampMin":  func(a *Tensor) *Tensor { return a.ClampMin(0.1) },
		"Clone":     (*Tensor).Clone,
		"Softmax0":  func(a *Tensor) *Tensor { return a.Softmax(0) },
		"Softmax-1": func(a *Tensor) *Tensor { return a.Softmax(-1) },
		"LogSoftmax": func(a *Tensor) *Tensor {
			return a.LogSoftmax(-1)
		},
		"LogSumExp": func(a *Tensor) *Tensor { return a.LogSumExp(0, false) },
		"ToFloat64": func(a *Tensor) *Tensor { return a.To(Float64) },
	}
	for name, op := range ops {
		for trial := 0; trial < 3; trial++ {
			s := randShape()
			a := rnd(s...)
			switch name {
			case "Log", "Sqrt", "Pow0.5", "Pow-1.5":
				a = pos(s...)
			}
			gradCheck(t, fmt.Sprintf("%s%v", name, s), func(x []*Tensor) *Tensor { return op(x[0]) }, a)
		}
	}
}

func TestGradReductions(t *testing.T) {
	for trial := 0; trial < 6; trial++ {
		s := randShape()
		d := gcGen.Intn(len(s))
		keep := trial%2 == 0
		ops := map[string]func(a *Tensor) *Tensor{
			"Sum":      (*Tensor).Sum,
			"SumDim":   func(a *Tensor) *Tensor { return a.SumDim(d, keep) },
			"SumDims":  func(a *Tensor) *Tensor { return a.SumDims([]int{-1}, keep) },
			"Mean":     (*Tensor).Mean,
			"MeanDim":  func(a *Tensor) *Tensor { return a.MeanDim(d, keep) },
			"MeanDims": func(a *Tensor) *Tensor { return a.MeanDims([]int{-1}, keep) },
			"Max":      (*Tensor).Max,
			"MaxDim":   func(a *Tensor) *Tensor { return a.MaxDim(d, keep) },
			"Min":      (*Tensor).Min,
			"MinDim":   func(a *Tensor) *Tensor { return a.MinDim(d, keep) },
		}
		if len(s) > 1 {
			ops["SumDims2"] = func(a *Tensor) *Tensor { return a.SumDims([]int{0, -1}, keep) }
		}
		if numelOf(s) > 1 {
			ops["Var"] = (*Tensor).Var
			ops["Std"] = (*Tensor).Std
		}
		if s[d] > 1 {
			ops["VarDim"] = func(a *Tensor) *Tensor { return a.VarDim(d, true, keep) }
			ops["StdDim"] = func(a *Tensor) *Tensor { return a.StdDim(d, false, keep) }
		}
		for name, op := range ops {
			gradCheck(t, fmt.Sprintf("%s%v dim %d keep %v", name, s, d, keep), func(x []*Tensor) *Tensor { return op(x[0]) }, rnd(s...))
		}
	}
}

func TestGradMatmul(t *testing.T) {
	cases := [][2][]int{
		{{3, 4}, {4, 2}}, {{1, 5}, {5, 1}}, {{4}, {4}}, {{4}, {4, 3}}, {{2, 4}, {4}},
		{{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 2}}, {{2, 1, 3, 4}, {3, 4, 2}},
	}
	for _, c := range cases {
		gradCheck(t, fmt.Sprintf("Matmul%v%v", c[0], c[1]), func(x []*Tensor) *Tensor { return x[0].Matmul(x[1]) }, rnd(c[0]...), rnd(c[1]...))
	}
	// transposed views on both sides go through gemm's transposed paths
	gradCheck(t, "MatmulTT", func(x []*Tensor) *Tensor { return x[0].T().Matmul(x[1].T()) }, rnd(4, 3), rnd(5, 4))
}

func TestGradShapeOps(t *testing.T) {
	ops := map[string]func(x []*Tensor) *Tensor{
		"Transpose":   func(x []*Tensor) *Tensor { return x[0].Transpose(0, 2).Mul(x[0].Transpose(0, 2)) },
		"T":           func(x []*Tensor) *Tensor { return x[0].Narrow(0, 0, 1).SqueezeDim(0).T().Exp() },
		"Permute":     func(x []*Tensor) *Tensor { return x[0].Permute(2, 0, 1).Sin() },
		"Reshape":     func(x []*Tensor) *Tensor { return x[0].Reshape(-1, 2).Mul(x[0].Reshape(12, 2)) },
		"ReshapeView": func(x []*Tensor) *Tensor { return x[0].Transpose(1, 2).Reshape(6, 4).Exp() },
		"View":        func(x []*Tensor) *Tensor { return x[0].View(4, 6).Exp() },
		"Flatten":     func(x []*Tensor) *Tensor { return x[0].Flatten().Exp() },
		"Unsqueeze":   func(x []*Tensor) *Tensor { return x[0].Unsqueeze(1).Unsqueeze(-1).Exp() },
		"Squeeze":     func(x []*Tensor) *Tensor { return x[0].Narrow(1, 1, 1).Squeeze().Exp() },
		"Expand":      func(x []*Tensor) *Tensor { return x[0].Narrow(2, 0, 1).Expand(5, 2, 3, 4).Exp() },
		"Narrow":      func(x []*Tensor) *Tensor { return x[0].Narrow(2, 1, 2).Exp() },
		"Slice":       func(x []*Tensor) *Tensor { return x[0].Slice(-1, 1, 100).Exp() },
		"Select":      func(x []*Tensor) *Tensor { return x[0].Select(1, -1).Exp() },
		"Index":       func(x []*Tensor) *Tensor { return x[0].Index(1).Exp() },
		"IndexSelect": func(x []*Tensor) *Tensor { return x[0].IndexSelect(2, []int{3, 0, 3}).Exp() },
		"IndexSel0":   func(x []*Tensor) *Tensor { return x[0].IndexSelect(0, []int{1, 1, 0}).Exp() },
		"Contiguous":  func(x []*Tensor) *Tensor { return x[0].Permute(1, 2, 0).Contiguous().Exp() },
		"Stack":       func(x []*Tensor) *Tensor { return Stack([]*Tensor{x[0], x[0].Exp(), x[0]}, 1) },
		"Cat":         func(x []*Tensor) *Tensor { return Cat([]*Tensor{x[0], x[0].Narrow(2, 0, 1).Exp()}, 2) },
		"Where": func(x []*Tensor) *Tensor {
			return Where(x[0].GtScalar(0), x[0].Exp(), x[0].Narrow(0, 0, 1).MulScalar(3))
		},
	}
	for name, op := range ops {
		gradCheck(t, name, op, rnd(2, 3, 4))
	}
	gradCheck(t, "Meshgrid", func(x []*Tensor) *Tensor {
		g := Meshgrid([]*Tensor{x[0], x[1]}, "xy")
		return g[0].Mul(g[1].Exp())
	}, rnd(3), rnd(4))
	gradCheck(t, "CatTwoInputs", func(x []*Tensor) *Tensor { return Cat([]*Tensor{x[0], x[1]}, 0) }, rnd(2, 3), rnd(4, 3))
	gradCheck(t, "WhereBroadcast", func(x []*Tensor) *Tensor {
		return Where(New64([]float64{1, 0, 1}), x[0], x[1])
	}, rnd(2, 3), rnd(2, 1))
}

func TestMeshgridIndexing(t *testing.T) {
	x, y := Arange(0, 3, 1), Arange(10, 12, 1)
	xy := Meshgrid([]*Tensor{x, y}, "xy")
	if !slices.Equal(xy[0].shape, []int{2, 3}) || xy[0].At(1, 2) != 2 || xy[1].At(1, 2) != 11 {
		t.Fatalf("xy meshgrid: %v %v", xy[0], xy[1])
	}
	ij := Meshgrid([]*Tensor{x, y}, "ij")
	if !slices.Equal(ij[0].shape, []int{3, 2}) || ij[0].At(2, 1) != 2 || ij[1].At(2, 1) != 11 {
		t.Fatalf("ij meshgrid: %v %v", ij[0], ij[1])
	}
}

func TestGradLinear(t *testing.T) {
	for _, xs := range [][]int{{5, 3}, {3}, {2, 4, 3}, {1, 3}} {
		gradCheck(t, fmt.Sprintf("Linear%v", xs), func(x []*Tensor) *Tensor { return Linear(x[0], x[1], x[2]) }, rnd(xs...), rnd(4, 3), rnd(4))
		gradCheck(t, fmt.Sprintf("LinearNoBias%v", xs), func(x []*Tensor) *Tensor { return Linear(x[0], x[1], nil) }, rnd(xs...), rnd(4, 3))
		gradCheck(t, fmt.Sprintf("LinearReLU%v", xs), func(x []*Tensor) *Tensor { return LinearReLU(x[0], x[1], x[2]) }, rnd(xs...), rnd(4, 3), rnd(4))
	}
	mustPanic(t, "Linear: input shape [2 5] does not end in 3 features", func() { Linear(Zeros(2, 5), Zeros(4, 3), nil) })
	mustPanic(t, "LinearReLU: bias shape [3], want [4]", func() { LinearReLU(Zeros(2, 3), Zeros(4, 3), Zeros(3)) })
}

// LinearReLU is Linear followed by Relu, bit for bit, forward and backward,
// on a product large enough for the blocked kernels and pooled storage.
func TestLinearReLUIsLinearThenRelu(t *testing.T) {
	for _, outs := range []int{48, 64} { // 64: masking and bias gradient in one pass
		checkLinearReLU(t, outs)
	}
}

func checkLinearReLU(t *testing.T, outs int) {
	run := func(fused bool) (out, gx, gw, gb []float64) {
		g := NewGenerator(3)
		x := g.Randn(300, 40).SetRequiresGrad(true)
		w := g.Randn(outs, 40).SetRequiresGrad(true)
		b := g.Randn(outs).SetRequiresGrad(true)
		var y *Tensor
		if fused {
			y = LinearReLU(x, w, b)
			if y.GradFn() != "LinearReLUBackward" {
				t.Fatalf("LinearReLU recorded %s, want one LinearReLU op", y.GradFn())
			}
		} else {
			y = Linear(x, w, b).Relu()
		}
		y.Mul(g.Randn(300, outs)).Sum().Backward()
		return y.Float64s(), x.Grad().Float64s(), w.Grad().Float64s(), b.Grad().Float64s()
	}
	o1, x1, w1, b1 := run(true)
	o2, x2, w2, b2 := run(false)
	for _, c := range []struct {
		name string
		a, b []float64
	}{{"output", o1, o2}, {"x grad", x1, x2}, {"w grad", w1, w2}, {"b grad", b1, b2}} {
		for i := range c.a {
			if c.a[i] != c.b[i] {
				t.Fatalf("%d outputs, %s[%d]: fused %v, separate %v", outs, c.name, i, c.a[i], c.b[i])
			}
		}
	}
}

// MSELoss is Sub, Pow(2) and Mean bit for bit, forward and backward, in
// both dtypes; with shapes that differ it broadcasts as they do.
func TestMSELossIsSubPowMean(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		run := func(fused bool, ps, ts []int) (loss float64, gp, gt []float64) {
			g := NewGenerator(4)
			p := g.Randn(ps...).To(dt).SetRequiresGrad(true)
			y := g.Randn(ts...).To(dt).SetRequiresGrad(true)
			var l *Tensor
			if fused {
				l = MSELoss(p, y)
				// same shapes take the one-op path; others broadcast through Sub, Pow, Mean
				if want := map[bool]string{true: "MSELossBackward", false: "MeanBackward"}[slices.Equal(ps, ts)]; l.GradFn() != want {
					t.Fatalf("%v %v %v: MSELoss recorded %s, want %s", dt, ps, ts, l.GradFn(), want)
				}
			} else {
				l = p.Sub(y).Pow(2).Mean()
			}
			l.MulScalar(3).Backward()
			return l.Item(), p.Grad().Float64s(), y.Grad().Float64s()
		}
		for _, shapes := range [][2][]int{{{1000, 1}, {1000, 1}}, {{7}, {7}}, {{5, 1}, {5}}} {
			l1, p1, t1 := run(true, shapes[0], shapes[1])
			l2, p2, t2 := run(false, shapes[0], shapes[1])
			if l1 != l2 || !slices.Equal(p1, p2) || !slices.Equal(t1, t2) {
				t.Fatalf("%v %v: MSELoss %v (grads %v, %v), Sub.Pow.Mean %v (%v, %v)", dt, shapes, l1, p1[:2], t1[:1], l2, p2[:2], t2[:1])
			}
		}
	}
	// A transposed (non-contiguous) prediction of the target's shape is read
	// through its strides, not in storage order.
	for _, dt := range []DType{Float32, Float64} {
		g := NewGenerator(5)
		p, y := g.Randn(4, 3).To(dt).T(), g.Randn(3, 4).To(dt)
		if fused, plain := MSELoss(p, y).Item(), p.Sub(y).Pow(2).Mean().Item(); fused != plain {
			t.Fatalf("%v: MSELoss of a transposed prediction %v, Sub.Pow.Mean %v", dt, fused, plain)
		}
	}
	gradCheck(t, "MSELoss", func(x []*Tensor) *Tensor { return MSELoss(x[0], x[1]) }, rnd(4, 3), rnd(4, 3))
	mustPanic(t, "MSELoss: expected a floating point tensor, got int64", func() { MSELoss(Zeros(2), FromInts([]int{1, 2})) })
	if dt := MSELoss(Zeros(2), Zeros(2).To(Float64)).DType(); dt != Float64 {
		t.Errorf("MSELoss of float32 and float64 is %v, want float64 (torch's promotion)", dt)
	}
}

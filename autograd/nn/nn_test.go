package nn

import (
	"math"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

func TestLinearInitAndForward(t *testing.T) {
	l := NewLinearWith(4, 3, true, ag.NewGenerator(1))
	if s := l.Weight.Shape(); s[0] != 3 || s[1] != 4 || !l.Weight.RequiresGrad() || !l.Bias.RequiresGrad() {
		t.Fatalf("weight shape %v", s)
	}
	bound := 1 / math.Sqrt(4)
	for _, v := range append(l.Weight.Float64s(), l.Bias.Float64s()...) {
		if math.Abs(v) > bound {
			t.Fatalf("init value %v outside ±%v", v, bound)
		}
	}
	l.Weight.CopyFrom(ag.New([]float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1}, 3, 4))
	l.Bias.CopyFrom(ag.New([]float64{0.5, 0, -1}))
	y := l.Forward(ag.New([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 4))
	want := []float64{1.5, 2, 6, 5.5, 6, 14}
	for i, v := range y.Float64s() {
		if v != want[i] {
			t.Fatalf("Linear forward %v, want %v", y.Float64s(), want)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "Linear(4, 3): input shape [2 5]") {
			t.Fatalf("bad input panic %v", r)
		}
	}()
	l.Forward(ag.Zeros(2, 5))
}

func TestSequentialAndSummary(t *testing.T) {
	m := NewSequential([]Module{NewLinear(1, 32), &ReLU{}}).Add(NewLinear(32, 1))
	if len(m.Parameters()) != 4 || NumParams(m) != 32+32+32+1 {
		t.Fatalf("params %d count %d", len(m.Parameters()), NumParams(m))
	}
	want := "Sequential(\n  (0): Linear(in_features=1, out_features=32, bias=true)\n  (1): ReLU()\n  (2): Linear(in_features=32, out_features=1, bias=true)\n)"
	if m.String() != want {
		t.Fatalf("String:\n%s\nwant\n%s", m, want)
	}
	if !strings.Contains(Summary(m), "total parameters: 97") {
		t.Fatalf("Summary:\n%s", Summary(m))
	}
	if y := m.Forward(ag.Zeros(5, 1)); y.Shape()[0] != 5 || y.Shape()[1] != 1 {
		t.Fatalf("forward shape %v", y.Shape())
	}
	m.Eval()
	if m.IsTraining() || m.Layers[0].(*Linear).IsTraining() {
		t.Fatal("Eval did not reach layers")
	}
	m.Train()
	if !m.Layers[0].(*Linear).IsTraining() {
		t.Fatal("Train did not reach layers")
	}
}

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.9g, want %.9g (PyTorch)", name, got, want)
	}
}

func TestLossesMatchTorch(t *testing.T) {
	x := ag.New([]float64{1, 2, 0.5, -1, 0, 3}, 2, 3)
	near(t, "CrossEntropy(indices)", NewCrossEntropyLoss().Forward(x, ag.FromInts([]int{1, 2})).Item(), 0.2651263475418091)
	near(t, "CrossEntropy(probs)", CrossEntropy(x, ag.New([]float64{0, 1, 0, 0, 0, 1}, 2, 3)).Item(), 0.2651263475418091)
	p, y := ag.New([]float64{0.2, 0.9, 0.5}), ag.New([]float64{0, 1, 1})
	near(t, "BCELoss", NewBCELoss().Forward(p, y).Item(), 0.34055042266845703)
	near(t, "L1Loss", NewL1Loss().Forward(p, y).Item(), 0.2666666805744171)
	near(t, "MSELoss", NewMSELoss().Forward(p, y).Item(), 0.10000000149011612)
	near(t, "BCELoss clamps log", BCE(ag.New([]float64{0, 1}), ag.New([]float64{1, 1})).Item(), 50)
	near(t, "MSE sum", (&MSELoss{Reduction: "sum"}).Forward(p, y).Item(), 0.3)
	// saturated probabilities: PyTorch gives loss 50 and gradient [-5e11, 0]
	ps := ag.New([]float64{0, 1}).SetRequiresGrad(true)
	l := BCE(ps, ag.New([]float64{1, 1}))
	l.Backward()
	near(t, "BCE saturated", l.Item(), 50)
	near(t, "BCE saturated grad[0]", ps.Grad().Float64s()[0], -5e11)
	near(t, "BCE saturated grad[1]", ps.Grad().Float64s()[1], 0)
}

// finite-difference check of the losses' gradients in float64
func TestLossGradients(t *testing.T) {
	g := ag.NewGenerator(3)
	logits := g.Randn(4, 3).Double().SetRequiresGrad(true)
	labels := ag.FromInts([]int{0, 2, 1, 2}).Double()
	probs := g.Rand(5).Double().MulScalar(0.8).AddScalar(0.1).Detach().SetRequiresGrad(true)
	targets := g.Rand(5).Double().Detach()
	pred := g.Randn(5).Double().SetRequiresGrad(true)
	cases := []struct {
		name string
		x    *ag.Tensor
		f    func() *ag.Tensor
	}{
		{"CrossEntropy", logits, func() *ag.Tensor { return CrossEntropy(logits, labels) }},
		{"BCE", probs, func() *ag.Tensor { return BCE(probs, targets) }},
		{"MSE", pred, func() *ag.Tensor { return MSE(pred, targets) }},
		{"L1", pred, func() *ag.Tensor { return NewL1Loss().Forward(pred, targets) }},
	}
	for _, c := range cases {
		c.x.SetGrad(nil)
		c.f().Backward()
		grad := c.x.Grad().Float64s()
		d := c.x.Data64()
		for i := range d {
			o := d[i]
			var lp, lm float64
			ag.NoGrad(func() {
				d[i] = o + 1e-6
				lp = c.f().Item()
				d[i] = o - 1e-6
				lm = c.f().Item()
			})
			d[i] = o
			num := (lp - lm) / 2e-6
			if math.Abs(num-grad[i]) > 1e-5*(1+math.Abs(num)) {
				t.Errorf("%s: element %d backward %v, finite difference %v", c.name, i, grad[i], num)
			}
		}
	}
}

// a cell-style module: a struct with Forward/Parameters used through Module
type affine struct{ A, B *ag.Tensor }

func (m *affine) Forward(x *ag.Tensor) *ag.Tensor { return m.A.Mul(x).Add(m.B) }
func (m *affine) Parameters() []*ag.Tensor        { return []*ag.Tensor{m.A, m.B} }

func TestUserModuleLearnsLine(t *testing.T) {
	ag.ManualSeed(0)
	x := ag.Linspace(-1, 1, 50)
	y := x.MulScalar(10).AddScalar(5)
	var m Module = &affine{A: Param(ag.Zeros()), B: Param(ag.Zeros())}
	for i := 0; i < 200; i++ {
		ZeroGrad(m)
		loss := MSE(m.Forward(x), y)
		loss.Backward()
		ag.NoGrad(func() {
			for _, p := range m.Parameters() {
				p.AddScaledInPlace(-0.1, p.Grad())
			}
		})
	}
	a, b := m.Parameters()[0].Item(), m.Parameters()[1].Item()
	if math.Abs(a-10) > 1e-2 || math.Abs(b-5) > 1e-3 {
		t.Fatalf("learned a=%v b=%v, want 10 and 5", a, b)
	}
}

// TestSequentialFusesReLUMaxPool checks that Sequential's fused ReLU and
// MaxPool2d (ag.ReLUMaxPool2d) gives what the layers give one by one:
// the output and every parameter's gradient.
func TestSequentialFusesReLUMaxPool(t *testing.T) {
	ag.ManualSeed(5)
	conv := NewConv2d(2, 4, 3).WithPadding(1)
	seq := NewSequential([]Module{conv, NewReLU(), NewMaxPool2d(2)})
	x := ag.Randn(3, 2, 8, 6)
	y := seq.Forward(x)
	if !strings.HasPrefix(y.GradFn(), "ReLUMaxPool2d") {
		t.Fatalf("Sequential ran %s last, want the fused ReLUMaxPool2d", y.GradFn())
	}
	y.Sum().Backward()
	fused := []*ag.Tensor{y.Detach(), conv.Weight.Grad().Clone(), conv.Bias.Grad().Clone()}
	conv.Weight.SetGrad(nil)
	conv.Bias.SetGrad(nil)
	z := x
	for _, l := range seq.Layers {
		z = l.Forward(z)
	}
	z.Sum().Backward()
	// The output must match exactly. The weight gradient is summed by each
	// core over the images it happens to take (parallelItems hands them out
	// as cores come free), so two runs of the same backward can differ in
	// the last bits of float32 (6.9468694 and 6.9468689 in one run under
	// load): a relative 1e-6 for the gradients.
	for i, want := range []*ag.Tensor{z.Detach(), conv.Weight.Grad(), conv.Bias.Grad()} {
		got, w := fused[i].Float64s(), want.Float64s()
		tol := 0.0
		if i > 0 {
			tol = 1e-6
		}
		for k := range w {
			if math.Abs(got[k]-w[k]) > tol*math.Max(1, math.Abs(w[k])) {
				t.Fatalf("tensor %d (output, weight grad, bias grad), element %d: fused %v, layer by layer %v", i, k, got[k], w[k])
			}
		}
	}
}

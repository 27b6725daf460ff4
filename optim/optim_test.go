package optim_test

import (
	"math"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/optim"
)

func p32(vals ...float32) *ag.Tensor { return ag.New32(vals, len(vals)).SetRequiresGrad(true) }

func expectPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one containing %q", want)
		}
		err, ok := r.(*optim.Error)
		if !ok {
			t.Fatalf("panic value %T (%v), want *optim.Error", r, r)
		}
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("panic %q, want it to contain %q", err.Error(), want)
		}
	}()
	f()
}

// TestBadInput checks that each invalid construction fails at once with a
// message naming the constructor and what was wrong, as PyTorch's
// constructors raise ValueError.
func TestBadInput(t *testing.T) {
	ps := func() []*ag.Tensor { return []*ag.Tensor{p32(1, 2)} }
	plain := ag.New32([]float32{1}, 1) // does not require grad
	leaf := p32(1, 2)
	nonLeaf := leaf.MulScalar(2)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"negative lr", "optim.NewSGD: invalid learning rate: -0.1", func() { optim.NewSGD(ps(), -0.1) }},
		{"SGD without lr", "a learning rate is required", func() { optim.NewSGD(ps(), 0) }},
		{"negative momentum", "invalid momentum value: -0.5", func() { optim.NewSGDWith(ps(), optim.SGDOptions{LR: 0.1, Momentum: -0.5}) }},
		{"nesterov without momentum", "Nesterov momentum requires a momentum and zero dampening", func() {
			optim.NewSGDWith(ps(), optim.SGDOptions{LR: 0.1, Nesterov: true})
		}},
		{"nesterov with dampening", "Nesterov momentum requires", func() {
			optim.NewSGDWith(ps(), optim.SGDOptions{LR: 0.1, Momentum: 0.9, Dampening: 0.1, Nesterov: true})
		}},
		{"negative weight decay", "invalid weight_decay value: -1", func() { optim.NewSGDWith(ps(), optim.SGDOptions{LR: 0.1, WeightDecay: -1}) }},
		{"beta1 = 1", "invalid beta parameter at index 0: 1", func() { optim.NewAdamWith(ps(), optim.AdamOptions{Betas: [2]float64{1, 0.999}}) }},
		{"beta2 < 0", "invalid beta parameter at index 1: -0.1", func() { optim.NewAdamWWith(ps(), optim.AdamWOptions{Betas: [2]float64{0.9, -0.1}}) }},
		{"negative eps", "invalid epsilon value", func() { optim.NewAdamWith(ps(), optim.AdamOptions{Eps: -1e-8}) }},
		{"adam negative lr", "optim.NewAdam: invalid learning rate: -1", func() { optim.NewAdam(ps(), -1) }},
		{"rho > 1", "invalid rho value: 1.5", func() { optim.NewAdadeltaWith(ps(), optim.AdadeltaOptions{Rho: 1.5}) }},
		{"negative alpha", "invalid alpha value", func() { optim.NewRMSpropWith(ps(), optim.RMSpropOptions{Alpha: -0.9}) }},
		{"negative lr decay", "invalid lr_decay value", func() { optim.NewAdagradWith(ps(), optim.AdagradOptions{LRDecay: -1}) }},
		{"negative accumulator", "invalid initial_accumulator_value", func() {
			optim.NewAdagradWith(ps(), optim.AdagradOptions{InitialAccumulatorValue: -1})
		}},
		{"empty params", "optimizer got an empty parameter list", func() { optim.NewAdam(nil, 0.1) }},
		{"nil param", "parameter 1 is nil", func() { optim.NewSGD([]*ag.Tensor{p32(1), nil}, 0.1) }},
		{"no requires grad", "parameter 0 (shape [1]) does not require grad", func() { optim.NewSGD([]*ag.Tensor{plain}, 0.1) }},
		{"non-leaf", "can't optimize a non-leaf tensor", func() { optim.NewSGD([]*ag.Tensor{nonLeaf}, 0.1) }},
		{"non-contiguous", "parameter 0 (shape [3 2]) is a non-contiguous view", func() {
			optim.NewSGD([]*ag.Tensor{ag.Zeros(2, 3).T().SetRequiresGrad(true)}, 0.1)
		}},
		{"duplicate", "parameter 1 is the same tensor as parameter 0", func() { optim.NewSGD([]*ag.Tensor{leaf, leaf}, 0.1) }},
		{"param in two groups", "already belongs to another parameter group", func() {
			optim.NewSGD([]*ag.Tensor{leaf}, 0.1).AddParamGroup([]*ag.Tensor{leaf}, 0.01)
		}},
		{"empty group", "SGD.AddParamGroup: empty parameter list", func() { optim.NewSGD(ps(), 0.1).AddParamGroup(nil, 0.01) }},
		{"SetLR negative", "SGD.SetLR: invalid learning rate: -1", func() { optim.NewSGD(ps(), 0.1).SetLR(-1) }},
	} {
		t.Run(c.name, func(t *testing.T) { expectPanic(t, c.want, c.f) })
	}
}

// TestDefaultsAndZero checks that zero fields take PyTorch's defaults and
// optim.Zero asks for a literal zero.
func TestDefaultsAndZero(t *testing.T) {
	ps := func() []*ag.Tensor { return []*ag.Tensor{p32(1)} }
	if o := optim.NewAdamWith(ps(), optim.AdamOptions{}).Options(); o.LR != 1e-3 || o.Betas != [2]float64{0.9, 0.999} || o.Eps != 1e-8 || o.WeightDecay != 0 {
		t.Errorf("Adam defaults: %+v", o)
	}
	if o := optim.NewAdamWith(ps(), optim.AdamOptions{Betas: [2]float64{0, 0.99}}).Options(); o.Betas != [2]float64{0, 0.99} {
		t.Errorf("Adam betas {0, 0.99} taken as %v", o.Betas)
	}
	if o := optim.NewAdamW(ps(), 0).Options(); o.WeightDecay != 0.01 || o.LR != 1e-3 {
		t.Errorf("AdamW defaults: %+v", o)
	}
	if o := optim.NewAdamWWith(ps(), optim.AdamWOptions{WeightDecay: optim.Zero}).Options(); o.WeightDecay != 0 {
		t.Errorf("AdamW WeightDecay: optim.Zero gave %v", o.WeightDecay)
	}
	if o := optim.NewRMSpropWith(ps(), optim.RMSpropOptions{}).Options(); o.LR != 0.01 || o.Alpha != 0.99 || o.Eps != 1e-8 {
		t.Errorf("RMSprop defaults: %+v", o)
	}
	if o := optim.NewRMSpropWith(ps(), optim.RMSpropOptions{Alpha: optim.Zero}).Options(); o.Alpha != 0 {
		t.Errorf("RMSprop Alpha: optim.Zero gave %v", o.Alpha)
	}
	if o := optim.NewAdadelta(ps(), 0).Options(); o.LR != 1 || o.Rho != 0.9 || o.Eps != 1e-6 {
		t.Errorf("Adadelta defaults: %+v", o)
	}
	if o := optim.NewAdadelta(ps(), 0.01).Options(); o.LR != 0.01 {
		t.Errorf("Adadelta lr 0.01 taken as %v", o.LR)
	}
	if o := optim.NewAdagrad(ps(), 0).Options(); o.LR != 0.01 || o.Eps != 1e-10 {
		t.Errorf("Adagrad defaults: %+v", o)
	}
	if o := optim.NewSGDWith(ps(), optim.SGDOptions{LR: optim.Zero}).Options(); o.LR != 0 {
		t.Errorf("SGD LR: optim.Zero gave %v", o.LR)
	}
	if o := optim.NewReduceLROnPlateau(optim.NewSGD(ps(), 0.1), optim.PlateauOptions{}).Options(); o.Mode != "min" || o.Factor != 0.1 ||
		o.Patience != 10 || o.Threshold != 1e-4 || o.ThresholdMode != "rel" || o.Eps != 1e-8 {
		t.Errorf("ReduceLROnPlateau defaults: %+v", o)
	}
	// a one-line constructor's lr of 0 is the default, the group's lr too
	opt := optim.NewAdam(ps(), 0)
	opt.AddParamGroup(ps(), 0)
	opt.AddParamGroup(ps(), 0.5)
	if got := []float64{opt.ParamGroups()[0].LR, opt.ParamGroups()[1].LR, opt.ParamGroups()[2].LR}; got[0] != 1e-3 || got[1] != 1e-3 || got[2] != 0.5 {
		t.Errorf("group lrs %v, want [0.001 0.001 0.5]", got)
	}
	opt.SetLR(0.25)
	if opt.LR() != 0.25 || opt.ParamGroups()[2].LR != 0.25 {
		t.Errorf("SetLR(0.25): LR() %v, group 2 %v", opt.LR(), opt.ParamGroups()[2].LR)
	}
}

// TestStepSemantics checks the loop-level behaviour: parameters without a
// gradient stay put, ZeroGrad zeroes in place, float32 and float64 mix, and a
// gradient of the wrong dtype fails clearly.
func TestStepSemantics(t *testing.T) {
	a := p32(1, 2)
	b := ag.New64([]float64{3}, 1).SetRequiresGrad(true)
	c := p32(5)
	opt := optim.NewSGDWith([]*ag.Tensor{a, b, c}, optim.SGDOptions{LR: 0.5, Momentum: 0.9})
	a.SetGrad(ag.New32([]float32{1, -1}, 2))
	b.SetGrad(ag.New64([]float64{2}, 1))
	opt.Step()
	if got := a.Float64s(); got[0] != 0.5 || got[1] != 2.5 {
		t.Errorf("a after step: %v, want [0.5 2.5]", got)
	}
	if got := b.Item(); got != 2 {
		t.Errorf("b (float64) after step: %v, want 2", got)
	}
	if got := c.Item(); got != 5 {
		t.Errorf("c (no grad) moved to %v", got)
	}
	opt.ZeroGrad()
	if g := a.Grad().Float64s(); g[0] != 0 || g[1] != 0 {
		t.Errorf("ZeroGrad left %v", g)
	}
	if c.Grad() != nil {
		t.Errorf("ZeroGrad created a gradient for c")
	}
	// With zeroed (not absent) gradients momentum keeps moving a, as in PyTorch 1.13.
	opt.Step()
	if got := a.Float64s(); got[0] != float64(float32(0.5)-float32(0.5*0.9)) {
		t.Errorf("a after momentum-only step: %v", got)
	}
	// a gradient set by hand as a non-contiguous view is read in logical order
	w := ag.New32([]float32{1, 2, 3, 4, 5, 6}, 2, 3).SetRequiresGrad(true)
	sgd := optim.NewSGD([]*ag.Tensor{w}, 1)
	w.SetGrad(ag.New32([]float32{1, 2, 3, 4, 5, 6}, 3, 2).T())
	sgd.Step()
	if got := w.Float64s(); got[0] != 0 || got[1] != -1 || got[2] != -2 || got[3] != 2 || got[4] != 1 || got[5] != 0 {
		t.Errorf("step with a transposed gradient: %v, want [0 -1 -2 2 1 0]", got)
	}
	a.SetGrad(ag.New64([]float64{1, 1}, 2))
	expectPanic(t, "SGD.Step: gradient is float64 but the parameter (shape [2]) is float32", opt.Step)
}

// TestString prints an optimiser the way PyTorch's repr does.
func TestString(t *testing.T) {
	opt := optim.NewSGDWith([]*ag.Tensor{p32(1)}, optim.SGDOptions{LR: 0.01, Momentum: 0.8, Nesterov: true})
	want := `SGD (
Parameter Group 0
    dampening: 0
    lr: 0.01
    maximize: False
    momentum: 0.8
    nesterov: True
    weight_decay: 0
)`
	if got := opt.String(); got != want {
		t.Errorf("String:\n%s\nwant\n%s", got, want)
	}
	adam := optim.NewAdamW([]*ag.Tensor{p32(1)}, 0.01)
	optim.NewExponentialLR(adam, 0.9)
	if s := adam.String(); !strings.HasPrefix(s, "AdamW (") || !strings.Contains(s, "betas: (0.9, 0.999)") ||
		!strings.Contains(s, "initial_lr: 0.01") || !strings.Contains(s, "weight_decay: 0.01") {
		t.Errorf("AdamW String:\n%s", s)
	}
}

// TestSchedulerDrivesOptimizer checks that a scheduler's learning rate is the
// one the next Step uses, and that LambdaLR applies f(0) at construction.
func TestSchedulerDrivesOptimizer(t *testing.T) {
	w := ag.New64([]float64{0}, 1).SetRequiresGrad(true)
	opt := optim.NewSGD([]*ag.Tensor{w}, 0.1)
	calls := 0
	s := optim.NewLambdaLR(opt, func(epoch int) float64 { calls++; return float64(epoch) / 10 })
	if opt.LR() != 0 || calls != 1 || s.Epoch() != 0 {
		t.Fatalf("after NewLambdaLR: lr %v, f called %d times, epoch %d; want 0, 1, 0", opt.LR(), calls, s.Epoch())
	}
	want := 0.0
	for epoch := 0; epoch < 5; epoch++ {
		w.SetGrad(ag.New64([]float64{1}, 1))
		want -= opt.LR()
		opt.Step()
		s.Step()
	}
	if got := w.Item(); math.Abs(got-want) > 1e-15 || got == 0 {
		t.Errorf("w = %v, want %v (sum of scheduled lrs)", got, want)
	}
	if lr := s.LastLR(); len(lr) != 1 || lr[0] != 0.1*0.5 {
		t.Errorf("LastLR %v, want [0.05]", lr)
	}
}

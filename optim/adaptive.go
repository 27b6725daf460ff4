package optim

import (
	"math"

	ag "github.com/gradlab/gradlab/autograd"
)

// buffers allocates the state buffers a, b, c named by want the first time p
// is stepped; fill is the initial value of a (Adagrad's accumulator).
func (st *paramState) buffers(p *ag.Tensor, want [3]bool, fill float64) {
	if st.hasBuffers {
		return
	}
	st.hasBuffers = true
	size := p.Numel()
	if p.DType() == ag.Float32 {
		bufs := []*[]float32{&st.a32, &st.b32, &st.c32}
		for i, w := range want {
			if w {
				*bufs[i] = make([]float32, size)
			}
		}
		if fill != 0 {
			for i := range st.a32 {
				st.a32[i] = float32(fill)
			}
		}
		return
	}
	bufs := []*[]float64{&st.a64, &st.b64, &st.c64}
	for i, w := range want {
		if w {
			*bufs[i] = make([]float64, size)
		}
	}
	if fill != 0 {
		for i := range st.a64 {
			st.a64[i] = fill
		}
	}
}

// AdagradOptions are torch.optim.Adagrad's arguments; a zero field means
// PyTorch's default (shown in brackets).
type AdagradOptions struct {
	LR                      float64 // learning rate [0.01]
	LRDecay                 float64 // learning-rate decay [0]
	WeightDecay             float64 // L2 penalty [0]
	InitialAccumulatorValue float64 // starting value of the sum of squares [0]
	Eps                     float64 // added to the denominator [1e-10]
	Maximize                bool
}

// Adagrad is torch.optim.Adagrad.
type Adagrad struct {
	base
	opts AdagradOptions
}

// NewAdagrad returns Adagrad with learning rate lr (0: PyTorch's 0.01).
func NewAdagrad(params []*ag.Tensor, lr float64) *Adagrad {
	return newAdagrad("optim.NewAdagrad", params, AdagradOptions{LR: lr})
}

// NewAdagradWith returns Adagrad with the given options.
func NewAdagradWith(params []*ag.Tensor, o AdagradOptions) *Adagrad {
	return newAdagrad("optim.NewAdagradWith", params, o)
}

func newAdagrad(ctor string, params []*ag.Tensor, o AdagradOptions) *Adagrad {
	o.LR = lrOrDefault(ctor, o.LR, 1e-2)
	o.Eps = orDefault(o.Eps, 1e-10)
	checkNonNeg(ctor, "lr_decay value", o.LRDecay)
	checkNonNeg(ctor, "weight_decay value", o.WeightDecay)
	checkNonNeg(ctor, "initial_accumulator_value value", o.InitialAccumulatorValue)
	checkNonNeg(ctor, "epsilon value", o.Eps)
	a := &Adagrad{opts: o}
	a.hyper = func() [][2]string {
		return [][2]string{{"lr_decay", fmtFloat(o.LRDecay)}, {"weight_decay", fmtFloat(o.WeightDecay)},
			{"initial_accumulator_value", fmtFloat(o.InitialAccumulatorValue)}, {"eps", fmtFloat(o.Eps)},
			{"maximize", fmtBool(o.Maximize)}}
	}
	a.init(ctor, "Adagrad", params, o.LR)
	// PyTorch creates the accumulators at construction; a parameter added
	// later starts from the same value on its first step.
	return a
}

// Options returns the options in effect (defaults filled in).
func (a *Adagrad) Options() AdagradOptions { return a.opts }

// Step updates every parameter that has a gradient.
func (a *Adagrad) Step() {
	o := &a.opts
	a.each(func(p, g *ag.Tensor, st *paramState, lr float64) {
		st.buffers(p, [3]bool{true, false, false}, o.InitialAccumulatorValue)
		st.step++
		clr := lr / (1 + float64(float64(st.step-1)*o.LRDecay))
		if p.DType() == ag.Float32 {
			adagradStep(p.Data32(), g.Data32(), st.a32, clr, o.WeightDecay, o.Eps, o.Maximize)
		} else {
			adagradStep(p.Data64(), g.Data64(), st.a64, clr, o.WeightDecay, o.Eps, o.Maximize)
		}
	})
}

// RMSpropOptions are torch.optim.RMSprop's arguments; a zero field means
// PyTorch's default (shown in brackets).
type RMSpropOptions struct {
	LR          float64 // learning rate [0.01]
	Alpha       float64 // smoothing constant [0.99]
	Eps         float64 // added to the denominator [1e-8]
	WeightDecay float64 // L2 penalty [0]
	Momentum    float64 // momentum factor [0]
	Centered    bool    // normalise by an estimate of the gradient's variance
	Maximize    bool
}

// RMSprop is torch.optim.RMSprop.
type RMSprop struct {
	base
	opts RMSpropOptions
}

// NewRMSprop returns RMSprop with learning rate lr (0: PyTorch's 0.01).
func NewRMSprop(params []*ag.Tensor, lr float64) *RMSprop {
	return newRMSprop("optim.NewRMSprop", params, RMSpropOptions{LR: lr})
}

// NewRMSpropWith returns RMSprop with the given options.
func NewRMSpropWith(params []*ag.Tensor, o RMSpropOptions) *RMSprop {
	return newRMSprop("optim.NewRMSpropWith", params, o)
}

func newRMSprop(ctor string, params []*ag.Tensor, o RMSpropOptions) *RMSprop {
	o.LR = lrOrDefault(ctor, o.LR, 1e-2)
	o.Alpha = orDefault(o.Alpha, 0.99)
	o.Eps = orDefault(o.Eps, 1e-8)
	checkNonNeg(ctor, "epsilon value", o.Eps)
	checkNonNeg(ctor, "momentum value", o.Momentum)
	checkNonNeg(ctor, "weight_decay value", o.WeightDecay)
	checkNonNeg(ctor, "alpha value", o.Alpha)
	r := &RMSprop{opts: o}
	r.hyper = func() [][2]string {
		return [][2]string{{"alpha", fmtFloat(o.Alpha)}, {"eps", fmtFloat(o.Eps)}, {"weight_decay", fmtFloat(o.WeightDecay)},
			{"momentum", fmtFloat(o.Momentum)}, {"centered", fmtBool(o.Centered)}, {"maximize", fmtBool(o.Maximize)}}
	}
	r.init(ctor, "RMSprop", params, o.LR)
	return r
}

// Options returns the options in effect (defaults filled in).
func (r *RMSprop) Options() RMSpropOptions { return r.opts }

// Step updates every parameter that has a gradient.
func (r *RMSprop) Step() {
	o := &r.opts
	r.each(func(p, g *ag.Tensor, st *paramState, lr float64) {
		st.buffers(p, [3]bool{true, o.Centered, o.Momentum > 0}, 0)
		st.step++
		if p.DType() == ag.Float32 {
			rmspropStep(p.Data32(), g.Data32(), st.a32, st.b32, st.c32, lr, o.Alpha, o.Eps, o.WeightDecay, o.Momentum, o.Maximize)
		} else {
			rmspropStep(p.Data64(), g.Data64(), st.a64, st.b64, st.c64, lr, o.Alpha, o.Eps, o.WeightDecay, o.Momentum, o.Maximize)
		}
	})
}

// AdadeltaOptions are torch.optim.Adadelta's arguments; a zero field means
// PyTorch's default (shown in brackets).
type AdadeltaOptions struct {
	LR          float64 // coefficient that scales delta [1.0]
	Rho         float64 // running-average coefficient [0.9]
	Eps         float64 // added inside the square roots [1e-6]
	WeightDecay float64 // L2 penalty [0]
	Maximize    bool
}

// Adadelta is torch.optim.Adadelta.
type Adadelta struct {
	base
	opts AdadeltaOptions
}

// NewAdadelta returns Adadelta with learning rate lr (0: PyTorch's 1.0).
func NewAdadelta(params []*ag.Tensor, lr float64) *Adadelta {
	return newAdadelta("optim.NewAdadelta", params, AdadeltaOptions{LR: lr})
}

// NewAdadeltaWith returns Adadelta with the given options.
func NewAdadeltaWith(params []*ag.Tensor, o AdadeltaOptions) *Adadelta {
	return newAdadelta("optim.NewAdadeltaWith", params, o)
}

func newAdadelta(ctor string, params []*ag.Tensor, o AdadeltaOptions) *Adadelta {
	o.LR = lrOrDefault(ctor, o.LR, 1)
	o.Rho = orDefault(o.Rho, 0.9)
	o.Eps = orDefault(o.Eps, 1e-6)
	if !(o.Rho >= 0 && o.Rho <= 1) {
		fail("%s: invalid rho value: %v (want 0 <= rho <= 1)", ctor, o.Rho)
	}
	checkNonNeg(ctor, "epsilon value", o.Eps)
	checkNonNeg(ctor, "weight_decay value", o.WeightDecay)
	a := &Adadelta{opts: o}
	a.hyper = func() [][2]string {
		return [][2]string{{"rho", fmtFloat(o.Rho)}, {"eps", fmtFloat(o.Eps)}, {"weight_decay", fmtFloat(o.WeightDecay)},
			{"maximize", fmtBool(o.Maximize)}}
	}
	a.init(ctor, "Adadelta", params, o.LR)
	return a
}

// Options returns the options in effect (defaults filled in).
func (a *Adadelta) Options() AdadeltaOptions { return a.opts }

// Step updates every parameter that has a gradient.
func (a *Adadelta) Step() {
	o := &a.opts
	a.each(func(p, g *ag.Tensor, st *paramState, lr float64) {
		st.buffers(p, [3]bool{true, true, false}, 0)
		st.step++
		if p.DType() == ag.Float32 {
			adadeltaStep(p.Data32(), g.Data32(), st.a32, st.b32, lr, o.Rho, o.Eps, o.WeightDecay, o.Maximize)
		} else {
			adadeltaStep(p.Data64(), g.Data64(), st.a64, st.b64, lr, o.Rho, o.Eps, o.WeightDecay, o.Maximize)
		}
	})
}

// AdamOptions are torch.optim.Adam's arguments; a zero field means PyTorch's
// default (shown in brackets).
type AdamOptions struct {
	LR          float64    // learning rate [0.001]
	Betas       [2]float64 // running-average coefficients [(0.9, 0.999)]; {0, 0} means the default, any other pair is literal
	Eps         float64    // added to the denominator [1e-8]
	WeightDecay float64    // L2 penalty added to the gradient [0]
	AMSGrad     bool       // use the AMSGrad variant
	Maximize    bool
}

// AdamWOptions are torch.optim.AdamW's arguments; a zero field means
// PyTorch's default (shown in brackets). WeightDecay is decoupled: the
// parameters shrink by lr*weight_decay each step.
type AdamWOptions struct {
	LR          float64    // learning rate [0.001]
	Betas       [2]float64 // [(0.9, 0.999)]; {0, 0} means the default, any other pair is literal
	Eps         float64    // [1e-8]
	WeightDecay float64    // decoupled weight decay [0.01]; optim.Zero for none
	AMSGrad     bool
	Maximize    bool
}

// Adam is torch.optim.Adam.
type Adam struct {
	base
	opts      AdamOptions
	decoupled bool // AdamW's weight decay
}

// AdamW is torch.optim.AdamW: Adam with decoupled weight decay.
type AdamW struct {
	Adam
}

// NewAdam returns Adam with learning rate lr (0: PyTorch's 0.001).
func NewAdam(params []*ag.Tensor, lr float64) *Adam {
	return newAdam("optim.NewAdam", "Adam", params, AdamOptions{LR: lr}, false)
}

// NewAdamWith returns Adam with the given options.
func NewAdamWith(params []*ag.Tensor, o AdamOptions) *Adam {
	return newAdam("optim.NewAdamWith", "Adam", params, o, false)
}

// NewAdamW returns AdamW with learning rate lr (0: PyTorch's 0.001) and
// PyTorch's default weight decay 0.01.
func NewAdamW(params []*ag.Tensor, lr float64) *AdamW {
	return NewAdamWWith(params, AdamWOptions{LR: lrOrDefault("optim.NewAdamW", lr, 1e-3)})
}

// NewAdamWWith returns AdamW with the given options.
func NewAdamWWith(params []*ag.Tensor, o AdamWOptions) *AdamW {
	return &AdamW{*newAdam("optim.NewAdamWWith", "AdamW", params, AdamOptions{
		LR: o.LR, Betas: o.Betas, Eps: o.Eps, WeightDecay: orDefault(o.WeightDecay, 1e-2),
		AMSGrad: o.AMSGrad, Maximize: o.Maximize,
	}, true)}
}

// Options returns the options in effect (defaults filled in).
func (a *AdamW) Options() AdamWOptions {
	o := a.opts
	return AdamWOptions{LR: o.LR, Betas: o.Betas, Eps: o.Eps, WeightDecay: o.WeightDecay, AMSGrad: o.AMSGrad, Maximize: o.Maximize}
}

func newAdam(ctor, name string, params []*ag.Tensor, o AdamOptions, decoupled bool) *Adam {
	o.LR = lrOrDefault(ctor, o.LR, 1e-3)
	if o.Betas == [2]float64{} {
		o.Betas = [2]float64{0.9, 0.999}
	}
	o.Eps = orDefault(o.Eps, 1e-8)
	o.WeightDecay = orDefault(o.WeightDecay, 0)
	checkNonNeg(ctor, "epsilon value", o.Eps)
	for i, b := range o.Betas {
		if !(b >= 0 && b < 1) {
			fail("%s: invalid beta parameter at index %d: %v (want 0 <= beta < 1)", ctor, i, b)
		}
		o.Betas[i] = math.Abs(b) // optim.Zero in Betas is just 0
	}
	checkNonNeg(ctor, "weight_decay value", o.WeightDecay)
	a := &Adam{opts: o, decoupled: decoupled}
	a.hyper = func() [][2]string {
		return [][2]string{{"betas", "(" + fmtFloat(o.Betas[0]) + ", " + fmtFloat(o.Betas[1]) + ")"}, {"eps", fmtFloat(o.Eps)},
			{"weight_decay", fmtFloat(o.WeightDecay)}, {"amsgrad", fmtBool(o.AMSGrad)}, {"maximize", fmtBool(o.Maximize)}}
	}
	a.init(ctor, name, params, o.LR)
	return a
}

// Options returns the options in effect (defaults filled in).
func (a *Adam) Options() AdamOptions { return a.opts }

// Step updates every parameter that has a gradient.
func (a *Adam) Step() {
	o := &a.opts
	a.each(func(p, g *ag.Tensor, st *paramState, lr float64) {
		st.buffers(p, [3]bool{true, true, o.AMSGrad}, 0)
		st.step++
		k := newAdamScalars(st.step, lr, o.Betas[0], o.Betas[1], o.Eps, o.WeightDecay)
		if p.DType() == ag.Float32 {
			adamStep(p.Data32(), g.Data32(), st.a32, st.b32, st.c32, k, a.decoupled, o.Maximize)
		} else {
			adamStep(p.Data64(), g.Data64(), st.a64, st.b64, st.c64, k, a.decoupled, o.Maximize)
		}
	})
}

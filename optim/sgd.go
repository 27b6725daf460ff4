package optim

import (
	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/internal/costsplit"
)

// SGDOptions are torch.optim.SGD's arguments. All defaults are zero; LR is
// required.
type SGDOptions struct {
	LR          float64 // learning rate (required, > 0; optim.Zero for a literal 0)
	Momentum    float64 // momentum factor
	Dampening   float64 // dampening for momentum
	WeightDecay float64 // L2 penalty added to the gradient
	Nesterov    bool    // Nesterov momentum (needs Momentum > 0 and Dampening 0)
	Maximize    bool    // maximise the objective instead of minimising it
}

// SGD is stochastic gradient descent, optionally with momentum, exactly as
// torch.optim.SGD computes it.
type SGD struct {
	base
	opts SGDOptions
}

// NewSGD returns plain SGD with learning rate lr over params.
func NewSGD(params []*ag.Tensor, lr float64) *SGD {
	return newSGD("optim.NewSGD", params, SGDOptions{LR: lr})
}

// NewSGDWith returns SGD with the given options.
func NewSGDWith(params []*ag.Tensor, o SGDOptions) *SGD {
	return newSGD("optim.NewSGDWith", params, o)
}

func newSGD(ctor string, params []*ag.Tensor, o SGDOptions) *SGD {
	if o.LR == 0 && !isZeroSentinel(o.LR) {
		fail("%s: a learning rate is required (torch.optim.SGD has no default lr)", ctor)
	}
	o.LR = orDefault(o.LR, 0)
	checkNonNeg(ctor, "momentum value", o.Momentum)
	checkNonNeg(ctor, "weight_decay value", o.WeightDecay)
	if o.Nesterov && (o.Momentum <= 0 || o.Dampening != 0) {
		fail("%s: Nesterov momentum requires a momentum and zero dampening (got momentum %v, dampening %v)", ctor, o.Momentum, o.Dampening)
	}
	s := &SGD{opts: o}
	s.hyper = func() [][2]string {
		return [][2]string{
			{"momentum", fmtFloat(o.Momentum)}, {"dampening", fmtFloat(o.Dampening)},
			{"weight_decay", fmtFloat(o.WeightDecay)}, {"nesterov", fmtBool(o.Nesterov)},
			{"maximize", fmtBool(o.Maximize)},
		}
	}
	s.init(ctor, "SGD", params, o.LR)
	return s
}

// Options returns the options in effect (defaults filled in).
func (s *SGD) Options() SGDOptions { return s.opts }

// Step updates every parameter that has a gradient.
func (s *SGD) Step() {
	o := &s.opts
	s.each(func(p, g *ag.Tensor, st *paramState, lr float64) {
		first := o.Momentum != 0 && !st.hasBuffers // the momentum buffer starts as the gradient
		if o.Momentum != 0 {
			st.buffers(p, [3]bool{true}, 0)
		}
		if p.DType() == ag.Float32 {
			sgdSplit(&st.split, p.Data32(), g.Data32(), st.a32, first, lr, o)
		} else {
			sgdSplit(&st.split, p.Data64(), g.Data64(), st.a64, first, lr, o)
		}
	})
}

// sgdSplit is sgdStep over the whole parameter, split over the cores
// (splitUpdate) when it is large enough.
func sgdSplit[T float](pol *costsplit.Policy, p, g, buf []T, first bool, lr float64, o *SGDOptions) {
	if len(p) < splitUpdateMin { // no closure to allocate for the small ones
		sgdStep(p, g, buf, first, lr, o.Momentum, o.Dampening, o.WeightDecay, o.Nesterov, o.Maximize)
		return
	}
	splitUpdate(pol, len(p), func(lo, hi int) {
		sgdStep(p[lo:hi], g[lo:hi], part(buf, lo, hi), first, lr, o.Momentum, o.Dampening, o.WeightDecay, o.Nesterov, o.Maximize)
	})
}

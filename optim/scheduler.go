package optim

import (
	"fmt"
	"math"
	"math/big"
	"sort"
)

// Scheduler is what the epoch-based learning-rate schedulers offer.
// (ReduceLROnPlateau steps on a metric instead: Step(metric).)
type Scheduler interface {
	// Step advances one epoch and sets the optimiser's learning rates.
	Step()
	// LastLR returns the learning rate of each group set by the last step.
	LastLR() []float64
	// Epoch returns the epoch counter (PyTorch's last_epoch).
	Epoch() int
}

// sched holds what the epoch schedulers share, after PyTorch's _LRScheduler.
type sched struct {
	groups    []*ParamGroup
	baseLRs   []float64
	lastEpoch int
	lastLR    []float64
	next      func(i int, lr, base float64) float64 // get_lr for one group
	describe  func() string                         // the constructor call, for String
}

// String shows the scheduler, its epoch and the learning rates it set.
func (s *sched) String() string {
	return fmt.Sprintf("%s: epoch %d, lr %v", s.describe(), s.lastEpoch, s.lastLR)
}

func (s *sched) init(ctor string, opt Optimizer, next func(i int, lr, base float64) float64) {
	b := optimOf(ctor, opt)
	s.groups = append([]*ParamGroup(nil), b.groups...)
	s.baseLRs = make([]float64, len(s.groups))
	for i, g := range s.groups {
		if !g.hasInitialLR { // group.setdefault('initial_lr', group['lr'])
			g.initialLR, g.hasInitialLR = g.LR, true
		}
		s.baseLRs[i] = g.initialLR
	}
	s.lastEpoch = -1
	s.lastLR = make([]float64, len(s.groups))
	s.next = next
	s.Step() // PyTorch's _initial_step
}

// Step advances one epoch and sets every group's learning rate.
func (s *sched) Step() {
	s.lastEpoch++
	for i, g := range s.groups {
		g.LR = s.next(i, g.LR, s.baseLRs[i])
		s.lastLR[i] = g.LR
	}
}

// LastLR returns the learning rates the last Step set, one per group.
func (s *sched) LastLR() []float64 { return append([]float64(nil), s.lastLR...) }

// Epoch returns PyTorch's last_epoch: 0 after construction, +1 per Step.
func (s *sched) Epoch() int { return s.lastEpoch }

// StepLR multiplies the learning rate by Gamma every StepSize epochs.
type StepLR struct {
	sched
	StepSize int
	Gamma    float64
}

// NewStepLR is torch.optim.lr_scheduler.StepLR(opt, step_size, gamma).
func NewStepLR(opt Optimizer, stepSize int, gamma float64) *StepLR {
	if stepSize <= 0 {
		fail("optim.NewStepLR: step size must be positive, got %d", stepSize)
	}
	s := &StepLR{StepSize: stepSize, Gamma: gamma}
	s.describe = func() string { return fmt.Sprintf("StepLR(step_size=%d, gamma=%v)", s.StepSize, s.Gamma) }
	s.init("optim.NewStepLR", opt, func(_ int, lr, _ float64) float64 {
		if s.lastEpoch == 0 || s.lastEpoch%s.StepSize != 0 {
			return lr
		}
		return lr * s.Gamma
	})
	return s
}

// MultiStepLR multiplies the learning rate by Gamma at each milestone epoch
// (by Gamma^k for a milestone listed k times).
type MultiStepLR struct {
	sched
	milestones map[int]int
	Gamma      float64
}

// NewMultiStepLR is torch.optim.lr_scheduler.MultiStepLR(opt, milestones, gamma).
func NewMultiStepLR(opt Optimizer, milestones []int, gamma float64) *MultiStepLR {
	if !sort.IntsAreSorted(milestones) {
		fail("optim.NewMultiStepLR: milestones must be increasing, got %v", milestones)
	}
	s := &MultiStepLR{milestones: map[int]int{}, Gamma: gamma}
	ms := append([]int(nil), milestones...)
	s.describe = func() string { return fmt.Sprintf("MultiStepLR(milestones=%v, gamma=%v)", ms, s.Gamma) }
	for _, m := range milestones {
		s.milestones[m]++
	}
	s.init("optim.NewMultiStepLR", opt, func(_ int, lr, _ float64) float64 {
		k, ok := s.milestones[s.lastEpoch]
		if !ok {
			return lr
		}
		return lr * powi(s.Gamma, k)
	})
	return s
}

// ExponentialLR multiplies the learning rate by Gamma every epoch.
type ExponentialLR struct {
	sched
	Gamma float64
}

// NewExponentialLR is torch.optim.lr_scheduler.ExponentialLR(opt, gamma).
func NewExponentialLR(opt Optimizer, gamma float64) *ExponentialLR {
	s := &ExponentialLR{Gamma: gamma}
	s.describe = func() string { return fmt.Sprintf("ExponentialLR(gamma=%v)", s.Gamma) }
	s.init("optim.NewExponentialLR", opt, func(_ int, lr, _ float64) float64 {
		if s.lastEpoch == 0 {
			return lr
		}
		return lr * s.Gamma
	})
	return s
}

// CosineAnnealingLR anneals the learning rate from its initial value to
// EtaMin along half a cosine over TMax epochs, then back up (SGDR without
// restarts), in PyTorch's recursive form.
type CosineAnnealingLR struct {
	sched
	TMax   int
	EtaMin float64
}

// NewCosineAnnealingLR is torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min).
func NewCosineAnnealingLR(opt Optimizer, tMax int, etaMin float64) *CosineAnnealingLR {
	if tMax <= 0 {
		fail("optim.NewCosineAnnealingLR: T_max must be positive, got %d", tMax)
	}
	s := &CosineAnnealingLR{TMax: tMax, EtaMin: etaMin}
	s.describe = func() string { return fmt.Sprintf("CosineAnnealingLR(T_max=%d, eta_min=%v)", s.TMax, s.EtaMin) }
	s.init("optim.NewCosineAnnealingLR", opt, func(_ int, lr, base float64) float64 {
		e, T, min := s.lastEpoch, float64(s.TMax), s.EtaMin
		switch {
		case e == 0:
			return lr
		case floorMod(e-1-s.TMax, 2*s.TMax) == 0:
			return lr + float64((base-min)*(1-cos(math.Pi/T)))/2
		}
		ratio := (1 + cos(math.Pi*float64(e)/T)) / (1 + cos(math.Pi*float64(e-1)/T))
		return float64(ratio*(lr-min)) + min
	})
	return s
}

// LambdaLR sets the learning rate to the initial one times F(epoch). F may be
// a closure defined in a notebook cell.
type LambdaLR struct {
	sched
	F func(epoch int) float64
}

// NewLambdaLR is torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda). Like
// PyTorch it applies F(0) at once: a warm-up starting at 0 sets lr 0.
func NewLambdaLR(opt Optimizer, f func(epoch int) float64) *LambdaLR {
	if f == nil {
		fail("optim.NewLambdaLR: the lr function is nil")
	}
	s := &LambdaLR{F: f}
	s.describe = func() string { return "LambdaLR(lr_lambda)" }
	s.init("optim.NewLambdaLR", opt, func(_ int, _, base float64) float64 {
		return base * s.F(s.lastEpoch)
	})
	return s
}

// LinearLR scales the learning rate linearly from StartFactor to EndFactor
// times its initial value over TotalIters epochs (a warm-up when StartFactor
// < EndFactor).
type LinearLR struct {
	sched
	StartFactor, EndFactor float64
	TotalIters             int
}

// NewLinearLR is torch.optim.lr_scheduler.LinearLR(opt, start_factor,
// end_factor, total_iters); PyTorch's defaults are 1/3, 1.0, 5.
func NewLinearLR(opt Optimizer, startFactor, endFactor float64, totalIters int) *LinearLR {
	const ctor = "optim.NewLinearLR"
	if !(startFactor > 0 && startFactor <= 1) {
		// PyTorch accepts 0 and then divides by it on the next step.
		fail("%s: start factor must be in (0, 1], got %v", ctor, startFactor)
	}
	if !(endFactor >= 0 && endFactor <= 1) {
		fail("%s: end factor must be in [0, 1], got %v", ctor, endFactor)
	}
	if totalIters <= 0 {
		fail("%s: total iterations must be positive, got %d", ctor, totalIters)
	}
	s := &LinearLR{StartFactor: startFactor, EndFactor: endFactor, TotalIters: totalIters}
	s.describe = func() string {
		return fmt.Sprintf("LinearLR(start_factor=%v, end_factor=%v, total_iters=%d)", s.StartFactor, s.EndFactor, s.TotalIters)
	}
	s.init(ctor, opt, func(_ int, lr, _ float64) float64 {
		e := s.lastEpoch
		switch {
		case e == 0:
			return lr * s.StartFactor
		case e > s.TotalIters:
			return lr
		}
		d := s.EndFactor - s.StartFactor
		den := float64(float64(s.TotalIters)*s.StartFactor) + float64(float64(e-1)*d)
		return lr * (1 + d/den)
	})
	return s
}

// floorMod is Python's %: the result has the sign of m.
func floorMod(a, m int) int {
	r := a % m
	if r != 0 && (r < 0) != (m < 0) {
		r += m
	}
	return r
}

// cos is the correctly rounded cosine. Go's math.Cos can be an ulp away from
// the C library's, which Python's math.cos calls, and the cosine schedule
// compounds the difference; big-float Taylor terms settle it.
func cos(x float64) float64 {
	if x == 0 {
		return 1
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return math.NaN()
	}
	const prec = 256
	pi, _, _ := big.ParseFloat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651", 10, prec, big.ToNearestEven)
	newF := func() *big.Float { return new(big.Float).SetPrec(prec) }
	X := newF().SetFloat64(x)
	twoPi := newF().Mul(pi, big.NewFloat(2))
	q, _ := newF().Quo(X, twoPi).Float64()
	k := newF().SetFloat64(math.Round(q))
	r := newF().Sub(X, newF().Mul(k, twoPi)) // |r| <= pi (plus a hair)
	r2 := newF().Mul(r, r)
	sum := newF().SetInt64(1)
	term := newF().SetInt64(1)
	for i := int64(1); i < 60; i++ {
		term.Mul(term, r2)
		term.Quo(term, newF().SetInt64((2*i-1)*(2*i)))
		term.Neg(term)
		sum.Add(sum, term)
	}
	f, _ := sum.Float64()
	return f
}

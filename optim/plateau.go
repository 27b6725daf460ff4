package optim

import (
	"fmt"
	"math"
)

// PlateauOptions are torch.optim.lr_scheduler.ReduceLROnPlateau's arguments;
// a zero field means PyTorch's default (shown in brackets).
type PlateauOptions struct {
	Mode          string  // "min" (the metric should fall) or "max" ["min"]
	Factor        float64 // lr multiplier on a plateau, < 1 [0.1]
	Patience      int     // epochs without improvement tolerated [10]; optim.NoPatience for 0
	Threshold     float64 // what counts as an improvement [1e-4]; optim.Zero for any
	ThresholdMode string  // "rel" (best*(1∓threshold)) or "abs" (best∓threshold) ["rel"]
	Cooldown      int     // epochs to wait after a reduction [0]
	MinLR         float64 // lower bound of every group's lr [0]
	Eps           float64 // reductions smaller than this are skipped [1e-8]; optim.Zero for none
}

// ReduceLROnPlateau lowers the learning rate when a metric stops improving.
type ReduceLROnPlateau struct {
	opts          PlateauOptions
	groups        []*ParamGroup
	best          float64
	numBadEpochs  int
	cooldownCount int
	lastEpoch     int
	lastLR        []float64
}

// NewReduceLROnPlateau is torch.optim.lr_scheduler.ReduceLROnPlateau(opt, ...).
func NewReduceLROnPlateau(opt Optimizer, o PlateauOptions) *ReduceLROnPlateau {
	const ctor = "optim.NewReduceLROnPlateau"
	b := optimOf(ctor, opt)
	if o.Mode == "" {
		o.Mode = "min"
	}
	if o.ThresholdMode == "" {
		o.ThresholdMode = "rel"
	}
	o.Factor = orDefault(o.Factor, 0.1)
	o.Threshold = orDefault(o.Threshold, 1e-4)
	o.Eps = orDefault(o.Eps, 1e-8)
	switch {
	case o.Patience == 0:
		o.Patience = 10
	case o.Patience == NoPatience:
		o.Patience = 0
	case o.Patience < 0:
		fail("%s: invalid patience %d (want >= 0, or optim.NoPatience)", ctor, o.Patience)
	}
	if o.Factor >= 1 || o.Factor < 0 {
		fail("%s: factor should be < 1.0 (and >= 0), got %v", ctor, o.Factor)
	}
	if o.Mode != "min" && o.Mode != "max" {
		fail("%s: mode %q is unknown (want \"min\" or \"max\")", ctor, o.Mode)
	}
	if o.ThresholdMode != "rel" && o.ThresholdMode != "abs" {
		fail("%s: threshold mode %q is unknown (want \"rel\" or \"abs\")", ctor, o.ThresholdMode)
	}
	if o.Cooldown < 0 {
		fail("%s: invalid cooldown %d (want >= 0)", ctor, o.Cooldown)
	}
	s := &ReduceLROnPlateau{opts: o, groups: append([]*ParamGroup(nil), b.groups...)}
	s.best = math.Inf(1)
	if o.Mode == "max" {
		s.best = math.Inf(-1)
	}
	s.lastLR = make([]float64, len(s.groups))
	for i, g := range s.groups {
		s.lastLR[i] = g.LR
	}
	return s
}

// Options returns the options in effect (defaults filled in).
func (s *ReduceLROnPlateau) Options() PlateauOptions { return s.opts }

func (s *ReduceLROnPlateau) better(a float64) bool {
	o := &s.opts
	switch {
	case o.Mode == "min" && o.ThresholdMode == "rel":
		return a < s.best*(1-o.Threshold)
	case o.Mode == "min":
		return a < s.best-o.Threshold
	case o.ThresholdMode == "rel":
		return a > s.best*(o.Threshold+1)
	default:
		return a > s.best+o.Threshold
	}
}

// Step records one epoch's metric and lowers the learning rates after
// Patience epochs without improvement.
func (s *ReduceLROnPlateau) Step(metric float64) {
	s.lastEpoch++
	if s.better(metric) {
		s.best = metric
		s.numBadEpochs = 0
	} else {
		s.numBadEpochs++
	}
	if s.cooldownCount > 0 {
		s.cooldownCount--
		s.numBadEpochs = 0 // bad epochs in cooldown do not count
	}
	if s.numBadEpochs > s.opts.Patience {
		for _, g := range s.groups {
			newLR := math.Max(g.LR*s.opts.Factor, s.opts.MinLR)
			if g.LR-newLR > s.opts.Eps {
				g.LR = newLR
			}
		}
		s.cooldownCount = s.opts.Cooldown
		s.numBadEpochs = 0
	}
	for i, g := range s.groups {
		s.lastLR[i] = g.LR
	}
}

// LastLR returns the learning rate of each group after the last Step.
func (s *ReduceLROnPlateau) LastLR() []float64 { return append([]float64(nil), s.lastLR...) }

// Epoch returns the number of Steps so far.
func (s *ReduceLROnPlateau) Epoch() int { return s.lastEpoch }

// Best returns the best metric seen so far.
func (s *ReduceLROnPlateau) Best() float64 { return s.best }

// String shows the scheduler's settings, state and learning rates.
func (s *ReduceLROnPlateau) String() string {
	o := &s.opts
	return fmt.Sprintf("ReduceLROnPlateau(mode=%s, factor=%v, patience=%d, threshold=%v, threshold_mode=%s, cooldown=%d, min_lr=%v, eps=%v): epoch %d, best %v, bad epochs %d, lr %v",
		o.Mode, o.Factor, o.Patience, o.Threshold, o.ThresholdMode, o.Cooldown, o.MinLR, o.Eps, s.lastEpoch, s.best, s.numBadEpochs, s.lastLR)
}

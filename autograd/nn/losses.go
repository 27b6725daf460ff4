package nn

import (
	ag "github.com/gradlab/gradlab/autograd"
)

// BCEWithLogitsLoss is binary cross-entropy on logits (a sigmoid and BCE
// in one, without overflow), as torch.nn.BCEWithLogitsLoss. PosWeight
// (nil for none) weighs the positive examples, per class along the last
// dimension.
type BCEWithLogitsLoss struct {
	Reduction string
	PosWeight *ag.Tensor
}

// NewBCEWithLogitsLoss returns a mean-reduced BCEWithLogitsLoss.
func NewBCEWithLogitsLoss() *BCEWithLogitsLoss { return &BCEWithLogitsLoss{} }

// Forward returns the loss of logits x against targets y (same shape).
func (l *BCEWithLogitsLoss) Forward(x, y *ag.Tensor) *ag.Tensor {
	return reduceLoss("BCEWithLogitsLoss", l.Reduction, ag.BCEWithLogits(x, y, l.PosWeight))
}

// BCEWithLogits is the functional, mean-reduced BCEWithLogitsLoss.
func BCEWithLogits(x, y *ag.Tensor) *ag.Tensor { return (&BCEWithLogitsLoss{}).Forward(x, y) }

// HuberLoss is quadratic for errors below Delta and linear above, as
// torch.nn.HuberLoss (Delta 0 means PyTorch's default, 1).
type HuberLoss struct {
	Reduction string
	Delta     float64
}

// NewHuberLoss returns a mean-reduced HuberLoss with delta 1.
func NewHuberLoss() *HuberLoss { return &HuberLoss{Delta: 1} }

// Forward returns the loss of pred against target (same shape).
func (l *HuberLoss) Forward(pred, target *ag.Tensor) *ag.Tensor {
	d := l.Delta
	if d == 0 {
		d = 1
	}
	return reduceLoss("HuberLoss", l.Reduction, ag.HuberLoss(pred, target, d))
}

// SmoothL1Loss is quadratic (divided by Beta) for errors below Beta and
// linear above, as torch.nn.SmoothL1Loss; Beta 0 gives the L1 loss, so
// use NewSmoothL1Loss for PyTorch's default beta of 1.
type SmoothL1Loss struct {
	Reduction string
	Beta      float64
}

// NewSmoothL1Loss returns a mean-reduced SmoothL1Loss with beta 1.
func NewSmoothL1Loss() *SmoothL1Loss { return &SmoothL1Loss{Beta: 1} }

// Forward returns the loss of pred against target (same shape).
func (l *SmoothL1Loss) Forward(pred, target *ag.Tensor) *ag.Tensor {
	return reduceLoss("SmoothL1Loss", l.Reduction, ag.SmoothL1Loss(pred, target, l.Beta))
}

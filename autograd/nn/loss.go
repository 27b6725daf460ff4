package nn

import (
	"fmt"

	ag "github.com/gradlab/gradlab/autograd"
)

func reduceLoss(op, reduction string, l *ag.Tensor) *ag.Tensor {
	switch reduction {
	case "", "mean":
		return l.Mean()
	case "sum":
		return l.Sum()
	case "none":
		return l
	}
	panic(&ag.Error{Msg: fmt.Sprintf("%s: reduction must be \"mean\", \"sum\" or \"none\", got %q", op, reduction)})
}

// MSELoss is the mean squared error, as torch.nn.MSELoss. Reduction is
// "mean" (default when empty), "sum" or "none".
type MSELoss struct{ Reduction string }

// NewMSELoss returns a mean-reduced MSELoss.
func NewMSELoss() *MSELoss { return &MSELoss{} }

// Forward returns the loss of pred against target (broadcast as in torch).
func (l *MSELoss) Forward(pred, target *ag.Tensor) *ag.Tensor {
	if l.Reduction == "" || l.Reduction == "mean" {
		return ag.MSELoss(pred, target)
	}
	return reduceLoss("MSELoss", l.Reduction, pred.Sub(target).Pow(2))
}

// MSE is the functional mean squared error (one op: ag.MSELoss).
func MSE(pred, target *ag.Tensor) *ag.Tensor { return ag.MSELoss(pred, target) }

// L1Loss is the mean absolute error, as torch.nn.L1Loss.
type L1Loss struct{ Reduction string }

// NewL1Loss returns a mean-reduced L1Loss.
func NewL1Loss() *L1Loss { return &L1Loss{} }

// Forward returns the loss of pred against target.
func (l *L1Loss) Forward(pred, target *ag.Tensor) *ag.Tensor {
	return reduceLoss("L1Loss", l.Reduction, pred.Sub(target).Abs())
}

// CrossEntropyLoss takes logits [N, C] (or [N, C, d1, ...]) and targets
// that are either Int64 class indices [N] (or [N, d1, ...]) or class
// probabilities of the logits' shape, as torch.nn.CrossEntropyLoss.
// Reduction is "mean" (default when empty), "sum" or "none"; the options
// weight, ignore_index (-100 unless set) and label_smoothing are set with
// the chainable setters:
//
//	loss := nn.NewCrossEntropyLoss().SetWeight(w).SetIgnoreIndex(0).SetLabelSmoothing(0.1)
//
// A float target with a fractional part, a class index out of range, or a
// weight of the wrong shape is an error naming it.
type CrossEntropyLoss struct {
	Reduction string
	lossOptions
}

// lossOptions are the class options of the classification losses. The
// ignore index is kept as set/unset so the zero value ignores -100, as
// torch, rather than class 0.
type lossOptions struct {
	weight         *ag.Tensor
	ignoreIndex    int
	ignoreSet      bool
	labelSmoothing float64
}

func (o *lossOptions) ignore() int {
	if o.ignoreSet {
		return o.ignoreIndex
	}
	return -100
}

// NewCrossEntropyLoss returns a mean-reduced CrossEntropyLoss.
func NewCrossEntropyLoss() *CrossEntropyLoss { return &CrossEntropyLoss{} }

// SetWeight sets a weight per class (shape [C]; nil for none); returns l.
func (l *CrossEntropyLoss) SetWeight(w *ag.Tensor) *CrossEntropyLoss { l.weight = w; return l }

// SetIgnoreIndex makes targets equal to i count for nothing; returns l.
func (l *CrossEntropyLoss) SetIgnoreIndex(i int) *CrossEntropyLoss {
	l.ignoreIndex, l.ignoreSet = i, true
	return l
}

// SetLabelSmoothing mixes the targets with the uniform distribution over
// the classes, in proportion eps (0 to 1); returns l.
func (l *CrossEntropyLoss) SetLabelSmoothing(eps float64) *CrossEntropyLoss {
	l.labelSmoothing = eps
	return l
}

// SetReduction sets "mean", "sum" or "none"; returns l.
func (l *CrossEntropyLoss) SetReduction(r string) *CrossEntropyLoss { l.Reduction = r; return l }

// Forward returns the loss of logits against target.
func (l *CrossEntropyLoss) Forward(logits, target *ag.Tensor) *ag.Tensor {
	return ag.CrossEntropyLoss(logits, target, l.weight, l.ignore(), l.labelSmoothing, l.Reduction)
}

// CrossEntropy is the functional, mean-reduced CrossEntropyLoss.
func CrossEntropy(logits, target *ag.Tensor) *ag.Tensor {
	return ag.CrossEntropyLoss(logits, target, nil, -100, 0, "")
}

// NLLLoss is the negative log-likelihood loss of log-probabilities (the
// output of LogSoftmax) against Int64 class indices, as torch.nn.NLLLoss,
// with the same Reduction and the setters SetWeight and SetIgnoreIndex.
type NLLLoss struct {
	Reduction string
	lossOptions
}

// NewNLLLoss returns a mean-reduced NLLLoss.
func NewNLLLoss() *NLLLoss { return &NLLLoss{} }

// SetWeight sets a weight per class (shape [C]; nil for none); returns l.
func (l *NLLLoss) SetWeight(w *ag.Tensor) *NLLLoss { l.weight = w; return l }

// SetIgnoreIndex makes targets equal to i count for nothing; returns l.
func (l *NLLLoss) SetIgnoreIndex(i int) *NLLLoss {
	l.ignoreIndex, l.ignoreSet = i, true
	return l
}

// SetReduction sets "mean", "sum" or "none"; returns l.
func (l *NLLLoss) SetReduction(r string) *NLLLoss { l.Reduction = r; return l }

// Forward returns the loss of log-probabilities logp against target.
func (l *NLLLoss) Forward(logp, target *ag.Tensor) *ag.Tensor {
	return ag.NLLLoss(logp, target, l.weight, l.ignore(), l.Reduction)
}

// NLL is the functional, mean-reduced NLLLoss.
func NLL(logp, target *ag.Tensor) *ag.Tensor { return ag.NLLLoss(logp, target, nil, -100, "") }

// BCELoss is binary cross-entropy on probabilities, as torch.nn.BCELoss
// (logs are clamped at -100 like PyTorch, so 0 and 1 stay finite, and so
// do the gradients).
type BCELoss struct{ Reduction string }

// NewBCELoss returns a mean-reduced BCELoss.
func NewBCELoss() *BCELoss { return &BCELoss{} }

// Forward returns the loss of probabilities p against targets y.
func (l *BCELoss) Forward(p, y *ag.Tensor) *ag.Tensor {
	return reduceLoss("BCELoss", l.Reduction, ag.BinaryCrossEntropy(p, y))
}

// BCE is the functional, mean-reduced BCELoss.
func BCE(p, y *ag.Tensor) *ag.Tensor { return (&BCELoss{}).Forward(p, y) }

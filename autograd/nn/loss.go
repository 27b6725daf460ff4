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

// CrossEntropyLoss takes logits [N, C] and targets that are either class
// indices [N] or class probabilities [N, C], as torch.nn.CrossEntropyLoss.
type CrossEntropyLoss struct{ Reduction string }

// NewCrossEntropyLoss returns a mean-reduced CrossEntropyLoss.
func NewCrossEntropyLoss() *CrossEntropyLoss { return &CrossEntropyLoss{} }

// Forward returns the loss of logits against target.
func (l *CrossEntropyLoss) Forward(logits, target *ag.Tensor) *ag.Tensor {
	ls, ts := logits.Shape(), target.Shape()
	if len(ls) == 1 { // a single sample
		logits, ls = logits.Unsqueeze(0), append([]int{1}, ls...)
		if len(ts) == 0 {
			target, ts = target.Reshape(1), []int{1}
		} else {
			target, ts = target.Unsqueeze(0), append([]int{1}, ts...)
		}
	}
	if len(ls) != 2 {
		panic(&ag.Error{Msg: fmt.Sprintf("CrossEntropyLoss: logits must be [N, C], got %v", ls)})
	}
	logp := logits.LogSoftmax(1)
	var probs *ag.Tensor
	switch {
	case len(ts) == 1 && ts[0] == ls[0]:
		probs = ag.OneHot(target, ls[1]).To(logits.DType())
	case len(ts) == 2 && ts[0] == ls[0] && ts[1] == ls[1]:
		probs = target
	default:
		panic(&ag.Error{Msg: fmt.Sprintf("CrossEntropyLoss: logits %v need targets [%d] (class indices) or %v (probabilities), got %v", ls, ls[0], ls, ts)})
	}
	return reduceLoss("CrossEntropyLoss", l.Reduction, logp.Mul(probs).SumDim(1, false).Neg())
}

// CrossEntropy is the functional, mean-reduced CrossEntropyLoss.
func CrossEntropy(logits, target *ag.Tensor) *ag.Tensor {
	return (&CrossEntropyLoss{}).Forward(logits, target)
}

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

package nn

import (
	"math"

	ag "github.com/gradlab/gradlab/autograd"
)

// ClipGradNorm rescales the gradients of params in place so that their
// global norm (the norm of all of them as one vector; normType 2 for the
// Euclidean norm, math.Inf(1) for the largest magnitude) is at most
// maxNorm, as torch.nn.utils.clip_grad_norm_, and returns the norm before
// clipping. Parameters without a gradient are skipped.
func ClipGradNorm(params []*ag.Tensor, maxNorm, normType float64) float64 {
	if !(normType > 0) {
		fail("ClipGradNorm: norm type must be positive (2, or math.Inf(1)), got %v", normType)
	}
	total := 0.0
	for _, p := range params {
		g := p.Grad()
		if g == nil {
			continue
		}
		for _, v := range g.Float64s() {
			a := math.Abs(v)
			switch {
			case math.IsInf(normType, 1):
				total = math.Max(total, a)
			case normType == 2:
				total += a * a
			default:
				total += math.Pow(a, normType)
			}
		}
	}
	switch {
	case math.IsInf(normType, 1):
	case normType == 2:
		total = math.Sqrt(total)
	default:
		total = math.Pow(total, 1/normType)
	}
	coef := maxNorm / (total + 1e-6)
	if coef < 1 {
		ag.NoGrad(func() {
			for _, p := range params {
				if g := p.Grad(); g != nil {
					g.MulScalarInPlace(coef)
				}
			}
		})
	}
	return total
}

// ClipGradValue clamps every gradient element of params to
// [-clip, clip] in place, as torch.nn.utils.clip_grad_value_.
func ClipGradValue(params []*ag.Tensor, clip float64) {
	if clip < 0 {
		fail("ClipGradValue: clip value must not be negative, got %v", clip)
	}
	ag.NoGrad(func() {
		for _, p := range params {
			if g := p.Grad(); g != nil {
				g.CopyFrom(g.Clamp(-clip, clip))
			}
		}
	})
}

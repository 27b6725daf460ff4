package autograd

import "slices"

// MSELoss returns the mean of (pred - target)², as
// torch.nn.functional.mse_loss, in one op: one pass forward and one
// backward instead of the three ops (Sub, Pow, Mean) it stands for, with
// the same float rounding as those ops. Shapes that differ broadcast, by
// way of those ops.
func MSELoss(pred, target *Tensor) *Tensor {
	needFloat("MSELoss", pred, target)
	pred, target = promote(pred, target)
	if !slices.Equal(pred.shape, target.shape) || !pred.IsContiguous() || !target.IsContiguous() {
		return pred.Sub(target).Pow(2).Mean()
	}
	n := pred.Numel()
	track := tracking(pred, target)
	out := newOut(pred.dtype, nil, track)
	// as Sub, Pow(2) and a Mean that sums in float64, rounds to the dtype and divides
	s := 0.0
	if pred.dtype == Float64 {
		p, t := pred.d64[pred.offset:pred.offset+n], target.d64[target.offset:target.offset+n]
		for i, v := range p {
			d := v - t[i]
			s += d * d
		}
		out.d64[0] = s / float64(n)
	} else {
		p, t := pred.d32[pred.offset:pred.offset+n], target.d32[target.offset:target.offset+n]
		for i, v := range p {
			d := v - t[i]
			s += float64(d * d)
		}
		out.d32[0] = float32(s) / float32(n)
	}
	if track {
		nd := attach(out, "MSELoss", mseBackward, pred, target)
		nd.c = float64(n)
	}
	return out
}

// mseBackward: d/dpred = 2 (pred - target) g / n, rounded as Mean's, Pow's
// and Sub's backward would (g/n first, then times the difference, then 2).
func mseBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	pred, target := n.in[0], n.in[1]
	k := pred.Numel()
	gp := p.alloc(pred.dtype, pred.shape)
	if pred.dtype == Float64 {
		u := g.d64[g.offset] / n.c
		pv, tv := pred.d64[pred.offset:pred.offset+k], target.d64[target.offset:target.offset+k]
		for i, v := range pv {
			gp.d64[i] = u * (v - tv[i]) * 2
		}
	} else {
		u := g.d32[g.offset] / float32(n.c)
		pv, tv := pred.d32[pred.offset:pred.offset+k], target.d32[target.offset:target.offset+k]
		for i, v := range pv {
			gp.d32[i] = u * (v - tv[i]) * 2
		}
	}
	if pred.requiresGrad {
		gs[0] = gp
	}
	if target.requiresGrad {
		gs[1] = gp.Neg()
	}
}

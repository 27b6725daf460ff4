package autograd

import (
	"math"
	"slices"
)

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

// classTargets returns target as Int64 class indices for op: Int64 as it
// is; a float tensor only when every value is integral (torch refuses float
// indices; gradlab took them before there was an Int64 dtype, and a
// fractional one was silently truncated).
func classTargets(op string, target *Tensor) *Tensor {
	switch target.dtype {
	case Int64:
		return target
	case Bool:
		fail("%s: target must hold class indices as int64, got a bool tensor (convert it with Long())", op)
	}
	for i, v := range target.Float64s() {
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			fail("%s: target %v (element %d) is not a class index: class targets must be integers (make them with Long() or FromInts)", op, v, i)
		}
	}
	return target.convert(Int64)
}

// classRows checks an input [N, C, d1...] (or [C]) against class targets
// [N, d1...] (or []) and returns the input as rows [M, C], the targets as
// M ints, and the targets' shape. The reshaping is differentiable.
func classRows(op string, input, target *Tensor) (rows *Tensor, tv []int, tshape []int) {
	needFloat(op, input)
	target = classTargets(op, target)
	var want []int
	switch len(input.shape) {
	case 0:
		fail("%s: input must have a class dimension, got a 0-d tensor", op)
	case 1:
		want = []int{}
	default:
		want = append([]int{input.shape[0]}, input.shape[2:]...)
	}
	if !slices.Equal(target.shape, want) {
		fail("%s: input of shape %v needs class-index targets of shape %v, got %v", op, input.shape, want, target.shape)
	}
	c := input.shape[min(1, len(input.shape)-1)]
	rows = input
	switch {
	case len(input.shape) == 1:
		rows = input.Reshape(1, c)
	case len(input.shape) > 2: // [N, C, d...] -> [N, d..., C] -> [M, C]
		perm := []int{0}
		for i := 2; i < len(input.shape); i++ {
			perm = append(perm, i)
		}
		rows = input.Permute(append(perm, 1)...).Reshape(-1, c)
	}
	return rows, target.Ints(), target.shape
}

// checkWeight returns a class weight as float64s (nil for none).
func checkWeight(op string, weight *Tensor, c int) []float64 {
	if weight == nil {
		return nil
	}
	needFloat(op, weight)
	if !slices.Equal(weight.shape, []int{c}) {
		fail("%s: weight must have shape [%d] (one per class), got %v", op, c, weight.shape)
	}
	return weight.Float64s()
}

// NLLLoss returns the negative log-likelihood loss of log-probabilities
// input [N, C] (or [N, C, d1, ...], or [C]) for Int64 class targets [N]
// (or [N, d1, ...], or []), as torch.nn.functional.nll_loss: -w[t]·input[t]
// per element, where w is weight (nil: all ones) and elements whose target
// is ignoreIndex count for nothing. reduction "mean" (or "") divides the
// sum by the total weight of the counted elements, "sum" adds them, and
// "none" returns them in the targets' shape. A target outside [0, C) that
// is not ignoreIndex is an error.
func NLLLoss(input, target, weight *Tensor, ignoreIndex int, reduction string) *Tensor {
	const op = "NLLLoss"
	checkReduction(op, reduction)
	rows, tv, tshape := classRows(op, input, target)
	return nllRows(op, rows, tv, tshape, checkWeight(op, weight, rows.shape[1]), ignoreIndex, reduction)
}

func checkReduction(op, reduction string) {
	switch reduction {
	case "", "mean", "sum", "none":
		return
	}
	fail("%s: reduction must be \"mean\", \"sum\" or \"none\", got %q", op, reduction)
}

// targetWeight checks target t of row i against c classes and returns its
// weight: w[t], or 1 without class weights.
func targetWeight(op string, t, i, c int, w []float64) float64 {
	if t < 0 || t >= c {
		fail("%s: target %d (element %d) is out of range for %d classes", op, t, i, c)
	}
	if w != nil {
		return w[t]
	}
	return 1
}

// nllRows is NLLLoss on rows [M, C]: one op, whose backward puts -w[t]
// (scaled by the reduction) at each row's target.
func nllRows(op string, rows *Tensor, tv, tshape []int, w []float64, ignoreIndex int, reduction string) *Tensor {
	m, c := rows.shape[0], rows.shape[1]
	x := rows.Float64s()
	wt := make([]float64, m) // each row's weight; 0 when ignored
	loss := make([]float64, m)
	total := 0.0
	for i, t := range tv {
		if t == ignoreIndex {
			continue
		}
		wt[i] = targetWeight(op, t, i, c, w)
		loss[i] = -wt[i] * x[i*c+t]
		total += wt[i]
	}
	sum := 0.0
	for _, v := range loss {
		sum += v
	}
	out, scale := reducedLoss(rows.dtype, tshape, reduction, loss, sum, total)
	if tracking(rows, nil) {
		record(out, op, func(g *Tensor, gs []*Tensor) {
			gv := g.Float64s()
			d := make([]float64, m*c)
			for i, t := range tv {
				if wt[i] == 0 {
					continue
				}
				gi := gv[0]
				if reduction == "none" {
					gi = gv[i]
				}
				d[i*c+t] = -wt[i] * gi * scale
			}
			r := newTensor(rows.dtype, rows.shape)
			r.setFloat64s(d)
			gs[0] = r
		}, rows)
	}
	return out
}

// crossEntropyRows is NLLLoss(LogSoftmax(rows, 1)) for logits rows
// [M, C] as one op. Forward, per row, in float64: the maximum m, s =
// Σ exp(x - m), and the target's log-probability (x_t - m) - log s, the
// unfused ops' formula (NaN and infinities propagate as there). Backward:
// the gradient of row i is coef_i·(softmax_i - onehot(t_i)), coef_i =
// -(the NLL's gradient at t_i), formed in one pass from the saved
// log-sum-exp. The unfused path records seven ops (max, subtract, exp,
// sum, log, subtract, NLL), each with its own output and backward; for
// the MLP's 64x10 logits that is most of the loss's cost.
func crossEntropyRows(op string, rows *Tensor, tv, tshape []int, w []float64, ignoreIndex int, reduction string) *Tensor {
	m, c := rows.shape[0], rows.shape[1]
	var x []float64 // the logits, float64 when rows is; nil for float32 (read in place)
	var x32 []float32
	if rows.dtype == Float64 {
		x = rows.contig64()
	} else {
		x32 = rows.contig32()
	}
	at := func(i int) float64 {
		if x != nil {
			return x[i]
		}
		return float64(x32[i])
	}
	lse := make([]float64, 2*m) // log Σ exp per row, then each row's weight (0 when ignored)
	lse, wt := lse[:m], lse[m:]
	total, sum := 0.0, 0.0
	var each []float64 // per-element losses, for reduction "none"
	if reduction == "none" {
		each = make([]float64, m)
	}
	for i, t := range tv {
		// every row's log-sum-exp, ignored rows' too: their gradient is
		// 0·softmax, NaN where the softmax is, as the definition's
		mx := math.Inf(-1)
		for j := i * c; j < i*c+c; j++ {
			if v := at(j); v > mx {
				mx = v
			}
		}
		s := 0.0
		for j := i * c; j < i*c+c; j++ {
			s += math.Exp(at(j) - mx)
		}
		ls := math.Log(s)
		lse[i] = mx + ls
		if t == ignoreIndex {
			continue
		}
		wt[i] = targetWeight(op, t, i, c, w)
		l := -wt[i] * ((at(i*c+t) - mx) - ls)
		if each != nil {
			each[i] = l
		}
		sum += l
		total += wt[i]
	}
	out, scale := reducedLoss(rows.dtype, tshape, reduction, each, sum, total)
	if tracking(rows, nil) {
		record(out, op, func(g *Tensor, gs []*Tensor) {
			gv := g.Float64s()
			d := newTensor(rows.dtype, rows.shape)
			for i, t := range tv {
				coef := 0.0 // an ignored row (or one of weight 0) passes no gradient
				if wt[i] != 0 {
					gi := gv[0]
					if reduction == "none" {
						gi = gv[i]
					}
					coef = wt[i] * gi * scale
				}
				for j := 0; j < c; j++ {
					v := coef * math.Exp(at(i*c+j)-lse[i])
					if j == t && t != ignoreIndex {
						v -= coef
					}
					d.setAt(i*c+j, v)
				}
			}
			gs[0] = d
		}, rows)
	}
	return out
}

// CrossEntropyLoss returns the cross-entropy of unnormalised logits input
// [N, C] (or [N, C, d1, ...], or [C]) against target, as
// torch.nn.functional.cross_entropy: target is either Int64 class indices
// [N] ([N, d1, ...]; floats only if integral), or class probabilities of
// the input's shape. weight (nil: none) weighs each class, targets equal to
// ignoreIndex count for nothing (torch's default is -100), and
// labelSmoothing in [0, 1] mixes the targets with the uniform distribution.
// reduction is "mean" (or ""), "sum" or "none"; the weighted mean divides
// by the total weight of the counted targets, as torch does.
func CrossEntropyLoss(input, target, weight *Tensor, ignoreIndex int, labelSmoothing float64, reduction string) *Tensor {
	const op = "CrossEntropyLoss"
	checkReduction(op, reduction)
	needFloat(op, input)
	if labelSmoothing < 0 || labelSmoothing > 1 || math.IsNaN(labelSmoothing) {
		fail("%s: label smoothing must be in [0, 1], got %v", op, labelSmoothing)
	}
	if len(input.shape) == 0 {
		fail("%s: input must have a class dimension, got a 0-d tensor", op)
	}
	cdim := min(1, len(input.shape)-1)
	c := input.shape[cdim]
	w := checkWeight(op, weight, c)
	soft := slices.Equal(target.shape, input.shape) && target.dtype.IsFloat()
	if !soft && labelSmoothing == 0 { // the usual case, class indices: one fused op
		rows, tv, tshape := classRows(op, input, target)
		return crossEntropyRows(op, rows, tv, tshape, w, ignoreIndex, reduction)
	}
	logp := input.LogSoftmax(cdim)
	if soft {
		return softCrossEntropy(logp, target, weight, cdim, labelSmoothing, reduction)
	}
	rows, tv, tshape := classRows(op, logp, target)
	nll := nllRows(op, rows, tv, tshape, w, ignoreIndex, reduction)
	if labelSmoothing == 0 {
		return nll
	}
	// torch's smoothing term: -sum_c w_c logp_c per counted element,
	// reduced like the loss, mixed in with weight eps/C
	wr := rows
	if weight != nil {
		wr = rows.Mul(weight.To(rows.dtype))
	}
	keep := make([]float64, len(tv))
	den := 0.0
	for i, t := range tv {
		if t != ignoreIndex {
			keep[i] = 1
			if w != nil {
				den += w[t]
			} else {
				den++
			}
		}
	}
	smooth := wr.SumDim(1, false).Neg().Mul(New64(keep).To(rows.dtype))
	switch reduction {
	case "none":
		smooth = smooth.Reshape(tshape...)
	case "sum":
		smooth = smooth.Sum()
	default:
		smooth = smooth.Sum().DivScalar(den)
	}
	return nll.MulScalar(1 - labelSmoothing).Add(smooth.MulScalar(labelSmoothing / float64(c)))
}

// softCrossEntropy is cross-entropy against class probabilities: -sum_c
// w_c p_c logp_c per element, the mean dividing by the number of elements
// (not by weight), as torch.
func softCrossEntropy(logp, target, weight *Tensor, cdim int, eps float64, reduction string) *Tensor {
	p := target.To(logp.dtype)
	if eps > 0 {
		p = p.MulScalar(1 - eps).AddScalar(eps / float64(logp.shape[cdim]))
	}
	prod := logp.Mul(p)
	if weight != nil {
		shape := make([]int, len(logp.shape))
		for i := range shape {
			shape[i] = 1
		}
		shape[cdim] = logp.shape[cdim]
		prod = prod.Mul(weight.To(logp.dtype).Reshape(shape...))
	}
	l := prod.SumDim(cdim, false).Neg()
	switch reduction {
	case "none":
		return l
	case "sum":
		return l.Sum()
	}
	return l.Mean()
}

// reducedLoss is a per-target loss reduced as reduction says: "none" gives
// each (of shape tshape), "sum" their sum, otherwise the mean weighted by
// total (all targets ignored: 0/0 = NaN, as torch). scale is what the
// reduction multiplies each row's gradient by.
func reducedLoss(dtype DType, tshape []int, reduction string, each []float64, sum, total float64) (out *Tensor, scale float64) {
	switch reduction {
	case "none":
		out = newTensor(dtype, tshape)
		out.setFloat64s(each)
		return out, 1
	case "sum":
		out = newTensor(dtype, nil)
		out.setFloat64s([]float64{sum})
		return out, 1
	default:
		out = newTensor(dtype, nil)
		out.setFloat64s([]float64{sum / total})
		return out, 1 / total
	}
}

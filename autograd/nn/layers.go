package nn

import (
	"fmt"
	"math"
	"strings"

	ag "github.com/gradlab/gradlab/autograd"
)

// Dropout zeroes inputs with probability P in training mode, scaling the
// rest by 1/(1-P), and passes them through in evaluation mode, as
// torch.nn.Dropout. It draws from Generator (the global one when nil), so
// a seeded generator gives the same masks run after run.
type Dropout struct {
	mode
	P         float64
	Generator *ag.Generator
}

// NewDropout returns a Dropout with probability p drawing from the global generator.
func NewDropout(p float64) *Dropout {
	if p < 0 || p > 1 {
		fail("NewDropout: dropout probability has to be between 0 and 1, but got %v", p)
	}
	return &Dropout{P: p}
}

// Forward applies the dropout (training) or nothing (evaluation).
func (d *Dropout) Forward(x *ag.Tensor) *ag.Tensor {
	if d.eval || d.P == 0 {
		return x
	}
	return ag.Dropout(x, d.P, d.Generator)
}

// Parameters returns nil.
func (*Dropout) Parameters() []*ag.Tensor { return nil }

func (d *Dropout) String() string { return fmt.Sprintf("Dropout(p=%v)", d.P) }

// BatchNorm normalises each channel of [N, C] or [N, C, L] (BatchNorm1d)
// or [N, C, H, W] (BatchNorm2d) inputs over the batch (and positions), as
// torch.nn.BatchNorm1d/2d: in training mode with the batch's statistics,
// updating the running ones (momentum Momentum, unbiased variance); in
// evaluation mode with the running ones. Weight (ones) and Bias (zeros)
// are the affine parameters, RunningMean, RunningVar and
// NumBatchesTracked the buffers of the state dict.
type BatchNorm struct {
	mode
	Dims                          int // 1 or 2
	NumFeatures                   int
	Eps, Momentum                 float64
	Weight, Bias                  *ag.Tensor // nil without affine
	RunningMean, RunningVar       *ag.Tensor
	NumBatchesTracked             *ag.Tensor // a 0-d Int64 count
	NoRunningStats, NoAffineParam bool
}

// NewBatchNorm1d returns a BatchNorm over [N, C] or [N, C, L] inputs with
// PyTorch's defaults (eps 1e-5, momentum 0.1, affine, running statistics).
func NewBatchNorm1d(features int) *BatchNorm { return newBatchNorm(1, features) }

// NewBatchNorm2d returns a BatchNorm over [N, C, H, W] inputs with
// PyTorch's defaults.
func NewBatchNorm2d(features int) *BatchNorm { return newBatchNorm(2, features) }

func newBatchNorm(dims, c int) *BatchNorm {
	if c <= 0 {
		fail("NewBatchNorm%dd: num_features must be positive, got %d", dims, c)
	}
	return &BatchNorm{Dims: dims, NumFeatures: c, Eps: 1e-5, Momentum: 0.1,
		Weight: Param(ag.Ones(c)), Bias: Param(ag.Zeros(c)),
		RunningMean: ag.Zeros(c), RunningVar: ag.Ones(c), NumBatchesTracked: ag.ZerosOf(ag.Int64)}
}

// Forward normalises x.
func (b *BatchNorm) Forward(x *ag.Tensor) *ag.Tensor {
	s := x.Shape()
	ok := len(s) == 4
	if b.Dims == 1 {
		ok = len(s) == 2 || len(s) == 3
	}
	if !ok || s[1] != b.NumFeatures {
		want := "[N, %d, H, W]"
		if b.Dims == 1 {
			want = "[N, %d] or [N, %d, L]"
		}
		fail("%v: expected input %s, got shape %v", b, strings.ReplaceAll(want, "%d", fmt.Sprint(b.NumFeatures)), s)
	}
	dims := []int{0}
	for d := 2; d < len(s); d++ {
		dims = append(dims, d)
	}
	bshape := make([]int, len(s)) // [1, C, 1, ...]: broadcasts per channel
	for i := range bshape {
		bshape[i] = 1
	}
	bshape[1] = b.NumFeatures
	var y *ag.Tensor
	useBatch := !b.eval || b.NoRunningStats || b.RunningMean == nil
	if useBatch {
		n := x.Numel() / b.NumFeatures
		if n <= 1 {
			fail("%v: expected more than 1 value per channel when training, got input shape %v", b, s)
		}
		mean := x.MeanDims(dims, true)
		dev := x.Sub(mean)
		v := dev.Mul(dev).MeanDims(dims, true)
		y = dev.Div(v.AddScalar(b.Eps).Sqrt())
		if !b.eval && !b.NoRunningStats && b.RunningMean != nil {
			ag.NoGrad(func() {
				m := b.Momentum
				b.RunningMean.MulScalarInPlace(1-m).AddScaledInPlace(m, mean.Detach().Reshape(b.NumFeatures))
				unbiased := v.Detach().Reshape(b.NumFeatures).MulScalar(float64(n) / float64(n-1))
				b.RunningVar.MulScalarInPlace(1-m).AddScaledInPlace(m, unbiased)
				if b.NumBatchesTracked != nil {
					b.NumBatchesTracked.AddScalarInPlace(1)
				}
			})
		}
	} else {
		rm, rv := b.RunningMean.Reshape(bshape...), b.RunningVar.Reshape(bshape...)
		y = x.Sub(rm).Div(rv.AddScalar(b.Eps).Sqrt())
	}
	if b.Weight != nil {
		y = y.Mul(b.Weight.Reshape(bshape...))
	}
	if b.Bias != nil {
		y = y.Add(b.Bias.Reshape(bshape...))
	}
	return y
}

// Parameters returns weight and bias.
func (b *BatchNorm) Parameters() []*ag.Tensor {
	if b.Weight == nil {
		return nil
	}
	return []*ag.Tensor{b.Weight, b.Bias}
}

func (b *BatchNorm) ownTensors() (params, buffers []NamedTensor) {
	return []NamedTensor{{"weight", b.Weight}, {"bias", b.Bias}},
		[]NamedTensor{{"running_mean", b.RunningMean}, {"running_var", b.RunningVar}, {"num_batches_tracked", b.NumBatchesTracked}}
}

func (b *BatchNorm) String() string {
	return fmt.Sprintf("BatchNorm%dd(%d, eps=%v, momentum=%v, affine=%t, track_running_stats=%t)", b.Dims, b.NumFeatures, b.Eps, b.Momentum, b.Weight != nil, !b.NoRunningStats)
}

// LayerNorm normalises over the last len(Shape) dimensions, as
// torch.nn.LayerNorm, with elementwise Weight (ones) and Bias (zeros).
type LayerNorm struct {
	mode
	Shape        []int
	Eps          float64
	Weight, Bias *ag.Tensor // nil without elementwise affine
}

// NewLayerNorm returns a LayerNorm over trailing dimensions of shape
// normalized (e.g. []int{512}), eps 1e-5, with affine parameters.
func NewLayerNorm(normalized []int) *LayerNorm {
	if len(normalized) == 0 {
		fail("NewLayerNorm: normalized_shape must have at least one dimension")
	}
	for _, d := range normalized {
		if d <= 0 {
			fail("NewLayerNorm: normalized_shape %v must be positive", normalized)
		}
	}
	sh := append([]int(nil), normalized...)
	return &LayerNorm{Shape: sh, Eps: 1e-5, Weight: Param(ag.Ones(sh...)), Bias: Param(ag.Zeros(sh...))}
}

// Forward normalises x.
func (l *LayerNorm) Forward(x *ag.Tensor) *ag.Tensor {
	s, k := x.Shape(), len(l.Shape)
	if len(s) < k || fmt.Sprint(s[len(s)-k:]) != fmt.Sprint(l.Shape) {
		fail("%v: input shape %v does not end in %v", l, s, l.Shape)
	}
	dims := make([]int, k)
	for i := range dims {
		dims[i] = len(s) - k + i
	}
	dev := x.Sub(x.MeanDims(dims, true))
	v := dev.Mul(dev).MeanDims(dims, true)
	y := dev.Div(v.AddScalar(l.Eps).Sqrt())
	if l.Weight != nil {
		y = y.Mul(l.Weight)
	}
	if l.Bias != nil {
		y = y.Add(l.Bias)
	}
	return y
}

// Parameters returns weight and bias.
func (l *LayerNorm) Parameters() []*ag.Tensor {
	if l.Weight == nil {
		return nil
	}
	return []*ag.Tensor{l.Weight, l.Bias}
}

func (l *LayerNorm) ownTensors() (params, buffers []NamedTensor) {
	return []NamedTensor{{"weight", l.Weight}, {"bias", l.Bias}}, nil
}

func (l *LayerNorm) String() string {
	return fmt.Sprintf("LayerNorm(%v, eps=%v, elementwise_affine=%t)", l.Shape, l.Eps, l.Weight != nil)
}

// Embedding maps integer indices to rows of Weight [Num, Dim], as
// torch.nn.Embedding. PaddingIdx (-1 for none) is a row that starts at
// zero and gets no gradient.
type Embedding struct {
	mode
	Num, Dim   int
	PaddingIdx int
	Weight     *ag.Tensor
}

// NewEmbedding returns an Embedding with N(0, 1) weights (PyTorch's
// default) from the global generator, and no padding index.
func NewEmbedding(num, dim int) *Embedding {
	return NewEmbeddingWith(num, dim, -1, ag.DefaultGenerator())
}

// NewEmbeddingWith is NewEmbedding with a padding index (-1 for none) and
// the generator to draw from.
func NewEmbeddingWith(num, dim, paddingIdx int, g *ag.Generator) *Embedding {
	if num <= 0 || dim <= 0 {
		fail("NewEmbedding: num_embeddings and embedding_dim must be positive, got %d and %d", num, dim)
	}
	if paddingIdx < -1 || paddingIdx >= num {
		fail("NewEmbedding: padding_idx %d must be within num_embeddings %d", paddingIdx, num)
	}
	if g == nil {
		g = ag.DefaultGenerator()
	}
	w := g.Randn(num, dim)
	if paddingIdx >= 0 {
		w.Narrow(0, paddingIdx, 1).Fill(0)
	}
	return &Embedding{Num: num, Dim: dim, PaddingIdx: paddingIdx, Weight: Param(w)}
}

// Forward looks up the rows of idx (an Int64 tensor of any shape, or
// floats holding whole numbers): the result has idx's shape followed by Dim.
func (e *Embedding) Forward(idx *ag.Tensor) *ag.Tensor {
	var vals []int64
	if idx.DType() == ag.Int64 {
		vals = idx.Int64s()
	} else {
		for i, v := range idx.Float64s() {
			if v != math.Trunc(v) {
				fail("%v: index %v at position %d is not a whole number (use an Int64 tensor of indices)", e, v, i)
			}
			vals = append(vals, int64(v))
		}
	}
	ints := make([]int, len(vals))
	pad := false
	for i, v := range vals {
		k := int(v)
		if k < 0 || k >= e.Num {
			fail("%v: index %v out of range [0, %d) (position %d of indices of shape %v)", e, v, e.Num, i, idx.Shape())
		}
		ints[i] = k
		pad = pad || k == e.PaddingIdx
	}
	out := e.Weight.IndexSelect(0, ints)
	if pad { // the padding rows' values pass, their gradient does not
		mask := make([]float64, len(ints))
		for i, k := range ints {
			if k != e.PaddingIdx {
				mask[i] = 1
			}
		}
		out = ag.Where(ag.New(mask, len(ints), 1), out, out.Detach())
	}
	return out.Reshape(append(idx.Shape(), e.Dim)...)
}

// Parameters returns the weight.
func (e *Embedding) Parameters() []*ag.Tensor { return []*ag.Tensor{e.Weight} }

func (e *Embedding) ownTensors() (params, buffers []NamedTensor) {
	return []NamedTensor{{"weight", e.Weight}}, nil
}

func (e *Embedding) String() string {
	if e.PaddingIdx >= 0 {
		return fmt.Sprintf("Embedding(%d, %d, padding_idx=%d)", e.Num, e.Dim, e.PaddingIdx)
	}
	return fmt.Sprintf("Embedding(%d, %d)", e.Num, e.Dim)
}

// LeakyReLU is x for x > 0 and Slope·x otherwise, as torch.nn.LeakyReLU.
type LeakyReLU struct {
	mode
	Slope float64
}

// NewLeakyReLU returns a LeakyReLU with negative slope 0.01 (PyTorch's default).
func NewLeakyReLU() *LeakyReLU { return &LeakyReLU{Slope: 0.01} }

// Forward applies the activation.
func (l *LeakyReLU) Forward(x *ag.Tensor) *ag.Tensor { return x.LeakyRelu(l.Slope) }

// Parameters returns nil.
func (*LeakyReLU) Parameters() []*ag.Tensor { return nil }

func (l *LeakyReLU) String() string { return fmt.Sprintf("LeakyReLU(negative_slope=%v)", l.Slope) }

// GELU is x·Φ(x), as torch.nn.GELU; Approximate "tanh" selects the tanh form.
type GELU struct {
	mode
	Approximate string // "none" (or "") or "tanh"
}

// NewGELU returns the exact (erf) GELU.
func NewGELU() *GELU { return &GELU{Approximate: "none"} }

// Forward applies the activation.
func (g *GELU) Forward(x *ag.Tensor) *ag.Tensor {
	switch g.Approximate {
	case "", "none":
		return x.Gelu(false)
	case "tanh":
		return x.Gelu(true)
	}
	fail("GELU: approximate must be \"none\" or \"tanh\", got %q", g.Approximate)
	return nil
}

// Parameters returns nil.
func (*GELU) Parameters() []*ag.Tensor { return nil }

func (g *GELU) String() string {
	if g.Approximate == "tanh" {
		return "GELU(approximate='tanh')"
	}
	return "GELU(approximate='none')"
}

// Softmax is the module form of softmax along Dim.
type Softmax struct {
	mode
	Dim int
}

// NewSoftmax returns a Softmax along dim.
func NewSoftmax(dim int) *Softmax { return &Softmax{Dim: dim} }

// Forward applies softmax.
func (s *Softmax) Forward(x *ag.Tensor) *ag.Tensor { return x.Softmax(s.Dim) }

// Parameters returns nil.
func (*Softmax) Parameters() []*ag.Tensor { return nil }

func (s *Softmax) String() string { return fmt.Sprintf("Softmax(dim=%d)", s.Dim) }

// LogSoftmax is the module form of log-softmax along Dim.
type LogSoftmax struct {
	mode
	Dim int
}

// NewLogSoftmax returns a LogSoftmax along dim.
func NewLogSoftmax(dim int) *LogSoftmax { return &LogSoftmax{Dim: dim} }

// Forward applies log-softmax.
func (s *LogSoftmax) Forward(x *ag.Tensor) *ag.Tensor { return x.LogSoftmax(s.Dim) }

// Parameters returns nil.
func (*LogSoftmax) Parameters() []*ag.Tensor { return nil }

func (s *LogSoftmax) String() string { return fmt.Sprintf("LogSoftmax(dim=%d)", s.Dim) }

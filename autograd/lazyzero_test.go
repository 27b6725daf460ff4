package autograd

import (
	"slices"
	"testing"
)

// linearStep is one MLP-like step: the gradients of x·wᵀ + b through
// LinearReLU and Linear (whose backwards write a parameter's gradient
// straight into its buffer), squared and summed.
func linearStep(x, w1, b1, w2 *Tensor) {
	Linear(LinearReLU(x, w1, b1), w2, nil).Pow(2).Sum().Backward()
}

// ZeroGrad's lazy zero gives the gradients of zeroing eagerly: after
// ZeroGrad, a step's gradients are that step's alone; without it, they
// add up; and a gradient read after ZeroGrad is zero, in its own buffer.
func TestLazyZeroGradMatchesEager(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		g := NewGenerator(3)
		x := g.Randn(20, 40).To(dt)
		w1 := g.Randn(30, 40).To(dt).SetRequiresGrad(true)
		b1 := g.Randn(30).To(dt).SetRequiresGrad(true)
		w2 := g.Randn(5, 30).To(dt).SetRequiresGrad(true)
		params := []*Tensor{w1, b1, w2}
		grads := func() [][]float64 {
			var out [][]float64
			for _, p := range params {
				out = append(out, p.Grad().Float64s())
			}
			return out
		}
		linearStep(x, w1, b1, w2)
		once := grads()
		bufs := []*Tensor{w1.Grad(), b1.Grad(), w2.Grad()}

		linearStep(x, w1, b1, w2) // no ZeroGrad: twice the gradient
		for i, g := range grads() {
			for j := range g {
				if d := g[j] - 2*once[i][j]; d > 1e-4*(1+abs(g[j])) || d < -1e-4*(1+abs(g[j])) {
					t.Fatalf("%v: accumulated gradient %d[%d] = %v, want 2 x %v", dt, i, j, g[j], once[i][j])
				}
			}
		}

		for _, p := range params {
			p.ZeroGrad()
		}
		linearStep(x, w1, b1, w2) // zeroed: the step's gradient alone, in the same buffers
		for i, g := range grads() {
			if !slices.Equal(g, once[i]) {
				t.Fatalf("%v: gradient %d after ZeroGrad differs from a fresh one", dt, i)
			}
			if params[i].Grad() != bufs[i] {
				t.Fatalf("%v: gradient %d got a new buffer", dt, i)
			}
		}

		for _, p := range params {
			p.ZeroGrad()
		}
		for i, p := range params {
			for _, v := range p.Grad().Float64s() {
				if v != 0 {
					t.Fatalf("%v: gradient %d read after ZeroGrad holds %v", dt, i, v)
				}
			}
		}
		linearStep(x, w1, b1, w2) // read as zero, then accumulated into: the step's gradient
		for i, g := range grads() {
			if !slices.Equal(g, once[i]) {
				t.Fatalf("%v: gradient %d after a read zero differs from a fresh one", dt, i)
			}
		}
	}
}

// A lazily zeroed gradient that Backward adds into through a generic op
// (accumulateLeaf, not a direct write) is replaced, and SetGrad drops the
// mark.
func TestLazyZeroGradAccumulateAndSetGrad(t *testing.T) {
	w := New([]float64{1, 2}).SetRequiresGrad(true)
	w.Mul(w).Sum().Backward() // 2w = [2 4]
	w.ZeroGrad()
	w.MulScalar(3).Sum().Backward()
	if g := w.Grad().Float64s(); g[0] != 3 || g[1] != 3 {
		t.Fatalf("gradient after ZeroGrad and Backward %v, want [3 3]", g)
	}
	w.ZeroGrad()
	w.SetGrad(New([]float64{5, 6}))
	if g := w.Grad().Float64s(); g[0] != 5 || g[1] != 6 {
		t.Fatalf("SetGrad after ZeroGrad gave %v, want [5 6]", g)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

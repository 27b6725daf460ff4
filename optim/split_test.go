package optim

import (
	"runtime"
	"slices"
	"sync"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/internal/costsplit"
)

// splitUpdate covers every element once, in parts cut at cache lines,
// whether it splits or not (its warm-up runs both ways).
func TestSplitUpdateCoversEachElementOnce(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	n := splitUpdateMin*3 + 5
	var pol costsplit.Policy
	for run := 0; run < 2*costsplit.Warmup; run++ {
		seen := make([]int, n)
		var mu sync.Mutex
		var parts [][2]int
		splitUpdate(&pol, n, func(lo, hi int) {
			mu.Lock()
			parts = append(parts, [2]int{lo, hi})
			mu.Unlock()
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("run %d: element %d updated %d times (parts %v)", run, i, c, parts)
			}
		}
		for _, p := range parts {
			if p[0]%16 != 0 {
				t.Fatalf("run %d: a part starts at %d, inside a cache line", run, p[0])
			}
		}
	}
	if serial, split := pol.Tries(); serial == 0 || split == 0 {
		t.Fatalf("warm-up ran %d serial and %d split updates, want both", serial, split)
	}
}

// SGD with momentum on a parameter large enough to split gives the
// values of the one-piece kernel, step for step, split or not.
func TestSGDSplitMatchesKernel(t *testing.T) {
	n := splitUpdateMin*2 + 37
	g := ag.NewGenerator(3)
	p := g.Randn(n).SetRequiresGrad(true)
	want := slices.Clone(p.Data32())
	buf := make([]float32, n)
	opt := NewSGDWith([]*ag.Tensor{p}, SGDOptions{LR: 0.01, Momentum: 0.9, WeightDecay: 1e-4})
	for step := 0; step < 2*costsplit.Warmup+2; step++ {
		grad := g.Randn(n)
		p.SetGrad(grad)
		opt.Step()
		sgdKernel(want, grad.Data32(), buf, step == 0, 0.01, 0.9, 0, 1e-4, false, false)
		if got := p.Data32(); !slices.Equal(got, want) {
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("step %d: element %d is %v, want %v", step, i, got[i], want[i])
				}
			}
		}
	}
}

package optim_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/optim"
)

// goldenCase is one trajectory written by testdata/gen_golden.py.
type goldenCase struct {
	Name     string             `json:"name"`
	Opt      string             `json:"opt"`
	Kwargs   map[string]any     `json:"kwargs"`
	DType    string             `json:"dtype"`
	Group2LR *float64           `json:"group2_lr"`
	SetLR    map[string]float64 `json:"set_lr"`
	Shapes   [][]int            `json:"shapes"`
	Init     [][]float64        `json:"init"`
	Grads    [][][]float64      `json:"grads"`  // [step][param] (nil: no gradient)
	Params   [][][]float64      `json:"params"` // [step][param] after the step
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/golden_optim.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Cases []goldenCase }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no golden cases")
	}
	return f.Cases
}

func tensorOf(vals []float64, shape []int, dtype string) *ag.Tensor {
	if dtype == "float32" {
		v := make([]float32, len(vals))
		for i, x := range vals {
			v[i] = float32(x)
		}
		return ag.New32(v, shape...)
	}
	return ag.New64(append([]float64(nil), vals...), shape...)
}

// kw reads a float keyword; an explicit 0 becomes optim.Zero, so options
// whose PyTorch default is not zero get the literal zero PyTorch was given.
func kw(c goldenCase, k string) float64 {
	v, ok := c.Kwargs[k]
	if !ok {
		return 0
	}
	f := v.(float64)
	if f == 0 {
		return optim.Zero
	}
	return f
}

func kwb(c goldenCase, k string) bool {
	v, ok := c.Kwargs[k]
	return ok && v.(bool)
}

// onlyLR reports whether the case passes nothing but (maybe) lr, so the
// one-line constructor can build it.
func onlyLR(c goldenCase) bool {
	for k := range c.Kwargs {
		if k != "lr" {
			return false
		}
	}
	return true
}

func newOptimizer(t *testing.T, c goldenCase, params []*ag.Tensor) optim.Optimizer {
	lr := kw(c, "lr")
	var betas [2]float64
	if v, ok := c.Kwargs["betas"]; ok {
		b := v.([]any)
		betas = [2]float64{b[0].(float64), b[1].(float64)}
	}
	switch c.Opt {
	case "SGD":
		if onlyLR(c) {
			return optim.NewSGD(params, lr)
		}
		return optim.NewSGDWith(params, optim.SGDOptions{LR: lr, Momentum: kw(c, "momentum"), Dampening: kw(c, "dampening"),
			WeightDecay: kw(c, "weight_decay"), Nesterov: kwb(c, "nesterov"), Maximize: kwb(c, "maximize")})
	case "Adagrad":
		if onlyLR(c) {
			return optim.NewAdagrad(params, lr)
		}
		return optim.NewAdagradWith(params, optim.AdagradOptions{LR: lr, LRDecay: kw(c, "lr_decay"), WeightDecay: kw(c, "weight_decay"),
			InitialAccumulatorValue: kw(c, "initial_accumulator_value"), Eps: kw(c, "eps"), Maximize: kwb(c, "maximize")})
	case "RMSprop":
		if onlyLR(c) {
			return optim.NewRMSprop(params, lr)
		}
		return optim.NewRMSpropWith(params, optim.RMSpropOptions{LR: lr, Alpha: kw(c, "alpha"), Eps: kw(c, "eps"),
			WeightDecay: kw(c, "weight_decay"), Momentum: kw(c, "momentum"), Centered: kwb(c, "centered"), Maximize: kwb(c, "maximize")})
	case "Adadelta":
		if onlyLR(c) {
			return optim.NewAdadelta(params, lr)
		}
		return optim.NewAdadeltaWith(params, optim.AdadeltaOptions{LR: lr, Rho: kw(c, "rho"), Eps: kw(c, "eps"),
			WeightDecay: kw(c, "weight_decay"), Maximize: kwb(c, "maximize")})
	case "Adam":
		if onlyLR(c) {
			return optim.NewAdam(params, lr)
		}
		return optim.NewAdamWith(params, optim.AdamOptions{LR: lr, Betas: betas, Eps: kw(c, "eps"),
			WeightDecay: kw(c, "weight_decay"), AMSGrad: kwb(c, "amsgrad"), Maximize: kwb(c, "maximize")})
	case "AdamW":
		if onlyLR(c) {
			return optim.NewAdamW(params, lr)
		}
		return optim.NewAdamWWith(params, optim.AdamWOptions{LR: lr, Betas: betas, Eps: kw(c, "eps"),
			WeightDecay: kw(c, "weight_decay"), AMSGrad: kwb(c, "amsgrad"), Maximize: kwb(c, "maximize")})
	}
	t.Fatalf("unknown optimiser %q", c.Opt)
	return nil
}

// ulps counts the float32 or float64 steps between a and b.
func ulps(a, b float64, dtype string) float64 {
	if a == b {
		return 0
	}
	if dtype == "float32" {
		ia, ib := int64(math.Float32bits(float32(a))), int64(math.Float32bits(float32(b)))
		return math.Abs(float64(ia - ib))
	}
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	return math.Abs(float64(ia - ib))
}

// TestGoldenTrajectories replays every PyTorch trajectory: the same initial
// parameters and, at each of 20 steps, the gradient PyTorch computed; after
// each step the parameters must equal PyTorch's within 1e-6 relative
// (float32) or 1e-12 (float64). It also reports the largest difference in
// units in the last place, which is 0 when the update rounds as PyTorch's does.
func TestGoldenTrajectories(t *testing.T) {
	for _, asm := range []bool{true, false} {
		t.Run(fmt.Sprintf("avx2=%v", asm), func(t *testing.T) {
			defer optim.SetAVX2(optim.SetAVX2(asm))
			testGolden(t)
		})
	}
}

func testGolden(t *testing.T) {
	cases := loadGolden(t)
	worst := map[string]float64{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			tol := 1e-6
			if c.DType == "float64" {
				tol = 1e-12
			}
			params := make([]*ag.Tensor, len(c.Shapes))
			for i := range params {
				params[i] = tensorOf(c.Init[i], c.Shapes[i], c.DType).SetRequiresGrad(true)
			}
			var opt optim.Optimizer
			if c.Group2LR != nil {
				opt = newOptimizer(t, c, []*ag.Tensor{params[0], params[2]})
				opt.AddParamGroup([]*ag.Tensor{params[1]}, *c.Group2LR)
			} else {
				opt = newOptimizer(t, c, params)
			}
			for step := range c.Grads {
				if lr, ok := c.SetLR[fmt.Sprint(step)]; ok {
					opt.SetLR(lr)
				}
				for i, g := range c.Grads[step] {
					if g == nil {
						params[i].SetGrad(nil)
						continue
					}
					params[i].SetGrad(tensorOf(g, c.Shapes[i], c.DType))
				}
				opt.Step()
				for i, p := range params {
					got := p.Float64s()
					want := c.Params[step][i]
					for j := range want {
						if u := ulps(got[j], want[j], c.DType); u > worst[c.DType] {
							worst[c.DType] = u
						}
						if math.Abs(got[j]-want[j]) > tol*math.Abs(want[j]) {
							t.Fatalf("step %d param %d [%d]: got %v, PyTorch %v (rel %.3g)", step+1, i, j, got[j], want[j],
								math.Abs(got[j]-want[j])/math.Abs(want[j]))
						}
					}
				}
			}
		})
	}
	t.Logf("largest difference from PyTorch over %d trajectories: float32 %v ulp, float64 %v ulp", len(cases), worst["float32"], worst["float64"])
}

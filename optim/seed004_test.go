package optim_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/data"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/optim"
)

// mlp is seed 004's Model: Linear(2, 8) - ReLU - Linear(8, 1).
type mlp struct{ hidden, output *nn.Linear }

func (m *mlp) Forward(x *ag.Tensor) *ag.Tensor {
	return m.output.Forward(nn.Relu(m.hidden.Forward(x)))
}

func (m *mlp) Parameters() []*ag.Tensor {
	return append(m.hidden.Parameters(), m.output.Parameters()...)
}

func flat32(rows [][]float64) []float32 {
	var v []float32
	for _, r := range rows {
		for _, x := range r {
			v = append(v, float32(x))
		}
	}
	return v
}

func vec32(xs []float64) []float32 {
	v := make([]float32, len(xs))
	for i, x := range xs {
		v[i] = float32(x)
	}
	return v
}

// TestSeed004OptimizerComparison replays seed 004 §10.2 as
// ref_004c_optimizer_comparison.py ran it: the same 1000 points and initial
// weights (dumped by the script), the loaders over the full dataset in order
// (batch 32, no shuffle, as the seed's .dataset makes them), six models
// trained for 50 epochs with SGD, SGD+Nesterov momentum 0.8, Adagrad, RMSprop,
// Adadelta and Adam at lr 0.01. Each optimiser's mean train loss in the last
// epoch must be PyTorch's within 1e-4 relative.
func TestSeed004OptimizerComparison(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six models for 50 epochs")
	}
	var dump struct {
		Dataset [][]float64                  `json:"dataset_xyz"`
		Init    []map[string]json.RawMessage `json:"init"`
	}
	b, err := os.ReadFile("testdata/ref_004c_data_and_init.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &dump); err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Labels []string
		Train  [][]float64
		Test   [][]float64
	}
	b, err = os.ReadFile("testdata/ref_004c_losses.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}

	n := len(dump.Dataset)
	xs := make([]float32, 0, 2*n)
	zs := make([]float32, 0, n)
	for _, r := range dump.Dataset {
		xs = append(xs, float32(r[0]), float32(r[1]))
		zs = append(zs, float32(r[2]))
	}
	loader := data.NewDataLoader(data.NewTensorDataset(ag.New32(xs, n, 2), ag.New32(zs, n, 1)), 32, false)

	models := make([]*mlp, 6)
	for i, init := range dump.Init {
		var hw, ow [][]float64
		var hb, ob []float64
		for key, dst := range map[string]any{"hidden.weight": &hw, "hidden.bias": &hb, "output.weight": &ow, "output.bias": &ob} {
			if err := json.Unmarshal(init[key], dst); err != nil {
				t.Fatalf("init %d %s: %v", i, key, err)
			}
		}
		m := &mlp{hidden: nn.NewLinear(2, 8), output: nn.NewLinear(8, 1)}
		m.hidden.Weight = nn.Param(ag.New32(flat32(hw), 8, 2))
		m.hidden.Bias = nn.Param(ag.New32(vec32(hb), 8))
		m.output.Weight = nn.Param(ag.New32(flat32(ow), 1, 8))
		m.output.Bias = nn.Param(ag.New32(vec32(ob), 1))
		models[i] = m
	}
	lr := 0.01
	opts := []optim.Optimizer{
		optim.NewSGD(models[0].Parameters(), lr),
		optim.NewSGDWith(models[1].Parameters(), optim.SGDOptions{LR: lr, Momentum: 0.8, Nesterov: true}),
		optim.NewAdagrad(models[2].Parameters(), lr),
		optim.NewRMSprop(models[3].Parameters(), lr),
		optim.NewAdadelta(models[4].Parameters(), lr),
		optim.NewAdam(models[5].Parameters(), lr),
	}
	lossFn := nn.NewMSELoss()
	const epochs = 50
	train := make([][]float64, 6)
	for epoch := 0; epoch < epochs; epoch++ {
		sums := make([]float64, 6)
		batches := 0
		for it := loader.Iter(); it.Next(); {
			x, y := it.Batch()
			for i, m := range models {
				loss := lossFn.Forward(m.Forward(x), y)
				opts[i].ZeroGrad()
				loss.Backward()
				opts[i].Step()
				sums[i] += loss.Item()
			}
			batches++
		}
		for i := range sums {
			train[i] = append(train[i], sums[i]/float64(batches))
		}
	}
	for i, label := range ref.Labels {
		got, want := train[i][epochs-1], ref.Train[i][epochs-1]
		rel := math.Abs(got-want) / want
		t.Logf("%-8s epoch 0 %.6f (torch %.6f)  epoch 49 %.6f (torch %.6f, rel diff %.1e)", label, train[i][0], ref.Train[i][0], got, want, rel)
		if rel > 1e-4 {
			t.Errorf("%s: epoch-49 train loss %.6f, PyTorch %.6f (rel diff %.2g > 1e-4)", label, got, want, rel)
		}
		// the whole curve, as the notebook plots it, follows PyTorch's too
		for e := range train[i] {
			if r := math.Abs(train[i][e]-ref.Train[i][e]) / ref.Train[i][e]; r > 1e-4 {
				t.Errorf("%s: epoch-%d train loss %.6f, PyTorch %.6f (rel diff %.2g)", label, e, train[i][e], ref.Train[i][e], r)
				break
			}
		}
	}
}

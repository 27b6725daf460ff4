package nn_test

import (
	"fmt"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/data"
	"github.com/gradlab/gradlab/autograd/nn"
)

// A training loop as the notebooks write it: a model, a loss, mini-batches
// from a DataLoader, and a plain SGD update under NoGrad.
func Example() {
	ag.ManualSeed(0)
	x := ag.Linspace(-1, 1, 64).Unsqueeze(1)
	y := x.MulScalar(3).AddScalar(1) // y = 3x + 1
	loader := data.NewDataLoader(data.NewTensorDataset(x, y), 16, true).SetSeed(1)

	model := nn.NewSequential([]nn.Module{nn.NewLinear(1, 1)})
	lossFn := nn.NewMSELoss()
	for epoch := 0; epoch < 200; epoch++ {
		for it := loader.Iter(); it.Next(); {
			xb, yb := it.Batch()
			loss := lossFn.Forward(model.Forward(xb), yb)
			nn.ZeroGrad(model)
			loss.Backward()
			ag.NoGrad(func() {
				for _, p := range model.Parameters() {
					p.SubInPlace(p.Grad().MulScalar(0.1))
				}
			})
		}
	}
	l := model.Layers[0].(*nn.Linear)
	fmt.Printf("w = %.3f, b = %.3f\n", l.Weight.Item(), l.Bias.Item())
	fmt.Println(model)
	// Output:
	// w = 3.000, b = 1.000
	// Sequential(
	//   (0): Linear(in_features=1, out_features=1, bias=true)
	// )
}

package autograd_test

import (
	"fmt"

	ag "github.com/gradlab/gradlab/autograd"
)

// Gradients of a scalar function, PyTorch style.
func Example() {
	x := ag.Scalar(2).SetRequiresGrad(true)
	y := x.Pow(3).Add(x.MulScalar(2)) // y = x^3 + 2x, dy/dx = 3x^2 + 2
	y.Backward()
	fmt.Println(y)
	fmt.Println(x.Grad())
	// Output:
	// tensor(12., grad_fn=<AddBackward>)
	// tensor(14.)
}

// Broadcasting, reductions and the repr.
func ExampleTensor_Sum() {
	a := ag.Arange(0, 6, 1).Reshape(2, 3)
	b := ag.New([]float64{10, 20, 30})
	fmt.Println(a.Add(b))
	fmt.Println(a.SumDim(0, false), a.Mean())
	// Output:
	// tensor([[10., 21., 32.],
	//         [13., 24., 35.]])
	// tensor([3., 5., 7.]) tensor(2.5000)
}

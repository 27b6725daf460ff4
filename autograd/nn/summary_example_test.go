package nn_test

import (
	"fmt"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
)

func ExampleSummary() {
	g := ag.NewGenerator(0)
	m := nn.NewSequential([]nn.Module{
		nn.NewConv2dWith(1, 32, [2]int{3, 3}, 1, true, g), nn.NewReLU(), nn.NewMaxPool2d(2),
		nn.NewBatchNorm2d(32), nn.NewFlatten(), nn.NewLinear(32*13*13, 10),
	})
	fmt.Println(nn.Summary(m))
	// Output:
	// module / parameter                                                                       parameters
	// Sequential                                                                                   54,474
	//   (0): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))                                         320
	//     weight [32 1 3 3]                                                                           288
	//     bias [32]                                                                                    32
	//   (1): ReLU()                                                                                     0
	//   (2): MaxPool2d(kernel_size=(2, 2), stride=(2, 2))                                               0
	//   (3): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)           64
	//     weight [32]                                                                                  32
	//     bias [32]                                                                                    32
	//     running_mean [32] (buffer)
	//     running_var [32] (buffer)
	//     num_batches_tracked [] (buffer)
	//   (4): Flatten(start_dim=1, end_dim=-1)                                                           0
	//   (5): Linear(in_features=5408, out_features=10, bias=true)                                  54,090
	//     weight [10 5408]                                                                         54,080
	//     bias [10]                                                                                    10
	// total parameters: 54,474 (trainable 54,474)
}

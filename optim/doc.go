// Package optim holds the optimisers and learning-rate schedulers of
// torch.optim (PyTorch 1.13): SGD (momentum, dampening, Nesterov, weight
// decay, maximize), Adagrad, RMSprop, Adadelta, Adam and AdamW, and StepLR,
// MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, LinearLR and
// ReduceLROnPlateau.
//
// Every update computes what PyTorch's CPU kernels compute, operation by
// operation and rounding by rounding: float32 parameters are updated in float32
// with the fused multiply-adds PyTorch's kernels use, float64 ones in float64.
// Golden trajectories written by PyTorch itself (testdata/gen_golden.py) hold the
// package to that.
//
// In a cell:
//
//	opt := optim.NewSGD(model.Parameters(), 0.1)
//	opt := optim.NewSGDWith(model.Parameters(), optim.SGDOptions{LR: 0.01, Momentum: 0.8, Nesterov: true})
//	opt := optim.NewAdam(model.Parameters(), 0.01)
//	opt := optim.NewAdamWith(model.Parameters(), optim.AdamOptions{LR: 0.01, Betas: [2]float64{0.8, 0.99}})
//	sched := optim.NewLambdaLR(opt, func(epoch int) float64 { return math.Pow(0.99, float64(epoch)) })
//	for epoch := 0; epoch < 100; epoch++ {
//		// ... opt.ZeroGrad(); loss.Backward(); opt.Step() for each batch
//		sched.Step()
//	}
//
// # Options
//
// Each optimiser has a one-line constructor taking the learning rate
// (NewAdam(params, 0.01)) and a ...With constructor taking an options struct.
// A field left at its zero value means PyTorch's default for that option, so
// AdamOptions{} is torch.optim.Adam's defaults (lr 1e-3, betas (0.9, 0.999),
// eps 1e-8). Where PyTorch's default is not zero and you want exactly zero
// (AdamW without weight decay, eps 0, rho 0), write the sentinel optim.Zero:
// AdamWOptions{WeightDecay: optim.Zero}. Betas is one field: {0, 0} means the
// default (0.9, 0.999); any other pair is taken as written, so
// Betas: [2]float64{0, 0.99} is beta1 = 0 as in PyTorch. A learning rate of 0
// passed to a one-line constructor also means the default (SGD has none and
// requires one). ReduceLROnPlateau's Patience of 0 means PyTorch's 10;
// optim.NoPatience asks for patience 0.
//
// # Errors
//
// Bad input panics, at construction, with an *Error naming the constructor and
// the value, the way PyTorch's constructors raise ValueError: a negative
// learning rate, Nesterov without momentum, betas outside [0, 1), a parameter
// that does not require grad, the same tensor twice, a scheduler on an
// optimiser not made by this package. In a notebook the panic becomes the
// cell's error and the session lives on; in a program it is a bug to fix, so
// constructors stay usable in one line without an error result.
//
// # Parameter groups
//
// An optimiser starts with one parameter group; AddParamGroup(params, lr)
// adds another with its own learning rate (all other options are shared).
// SetLR sets the learning rate of every group, ParamGroups exposes them, and
// the schedulers scale each group from its own initial learning rate, as
// PyTorch's do.
//
// # Schedulers
//
// Schedulers follow PyTorch's chainable (recursive) form, so their sequences
// match torch.optim.lr_scheduler to the last digit, including a scheduler's
// first step at construction (LambdaLR sets lr = base_lr * f(0) at once).
// Call Step once per epoch after the optimiser's steps; LastLR reports the
// learning rates it set.
//
// # Speed
//
// Step is one pass over each parameter's live storage with no allocation.
// On amd64 CPUs with AVX2 and FMA the updates (all optimisers and options,
// float32 and float64, in 32-byte blocks) run in assembly built from the same
// instructions as ATen's AVX2 kernels, so the results stay bit-identical; the
// last few elements of each tensor, and other CPUs, run the Go loops.
package optim

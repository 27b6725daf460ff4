// Package nn holds neural-network building blocks on top of autograd,
// as torch.nn: the Module interface that cell-defined models implement;
// layers with PyTorch's default initialisation (Linear, Conv2d, MaxPool2d,
// AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, BatchNorm1d/2d,
// LayerNorm, Embedding), activations (ReLU, LeakyReLU, GELU, Sigmoid,
// Tanh, Softmax, LogSoftmax) and Sequential; the usual losses; gradient
// clipping.
//
// A model's parameters and buffers are found from its fields, with
// PyTorch's dotted names (fc1.weight, blocks.0.bn.running_mean), so a
// cell's own struct needs no bookkeeping:
//
//	type Net struct {
//		conv1 *nn.Conv2d
//		fc1   *nn.Linear
//	}
//	func (n *Net) Parameters() []*ag.Tensor { return nn.Parameters(n) }
//
// NamedParameters, StateDict, Train/Eval (which reach every submodule,
// and a bool field named Training of the user's own), Summary, and
// Save/Load in the safetensors format that PyTorch reads all work from
// that walk; see module.go for its rules.
package nn

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	ag "github.com/gradlab/gradlab/autograd"
)

// Module is a model or layer: a forward pass and its trainable tensors.
// Structs defined in notebook cells implement it.
type Module interface {
	Forward(x *ag.Tensor) *ag.Tensor
	Parameters() []*ag.Tensor
}

// Param marks t as a trainable parameter (requires grad) and returns it.
func Param(t *ag.Tensor) *ag.Tensor { return t.SetRequiresGrad(true) }

// ZeroGrad zeroes the gradients of all of m's parameters.
func ZeroGrad(m Module) {
	for _, p := range m.Parameters() {
		p.ZeroGrad()
	}
}

// NumParams counts the scalar parameters of m.
func NumParams(m Module) int {
	n := 0
	for _, p := range m.Parameters() {
		n += p.Numel()
	}
	return n
}

// mode is embedded by the built-in modules for train/eval.
type mode struct{ eval bool }

// Train switches the module to training mode.
func (m *mode) Train() { m.eval = false }

// Eval switches the module to evaluation mode.
func (m *mode) Eval() { m.eval = true }

// IsTraining reports whether the module is in training mode.
func (m *mode) IsTraining() bool { return !m.eval }

// Linear computes x·Wᵀ + b, as torch.nn.Linear. Weight is [Out, In], Bias
// [Out] (nil without bias); both can be reassigned or loaded with CopyFrom.
type Linear struct {
	mode
	In, Out      int
	Weight, Bias *ag.Tensor
}

// NewLinear returns a Linear layer initialised like PyTorch's default
// (kaiming_uniform with a=sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in)) for both
// weight and bias), drawn from the global generator.
func NewLinear(in, out int) *Linear { return NewLinearWith(in, out, true, ag.DefaultGenerator()) }

// NewLinearWith is NewLinear with a choice of bias and generator.
func NewLinearWith(in, out int, bias bool, g *ag.Generator) *Linear {
	if in <= 0 || out <= 0 {
		panic(&ag.Error{Msg: fmt.Sprintf("NewLinear: in and out features must be positive, got %d and %d", in, out)})
	}
	bound := 1 / math.Sqrt(float64(in))
	l := &Linear{In: in, Out: out, Weight: Param(g.Uniform(-bound, bound, out, in))}
	if bias {
		l.Bias = Param(g.Uniform(-bound, bound, out))
	}
	return l
}

// Forward applies the layer to x of shape [..., In].
func (l *Linear) Forward(x *ag.Tensor) *ag.Tensor { return l.forward(x, false) }

// forward is Forward, followed by a ReLU in the same op with relu.
func (l *Linear) forward(x *ag.Tensor, relu bool) *ag.Tensor {
	if s := x.Shape(); len(s) == 0 || s[len(s)-1] != l.In {
		panic(&ag.Error{Msg: fmt.Sprintf("Linear(%d, %d): input shape %v does not end in %d features", l.In, l.Out, s, l.In)})
	}
	if relu {
		return ag.LinearReLU(x, l.Weight, l.Bias)
	}
	return ag.Linear(x, l.Weight, l.Bias)
}

func (l *Linear) ownTensors() (params, buffers []NamedTensor) {
	return []NamedTensor{{"weight", l.Weight}, {"bias", l.Bias}}, nil
}

// Parameters returns weight and bias.
func (l *Linear) Parameters() []*ag.Tensor {
	if l.Bias == nil {
		return []*ag.Tensor{l.Weight}
	}
	return []*ag.Tensor{l.Weight, l.Bias}
}

func (l *Linear) String() string {
	return fmt.Sprintf("Linear(in_features=%d, out_features=%d, bias=%t)", l.In, l.Out, l.Bias != nil)
}

// ReLU is the module form of max(x, 0).
type ReLU struct{ mode }

// Forward applies ReLU.
func (*ReLU) Forward(x *ag.Tensor) *ag.Tensor { return x.Relu() }

// Parameters returns nil.
func (*ReLU) Parameters() []*ag.Tensor { return nil }
func (*ReLU) String() string           { return "ReLU()" }

// Sigmoid is the module form of 1/(1+e^-x).
type Sigmoid struct{ mode }

// Forward applies the sigmoid.
func (*Sigmoid) Forward(x *ag.Tensor) *ag.Tensor { return x.Sigmoid() }

// Parameters returns nil.
func (*Sigmoid) Parameters() []*ag.Tensor { return nil }
func (*Sigmoid) String() string           { return "Sigmoid()" }

// Tanh is the module form of tanh.
type Tanh struct{ mode }

// Forward applies tanh.
func (*Tanh) Forward(x *ag.Tensor) *ag.Tensor { return x.Tanh() }

// Parameters returns nil.
func (*Tanh) Parameters() []*ag.Tensor { return nil }
func (*Tanh) String() string           { return "Tanh()" }

// Relu, SigmoidFn and TanhFn are the functional forms (torch.relu etc.).
func Relu(x *ag.Tensor) *ag.Tensor { return x.Relu() }

// SigmoidFn applies the sigmoid.
func SigmoidFn(x *ag.Tensor) *ag.Tensor { return x.Sigmoid() }

// TanhFn applies tanh.
func TanhFn(x *ag.Tensor) *ag.Tensor { return x.Tanh() }

// NewReLU returns a ReLU module.
func NewReLU() *ReLU { return &ReLU{} }

// NewSigmoid returns a Sigmoid module.
func NewSigmoid() *Sigmoid { return &Sigmoid{} }

// NewTanh returns a Tanh module.
func NewTanh() *Tanh { return &Tanh{} }

// Sequential applies its layers in order.
type Sequential struct {
	mode
	Layers []Module
}

// NewSequential returns a Sequential over layers (nil for an empty one to
// fill with Add).
func NewSequential(layers []Module) *Sequential {
	return &Sequential{Layers: append([]Module(nil), layers...)}
}

// Add appends a layer and returns s, so construction chains.
func (s *Sequential) Add(m Module) *Sequential {
	s.Layers = append(s.Layers, m)
	return s
}

// Forward runs x through every layer. A Linear followed by a ReLU runs as
// one fused op (ag.LinearReLU), and so does a ReLU followed by a MaxPool2d
// (ag.ReLUMaxPool2d: same values and gradients). The activations between two built-in
// layers (Linear, ReLU) are seen by nobody but those layers, so Sequential
// releases them (ag.Tensor.Release): their storage is reused by the next
// step once Backward has freed the graph, which keeps a training loop's
// memory warm in cache instead of allocating afresh.
func (s *Sequential) Forward(x *ag.Tensor) *ag.Tensor {
	var prev Module // the layer that produced x; nil for the input
	for i := 0; i < len(s.Layers); i++ {
		l := s.Layers[i]
		var y *ag.Tensor
		if lin, ok := l.(*Linear); ok && i+1 < len(s.Layers) && isReLU(s.Layers[i+1]) {
			y = lin.forward(x, true)
			i++
		} else if pool, ok := next(s.Layers, i).(*MaxPool2d); ok && isReLU(l) {
			y = ag.ReLUMaxPool2d(x, pool.options())
			i++
		} else {
			y = l.Forward(x)
		}
		if prev != nil && y != x && private(prev) && private(l) {
			x.Release()
		}
		x, prev = y, l
	}
	return x
}

// next is the layer after layer i, or nil.
func next(layers []Module, i int) Module {
	if i+1 < len(layers) {
		return layers[i+1]
	}
	return nil
}

func isReLU(m Module) bool {
	_, ok := m.(*ReLU)
	return ok
}

// private reports whether m is a built-in layer whose output is new
// storage and which keeps its input only on the tape: the exact types,
// so that a cell-defined struct embedding one does not qualify.
func private(m Module) bool {
	switch m.(type) {
	case *Linear, *ReLU, *Conv2d, *MaxPool2d, *AvgPool2d, *AdaptiveAvgPool2d, *Dropout:
		return true
	}
	return false
}

// Parameters returns all layers' parameters in order.
func (s *Sequential) Parameters() []*ag.Tensor {
	var ps []*ag.Tensor
	for _, l := range s.Layers {
		ps = append(ps, l.Parameters()...)
	}
	return ps
}

// Train puts s and every module inside it in training mode.
func (s *Sequential) Train() { Train(s) }

// Eval puts s and every module inside it in evaluation mode.
func (s *Sequential) Eval() { Eval(s) }

// children names the layers 0, 1, ... as torch.nn.Sequential does.
func (s *Sequential) children() []namedModule {
	out := make([]namedModule, len(s.Layers))
	for i, l := range s.Layers {
		out[i] = namedModule{strconv.Itoa(i), l}
	}
	return out
}

func describe(m Module) string {
	// the exact built-in types only: interpreted modules are never type-asserted
	if v := reflect.ValueOf(m); v.IsValid() && builtinTypes[v.Type()] {
		return m.(builtin).String()
	}
	var shapes []string
	for _, p := range m.Parameters() {
		shapes = append(shapes, fmt.Sprint(p.Shape()))
	}
	return "Module(params " + strings.Join(shapes, ", ") + ")"
}

func (s *Sequential) String() string {
	var b strings.Builder
	b.WriteString("Sequential(\n")
	for i, l := range s.Layers {
		d := strings.ReplaceAll(describe(l), "\n", "\n  ")
		fmt.Fprintf(&b, "  (%d): %s\n", i, d)
	}
	b.WriteString(")")
	return b.String()
}

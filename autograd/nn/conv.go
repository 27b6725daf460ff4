package nn

import (
	"fmt"
	"math"

	ag "github.com/gradlab/gradlab/autograd"
)

func fail(format string, args ...any) {
	panic(&ag.Error{Msg: fmt.Sprintf(format, args...)})
}

func pair(v [2]int) string { return fmt.Sprintf("(%d, %d)", v[0], v[1]) }

// Conv2d is a 2-D convolution over [N, C, H, W] inputs, as torch.nn.Conv2d.
// Weight is [Out, In/Groups, KH, KW], Bias [Out] (nil without bias).
// Stride, Padding and Dilation may be changed after construction.
type Conv2d struct {
	mode
	In, Out                           int
	Kernel, Stride, Padding, Dilation [2]int
	Groups                            int
	Weight, Bias                      *ag.Tensor
}

// NewConv2d returns a Conv2d with a square kernel, stride 1, no padding
// and a bias, initialised like PyTorch's default (weight and bias uniform
// in ±1/sqrt(fan_in), fan_in = In/Groups·KH·KW) from the global generator.
// Chain WithStride, WithPadding or WithDilation for other geometries:
//
//	conv := nn.NewConv2d(1, 32, 3).WithPadding(1)
func NewConv2d(in, out, kernel int) *Conv2d {
	return NewConv2dWith(in, out, [2]int{kernel, kernel}, 1, true, ag.DefaultGenerator())
}

// NewConv2dWith is NewConv2d with a rectangular kernel, groups, a choice
// of bias, and the generator to draw the initial weights from.
func NewConv2dWith(in, out int, kernel [2]int, groups int, bias bool, g *ag.Generator) *Conv2d {
	if in <= 0 || out <= 0 || kernel[0] <= 0 || kernel[1] <= 0 {
		fail("NewConv2d: channels and kernel size must be positive, got in=%d out=%d kernel=%v", in, out, kernel)
	}
	if groups <= 0 || in%groups != 0 || out%groups != 0 {
		fail("NewConv2d: groups=%d must be positive and divide in_channels %d and out_channels %d", groups, in, out)
	}
	if g == nil {
		g = ag.DefaultGenerator()
	}
	bound := 1 / math.Sqrt(float64(in/groups*kernel[0]*kernel[1]))
	c := &Conv2d{In: in, Out: out, Kernel: kernel, Stride: [2]int{1, 1}, Dilation: [2]int{1, 1}, Groups: groups,
		Weight: Param(g.Uniform(-bound, bound, out, in/groups, kernel[0], kernel[1]))}
	if bias {
		c.Bias = Param(g.Uniform(-bound, bound, out))
	}
	return c
}

// WithStride sets the stride (both dimensions) and returns c.
func (c *Conv2d) WithStride(s int) *Conv2d { c.Stride = [2]int{s, s}; return c }

// WithPadding sets the zero padding (both dimensions) and returns c.
func (c *Conv2d) WithPadding(p int) *Conv2d { c.Padding = [2]int{p, p}; return c }

// WithDilation sets the dilation (both dimensions) and returns c.
func (c *Conv2d) WithDilation(d int) *Conv2d { c.Dilation = [2]int{d, d}; return c }

// Forward convolves x [N, In, H, W] into [N, Out, H', W'].
func (c *Conv2d) Forward(x *ag.Tensor) *ag.Tensor {
	if s := x.Shape(); len(s) != 4 || s[1] != c.In {
		fail("%v: expected input [N, %d, H, W], got shape %v", c, c.In, s)
	}
	return ag.Conv2d(x, c.Weight, c.Bias, ag.Conv2dOptions{Stride: c.Stride, Padding: c.Padding, Dilation: c.Dilation, Groups: c.Groups})
}

// Parameters returns weight and bias.
func (c *Conv2d) Parameters() []*ag.Tensor {
	if c.Bias == nil {
		return []*ag.Tensor{c.Weight}
	}
	return []*ag.Tensor{c.Weight, c.Bias}
}

func (c *Conv2d) ownTensors() (params, buffers []NamedTensor) {
	return []NamedTensor{{"weight", c.Weight}, {"bias", c.Bias}}, nil
}

func (c *Conv2d) String() string {
	s := fmt.Sprintf("Conv2d(%d, %d, kernel_size=%s, stride=%s", c.In, c.Out, pair(c.Kernel), pair(c.Stride))
	if c.Padding != [2]int{} {
		s += ", padding=" + pair(c.Padding)
	}
	if c.Dilation != [2]int{1, 1} {
		s += ", dilation=" + pair(c.Dilation)
	}
	if c.Groups != 1 {
		s += fmt.Sprintf(", groups=%d", c.Groups)
	}
	if c.Bias == nil {
		s += ", bias=False"
	}
	return s + ")"
}

// MaxPool2d takes the maximum over windows of [N, C, H, W] inputs, as
// torch.nn.MaxPool2d (the stride defaults to the kernel size).
type MaxPool2d struct {
	mode
	Kernel, Stride, Padding, Dilation [2]int
}

// NewMaxPool2d returns a MaxPool2d with a square kernel and stride = kernel.
func NewMaxPool2d(kernel int) *MaxPool2d {
	return &MaxPool2d{Kernel: [2]int{kernel, kernel}, Stride: [2]int{kernel, kernel}, Dilation: [2]int{1, 1}}
}

// WithStride sets the stride and returns p.
func (p *MaxPool2d) WithStride(s int) *MaxPool2d { p.Stride = [2]int{s, s}; return p }

// WithPadding sets the (implicit -inf) padding and returns p.
func (p *MaxPool2d) WithPadding(pad int) *MaxPool2d { p.Padding = [2]int{pad, pad}; return p }

// Forward pools x.
func (p *MaxPool2d) Forward(x *ag.Tensor) *ag.Tensor { return ag.MaxPool2d(x, p.options()) }

func (p *MaxPool2d) options() ag.Pool2dOptions {
	return ag.Pool2dOptions{Kernel: p.Kernel, Stride: p.Stride, Padding: p.Padding, Dilation: p.Dilation}
}

// Parameters returns nil.
func (*MaxPool2d) Parameters() []*ag.Tensor { return nil }

func (p *MaxPool2d) String() string {
	s := fmt.Sprintf("MaxPool2d(kernel_size=%s, stride=%s", pair(p.Kernel), pair(p.Stride))
	if p.Padding != [2]int{} {
		s += ", padding=" + pair(p.Padding)
	}
	if p.Dilation != [2]int{1, 1} && p.Dilation != [2]int{} {
		s += ", dilation=" + pair(p.Dilation)
	}
	return s + ")"
}

// AvgPool2d averages windows of [N, C, H, W] inputs, as torch.nn.AvgPool2d
// (padding counted as zeros in the mean).
type AvgPool2d struct {
	mode
	Kernel, Stride, Padding [2]int
}

// NewAvgPool2d returns an AvgPool2d with a square kernel and stride = kernel.
func NewAvgPool2d(kernel int) *AvgPool2d {
	return &AvgPool2d{Kernel: [2]int{kernel, kernel}, Stride: [2]int{kernel, kernel}}
}

// WithStride sets the stride and returns p.
func (p *AvgPool2d) WithStride(s int) *AvgPool2d { p.Stride = [2]int{s, s}; return p }

// WithPadding sets the zero padding and returns p.
func (p *AvgPool2d) WithPadding(pad int) *AvgPool2d { p.Padding = [2]int{pad, pad}; return p }

// Forward pools x.
func (p *AvgPool2d) Forward(x *ag.Tensor) *ag.Tensor {
	return ag.AvgPool2d(x, ag.Pool2dOptions{Kernel: p.Kernel, Stride: p.Stride, Padding: p.Padding})
}

// Parameters returns nil.
func (*AvgPool2d) Parameters() []*ag.Tensor { return nil }

func (p *AvgPool2d) String() string {
	return fmt.Sprintf("AvgPool2d(kernel_size=%s, stride=%s, padding=%s)", pair(p.Kernel), pair(p.Stride), pair(p.Padding))
}

// AdaptiveAvgPool2d averages [N, C, H, W] inputs into an [N, C, H', W']
// output of fixed size, as torch.nn.AdaptiveAvgPool2d.
type AdaptiveAvgPool2d struct {
	mode
	Size [2]int
}

// NewAdaptiveAvgPool2d returns an AdaptiveAvgPool2d to outH x outW.
func NewAdaptiveAvgPool2d(outH, outW int) *AdaptiveAvgPool2d {
	return &AdaptiveAvgPool2d{Size: [2]int{outH, outW}}
}

// Forward pools x.
func (p *AdaptiveAvgPool2d) Forward(x *ag.Tensor) *ag.Tensor {
	return ag.AdaptiveAvgPool2d(x, p.Size[0], p.Size[1])
}

// Parameters returns nil.
func (*AdaptiveAvgPool2d) Parameters() []*ag.Tensor { return nil }

func (p *AdaptiveAvgPool2d) String() string {
	return fmt.Sprintf("AdaptiveAvgPool2d(output_size=%s)", pair(p.Size))
}

// Flatten reshapes dimensions StartDim..EndDim into one, as torch.nn.Flatten
// (defaults 1 and -1: [N, C, H, W] -> [N, C·H·W]).
type Flatten struct {
	mode
	StartDim, EndDim int
}

// NewFlatten returns a Flatten of all dimensions but the first.
func NewFlatten() *Flatten { return &Flatten{StartDim: 1, EndDim: -1} }

// Forward flattens x.
func (f *Flatten) Forward(x *ag.Tensor) *ag.Tensor {
	s := x.Shape()
	if len(s) == 0 {
		return x.Reshape(1)
	}
	norm := func(d int) int {
		if d < 0 {
			d += len(s)
		}
		if d < 0 || d >= len(s) {
			fail("Flatten: dimension %d out of range for input shape %v", d, s)
		}
		return d
	}
	a, b := norm(f.StartDim), norm(f.EndDim)
	if a > b {
		fail("Flatten: start_dim %d comes after end_dim %d for input shape %v", f.StartDim, f.EndDim, s)
	}
	n := 1
	for _, v := range s[a : b+1] {
		n *= v
	}
	shape := append(append(append([]int{}, s[:a]...), n), s[b+1:]...)
	return x.Reshape(shape...)
}

// Parameters returns nil.
func (*Flatten) Parameters() []*ag.Tensor { return nil }

func (f *Flatten) String() string {
	return fmt.Sprintf("Flatten(start_dim=%d, end_dim=%d)", f.StartDim, f.EndDim)
}

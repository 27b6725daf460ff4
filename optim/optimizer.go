package optim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/internal/costsplit"
)

// Error is the panic value of every invalid construction or step.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func fail(format string, args ...any) {
	panic(&Error{Msg: fmt.Sprintf(format, args...)})
}

// Zero asks for a literal 0 in an option whose zero value means PyTorch's
// non-zero default (AdamWOptions{WeightDecay: optim.Zero}). It is negative
// zero, which compares equal to 0 but carries a sign bit the options read.
var Zero = math.Copysign(0, -1)

// NoPatience asks ReduceLROnPlateau for PyTorch's patience=0 (reduce after the
// first epoch without improvement), since a zero Patience means the default 10.
const NoPatience = -1

// orDefault resolves an option: 0 means def, Zero means 0, anything else itself.
func orDefault(v, def float64) float64 {
	if v == 0 {
		if math.Signbit(v) {
			return 0
		}
		return def
	}
	return v
}

// Optimizer is what every optimiser of this package offers. Schedulers take
// one; a training loop needs only ZeroGrad and Step.
type Optimizer interface {
	// ZeroGrad zeroes the gradients of all parameters (in place, as
	// PyTorch 1.13's zero_grad does).
	ZeroGrad()
	// Step updates every parameter that has a gradient.
	Step()
	// LR returns the learning rate of the first parameter group.
	LR() float64
	// SetLR sets the learning rate of every parameter group.
	SetLR(lr float64)
	// ParamGroups returns the parameter groups (live: setting a group's LR
	// changes the next Step).
	ParamGroups() []*ParamGroup
	// AddParamGroup adds parameters with their own learning rate (0: the
	// optimiser's default; optim.Zero for a literal 0).
	AddParamGroup(params []*ag.Tensor, lr float64)
}

// ParamGroup is one set of parameters sharing a learning rate, like an entry
// of PyTorch's optimizer.param_groups.
type ParamGroup struct {
	Params []*ag.Tensor
	LR     float64

	// initialLR is PyTorch's group['initial_lr']: set by the first scheduler
	// attached, the base every later scheduler scales from.
	initialLR    float64
	hasInitialLR bool
}

// String shows the group's learning rate and parameter shapes.
func (g *ParamGroup) String() string {
	shapes := make([][]int, len(g.Params))
	for i, p := range g.Params {
		shapes[i] = p.Shape()
	}
	return fmt.Sprintf("ParamGroup(lr=%v, params with shapes %v)", g.LR, shapes)
}

// paramState is the per-parameter state (PyTorch's optimizer.state[p]); each
// optimiser gives the buffers their meaning.
type paramState struct {
	step       int
	a32, b32   []float32
	c32        []float32
	a64, b64   []float64
	c64        []float64
	hasBuffers bool
	split      costsplit.Policy // whether the update of this parameter is split over the cores
}

// base holds what all optimisers share: groups, state, defaults.
type base struct {
	name      string
	defaultLR float64
	groups    []*ParamGroup
	state     map[*ag.Tensor]*paramState
	seen      map[*ag.Tensor]bool
	hyper     func() [][2]string // the options String shows (sorted by name, as PyTorch prints them)
}

func (b *base) optimBase() *base { return b }

// init validates the first group; ctor names the constructor in messages.
func (b *base) init(ctor, name string, params []*ag.Tensor, lr float64) {
	b.name = name
	b.defaultLR = lr
	b.state = map[*ag.Tensor]*paramState{}
	b.seen = map[*ag.Tensor]bool{}
	if len(params) == 0 {
		fail("%s: optimizer got an empty parameter list", ctor)
	}
	b.addGroup(ctor, params, lr)
}

func (b *base) addGroup(ctor string, params []*ag.Tensor, lr float64) {
	if lr < 0 || math.IsNaN(lr) {
		fail("%s: invalid learning rate: %v (want lr >= 0)", ctor, lr)
	}
	inGroup := map[*ag.Tensor]int{}
	for i, p := range params {
		if p == nil {
			fail("%s: parameter %d is nil", ctor, i)
		}
		if !p.RequiresGrad() {
			fail("%s: parameter %d (shape %v) does not require grad; make it with nn.Param or SetRequiresGrad(true)", ctor, i, p.Shape())
		}
		if !p.IsLeaf() {
			fail("%s: can't optimize a non-leaf tensor (parameter %d, shape %v, made by %s); optimise the leaf it was computed from", ctor, i, p.Shape(), p.GradFn())
		}
		if !p.IsContiguous() {
			fail("%s: parameter %d (shape %v) is a non-contiguous view; optimise a contiguous tensor (Contiguous() makes one)", ctor, i, p.Shape())
		}
		if j, dup := inGroup[p]; dup {
			fail("%s: parameter %d is the same tensor as parameter %d; each parameter may appear once", ctor, i, j)
		}
		if b.seen[p] {
			fail("%s: parameter %d (shape %v) already belongs to another parameter group", ctor, i, p.Shape())
		}
		inGroup[p] = i
	}
	for _, p := range params {
		b.seen[p] = true
	}
	b.groups = append(b.groups, &ParamGroup{Params: append([]*ag.Tensor(nil), params...), LR: lr})
}

// ZeroGrad zeroes every parameter's gradient in place.
func (b *base) ZeroGrad() {
	for _, g := range b.groups {
		for _, p := range g.Params {
			p.ZeroGrad()
		}
	}
}

// LR returns the learning rate of the first parameter group.
func (b *base) LR() float64 { return b.groups[0].LR }

// SetLR sets the learning rate of every parameter group.
func (b *base) SetLR(lr float64) {
	if lr < 0 || math.IsNaN(lr) {
		fail("%s.SetLR: invalid learning rate: %v (want lr >= 0)", b.name, lr)
	}
	for _, g := range b.groups {
		g.LR = lr
	}
}

// ParamGroups returns the live parameter groups.
func (b *base) ParamGroups() []*ParamGroup { return b.groups }

// AddParamGroup adds params as a new group with learning rate lr (0 means the
// optimiser's default learning rate, optim.Zero a literal 0).
func (b *base) AddParamGroup(params []*ag.Tensor, lr float64) {
	ctor := b.name + ".AddParamGroup"
	if len(params) == 0 {
		fail("%s: empty parameter list", ctor)
	}
	b.addGroup(ctor, params, orDefault(lr, b.defaultLR))
}

// stateOf returns p's state, creating it on first use.
func (b *base) stateOf(p *ag.Tensor) *paramState {
	st := b.state[p]
	if st == nil {
		st = &paramState{}
		b.state[p] = st
	}
	return st
}

// each calls step for every parameter that has a gradient, with its
// state and its group's learning rate: the loop every Step shares.
func (b *base) each(step func(p, g *ag.Tensor, st *paramState, lr float64)) {
	for _, grp := range b.groups {
		for _, p := range grp.Params {
			if g := b.grad(p); g != nil {
				step(p, g, b.stateOf(p), grp.LR)
			}
		}
	}
}

// grad returns p's gradient if it has one usable for an update.
func (b *base) grad(p *ag.Tensor) *ag.Tensor {
	g := p.Grad()
	if g == nil {
		return nil
	}
	if g.DType() != p.DType() {
		fail("%s.Step: gradient is %v but the parameter (shape %v) is %v", b.name, g.DType(), p.Shape(), p.DType())
	}
	if g.Numel() != p.Numel() {
		fail("%s.Step: gradient has %d elements but the parameter (shape %v) has %d", b.name, g.Numel(), p.Shape(), p.Numel())
	}
	if !g.IsContiguous() { // a gradient set by hand may be a view
		g = g.Contiguous()
	}
	return g
}

// String prints the optimiser as PyTorch's repr does.
func (b *base) String() string {
	var sb strings.Builder
	sb.WriteString(b.name + " (")
	hyper := b.hyper()
	sort.Slice(hyper, func(i, j int) bool { return hyper[i][0] < hyper[j][0] })
	for i, g := range b.groups {
		fmt.Fprintf(&sb, "\nParameter Group %d", i)
		rows := append([][2]string{{"lr", fmtFloat(g.LR)}}, hyper...)
		if g.hasInitialLR {
			rows = append(rows, [2]string{"initial_lr", fmtFloat(g.initialLR)})
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
		for _, r := range rows {
			fmt.Fprintf(&sb, "\n    %s: %s", r[0], r[1])
		}
	}
	sb.WriteString("\n)")
	return sb.String()
}

func fmtFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprint(v)
}

func fmtBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// optimOf returns the base of an optimiser made by this package, for the
// schedulers; anything else fails clearly.
func optimOf(ctor string, opt Optimizer) *base {
	if opt == nil {
		fail("%s: optimizer is nil", ctor)
	}
	o, ok := opt.(interface{ optimBase() *base })
	if !ok {
		fail("%s: %T is not an Optimizer of package optim (schedulers drive optim.SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW)", ctor, opt)
	}
	b := func() (b *base) {
		defer func() {
			if recover() != nil { // a nil *SGD, *Adam, ...
				b = nil
			}
		}()
		return o.optimBase()
	}()
	if b == nil || len(b.groups) == 0 {
		fail("%s: optimizer was not made by its constructor (use optim.NewSGD, NewAdam, ...)", ctor)
	}
	return b
}

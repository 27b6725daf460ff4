package autograd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// backwardFn receives the gradient of the op's output and stores the
// gradient of each input in gs (same order as the inputs; nil = none).
// It runs with gradient recording off.
type backwardFn func(g *Tensor, gs []*Tensor)

// staticBackward is the closure-free form used by the hot ops: it reads
// the inputs (and the op's constant) from the node, so recording the op
// allocates nothing beyond the output.
type staticBackward func(p *pass, n *node, g *Tensor, gs []*Tensor)

// auxReleaser is a node's saved state that holds pooled buffers, given
// back when Backward frees the node.
type auxReleaser interface{ release() }

// node is one recorded op on the tape.
type node struct {
	op       string
	backward backwardFn
	bw       staticBackward
	c        float64 // the op's constant (exponent, element count)
	dims     []int   // reduced dimensions
	inputs   []*Tensor
	in       [3]*Tensor // inline storage for the usual one to three inputs
	out      *Tensor    // the op's own output, when its backward reads it (counted as saved)
	g        *Tensor    // gradient of the output, accumulated during Backward
	aux      any        // an op's own saved state (conv geometry, pooling indices), read by its bw
	mark     uint64
	freed    bool
}

var (
	gradDisabled atomic.Bool // zero value: gradients enabled
	markEpoch    atomic.Uint64
)

// Ops inside a backward pass must not be recorded. Rather than switching
// recording off process-wide (which would also stop forward passes running
// in other goroutines), Backward marks the gradients it hands to backward
// functions (isGrad), and ops on a marked tensor are never recorded.

// IsGradEnabled reports whether ops record the graph.
func IsGradEnabled() bool { return !gradDisabled.Load() }

// SetGradEnabled turns graph recording on or off and returns the previous
// setting, for the pair prev := ag.SetGradEnabled(false) ... ag.SetGradEnabled(prev).
func SetGradEnabled(on bool) (prev bool) {
	return !gradDisabled.Swap(!on)
}

// NoGrad runs f with graph recording off, like `with torch.no_grad():`.
func NoGrad(f func()) {
	prev := SetGradEnabled(false)
	defer SetGradEnabled(prev)
	f()
}

// tracking reports whether an op on these inputs must be recorded.
func tracking(a, b *Tensor) bool {
	if !IsGradEnabled() || a.isGrad || (b != nil && b.isGrad) {
		return false
	}
	return a.requiresGrad || (b != nil && b.requiresGrad)
}

func trackingAny(ts []*Tensor) bool {
	if !IsGradEnabled() {
		return false
	}
	need := false
	for _, t := range ts {
		if t.isGrad {
			return false
		}
		need = need || t.requiresGrad
	}
	return need
}

// record attaches op to out. Callers check tracking first so the backward
// closure is not even allocated when nothing needs gradients.
func record(out *Tensor, op string, bw backwardFn, ins ...*Tensor) {
	if !IsGradEnabled() {
		return
	}
	if !trackingAny(ins) {
		return
	}
	n := out.fn
	if n == nil {
		n = &node{}
	}
	n.op, n.backward = op, bw
	if len(ins) <= len(n.in) {
		copy(n.in[:], ins)
		n.inputs = n.in[:len(ins)]
	} else {
		n.inputs = append([]*Tensor(nil), ins...)
	}
	for _, in := range n.inputs {
		save(in)
	}
	out.fn = n
	out.requiresGrad = true
}

// attach records a hot op with a static backward on out, reusing the node
// newOut allocated alongside it.
func attach(out *Tensor, op string, bw staticBackward, a, b *Tensor) *node {
	n := out.fn
	if n == nil {
		n = &node{}
		out.fn = n
	}
	n.op, n.bw = op, bw
	n.in[0], n.in[1] = a, b
	if b == nil {
		n.inputs = n.in[:1]
	} else {
		n.inputs = n.in[:2]
	}
	for _, in := range n.inputs {
		save(in)
	}
	out.requiresGrad = true
	return n
}

// tensorNode puts an op's output and its tape node in one allocation.
type tensorNode struct {
	t Tensor
	n node
}

// newOut allocates an op's output; with track, together with its node.
func newOut(dt DType, shape []int, track bool) *Tensor {
	t := blankOut(track)
	initTensor(t, dt, shape)
	return t
}

// blankOut allocates an op's output tensor without storage; with track,
// together with its node.
func blankOut(track bool) *Tensor {
	if !track {
		return &Tensor{}
	}
	tn := &tensorNode{}
	tn.t.fn = &tn.n
	return &tn.t
}

// ErrInterrupted is wrapped by the panic of a long native operation that
// saw the context set by SetContext end.
var ErrInterrupted = errors.New("interrupted")

var runCtx atomic.Pointer[context.Context]

// SetContext sets the context long native loops (matmul, data loading,
// Backward) watch; the interpreter sets it to the running cell's context.
func SetContext(ctx context.Context) {
	if ctx == nil {
		runCtx.Store(nil)
		return
	}
	runCtx.Store(&ctx)
}

// CheckInterrupt panics with an error wrapping ErrInterrupted if the
// context given to SetContext is done. Training helpers call it per step.
func CheckInterrupt(op string) {
	p := runCtx.Load()
	if p == nil {
		return
	}
	select {
	case <-(*p).Done():
		panic(fmt.Errorf("%s: %w", op, ErrInterrupted))
	default:
	}
}

// pass is the scratch state of one Backward: the traversal buffers, and
// the gradient buffers the hot backward functions took from the storage
// pool. Intermediate gradients never leave the pass (leaf gradients are
// copies), so those buffers all go back to the pool when it ends.
type pass struct {
	order  []*node
	stack  []frame
	gs     []*Tensor
	held32 []*[]float32
	held64 []*[]float64
}

// alloc returns an uninitialised tensor for a gradient that lives only
// during this pass; the caller overwrites every element.
func (p *pass) alloc(dt DType, shape []int) *Tensor {
	n := numelOf(shape)
	if n < poolMin {
		return newTensor(dt, shape) // checked by initTensor
	}
	checkAlloc("", dt, shape)
	t := &Tensor{dtype: dt}
	t.setContiguous(shape)
	if b32, b64 := borrow(t, n); b64 != nil {
		p.held64 = append(p.held64, b64)
	} else {
		p.held32 = append(p.held32, b32)
	}
	return t
}

func (p *pass) release() {
	for i, b := range p.held32 {
		storage32.put(b)
		p.held32[i] = nil
	}
	for i, b := range p.held64 {
		storage64.put(b)
		p.held64[i] = nil
	}
	p.held32, p.held64 = p.held32[:0], p.held64[:0]
}

type frame struct {
	n *node
	i int
}

var scratchPool = sync.Pool{New: func() any { return new(pass) }}

// Backward computes the gradient of this scalar with respect to every leaf
// that requires grad, accumulating into their Grad(), and frees the graph.
func (t *Tensor) Backward() { t.runBackward("Backward", nil, false) }

// BackwardWith is Backward for a non-scalar output, given the gradient of
// some scalar with respect to t (same shape as t).
func (t *Tensor) BackwardWith(grad *Tensor) { t.runBackward("BackwardWith", grad, false) }

// BackwardRetain is Backward (grad may be nil for a scalar) that keeps the
// graph so Backward can run through it again.
func (t *Tensor) BackwardRetain(grad *Tensor) { t.runBackward("BackwardRetain", grad, true) }

func (t *Tensor) runBackward(op string, g *Tensor, retain bool) {
	if !t.requiresGrad {
		fail("%s: tensor does not require grad and has no grad_fn (set SetRequiresGrad(true) on a leaf it depends on, outside NoGrad)", op)
	}
	if g == nil {
		if t.Numel() != 1 {
			fail("%s: grad can be implicitly created only for scalar outputs (got shape %v); use BackwardWith(grad)", op, t.shape)
		}
		g = OnesLike(t)
	} else {
		g = g.Detach() // marked below; the caller's tensor stays as it is
		if !slices.Equal(g.shape, t.shape) {
			fail("%s: gradient shape %v does not match tensor shape %v", op, g.shape, t.shape)
		}
		if g.dtype != t.dtype {
			fail("%s: gradient is %v but tensor is %v", op, g.dtype, t.dtype)
		}
	}
	CheckInterrupt(op)
	if t.fn == nil {
		accumulateLeaf(t, g)
		return
	}
	sc := scratchPool.Get().(*pass)
	order := topo(t.fn, sc)
	defer func() {
		for _, n := range order { // also after a panic: no stale pooled gradients
			n.g = nil
		}
		clear(order) // the pooled scratch must not keep the graph alive
		sc.release()
		scratchPool.Put(sc)
	}()
	t.fn.g = g
	for _, n := range order {
		g := n.g
		n.g = nil
		if g == nil {
			continue
		}
		g.isGrad = true
		if n.freed {
			fail("%s: trying to backward through the graph a second time: %sBackward's saved values were freed by the first Backward (use BackwardRetain on the first call, or recompute the forward pass)", op, n.op)
		}
		if cap(sc.gs) < len(n.inputs) {
			sc.gs = make([]*Tensor, len(n.inputs))
		}
		gs := sc.gs[:len(n.inputs)]
		for i := range gs {
			gs[i] = nil
		}
		if n.bw != nil {
			n.bw(sc, n, g, gs)
		} else {
			n.backward(g, gs)
		}
		for i, in := range n.inputs {
			gi := gs[i]
			gs[i] = nil
			if gi == nil || !in.requiresGrad {
				continue
			}
			if !slices.Equal(gi.shape, in.shape) || gi.dtype != in.dtype {
				fail("%s: internal error: %sBackward gave a %v gradient of shape %v for a %v input of shape %v", op, n.op, gi.dtype, gi.shape, in.dtype, in.shape)
			}
			if in.fn == nil {
				accumulateLeaf(in, gi)
				continue
			}
			if in.retain {
				accumulateLeaf(in, gi)
			}
			if in.fn.g == nil {
				in.fn.g = gi
			} else {
				in.fn.g = in.fn.g.Add(gi)
			}
		}
		if !retain {
			for _, in := range n.inputs {
				unsave(in)
			}
			unsave(n.out)
			n.out = nil
			n.backward, n.bw = nil, nil
			if r, ok := n.aux.(auxReleaser); ok {
				r.release()
			}
			n.aux = nil
			n.inputs = nil
			n.in = [3]*Tensor{}
			n.freed = true
		}
	}
}

// accumulateLeaf adds g into t.grad, keeping t.grad's buffer once it exists
// (PyTorch accumulates across backward calls until the gradient is zeroed).
func accumulateLeaf(t *Tensor, g *Tensor) {
	if t.grad == nil || !slices.Equal(t.grad.shape, t.shape) {
		t.grad, t.gradZero = g.copyData(), false
		return
	}
	if t.gradZero { // zeroed by ZeroGrad: the new gradient replaces it
		t.gradZero = false
		t.grad.assign(g)
		return
	}
	t.grad.addInPlace(g)
}

// topo returns the nodes reachable from root, root first, each before its inputs.
func topo(root *node, sc *pass) []*node {
	epoch := markEpoch.Add(1)
	order := sc.order[:0]
	stack := append(sc.stack[:0], frame{root, 0})
	root.mark = epoch
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.i < len(f.n.inputs) {
			in := f.n.inputs[f.i]
			f.i++
			if in.fn != nil && in.fn.mark != epoch {
				in.fn.mark = epoch
				stack = append(stack, frame{in.fn, 0})
			}
			continue
		}
		order = append(order, f.n)
		stack = stack[:len(stack)-1]
	}
	for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
		order[i], order[j] = order[j], order[i]
	}
	sc.order = order[:0]
	sc.stack = stack[:0]
	return order
}

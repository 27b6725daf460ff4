package autograd

import "sync"

// A small pool of float buffers, keyed by length, for gradients that live
// only during one Backward (see pass.alloc). Recycling them saves the
// zeroing and garbage collection of a fresh allocation per op, which costs
// more than the arithmetic for mid-sized tensors.

const (
	poolMin      = 1024     // smaller buffers are cheap to allocate
	poolMaxBytes = 64 << 20 // cap on what the pool keeps
)

type bufPool[T float32 | float64 | int32] struct {
	mu    sync.Mutex
	free  map[int][]*[]T
	bytes int
	size  int // bytes per element
}

var (
	storage32 = &bufPool[float32]{free: map[int][]*[]float32{}, size: 4}
	storage64 = &bufPool[float64]{free: map[int][]*[]float64{}, size: 8}
	// indices32 holds max pooling's argmax indices between a forward and
	// its backward.
	indices32 = &bufPool[int32]{free: map[int][]*[]int32{}, size: 4}
)

func (p *bufPool[T]) get(n int) *[]T {
	p.mu.Lock()
	if l := p.free[n]; len(l) > 0 {
		b := l[len(l)-1]
		p.free[n] = l[:len(l)-1]
		p.bytes -= n * p.size
		p.mu.Unlock()
		return b
	}
	p.mu.Unlock()
	s := make([]T, n)
	return &s
}

func (p *bufPool[T]) put(b *[]T) {
	n := len(*b)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bytes+n*p.size > poolMaxBytes {
		return
	}
	p.free[n] = append(p.free[n], b)
	p.bytes += n * p.size
}

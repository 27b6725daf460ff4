// Package data loads training data in batches, like torch.utils.data and
// torchvision's datasets: TensorDataset, MNIST and FashionMNIST (read
// from their IDX files, gzipped or not, with transforms such as
// Normalize), a DataLoader with seeded shuffling, and RandomSplit. Loops
// are plain for loops (the interpreter has no range-over-func):
//
//	for it := loader.Iter(); it.Next(); {
//		xb, yb := it.Batch()
//		...
//	}
package data

import (
	"fmt"
	"sync/atomic"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/internal/parallel"
)

// Dataset is an indexed collection of (input, target) samples. Cell-defined
// types may implement it.
type Dataset interface {
	Len() int
	Get(i int) (x, y *ag.Tensor)
}

func fail(format string, args ...any) {
	panic(&ag.Error{Msg: fmt.Sprintf(format, args...)})
}

// TensorDataset pairs the rows of X and Y (both indexed along dimension 0).
type TensorDataset struct {
	X, Y *ag.Tensor
}

// NewTensorDataset checks that x and y have the same number of rows.
func NewTensorDataset(x, y *ag.Tensor) *TensorDataset {
	if len(x.Shape()) == 0 || len(y.Shape()) == 0 || x.Shape()[0] != y.Shape()[0] {
		fail("NewTensorDataset: x %v and y %v need the same size in dimension 0", x.Shape(), y.Shape())
	}
	return &TensorDataset{X: x, Y: y}
}

// Len returns the number of rows.
func (d *TensorDataset) Len() int { return d.X.Shape()[0] }

// Get returns row i of X and Y.
func (d *TensorDataset) Get(i int) (x, y *ag.Tensor) {
	if i < 0 || i >= d.Len() {
		fail("TensorDataset.Get: index %d out of range [0, %d)", i, d.Len())
	}
	return d.X.Index(i), d.Y.Index(i)
}

// Rows returns the rows idx of X and Y as two batch tensors.
func (d *TensorDataset) Rows(idx []int) (x, y *ag.Tensor) {
	return d.X.IndexSelect(0, idx), d.Y.IndexSelect(0, idx)
}

// Subset is the part of a dataset at the given indices.
type Subset struct {
	Data    Dataset
	Indices []int
}

// Len returns the number of indices.
func (s *Subset) Len() int { return len(s.Indices) }

// Get returns sample Indices[i] of the underlying dataset.
func (s *Subset) Get(i int) (x, y *ag.Tensor) { return s.Data.Get(s.Indices[i]) }

// RandomSplit splits ds into non-overlapping subsets of the given lengths
// (which must add up to ds.Len()), shuffled with gen (nil: the global
// generator).
func RandomSplit(ds Dataset, lengths []int, gen *ag.Generator) []*Subset {
	total := 0
	for _, l := range lengths {
		if l < 0 {
			fail("RandomSplit: negative length in %v", lengths)
		}
		total += l
	}
	if total != ds.Len() {
		fail("RandomSplit: lengths %v add up to %d, but the dataset has %d samples", lengths, total, ds.Len())
	}
	if gen == nil {
		gen = ag.DefaultGenerator()
	}
	perm := gen.Perm(total)
	out := make([]*Subset, len(lengths))
	p := 0
	for i, l := range lengths {
		out[i] = &Subset{Data: ds, Indices: perm[p : p+l : p+l]}
		p += l
	}
	return out
}

// DataLoader yields batches of a dataset.
type DataLoader struct {
	Data      Dataset
	BatchSize int
	Shuffle   bool
	DropLast  bool
	gen       *ag.Generator
	order     []int // the current epoch's order, for Batch(i)
}

// NewDataLoader returns a loader over ds; with shuffle, each epoch (each
// Iter, or Reshuffle) draws a new order from the global generator unless
// SetSeed or SetGenerator gave it its own.
func NewDataLoader(ds Dataset, batchSize int, shuffle bool) *DataLoader {
	if batchSize <= 0 {
		fail("NewDataLoader: batch size must be positive, got %d", batchSize)
	}
	return &DataLoader{Data: ds, BatchSize: batchSize, Shuffle: shuffle}
}

// SetSeed gives the loader its own generator seeded with seed; returns l.
func (l *DataLoader) SetSeed(seed int64) *DataLoader {
	l.gen = ag.NewGenerator(seed)
	return l
}

// SetGenerator makes the loader shuffle with g; returns l.
func (l *DataLoader) SetGenerator(g *ag.Generator) *DataLoader {
	l.gen = g
	return l
}

// SetDropLast drops a last, incomplete batch; returns l.
func (l *DataLoader) SetDropLast(drop bool) *DataLoader {
	l.DropLast = drop
	return l
}

// Len returns the number of batches per epoch.
func (l *DataLoader) Len() int {
	n := l.Data.Len()
	if l.DropLast {
		return n / l.BatchSize
	}
	return (n + l.BatchSize - 1) / l.BatchSize
}

// Reshuffle starts a new epoch: a new order if shuffling, else 0..n-1.
func (l *DataLoader) Reshuffle() {
	n := l.Data.Len()
	if l.Shuffle {
		g := l.gen
		if g == nil {
			g = ag.DefaultGenerator()
		}
		l.order = g.Perm(n)
		return
	}
	if len(l.order) != n {
		l.order = make([]int, n)
	}
	for i := range l.order {
		l.order[i] = i
	}
}

// Batch returns batch i of the current epoch (starting one if none is).
func (l *DataLoader) Batch(i int) (x, y *ag.Tensor) {
	if l.order == nil || len(l.order) != l.Data.Len() {
		l.Reshuffle()
	}
	if i < 0 || i >= l.Len() {
		fail("DataLoader.Batch: batch %d out of range [0, %d)", i, l.Len())
	}
	ag.CheckInterrupt("DataLoader")
	lo := i * l.BatchSize
	hi := min(lo+l.BatchSize, len(l.order))
	return fetch(l.Data, l.order[lo:hi])
}

// rowser is a dataset that gathers a batch at once (TensorDataset,
// ImageDataset).
type rowser interface {
	Rows(idx []int) (x, y *ag.Tensor)
}

// fetch gathers samples idx into batch tensors, directly for the built-in
// datasets and through Get (then Stack) for others.
func fetch(ds Dataset, idx []int) (x, y *ag.Tensor) {
	switch d := ds.(type) {
	case rowser:
		return d.Rows(idx)
	case *Subset:
		if r, ok := d.Data.(rowser); ok {
			m := make([]int, len(idx))
			for i, j := range idx {
				m[i] = d.Indices[j]
			}
			return r.Rows(m)
		}
	}
	xs := make([]*ag.Tensor, len(idx))
	ys := make([]*ag.Tensor, len(idx))
	for i, j := range idx {
		xs[i], ys[i] = ds.Get(j)
	}
	return ag.Stack(xs, 0), ag.Stack(ys, 0)
}

// Iterator walks one epoch of a DataLoader. For the image datasets it
// gathers the next batch in the background while the caller trains on
// this one (as PyTorch's DataLoader workers do): converting 64 images
// from bytes is memory-bound work that the second core does alongside
// the matrix products of a step.
type Iterator struct {
	l     *DataLoader
	i     int
	x, y  *ag.Tensor
	ahead *pending // batch i+1, being gathered; nil if none
}

// Iter starts a new epoch (reshuffling if the loader shuffles).
func (l *DataLoader) Iter() *Iterator {
	l.Reshuffle()
	return &Iterator{l: l, i: -1}
}

// Next advances to the next batch; false when the epoch is over.
func (it *Iterator) Next() bool {
	it.i++
	l := it.l
	if it.i >= l.Len() {
		it.x, it.y, it.ahead = nil, nil, nil
		return false
	}
	if p := it.ahead; p != nil && p.valid(l, it.i) {
		ag.CheckInterrupt("DataLoader")
		it.x, it.y = p.wait()
	} else {
		it.x, it.y = l.Batch(it.i)
	}
	it.ahead = nil
	if it.i+1 < l.Len() {
		it.ahead = l.prefetch(it.i + 1)
	}
	return true
}

// pending is a batch being gathered ahead, in pieces of a few images
// that a helper goroutine and the caller's wait take as they come: the
// helper gives way between pieces when a split product waits for it
// (parallel.Urgent), and wait converts the pieces nobody has started
// (on a busy machine the helper may not get a core in time).
type pending struct {
	i     int
	l     *DataLoader
	data  Dataset
	order []int // the loader's order when it started
	batch int   // and its batch size

	d      *ImageDataset
	idx    []int // images of d
	pieces int
	x      atomic.Pointer[ag.Tensor] // allocated by the first piece
	next   atomic.Int32              // pieces taken
	left   atomic.Int32              // pieces not finished
	done   chan struct{}             // closed when left reaches 0
	err    atomic.Pointer[any]       // a piece's panic, raised again by wait
}

// prefetchPieces is how many pieces a batch is gathered in: for 64
// images of 28x28, 8 images (about 10 us) each.
const prefetchPieces = 8

// prefetch starts gathering batch i on a helper goroutine when the
// dataset is an ImageDataset (or a Subset of one) without batch
// transforms: pure reads of its bytes. Other datasets (a cell's Dataset
// or Transform may be interpreted code, or draw random numbers) are
// gathered by Next itself. nil when not started.
func (l *DataLoader) prefetch(i int) *pending {
	lo := i * l.BatchSize
	hi := min(lo+l.BatchSize, len(l.order))
	idx := l.order[lo:hi]
	var d *ImageDataset
	switch ds := l.Data.(type) {
	case *ImageDataset:
		d = ds
	case *Subset:
		d, _ = ds.Data.(*ImageDataset)
		if d != nil {
			m := make([]int, len(idx))
			for k, j := range idx {
				m[k] = ds.Indices[j]
			}
			idx = m
		}
	}
	if d == nil || len(d.rest) > 0 || len(idx) == 0 {
		return nil
	}
	p := &pending{i: i, l: l, data: l.Data, order: l.order, batch: l.BatchSize,
		d: d, idx: idx, pieces: min(prefetchPieces, len(idx)), done: make(chan struct{})}
	p.left.Store(int32(p.pieces))
	parallel.Go(p.work) // a hot helper when there is one: no core to wake
	return p
}

// work converts pieces on a helper until none is left, or queues the
// rest behind a split that waits for the helper.
func (p *pending) work() {
	for k := p.take(); k >= 0; k = p.take() {
		p.piece(k)
		if parallel.Urgent() {
			parallel.Go(p.work)
			return
		}
	}
}

// take claims the next piece; -1 when all are taken.
func (p *pending) take() int {
	if k := int(p.next.Add(1) - 1); k < p.pieces {
		return k
	}
	return -1
}

// piece converts piece k, allocating the batch if no piece has yet.
func (p *pending) piece(k int) {
	defer func() {
		if r := recover(); r != nil {
			e := new(any) // only when there is a panic: &r would allocate on every call
			*e = r
			p.err.CompareAndSwap(nil, e)
		}
		if p.left.Add(-1) == 0 {
			close(p.done)
		}
	}()
	x := p.x.Load()
	if x == nil {
		// Two takers may both allocate (the second's is dropped): better
		// than waiting for one that a busy machine has descheduled.
		if nx := p.d.newBatch(len(p.idx)); p.x.CompareAndSwap(nil, nx) {
			x = nx
		} else {
			x = p.x.Load()
		}
	}
	n := len(p.idx)
	p.d.convert(x.Data32(), p.idx, n*k/p.pieces, n*(k+1)/p.pieces)
}

func (p *pending) finished() bool { return p.left.Load() == 0 }

// valid reports whether p is batch i of l as it stands now (the caller
// may have reshuffled, or changed the batch size or the dataset).
func (p *pending) valid(l *DataLoader, i int) bool {
	return p.i == i && p.l == l && p.data == l.Data && p.batch == l.BatchSize &&
		len(p.order) == len(l.order) && len(p.order) > 0 && &p.order[0] == &l.order[0]
}

// wait converts the pieces not yet taken, waits for the others (spinning
// first: a blocked goroutine waits for its core to wake, tens of
// microseconds on a VM), and returns the batch, or raises a piece's panic.
func (p *pending) wait() (x, y *ag.Tensor) {
	for k := p.take(); k >= 0; k = p.take() {
		p.piece(k)
	}
	if !parallel.Spin(p.finished) {
		<-p.done
	}
	if e := p.err.Load(); e != nil {
		panic(*e)
	}
	return p.x.Load(), labelTensor(p.d.Labels, p.idx)
}

// Batch returns the current batch.
func (it *Iterator) Batch() (x, y *ag.Tensor) { return it.x, it.y }

// Index returns the current batch number.
func (it *Iterator) Index() int { return it.i }

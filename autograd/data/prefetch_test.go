package data

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// imageSet is n images of 2x3 whose first pixel is the image's index,
// labelled index % 10.
func imageSet(n int) *ImageDataset {
	px := make([]byte, n*6)
	lb := make([]byte, n)
	for i := 0; i < n; i++ {
		px[i*6] = byte(i)
		for k := 1; k < 6; k++ {
			px[i*6+k] = byte(i*7 + k)
		}
		lb[i] = byte(i % 10)
	}
	d := &ImageDataset{N: n, H: 2, W: 3, Pixels: px, Labels: lb, Classes: FashionMNISTClasses}
	return d.SetTransforms(Normalize(0.5, 0.25))
}

// The Iterator's batches, gathered one ahead on another goroutine, are
// the loader's batches of the same epoch, value for value, for a dataset
// and a Subset of it, shuffled or not.
func TestIteratorPrefetchGivesTheLoadersBatches(t *testing.T) {
	ds := imageSet(50)
	parts := RandomSplit(ds, []int{37, 13}, ag.NewGenerator(4))
	for _, data := range []Dataset{ds, parts[0]} {
		for _, shuffle := range []bool{false, true} {
			l := NewDataLoader(data, 8, shuffle).SetSeed(5)
			it := l.Iter()
			n := 0
			for ; it.Next(); n++ {
				if it.ahead == nil && it.Index()+1 < l.Len() {
					t.Fatalf("%T shuffle=%v: batch %d started no gather of the next", data, shuffle, it.Index())
				}
				x, y := it.Batch()
				wx, wy := l.Batch(it.Index()) // the same epoch's order, gathered now
				if !slices.Equal(x.Float64s(), wx.Float64s()) || !slices.Equal(y.Float64s(), wy.Float64s()) || !slices.Equal(x.Shape(), wx.Shape()) {
					t.Fatalf("%T shuffle=%v: batch %d differs from the loader's", data, shuffle, it.Index())
				}
			}
			if n != l.Len() {
				t.Fatalf("%T: %d batches, want %d", data, n, l.Len())
			}
		}
	}
}

// A batch gathered ahead is dropped when the loader was reshuffled or its
// batch size changed in the meantime: the next batch follows the loader
// as it is.
func TestIteratorPrefetchFollowsTheLoader(t *testing.T) {
	l := NewDataLoader(imageSet(40), 5, true).SetSeed(1)
	it := l.Iter()
	it.Next()
	l.Reshuffle()
	it.Next()
	x, _ := it.Batch()
	if wx, _ := l.Batch(1); !slices.Equal(x.Float64s(), wx.Float64s()) {
		t.Fatal("after Reshuffle, the next batch came from the old order")
	}
	l.BatchSize = 3
	it.Next()
	if x, _ := it.Batch(); x.Shape()[0] != 3 {
		t.Fatalf("after a new batch size of 3, the next batch has %d images", x.Shape()[0])
	}
}

// A panic of the gather on the other goroutine is raised by Next, on the
// caller's goroutine (where the interpreter recovers it), not in the
// background where it would end the process.
func TestIteratorPrefetchPanicsInNext(t *testing.T) {
	ds := imageSet(10)
	ds.Pixels = slices.Clip(ds.Pixels[:30]) // images 5.. are cut off: a corrupt dataset
	l := NewDataLoader(ds, 5, false)
	it := l.Iter()
	it.Next() // images 0-4; 5-9 are being gathered
	if it.ahead == nil {
		t.Fatal("no batch gathered ahead")
	}
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "out of range") {
			t.Fatalf("Next raised %v, want the gather's out-of-range panic", r)
		}
	}()
	it.Next()
}

// When the helper has not started by the time the batch is needed (a
// busy machine), Next converts the pieces itself instead of waiting for
// a core; the helper, starting late, finds none left.
func TestIteratorGathersItselfWhenTheHelperIsLate(t *testing.T) {
	ds := imageSet(20)
	idx := []int{3, 1, 4, 15, 9}
	p := &pending{d: ds, idx: idx, pieces: 3, done: make(chan struct{})}
	p.left.Store(3)
	x, y := p.wait() // no helper took a piece: wait must not block
	wx, wy := ds.Rows(idx)
	if !slices.Equal(x.Data32(), wx.Data32()) || !slices.Equal(y.Ints(), wy.Ints()) {
		t.Fatalf("wait gathered %v %v, want %v %v", x, y, wx, wy)
	}
	if k := p.take(); k != -1 {
		t.Fatalf("the late helper could still take piece %d", k)
	}
	p.work() // the late helper: nothing left to do
	if p.left.Load() != 0 {
		t.Fatalf("%d pieces left after wait", p.left.Load())
	}
}

// A helper that gives way to a split (parallel.Urgent) leaves the rest
// of the batch to itself later or to wait: every piece is converted once.
func TestPrefetchPiecesEachConvertedOnce(t *testing.T) {
	ds := imageSet(40)
	idx := make([]int, 37)
	for i := range idx {
		idx[i] = (i * 7) % 40
	}
	p := &pending{d: ds, idx: idx, pieces: prefetchPieces, done: make(chan struct{})}
	p.left.Store(prefetchPieces)
	if k := p.take(); k != 0 { // a helper's first piece
		t.Fatalf("first piece %d", k)
	}
	p.piece(0)
	p.piece(p.take()) // and its second, then it gives way
	x, _ := p.wait()
	wx, _ := ds.Rows(idx)
	if !slices.Equal(x.Data32(), wx.Data32()) {
		t.Fatalf("batch %v, want %v", x.Data32(), wx.Data32())
	}
	select {
	case <-p.done:
	default:
		t.Fatal("done not closed after the last piece")
	}
}

package data

import (
	"sort"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

func rows(n int) *TensorDataset {
	x := ag.Arange(0, float64(2*n), 1).Reshape(n, 2)
	y := ag.Arange(0, float64(n), 1)
	return NewTensorDataset(x, y)
}

func TestDataLoaderCoversEveryRowOnce(t *testing.T) {
	ds := rows(10)
	for _, shuffle := range []bool{false, true} {
		l := NewDataLoader(ds, 3, shuffle).SetSeed(1)
		if l.Len() != 4 {
			t.Fatalf("Len %d, want 4", l.Len())
		}
		var seen []int
		sizes := []int{}
		for it := l.Iter(); it.Next(); {
			xb, yb := it.Batch()
			sizes = append(sizes, yb.Numel())
			for i, y := range yb.Ints() {
				if xb.At(i, 0) != float64(2*y) { // x and y rows stay paired
					t.Fatalf("row %d of batch: x %v y %v", i, xb.At(i, 0), y)
				}
				seen = append(seen, y)
			}
		}
		sort.Ints(seen)
		for i, v := range seen {
			if v != i {
				t.Fatalf("shuffle=%v saw %v", shuffle, seen)
			}
		}
		if sizes[3] != 1 {
			t.Fatalf("batch sizes %v", sizes)
		}
		if !shuffle {
			_, y0 := l.Batch(0)
			if y0.Ints()[0] != 0 || y0.Ints()[2] != 2 {
				t.Fatalf("unshuffled first batch %v", y0)
			}
		}
	}
	l := NewDataLoader(ds, 3, false).SetDropLast(true)
	n := 0
	for it := l.Iter(); it.Next(); {
		n++
	}
	if n != 3 || l.Len() != 3 {
		t.Fatalf("drop-last gave %d batches (Len %d)", n, l.Len())
	}
}

func TestShuffleIsSeeded(t *testing.T) {
	order := func(seed int64) []int {
		l := NewDataLoader(rows(20), 20, true).SetSeed(seed)
		it := l.Iter()
		it.Next()
		_, y := it.Batch()
		return y.Ints()
	}
	a, b, c := order(5), order(5), order(6)
	same := func(x, y []int) bool {
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Fatalf("seed 5 twice: %v %v; seed 6: %v", a, b, c)
	}
	// each epoch reshuffles
	l := NewDataLoader(rows(20), 20, true).SetSeed(5)
	it := l.Iter()
	it.Next()
	_, e1 := it.Batch()
	it = l.Iter()
	it.Next()
	_, e2 := it.Batch()
	if same(e1.Ints(), e2.Ints()) {
		t.Fatal("second epoch has the same order")
	}
}

func TestRandomSplit(t *testing.T) {
	ds := rows(10)
	parts := RandomSplit(ds, []int{8, 2}, ag.NewGenerator(0))
	if parts[0].Len() != 8 || parts[1].Len() != 2 {
		t.Fatalf("lengths %d %d", parts[0].Len(), parts[1].Len())
	}
	all := append(append([]int{}, parts[0].Indices...), parts[1].Indices...)
	sort.Ints(all)
	for i, v := range all {
		if v != i {
			t.Fatalf("split is not a partition: %v", all)
		}
	}
	_, y := parts[1].Get(1)
	if int(y.Item()) != parts[1].Indices[1] {
		t.Fatalf("Subset.Get gave %v for index %d", y, parts[1].Indices[1])
	}
	l := NewDataLoader(parts[1], 2, false)
	_, yb := l.Batch(0)
	if yb.Ints()[0] != parts[1].Indices[0] {
		t.Fatalf("loader over subset gave %v", yb)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("bad lengths accepted")
		}
	}()
	RandomSplit(ds, []int{8, 3}, nil)
}

// a dataset defined elsewhere (e.g. in a cell): batches are stacked from Get
type squares struct{}

func (squares) Len() int { return 5 }
func (squares) Get(i int) (x, y *ag.Tensor) {
	return ag.New([]float64{float64(i)}), ag.Scalar(float64(i * i))
}

func TestCustomDataset(t *testing.T) {
	l := NewDataLoader(squares{}, 2, false)
	x, y := l.Batch(2)
	if s := x.Shape(); len(s) != 2 || s[0] != 1 || s[1] != 1 || y.Item() != 16 {
		t.Fatalf("last batch x %v y %v", x, y)
	}
}

func TestTensorDatasetKeepsInt64Labels(t *testing.T) {
	x := ag.Arange(0, 12, 1).Reshape(6, 2)
	y := ag.FromInts([]int{0, 1, 2, 0, 1, 2})
	l := NewDataLoader(NewTensorDataset(x, y), 4, true).SetSeed(5)
	for it := l.Iter(); it.Next(); {
		xb, yb := it.Batch()
		if yb.DType() != ag.Int64 {
			t.Fatalf("labels came as %v, want Int64", yb.DType())
		}
		for i, v := range yb.Int64s() {
			if row := int(xb.At(i, 0)) / 2; int64(row%3) != v {
				t.Errorf("row %d came with label %d, want %d", row, v, row%3)
			}
		}
	}
}

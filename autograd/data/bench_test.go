package data

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// BenchmarkLoadFashionMNIST reads Fashion-MNIST's four IDX files (training
// and test set) as data.FashionMNIST does; bench/data/idx_numpy.py times
// numpy's frombuffer path on the same files.
func BenchmarkLoadFashionMNIST(b *testing.B) {
	if _, err := os.Stat(filepath.Join(FashionMNISTDir, "train-images-idx3-ubyte.gz")); err != nil {
		b.Skipf("no Fashion-MNIST: %v", err)
	}
	for _, tensors := range []bool{false, true} {
		// bytes: as numpy's frombuffer arrays; tensors: then the images as
		// float32 (Data) and the labels as Int64 (Targets).
		b.Run(map[bool]string{false: "bytes", true: "tensors"}[tensors], func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				for _, train := range []bool{true, false} {
					d, err := LoadImageDataset(FashionMNISTDir, "FashionMNIST", train, FashionMNISTClasses)
					if err != nil {
						b.Fatal(err)
					}
					if tensors {
						d.Data()
						d.Targets()
					}
				}
			}
			reportCPU(b, start)
		})
	}
}

// benchImages is a dataset shaped as Fashion-MNIST's training set (60000
// images of 28x28) with made-up pixels.
func benchImages() *ImageDataset {
	const n = 60000
	px := make([]uint8, n*28*28)
	for i := range px {
		px[i] = uint8(i * 31)
	}
	d := &ImageDataset{N: n, H: 28, W: 28, Pixels: px, Labels: make([]uint8, n), Classes: FashionMNISTClasses}
	return d.SetTransforms(Normalize(0.2860, 0.3530))
}

// BenchmarkGather is one shuffled batch of 64 from 60000x784, normalised:
// the DataLoader's work per training step.
func BenchmarkGather(b *testing.B) {
	d := benchImages()
	l := NewDataLoader(d, 64, true).SetSeed(1)
	l.Reshuffle()
	nb := l.Len()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.Batch(i % nb)
		i++
	}
}

// BenchmarkGatherSplit converts batches of several sizes serially and
// split over the cores, to place gatherParallelMin.
func BenchmarkGatherSplit(b *testing.B) {
	d := benchImages()
	idx := ag.NewGenerator(1).Perm(d.N)
	for _, bs := range []int{64, 256, 1024, 4096} {
		for _, split := range []bool{false, true} {
			name := map[bool]string{false: "serial", true: "split"}[split]
			b.Run(name+"-"+strconv.Itoa(bs), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(bs * 784))
				for b.Loop() {
					d.gather(idx[:bs], split)
				}
			})
		}
	}
}

package data

import (
	"path/filepath"
	"runtime"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// After loading a large dataset, the collector's next goal is sized from
// the images alone, not from the images plus the gzipped file read to
// decode them (which would let the first epoch's batches grow the heap
// into fresh pages).
func TestLoadSizesTheNextGCFromTheImages(t *testing.T) {
	const n, h, w = 12000, 28, 28 // 9.4 MB of images, above collectAfterLoad
	img := make([]byte, n*h*w)
	for i, v := range ag.NewGenerator(2).Randint(0, 256, len(img)).Ints() {
		img[i] = byte(v) // random bytes: the gzipped file is as large as the images
	}
	lbl := make([]byte, n)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "train-images-idx3-ubyte.gz"), gzipped(idxBytes([]int{n, h, w}, img)))
	writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), idxBytes([]int{n}, lbl))
	img = nil
	runtime.GC()
	d, err := LoadImageDataset(dir, "FashionMNIST", true, FashionMNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	images := uint64(len(d.Pixels))
	if ms.NextGC > 2*images+images/2 {
		t.Fatalf("next GC goal %d MB after loading %d MB of images: sized from more than the images (the read file?)", ms.NextGC>>20, images>>20)
	}
	runtime.KeepAlive(d)
}

package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/internal/parallel"
)

// FashionMNISTDir is where Debian's dataset-fashion-mnist package puts
// Fashion-MNIST's four IDX files; FashionMNIST reads them from there by
// default.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// MNISTDir is where MNIST reads from by default.
const MNISTDir = "/usr/share/datasets/mnist"

// FashionMNISTClasses are Fashion-MNIST's class names, by label.
var FashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// MNISTClasses are MNIST's class names, by label, as torchvision's.
var MNISTClasses = []string{"0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"}

// ImageDataset is a set of grey images with class labels, kept as the
// bytes of the files: a sample becomes a float32 tensor only when a batch
// asks for it, scaled to [0, 1] as torchvision's ToTensor does and then
// transformed (Normalize, ...). Get(i) gives a 1xHxW image and a 0-d
// Int64 label; a DataLoader gathers batches of Bx1xHxW and B labels
// directly from the bytes.
type ImageDataset struct {
	N, H, W int
	Pixels  []uint8 // N*H*W, image after image, row-major
	Labels  []uint8
	Classes []string

	lut   [256]float32 // pixel byte -> value after ToTensor and the per-pixel transforms
	rest  []Transform  // transforms applied to the batch afterwards
	split splitPolicy
}

// FashionMNIST loads Fashion-MNIST's training (train) or test set from the
// IDX files in root ("" for FashionMNISTDir, which Debian's
// dataset-fashion-mnist package fills), gzipped or not, in root itself or
// in root/FashionMNIST/raw as torchvision downloads them. The transforms
// apply in order after ToTensor, e.g. data.Normalize(0.2860, 0.3530).
// Missing or corrupt files panic with an error naming the file.
func FashionMNIST(root string, train bool, transforms ...Transform) *ImageDataset {
	if root == "" {
		root = FashionMNISTDir
	}
	d, err := LoadImageDataset(root, "FashionMNIST", train, FashionMNISTClasses)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%w; Debian's package dataset-fashion-mnist installs the files in %s (apt-get install dataset-fashion-mnist)", err, FashionMNISTDir)
	}
	if err != nil {
		fail("data.FashionMNIST: %v", err)
	}
	return d.SetTransforms(transforms...)
}

// MNIST loads MNIST's training or test set from the IDX files in root
// ("" for MNISTDir), as FashionMNIST does.
func MNIST(root string, train bool, transforms ...Transform) *ImageDataset {
	if root == "" {
		root = MNISTDir
	}
	d, err := LoadImageDataset(root, "MNIST", train, MNISTClasses)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%w; pass the directory that holds MNIST's IDX files", err)
	}
	if err != nil {
		fail("data.MNIST: %v", err)
	}
	return d.SetTransforms(transforms...)
}

// LoadImageDataset reads an MNIST-style dataset: train-images-idx3-ubyte
// and train-labels-idx1-ubyte (t10k-... for the test set), with or without
// .gz, from dir or dir/name/raw. Labels must be below len(classes).
func LoadImageDataset(dir, name string, train bool, classes []string) (*ImageDataset, error) {
	prefix := "t10k"
	if train {
		prefix = "train"
	}
	imgPath, err := findIDX(dir, name, prefix+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	lblPath, err := findIDX(dir, name, prefix+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	// The labels are small: read them while the images decompress.
	var lbl *IDX
	var lblErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		lbl, lblErr = LoadIDX(lblPath)
	}()
	img, err := LoadIDX(imgPath)
	<-done
	if err != nil {
		return nil, err
	}
	if lblErr != nil {
		return nil, lblErr
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("%s: want images (3 dimensions: count, rows, columns), got dimensions %v", imgPath, img.Dims)
	}
	if len(lbl.Dims) != 1 {
		return nil, fmt.Errorf("%s: want labels (1 dimension), got dimensions %v", lblPath, lbl.Dims)
	}
	if img.Dims[0] != lbl.Dims[0] {
		return nil, fmt.Errorf("%s has %d images but %s has %d labels", imgPath, img.Dims[0], lblPath, lbl.Dims[0])
	}
	for i, l := range lbl.Data {
		if int(l) >= len(classes) {
			return nil, fmt.Errorf("%s: label %d of sample %d is out of range for %d classes", lblPath, l, i, len(classes))
		}
	}
	d := &ImageDataset{N: img.Dims[0], H: img.Dims[1], W: img.Dims[2], Pixels: img.Data, Labels: lbl.Data,
		Classes: append([]string(nil), classes...)}
	d.SetTransforms()
	if len(img.Data) >= collectAfterLoad {
		// Reading left garbage (the gzipped file, 26 MB for Fashion-MNIST)
		// next to the images, and the collector's next goal is twice both:
		// the first epoch's fresh batches would grow the heap that far,
		// into new pages that fault one by one (17,000 faults, 0.1-0.15 s
		// of CPU on this project's VMs). Collecting now sizes the goal
		// from the images alone; the pages the file used stay mapped.
		runtime.GC()
	}
	return d, nil
}

// collectAfterLoad is the image data size from which LoadImageDataset
// collects garbage before returning (about 1 ms with the images live).
const collectAfterLoad = 8 << 20

// findIDX returns the path of file base (or base.gz) in dir or in
// dir/name/raw, or an error naming where it looked.
func findIDX(dir, name, base string) (string, error) {
	var tried []string
	for _, d := range []string{dir, filepath.Join(dir, name, "raw")} {
		for _, f := range []string{base + ".gz", base} {
			p := filepath.Join(d, f)
			st, err := os.Stat(p)
			if err == nil && !st.IsDir() {
				return p, nil
			}
			tried = append(tried, p)
		}
	}
	return "", fmt.Errorf("%s not found (looked for %s): %w", base, strings.Join(tried, ", "), fs.ErrNotExist)
}

// SetTransforms replaces the dataset's transforms (applied in order after
// ToTensor); returns d. Normalize and other per-pixel transforms are
// folded into the conversion from bytes, costing nothing per batch.
func (d *ImageDataset) SetTransforms(ts ...Transform) *ImageDataset {
	for i := range d.lut {
		d.lut[i] = float32(i) / 255
	}
	d.rest = nil
	for i, t := range ts {
		if t == nil {
			fail("ImageDataset.SetTransforms: transform %d is nil", i)
		}
		if p, ok := t.(pixelwise); ok && d.rest == nil {
			for k := range d.lut {
				d.lut[k] = p.pixel(d.lut[k])
			}
			continue
		}
		d.rest = append(d.rest, t)
	}
	return d
}

// Len returns the number of images.
func (d *ImageDataset) Len() int { return d.N }

// Get returns image i as a 1xHxW float32 tensor and its label as a 0-d
// Int64 tensor.
func (d *ImageDataset) Get(i int) (x, y *ag.Tensor) {
	if i < 0 || i >= d.N {
		fail("ImageDataset.Get: index %d out of range [0, %d)", i, d.N)
	}
	x, y = d.Rows([]int{i})
	return x.Index(0), y.Index(0)
}

// Label returns the class name of sample i.
func (d *ImageDataset) Label(i int) string {
	if i < 0 || i >= d.N {
		fail("ImageDataset.Label: index %d out of range [0, %d)", i, d.N)
	}
	return d.Classes[d.Labels[i]]
}

// Data returns every image as a float32 tensor of N x H x W holding the
// bytes 0..255 (torchvision's .data, as floats; 188 MB for Fashion-MNIST's
// training set).
func (d *ImageDataset) Data() *ag.Tensor {
	return ag.FromUint8(d.Pixels, d.N, d.H, d.W)
}

// Targets returns every label, as an Int64 tensor of N.
func (d *ImageDataset) Targets() *ag.Tensor {
	return labelTensor(d.Labels, nil)
}

// Rows returns images idx as one Bx1xHxW float32 batch and their labels as
// an Int64 tensor of B.
func (d *ImageDataset) Rows(idx []int) (x, y *ag.Tensor) { return d.rows(idx, true) }

// rows is Rows, with the gather split over the cores when maySplit and
// the measured cost says it pays.
func (d *ImageDataset) rows(idx []int, maySplit bool) (x, y *ag.Tensor) {
	for _, i := range idx {
		if i < 0 || i >= d.N {
			fail("ImageDataset: index %d out of range [0, %d)", i, d.N)
		}
	}
	if !maySplit {
		x = d.gather(idx, false)
	} else {
		n := len(idx) * d.H * d.W
		split := d.split.choose(n)
		start := time.Now()
		x = d.gather(idx, split)
		d.split.record(n, split, time.Since(start))
	}
	for _, t := range d.rest {
		x = t.Apply(x)
	}
	return x, labelTensor(d.Labels, idx)
}

// gather converts images idx through the lookup table into a new batch,
// split over the cores or not.
func (d *ImageDataset) gather(idx []int, split bool) *ag.Tensor {
	x := d.newBatch(len(idx))
	dst := x.Data32()
	n, workers := len(idx), min(runtime.GOMAXPROCS(0), len(idx))
	if !split || workers < 2 {
		d.convert(dst, idx, 0, n)
		return x
	}
	parallel.For(workers, workers, func(w, _ int) { d.convert(dst, idx, n*w/workers, n*(w+1)/workers) })
	return x
}

// newBatch returns a zero batch of n images.
func (d *ImageDataset) newBatch(n int) *ag.Tensor { return ag.Zeros(n, 1, d.H, d.W) }

// convert sets images lo..hi of the batch dst to images idx[lo:hi]
// through the lookup table.
func (d *ImageDataset) convert(dst []float32, idx []int, lo, hi int) {
	px := d.H * d.W
	lut := &d.lut
	// The images are scattered over the 47 MB of bytes: read one byte
	// of every cache line of them first, so that their misses are in
	// flight together rather than one image after another.
	var touch uint8
	for b := lo; b < hi; b++ {
		if i := idx[b]; i < 0 || i >= d.N {
			fail("ImageDataset: index %d out of range [0, %d)", i, d.N)
		}
		src := d.Pixels[idx[b]*px : idx[b]*px+px]
		for k := 0; k < len(src); k += 64 {
			touch += src[k]
		}
	}
	runtime.KeepAlive(touch) // the reads must happen
	for b := lo; b < hi; b++ {
		src := d.Pixels[idx[b]*px : idx[b]*px+px]
		out := dst[b*px : b*px+px]
		for k, v := range src {
			out[k] = lut[v]
		}
	}
}

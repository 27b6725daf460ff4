package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// idxBytes writes an IDX file of unsigned bytes by hand: 00 00 08 ndims,
// big-endian sizes, then the data.
func idxBytes(dims []int, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixture is a tiny MNIST-style set: n images of 3x2 whose first pixel is
// the image's index and the rest 10*k + index, labelled index % 10.
func fixture(n int) (images, labels []byte) {
	images = make([]byte, n*6)
	labels = make([]byte, n)
	for i := 0; i < n; i++ {
		for k := 0; k < 6; k++ {
			images[i*6+k] = byte(10*k + i)
		}
		labels[i] = byte(i % 10)
	}
	return images, labels
}

// writeDataset writes the training set gzipped in torchvision's layout
// (dir/FashionMNIST/raw) and the test set raw in dir itself.
func writeDataset(t *testing.T, dir string, nTrain, nTest int) {
	img, lbl := fixture(nTrain)
	raw := filepath.Join(dir, "FashionMNIST", "raw")
	writeFile(t, filepath.Join(raw, "train-images-idx3-ubyte.gz"), gzipped(idxBytes([]int{nTrain, 3, 2}, img)))
	writeFile(t, filepath.Join(raw, "train-labels-idx1-ubyte.gz"), gzipped(idxBytes([]int{nTrain}, lbl)))
	img, lbl = fixture(nTest)
	writeFile(t, filepath.Join(dir, "t10k-images-idx3-ubyte"), idxBytes([]int{nTest, 3, 2}, img))
	writeFile(t, filepath.Join(dir, "t10k-labels-idx1-ubyte"), idxBytes([]int{nTest}, lbl))
}

func TestReadIDXRawAndGzipped(t *testing.T) {
	img, _ := fixture(4)
	file := idxBytes([]int{4, 3, 2}, img)
	for name, b := range map[string][]byte{"raw": file, "gzip": gzipped(file)} {
		x, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(x.Dims) != 3 || x.Dims[0] != 4 || x.Dims[1] != 3 || x.Dims[2] != 2 || !bytes.Equal(x.Data, img) {
			t.Errorf("%s: dims %v data %v, want [4 3 2] %v", name, x.Dims, x.Data, img)
		}
	}
}

func TestReadIDXRejectsCorruptFiles(t *testing.T) {
	good := idxBytes([]int{2, 2}, []byte{1, 2, 3, 4})
	badCRC := gzipped(good)
	badCRC[len(badCRC)-6] ^= 0xff // a byte of the CRC-32 trailer
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "the file ends before the 4-byte magic number"},
		{"not IDX", []byte("PK\x03\x04 a zip file"), "not an IDX file: it starts with 50 4b 03 04"},
		{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "IDX data type 0x0d is not supported"},
		{"no dimensions", []byte{0, 0, 8, 0}, "no dimensions"},
		{"short header", []byte{0, 0, 8, 3, 0, 0, 0, 2}, "ends before 3 dimension sizes"},
		{"truncated data", good[:len(good)-1], "truncated: its header says [2 2] (4 bytes of data), but it holds 3"},
		{"trailing data", append(append([]byte(nil), good...), 9), "longer than its header says"},
		{"huge header", []byte{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1}, "the file is corrupt"},
		{"truncated gzip", gzipped(good)[:20], "IDX file is truncated"},
		{"gzip checksum", badCRC, "checksum"},
	} {
		_, err := ReadIDX(bytes.NewReader(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// LoadIDX names the file.
	p := filepath.Join(t.TempDir(), "bad-idx1-ubyte")
	writeFile(t, p, good[:5])
	if _, err := LoadIDX(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("LoadIDX error %v does not name %s", err, p)
	}
}

// panicMessage runs f and returns the message of the ag.Error it panics with.
func panicMessage(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		e, ok := r.(*ag.Error)
		if !ok {
			t.Fatalf("panic %v (%T), want an *ag.Error", r, r)
		}
		msg = e.Msg
	}()
	f()
	return ""
}

func TestFashionMNISTMissingFilesNamePathAndPackage(t *testing.T) {
	dir := t.TempDir()
	msg := panicMessage(t, func() { FashionMNIST(dir, true) })
	for _, want := range []string{
		"data.FashionMNIST", "train-images-idx3-ubyte not found",
		filepath.Join(dir, "train-images-idx3-ubyte.gz"), filepath.Join(dir, "FashionMNIST", "raw", "train-images-idx3-ubyte"),
		"dataset-fashion-mnist", FashionMNISTDir,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	msg = panicMessage(t, func() { MNIST(dir, false) })
	if !strings.Contains(msg, "t10k-images-idx3-ubyte not found") || !strings.Contains(msg, dir) {
		t.Errorf("MNIST error %q does not name the missing file and the directory", msg)
	}
}

func TestImageDatasetRejectsInconsistentFiles(t *testing.T) {
	for _, tc := range []struct {
		name         string
		images, lbls []byte
		want         string
	}{
		{"counts differ", idxBytes([]int{2, 1, 1}, []byte{1, 2}), idxBytes([]int{3}, []byte{0, 1, 2}), "has 2 images but"},
		{"label out of range", idxBytes([]int{2, 1, 1}, []byte{1, 2}), idxBytes([]int{2}, []byte{0, 12}), "label 12 of sample 1 is out of range for 10 classes"},
		{"images not 3-D", idxBytes([]int{2}, []byte{1, 2}), idxBytes([]int{2}, []byte{0, 1}), "want images (3 dimensions"},
		{"labels not 1-D", idxBytes([]int{2, 1, 1}, []byte{1, 2}), idxBytes([]int{2, 1}, []byte{0, 1}), "want labels (1 dimension)"},
		{"corrupt images", []byte{0, 0, 8, 3, 0, 0}, idxBytes([]int{2}, []byte{0, 1}), "t10k-images-idx3-ubyte: IDX header"},
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "t10k-images-idx3-ubyte"), tc.images)
		writeFile(t, filepath.Join(dir, "t10k-labels-idx1-ubyte"), tc.lbls)
		msg := panicMessage(t, func() { FashionMNIST(dir, false) })
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q, want one containing %q", tc.name, msg, tc.want)
		}
	}
}

func TestImageDatasetSamplesAreToTensorThenTransforms(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, 7, 3)
	train := FashionMNIST(dir, true) // gzipped, in FashionMNIST/raw
	test := FashionMNIST(dir, false) // raw, in dir
	if train.Len() != 7 || test.Len() != 3 || train.H != 3 || train.W != 2 {
		t.Fatalf("train %d, test %d images of %dx%d; want 7, 3 of 3x2", train.Len(), test.Len(), train.H, train.W)
	}
	x, y := train.Get(5)
	if s := x.Shape(); len(s) != 3 || s[0] != 1 || s[1] != 3 || s[2] != 2 {
		t.Errorf("Get: image shape %v, want [1 3 2]", s)
	}
	if len(y.Shape()) != 0 || y.Item() != 5 || y.DType() != ag.Int64 {
		t.Errorf("Get: label %v (%v) with shape %v, want the 0-d Int64 5", y.Item(), y.DType(), y.Shape())
	}
	if tg := train.Targets(); tg.DType() != ag.Int64 || tg.Numel() != 7 || tg.Int64s()[6] != 6 {
		t.Errorf("Targets: %v, want the Int64 labels 0..6", tg)
	}
	for k, v := range x.Float64s() {
		if want := float64(float32(10*k+5) / 255); v != want {
			t.Errorf("pixel %d is %v, want %v (byte / 255 as float32)", k, v, want)
		}
	}
	if all := train.Data(); all.At(5, 2, 1) != float64(10*5+5) || all.Shape()[0] != 7 {
		t.Errorf("Data: shape %v, image 5 pixel (2, 1) = %v, want 7 images and the byte 55", all.Shape(), all.At(5, 2, 1))
	}
	if train.Label(5) != "Sandal" {
		t.Errorf("Label(5) = %q, want Sandal", train.Label(5))
	}

	// Normalize folded into the conversion gives the same float32 values
	// as applying it to the tensor afterwards, as PyTorch computes it.
	mean, std := 0.2860, 0.3530
	norm := FashionMNIST(dir, true, Normalize(mean, std))
	idx := []int{6, 0, 3}
	got, _ := norm.Rows(idx)
	plain, _ := train.Rows(idx)
	want := plain.SubScalar(mean).DivScalar(std)
	if g, w := got.Data32(), want.Data32(); len(g) != len(w) {
		t.Fatalf("normalised batch has %d values, want %d", len(g), len(w))
	} else {
		for i := range g {
			if g[i] != w[i] {
				t.Fatalf("normalised value %d: %v, want %v", i, g[i], w[i])
			}
		}
	}
	// A transform that is not per pixel runs on the batch afterwards.
	shift := Lambda(func(x *ag.Tensor) *ag.Tensor { return x.Reshape(x.Shape()[0], -1) })
	flat := FashionMNIST(dir, true, Normalize(mean, std), shift)
	if xb, _ := flat.Rows(idx); len(xb.Shape()) != 2 || xb.Shape()[1] != 6 || xb.At(0, 0) != got.At(0, 0, 0, 0) {
		t.Errorf("Normalize then Lambda(flatten): shape %v first %v, want [3 6] and %v", xb.Shape(), xb.At(0, 0), got.At(0, 0, 0, 0))
	}
}

func TestDataLoaderOverImagesPairsImagesAndLabels(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, 23, 1)
	ds := FashionMNIST(dir, true)
	l := NewDataLoader(ds, 5, true).SetSeed(3)
	var seen []int
	for it := l.Iter(); it.Next(); {
		xb, yb := it.Batch()
		if s := xb.Shape(); s[1] != 1 || s[2] != 3 || s[3] != 2 || s[0] != yb.Shape()[0] {
			t.Fatalf("batch shapes %v and %v", s, yb.Shape())
		}
		if xb.DType() != ag.Float32 || yb.DType() != ag.Int64 {
			t.Fatalf("batch dtypes %v and %v, want float32 images and Int64 labels", xb.DType(), yb.DType())
		}
		for b := 0; b < xb.Shape()[0]; b++ {
			i := int(xb.At(b, 0, 0, 0)*255 + 0.5) // the first pixel is the index
			if int(yb.At(b)) != i%10 {
				t.Fatalf("image %d came with label %v, want %d", i, yb.At(b), i%10)
			}
			seen = append(seen, i)
		}
	}
	sort.Ints(seen)
	for i, v := range seen {
		if v != i {
			t.Fatalf("one epoch saw %v, want each of 0..22 once", seen)
		}
	}
	// A Subset of it (RandomSplit) gathers through the same path.
	parts := RandomSplit(ds, []int{20, 3}, ag.NewGenerator(1))
	xb, yb := NewDataLoader(parts[1], 3, false).Batch(0)
	for b := 0; b < 3; b++ {
		if i := parts[1].Indices[b]; int(xb.At(b, 0, 0, 0)*255+0.5) != i || int(yb.At(b)) != i%10 {
			t.Errorf("subset row %d: image %v label %v, want sample %d", b, xb.At(b, 0, 0, 0)*255, yb.At(b), i)
		}
	}
}

func TestSplitGatherMatchesSerial(t *testing.T) {
	n := 1000
	img := make([]byte, n*6)
	for i := range img {
		img[i] = byte(i * 7)
	}
	ds := &ImageDataset{N: n, H: 3, W: 2, Pixels: img, Labels: make([]byte, n), Classes: FashionMNISTClasses}
	ds.SetTransforms(Normalize(0.5, 0.25))
	idx := ag.NewGenerator(2).Perm(n)
	serial, split := ds.gather(idx, false).Data32(), ds.gather(idx, true).Data32()
	for b, i := range idx {
		for k := 0; k < 6; k++ {
			if want := ds.lut[img[i*6+k]]; serial[b*6+k] != want || split[b*6+k] != want {
				t.Fatalf("row %d (image %d) value %d: serial %v, split %v, want %v", b, i, k, serial[b*6+k], split[b*6+k], want)
			}
		}
	}
}

// The gather's policy never splits small batches, nor on one core; the
// choice by measured cost is costsplit's (tested there).
func TestSplitPolicySmallOrOneCoreIsSerial(t *testing.T) {
	var p splitPolicy
	if p.choose(splitMinValues - 1) {
		t.Error("a gather below splitMinValues was split")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for i := 0; i < 10; i++ {
		if p.choose(4 * splitMinValues) {
			t.Fatal("a gather was split with GOMAXPROCS 1")
		}
	}
}

// The real Fashion-MNIST, as Debian's dataset-fashion-mnist installs it.
// The test command (install/test.sh) installs the package and sets
// GRADLAB_INTEGRATION=1, where its absence fails the test.
func TestRealFashionMNIST(t *testing.T) {
	if _, err := os.Stat(filepath.Join(FashionMNISTDir, "train-images-idx3-ubyte.gz")); errors.Is(err, os.ErrNotExist) {
		if os.Getenv("GRADLAB_INTEGRATION") != "" {
			t.Fatalf("%s is missing: install Debian's dataset-fashion-mnist", FashionMNISTDir)
		}
		t.Skipf("%s is missing (apt-get install dataset-fashion-mnist)", FashionMNISTDir)
	}
	for _, tc := range []struct {
		train    bool
		n, class int
		mean     float64
	}{{true, 60000, 6000, 0.2860}, {false, 10000, 1000, 0.2868}} {
		ds := FashionMNIST("", tc.train)
		if ds.Len() != tc.n || ds.H != 28 || ds.W != 28 {
			t.Fatalf("train=%v: %d images of %dx%d, want %d of 28x28", tc.train, ds.Len(), ds.H, ds.W, tc.n)
		}
		var counts [10]int
		for _, l := range ds.Labels {
			counts[l]++
		}
		for c, k := range counts {
			if k != tc.class {
				t.Errorf("train=%v: class %d (%s) has %d images, want %d", tc.train, c, FashionMNISTClasses[c], k, tc.class)
			}
		}
		sum := 0
		for _, p := range ds.Pixels {
			sum += int(p)
		}
		if mean := float64(sum) / float64(len(ds.Pixels)) / 255; mean < tc.mean-0.0005 || mean > tc.mean+0.0005 {
			t.Errorf("train=%v: mean pixel %.4f, want %.4f (the published statistic)", tc.train, mean, tc.mean)
		}
	}
}

package nn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
)

// A native model written the way a Go user would: unexported fields,
// nested modules, a slice of blocks, a map, a tag, an embedded layer, a
// shared layer and a raw parameter.
type block struct {
	Training bool
	conv     *Conv2d
	bn       *BatchNorm
}

func (b *block) Forward(x *ag.Tensor) *ag.Tensor   { return b.bn.Forward(b.conv.Forward(x)).Relu() }
func (b *block) Parameters() []*ag.Tensor          { return Parameters(b) }
func (n *testNet) Forward(x *ag.Tensor) *ag.Tensor { return x }
func (n *testNet) Parameters() []*ag.Tensor        { return Parameters(n) }

type testNet struct {
	*Linear                    // embedded: its weight and bias belong to the net itself
	Blocks  []*block           // ModuleList
	Heads   map[string]Module  // ModuleDict
	FC1     *Linear            `nn:"classifier"`
	Again   *Linear            // the same layer as FC1: listed once
	Scale   *ag.Tensor         // a parameter of the net
	Cache   *ag.Tensor         // no grad: not state
	Skip    *Linear            `nn:"-"`
	Seq     *Sequential        // children 0, 1, ...
	gen     *ag.Generator      // not a module: ignored
	unused  func()             // ignored
	Lists   [][]*ag.Tensor     // parameters in nested lists
	Drop    Module             // interface field
	Private map[int]*ag.Tensor // non-string keys: ignored
}

func newTestNet() *testNet {
	g := ag.NewGenerator(3)
	fc := NewLinearWith(4, 2, true, g)
	return &testNet{
		Linear: NewLinearWith(3, 3, false, g),
		Blocks: []*block{{conv: NewConv2dWith(1, 2, [2]int{3, 3}, 1, true, g), bn: NewBatchNorm2d(2)}, {conv: NewConv2dWith(2, 2, [2]int{1, 1}, 2, false, g), bn: NewBatchNorm2d(2)}},
		Heads:  map[string]Module{"b": NewLinearWith(2, 1, true, g), "a": NewLayerNorm([]int{2})},
		FC1:    fc, Again: fc,
		Scale: Param(ag.Ones(1)), Cache: ag.Zeros(5),
		Skip:  NewLinearWith(1, 1, true, g),
		Seq:   NewSequential([]Module{NewLinearWith(2, 2, true, g), NewReLU(), NewDropout(0.5)}),
		gen:   g,
		Lists: [][]*ag.Tensor{{Param(ag.Zeros(1))}, {Param(ag.Zeros(2)), Param(ag.Zeros(3))}},
		Drop:  NewDropout(0.2),
	}
}

func names(nts []NamedTensor) string {
	var s []string
	for _, nt := range nts {
		s = append(s, nt.Name)
	}
	return strings.Join(s, " ")
}

func TestNamedParametersFromFields(t *testing.T) {
	n := newTestNet()
	// as in PyTorch, a module's own parameters come before its children's
	want := "weight scale blocks.0.conv.weight blocks.0.conv.bias blocks.0.bn.weight blocks.0.bn.bias " +
		"blocks.1.conv.weight blocks.1.bn.weight blocks.1.bn.bias heads.a.weight heads.a.bias heads.b.weight heads.b.bias " +
		"classifier.weight classifier.bias seq.0.weight seq.0.bias lists.0.0 lists.1.0 lists.1.1"
	if got := names(NamedParameters(n)); got != want {
		t.Fatalf("NamedParameters:\n got %s\nwant %s", got, want)
	}
	wantSD := "weight scale blocks.0.conv.weight blocks.0.conv.bias blocks.0.bn.weight blocks.0.bn.bias blocks.0.bn.running_mean " +
		"blocks.0.bn.running_var blocks.0.bn.num_batches_tracked blocks.1.conv.weight blocks.1.bn.weight blocks.1.bn.bias " +
		"blocks.1.bn.running_mean blocks.1.bn.running_var blocks.1.bn.num_batches_tracked heads.a.weight heads.a.bias " +
		"heads.b.weight heads.b.bias classifier.weight classifier.bias seq.0.weight seq.0.bias lists.0.0 lists.1.0 lists.1.1"
	if got := names(StateDict(n)); got != wantSD {
		t.Fatalf("StateDict:\n got %s\nwant %s", got, wantSD)
	}
	if got := names(NamedBuffers(n)); !strings.HasPrefix(got, "blocks.0.bn.running_mean blocks.0.bn.running_var blocks.0.bn.num_batches_tracked") {
		t.Fatalf("NamedBuffers: %s", got)
	}
	if len(Parameters(n)) != len(NamedParameters(n)) || Parameters(n)[14] != n.FC1.Bias {
		t.Fatal("Parameters does not follow NamedParameters")
	}
}

func TestTorchName(t *testing.T) {
	for in, want := range map[string]string{"Fc1": "fc1", "FC1": "fc1", "BN": "bn", "URLMap": "urlMap", "conv": "conv", "A": "a", "Conv2": "conv2"} {
		if got := torchName(in, false); got != want {
			t.Errorf("torchName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := torchName("Xfc1", true); got != "fc1" {
		t.Errorf("interpreted Xfc1 -> %q", got)
	}
	if got := torchName("XLayer", true); got != "xLayer" {
		t.Errorf("interpreted exported XLayer -> %q", got)
	}
}

func TestTrainEvalReachEverySubmodule(t *testing.T) {
	n := newTestNet()
	Eval(n)
	drop := n.Drop.(*Dropout)
	if n.Blocks[1].Training || n.Blocks[0].bn.IsTraining() || n.Seq.Layers[2].(*Dropout).IsTraining() || drop.IsTraining() || n.FC1.IsTraining() {
		t.Fatal("Eval did not reach every module")
	}
	x := ag.Ones(4)
	if y := drop.Forward(x); y != x {
		t.Fatal("dropout is not the identity in eval mode")
	}
	Train(n)
	if !n.Blocks[1].Training || !n.Blocks[0].bn.IsTraining() || !drop.IsTraining() || !n.Seq.Layers[2].(*Dropout).IsTraining() {
		t.Fatal("Train did not reach every module")
	}
	n.Seq.Eval()
	if n.Seq.Layers[2].(*Dropout).IsTraining() || !drop.IsTraining() {
		t.Fatal("Sequential.Eval reaches its own layers only")
	}
}

func TestSummaryTree(t *testing.T) {
	m := NewSequential([]Module{NewConv2d(1, 4, 3), NewReLU(), NewMaxPool2d(2), NewFlatten(), NewLinear(4*13*13, 10)})
	s := Summary(m)
	for _, want := range []string{
		"module / parameter", "\nSequential ",
		"  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))", "weight [4 1 3 3]", "40",
		"  (2): MaxPool2d(kernel_size=(2, 2)",
		"  (4): Linear(in_features=676, out_features=10, bias=true)", "6,770",
		"total parameters: 6,810 (trainable 6,810)",
	} {
		if !strings.Contains(s, want) {
			t.Fatalf("Summary lacks %q:\n%s", want, s)
		}
	}
}

func TestStateDictSaveLoadRoundTrip(t *testing.T) {
	a, b := newTestNet(), newTestNet()
	ag.NoGrad(func() {
		for _, p := range StateDict(a) {
			p.Tensor.CopyFrom(ag.RandLike(p.Tensor))
		}
	})
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := Save(a, path); err != nil {
		t.Fatal(err)
	}
	if err := Load(b, path); err != nil {
		t.Fatal(err)
	}
	sa, sb := StateDict(a), StateDict(b)
	for i := range sa {
		if fmt.Sprint(sa[i].Tensor.Float64s()) != fmt.Sprint(sb[i].Tensor.Float64s()) {
			t.Fatalf("%s differs after the round trip", sa[i].Name)
		}
	}
	// a model with other shapes or names is refused, unchanged, with every problem named
	other := NewSequential([]Module{NewLinear(3, 2)})
	before := other.Layers[0].(*Linear).Weight.Float64s()
	err := Load(other, path)
	if err == nil || !strings.Contains(err.Error(), `missing "0.weight"`) || !strings.Contains(err.Error(), `unexpected "classifier.bias"`) {
		t.Fatalf("mismatched load: %v", err)
	}
	if fmt.Sprint(before) != fmt.Sprint(other.Layers[0].(*Linear).Weight.Float64s()) {
		t.Fatal("a failed load changed the model")
	}
	lin := NewLinear(3, 2)
	if err := LoadStateDict(lin, []NamedTensor{{"weight", ag.Zeros(2, 4)}, {"bias", ag.Zeros(2)}}); err == nil ||
		!strings.Contains(err.Error(), `"weight" has shape [2 4], the model's is [2 3]`) {
		t.Fatalf("shape mismatch: %v", err)
	}
}

func TestSafetensorsCorruptFiles(t *testing.T) {
	good, err := EncodeSafetensors([]NamedTensor{{"a", ag.New([]float64{1, 2, 3}, 3)}, {"b", ag.New64([]float64{4}, 1, 1)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, err := DecodeSafetensors(good)
	if err != nil || names(ts) != "a b" || ts[1].Tensor.DType() != ag.Float64 || ts[0].Tensor.At(2) != 3 {
		t.Fatalf("round trip: %v %v", names(ts), err)
	}
	ints, err := EncodeSafetensors([]NamedTensor{{"i", ag.FromInts([]int{-3, 1 << 40}, 2)}, {"b", ag.FromBools([]bool{true, false})}, {"n", NewBatchNorm1d(2).NumBatchesTracked}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ints), `"dtype":"I64"`) || !strings.Contains(string(ints), `"dtype":"BOOL"`) {
		t.Fatalf("integer tensors not written as I64/BOOL: %q", ints[8:200])
	}
	ts, _, err = DecodeSafetensors(ints)
	if err != nil || ts[0].Tensor.DType() != ag.Int64 || ts[0].Tensor.Int64s()[1] != 1<<40 || ts[1].Tensor.DType() != ag.Bool || !ts[1].Tensor.Bools()[0] || ts[2].Tensor.Dim() != 0 {
		t.Fatalf("integer round trip: %v %v", ts, err)
	}
	header := func(h string, data int) []byte {
		b := make([]byte, 8, 8+len(h)+data)
		b[0] = byte(len(h))
		return append(append(b, h...), make([]byte, data)...)
	}
	cases := map[string][]byte{
		"too short for the 8-byte header length": good[:5],
		"header length":                          good[:20],
		"header is not valid JSON":               header(`{"a":`, 0),
		`tensor "a": unsupported dtype "F8"`:     header(`{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}`, 1),
		`tensor "a": data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12`: header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8),
		`tensor "a": data_offsets [0, 16] fall outside the 8 data bytes`:              header(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, 8),
		`leave a gap after byte 0`:                 header(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8),
		`overlap the previous tensor's data`:       header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8),
		`4 bytes of data after the last tensor`:    header(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8),
		`tensor "a": no shape`:                     header(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4),
		"header does not start with a JSON object": header(`[1]`, 0),
	}
	for want, b := range cases {
		_, _, err := DecodeSafetensors(b)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
	path := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(path, good[:len(good)-3], 0o644)
	if err := Load(newTestNet(), path); err == nil || !strings.Contains(err.Error(), "Load "+path+": safetensors:") {
		t.Fatalf("truncated file: %v", err)
	}
}

func TestClipGrad(t *testing.T) {
	a, b := Param(ag.New([]float64{3, 0})), Param(ag.New([]float64{4}))
	c := Param(ag.Zeros(1)) // no gradient: skipped
	a.SetGrad(ag.New([]float64{3, 0}))
	b.SetGrad(ag.New([]float64{-4}))
	if n := ClipGradNorm([]*ag.Tensor{a, b, c}, 1, 2); n != 5 {
		t.Fatalf("norm %v, want 5", n)
	}
	if g := a.Grad().At(0); g < 0.5999 || g > 0.6 {
		t.Fatalf("clipped gradient %v, want 3/5", g)
	}
	b.SetGrad(ag.New([]float64{-4}))
	if n := ClipGradNorm([]*ag.Tensor{b}, 10, 2); n != 4 || b.Grad().At(0) != -4 {
		t.Fatalf("a norm under the limit changed the gradient: %v", b.Grad())
	}
	a.SetGrad(ag.New([]float64{3, -7}))
	ClipGradValue([]*ag.Tensor{a}, 2)
	if fmt.Sprint(a.Grad().Float64s()) != "[2 -2]" {
		t.Fatalf("ClipGradValue: %v", a.Grad().Float64s())
	}
}

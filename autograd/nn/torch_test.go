package nn_test

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/optim"
)

// The layers against PyTorch 1.13 on the same inputs and weights:
// testdata/torch_layers.py wrote each case's inputs, parameters, output
// and gradients into testdata/torch_layers.safetensors (read here by our
// own safetensors reader), and the 20 SGD steps of a small CNN.

func torchRef(t *testing.T) map[string]*ag.Tensor {
	t.Helper()
	ts, err := nn.LoadTensors("testdata/torch_layers.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*ag.Tensor{}
	for _, nt := range ts {
		m[nt.Name] = nt.Tensor
	}
	return m
}

// near fails unless got and want agree elementwise to rel·(1 + |want|).
func near(t *testing.T, what string, got, want *ag.Tensor, rel float64) {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("%s: missing tensor (got %v, want %v)", what, got != nil, want != nil)
	}
	if fmt.Sprint(got.Shape()) != fmt.Sprint(want.Shape()) {
		t.Fatalf("%s: shape %v, PyTorch's %v", what, got.Shape(), want.Shape())
	}
	g, w := got.Float64s(), want.Float64s()
	for i := range w {
		if d := math.Abs(g[i] - w[i]); d > rel*(1+math.Abs(w[i])) || math.IsNaN(g[i]) != math.IsNaN(w[i]) {
			t.Fatalf("%s: element %d = %.8g, PyTorch %.8g", what, i, g[i], w[i])
		}
	}
}

// loadCase copies the case's parameters and buffers into m.
func loadCase(t *testing.T, ref map[string]*ag.Tensor, name string, m nn.Module) {
	t.Helper()
	var sd []nn.NamedTensor
	for _, nt := range nn.StateDict(m) {
		sd = append(sd, nn.NamedTensor{Name: nt.Name, Tensor: ref[name+"."+nt.Name]})
	}
	if err := nn.LoadStateDict(m, sd); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestLayersAgainstPyTorch(t *testing.T) {
	ref := torchRef(t)
	cases := []struct {
		name string
		m    nn.Module
	}{
		{"conv_a", nn.NewConv2d(3, 4, 3).WithStride(2).WithPadding(1)},
		{"conv_g", nn.NewConv2dWith(4, 6, [2]int{3, 3}, 2, true, nil).WithPadding(2).WithDilation(2)},
		{"conv_nb", func() nn.Module {
			c := nn.NewConv2dWith(2, 3, [2]int{2, 3}, 1, false, nil)
			c.Stride = [2]int{1, 2}
			return c
		}()},
		{"maxpool", nn.NewMaxPool2d(3).WithStride(2).WithPadding(1)},
		{"avgpool", nn.NewAvgPool2d(3).WithStride(2).WithPadding(1)},
		{"adaptive", nn.NewAdaptiveAvgPool2d(3, 2)},
		{"bn2d", nn.NewBatchNorm2d(3)},
		{"bn1d", nn.NewBatchNorm1d(5)},
		{"bn1d3", nn.NewBatchNorm1d(4)},
		{"layernorm", nn.NewLayerNorm([]int{4, 5})},
		{"embedding", nn.NewEmbeddingWith(10, 4, 2, nil)},
		{"leaky", &nn.LeakyReLU{Slope: 0.1}},
		{"gelu", nn.NewGELU()},
		{"gelu_tanh", &nn.GELU{Approximate: "tanh"}},
		{"softmax", nn.NewSoftmax(1)},
		{"logsoftmax", nn.NewLogSoftmax(0)},
		{"flatten", nn.NewFlatten()},
	}
	for _, c := range cases {
		loadCase(t, ref, c.name, c.m)
		x := ref[c.name+".x"]
		if c.name != "embedding" {
			x = x.Detach().SetRequiresGrad(true)
		}
		y := c.m.Forward(x)
		near(t, c.name+" output", y, ref[c.name+".out"], 2e-5)
		y.Mul(ref[c.name+".r"]).Sum().Backward()
		if c.name != "embedding" {
			near(t, c.name+" input gradient", x.Grad(), ref[c.name+".grad.x"], 2e-5)
		}
		for _, p := range nn.NamedParameters(c.m) {
			near(t, c.name+" gradient of "+p.Name, p.Tensor.Grad(), ref[c.name+".grad."+p.Name], 2e-5)
		}
		for _, b := range nn.NamedBuffers(c.m) {
			if want := ref[c.name+".after."+b.Name]; want != nil {
				near(t, c.name+" "+b.Name+" after a training step", b.Tensor, want, 2e-5)
			}
		}
	}
	bn := cases[6].m.(*nn.BatchNorm)
	bn.Eval()
	near(t, "bn2d in eval mode (running statistics)", bn.Forward(ref["bn2d.eval.x"]), ref["bn2d.eval.out"], 2e-5)
	if n := bn.NumBatchesTracked.Item(); n != 1 {
		t.Fatalf("num_batches_tracked %v after one training forward", n)
	}
}

func TestLossesAgainstPyTorch(t *testing.T) {
	ref := torchRef(t)
	losses := map[string]func(x, y *ag.Tensor) *ag.Tensor{
		"bce_logits":    nn.NewBCEWithLogitsLoss().Forward,
		"bce_logits_pw": (&nn.BCEWithLogitsLoss{PosWeight: ag.New([]float64{0.5, 2, 3, 1})}).Forward,
		"huber":         (&nn.HuberLoss{Delta: 0.5}).Forward,
		"smoothl1":      (&nn.SmoothL1Loss{Beta: 0.5}).Forward,
	}
	for name, f := range losses {
		x, y := ref[name+".x"].Detach().SetRequiresGrad(true), ref[name+".y"].Detach().SetRequiresGrad(true)
		l := f(x, y)
		near(t, name, l, ref[name+".out"], 1e-6)
		l.Backward()
		near(t, name+" input gradient", x.Grad(), ref[name+".grad.x"], 1e-6)
		near(t, name+" target gradient", y.Grad(), ref[name+".grad.y"], 1e-6)
	}
	a, b := nn.Param(ag.Zeros(3, 4)), nn.Param(ag.Zeros(5))
	a.SetGrad(ref["clip.a"].Detach())
	b.SetGrad(ref["clip.b"].Detach())
	norm := nn.ClipGradNorm([]*ag.Tensor{a, b}, 1.5, 2)
	near(t, "ClipGradNorm's norm", ag.New([]float64{norm}), ref["clip.norm"], 1e-6)
	near(t, "ClipGradNorm a", a.Grad(), ref["clip.ga"], 1e-6)
	near(t, "ClipGradNorm b", b.Grad(), ref["clip.gb"], 1e-6)
}

func smallCNN() *nn.Sequential {
	return nn.NewSequential([]nn.Module{
		nn.NewConv2d(1, 8, 3), nn.NewReLU(), nn.NewMaxPool2d(2), nn.NewConv2d(8, 16, 3), nn.NewReLU(), nn.NewMaxPool2d(2),
		nn.NewDropout(0.25), nn.NewFlatten(), nn.NewLinear(16*5*5, 10),
	})
}

// TestCNNTrainingAgainstPyTorch loads PyTorch's initial weights from the
// safetensors file PyTorch wrote, trains 20 SGD steps (momentum 0.9) on
// the same batches, and must follow PyTorch's losses and end at its
// weights to 1e-4 relative.
func TestCNNTrainingAgainstPyTorch(t *testing.T) {
	ref := torchRef(t)
	m := smallCNN()
	if err := nn.Load(m, "testdata/cnn_init.safetensors"); err != nil {
		t.Fatal(err)
	}
	for _, p := range nn.StateDict(m) {
		near(t, "initial "+p.Name, p.Tensor, ref["cnn.init."+p.Name], 0)
	}
	m.Layers[6].(*nn.Dropout).Eval()
	opt := optim.NewSGDWith(m.Parameters(), optim.SGDOptions{LR: 0.05, Momentum: 0.9})
	xs, ys := ref["cnn.xs"], ref["cnn.ys"]
	want := ref["cnn.losses"].Float64s()
	for step := 0; step < 20; step++ {
		loss := nn.CrossEntropy(m.Forward(xs.Index(step%4)), ys.Index(step%4))
		if got := loss.Item(); math.Abs(got-want[step]) > 1e-4*math.Abs(want[step]) {
			t.Fatalf("step %d: loss %.7g, PyTorch %.7g", step, got, want[step])
		}
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
	for _, p := range nn.StateDict(m) {
		w := ref["cnn.final."+p.Name]
		scale := 0.0
		for _, v := range w.Float64s() {
			scale = math.Max(scale, math.Abs(v))
		}
		g, wv := p.Tensor.Float64s(), w.Float64s()
		for i := range wv {
			if math.Abs(g[i]-wv[i]) > 1e-4*scale {
				t.Fatalf("final %s[%d] = %.7g, PyTorch %.7g (largest weight %.3g)", p.Name, i, g[i], wv[i], scale)
			}
		}
	}
}

// torchReader is the test script's safetensors reader: a dozen lines of
// Python, since Debian has no safetensors package.
const torchReader = `
import json, struct, sys, torch
import torch.nn as nn
def load(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n]); data = b[8 + n:]
    out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        dt = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}[v['dtype']]
        out[k] = torch.frombuffer(bytearray(data[s:e]), dtype=dt).reshape(v['shape']) if e > s else torch.zeros(v['shape'], dtype=dt)
    return out
`

// TestSaveLoadIntoPyTorch saves a gradlab model (with BatchNorm's running
// statistics) with nn.Save, has PyTorch load it into the same
// architecture with model.load_state_dict, and checks that PyTorch's
// outputs on the same input match gradlab's.
func TestSaveLoadIntoPyTorch(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import torch").Run(); err != nil {
		t.Skipf("no PyTorch at %s (Debian's python3-torch): %v", py, err)
	}
	dir := t.TempDir()
	m := nn.NewSequential([]nn.Module{
		nn.NewConv2d(2, 4, 3).WithPadding(1), nn.NewBatchNorm2d(4), nn.NewReLU(), nn.NewMaxPool2d(2),
		nn.NewFlatten(), nn.NewLinear(4*3*3, 5), nn.NewLayerNorm([]int{5}),
	})
	for i := 0; i < 3; i++ { // running statistics that are not the initial ones
		m.Forward(ag.Randn(8, 2, 6, 6).MulScalar(2).AddScalar(1))
	}
	m.Eval()
	x := ag.Randn(3, 2, 6, 6)
	y := m.Forward(x)
	if err := nn.Save(m, filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
	if err := nn.SaveTensors(filepath.Join(dir, "io.safetensors"), []nn.NamedTensor{{Name: "x", Tensor: x}, {Name: "y", Tensor: y}}); err != nil {
		t.Fatal(err)
	}
	script := torchReader + `
m = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(4 * 3 * 3, 5), nn.LayerNorm([5]))
m.load_state_dict(load(sys.argv[1] + '/model.safetensors'))  # strict: every name and shape must match
m.eval()
io = load(sys.argv[1] + '/io.safetensors')
y = m(io['x'])
d = (y - io['y']).abs().max().item()
print('max abs difference', d, 'batches tracked', m[1].num_batches_tracked.item())
sys.exit(0 if d < 1e-5 and m[1].num_batches_tracked.item() == 3 else 1)
`
	out, err := exec.Command(py, "-c", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("PyTorch could not load gradlab's file or disagrees: %v\n%s", err, out)
	}
	t.Logf("PyTorch: %s", strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
}

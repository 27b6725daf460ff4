package interp

import "testing"

// A model defined in notebook cells reaches nn as the interpreter's
// wrapper of an interpreted struct: its named parameters, train/eval
// mode, summary and safetensors state must all be found from its fields
// (unexported ones included, which yaegi renames Xname).
func TestCellModulesWithNN(t *testing.T) {
	const define = `
type Block struct {
	conv     *nn.Conv2d
	bn       *nn.BatchNorm
	training bool
}

func (b *Block) Forward(x *ag.Tensor) *ag.Tensor { return b.bn.Forward(b.conv.Forward(x)).Relu() }
func (b *Block) Parameters() []*ag.Tensor         { return nn.Parameters(b) }

type Net struct {
	Scale  *ag.Tensor
	blocks []*Block
	pool   *nn.MaxPool2d
	drop   *nn.Dropout
	fc1    *nn.Linear
	Head   nn.Module
}

func (n *Net) Forward(x *ag.Tensor) *ag.Tensor {
	for _, b := range n.blocks {
		x = b.Forward(x)
	}
	x = n.drop.Forward(n.pool.Forward(x).Flatten().Reshape(x.Size(0), -1))
	return n.Head.Forward(n.fc1.Forward(x).Mul(n.Scale).Reshape(x.Size(0), 3, 1, 1))
}
func (n *Net) Parameters() []*ag.Tensor { return nn.Parameters(n) }

func newNet() *Net {
	return &Net{
		Scale:  nn.Param(ag.Ones(1)),
		blocks: []*Block{{conv: nn.NewConv2d(1, 4, 3).WithPadding(1), bn: nn.NewBatchNorm2d(4)}},
		pool:   nn.NewMaxPool2d(2),
		drop:   nn.NewDropout(0.5),
		fc1:    nn.NewLinear(4*4*4, 3),
		Head:   &Block{conv: nn.NewConv2d(3, 2, 1), bn: nn.NewBatchNorm2d(2)},
	}
}
net := newNet()
`
	names := "scale [1]\nblocks.0.conv.weight [4 1 3 3]\nblocks.0.conv.bias [4]\nblocks.0.bn.weight [4]\nblocks.0.bn.bias [4]\n" +
		"fc1.weight [3 64]\nfc1.bias [3]\nhead.conv.weight [2 3 1 1]\nhead.conv.bias [2]\nhead.bn.weight [2]\nhead.bn.bias [2]\n"
	runScenarios(t, []scenario{
		{"a cell's module: names, modes, summary, training, safetensors", []step{
			{code: define},
			{code: "for _, p := range nn.NamedParameters(net) { fmt.Println(p.Name, p.Tensor.Shape()) }", out: names},
			{code: "len(net.Parameters())", value: "11"},
			{code: "for _, b := range nn.NamedBuffers(net) { fmt.Println(b.Name) }", out: "blocks.0.bn.running_mean\nblocks.0.bn.running_var\nblocks.0.bn.num_batches_tracked\nhead.bn.running_mean\n"},
			{code: "nn.Eval(net)\nfmt.Println(net.blocks[0].training, net.drop.IsTraining(), net.blocks[0].bn.IsTraining(), net.Head.(*Block).bn.IsTraining())", out: "false false false false\n"},
			{code: "nn.Train(net)\nfmt.Println(net.blocks[0].training, net.drop.IsTraining(), net.fc1.IsTraining(), net.Head.(*Block).training)", out: "true true true true\n"},
			{code: "s := nn.Summary(net)\nfmt.Println(strings.Contains(s, \"(blocks): ModuleList\"), strings.Contains(s, \"  (0): Module\"), strings.Contains(s, \"(conv): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\"), strings.Contains(s, \"total parameters: 256\"))", out: "true true true true\n"},
			{code: `x := ag.Randn(5, 1, 8, 8)
y := ag.FromInts([]int{0, 1, 2, 1, 0})
opt := optim.NewSGD(net.Parameters(), 0.1)
var first, last float64
for i := 0; i < 5; i++ {
	loss := nn.CrossEntropy(net.Forward(x).Reshape(5, -1).Narrow(1, 0, 2), y.ClampMax(1))
	opt.ZeroGrad()
	loss.Backward()
	opt.Step()
	if i == 0 { first = loss.Item() }
	last = loss.Item()
}
fmt.Println(last < first, net.blocks[0].bn.NumBatchesTracked.Item())`, out: "true 5\n"},
			{code: `path := os.TempDir() + "/gradlab_cell_net.safetensors"
fmt.Println(nn.Save(net, path))
net2 := newNet()
fmt.Println(nn.Load(net2, path))
nn.Eval(net)
nn.Eval(net2)
net.Forward(x).Sub(net2.Forward(x)).Abs().Max().Item()`, out: "<nil>\n<nil>\n", value: "0"},
			{code: "seq := nn.NewSequential([]nn.Module{net.blocks[0], nn.NewFlatten()})\nfmt.Println(nn.NamedParameters(seq)[0].Name, len(nn.StateDict(seq)))", out: "0.conv.weight 7\n"},
			{code: "os.WriteFile(path, []byte(\"garbage!\"), 0o644)\nfmt.Println(nn.Load(net2, path))", out: "safetensors: header length"},
			{code: "net.blocks[0].conv.Forward(ag.Zeros(2, 3, 8, 8))", err: "Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)): expected input [N, 1, H, W], got shape [2 3 8 8]"},
			{code: "net.Forward(x).Shape()", value: "[5 2 1 1]"},
		}},
	})
}

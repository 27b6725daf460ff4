package interp

import (
	"strings"
	"testing"
)

// Cells using the integer dtype, the new ops and losses through the
// interpreter; a tensor too large for the machine is a cell error and the
// session goes on (it used to end the process with the runtime's fatal
// out-of-memory error).
func TestTensorDtypeCells(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, "x := ag.Zeros(1000000, 1000000)")
	if o.res.Err == nil || !strings.Contains(o.res.Err.Error(), "Zeros: a float32 tensor of shape [1000000 1000000] needs 3.64 TiB") {
		t.Fatalf("huge Zeros: %v", o.res.Err)
	}
	cells := []struct{ code, want string }{
		{"y := ag.FromInts([]int{1, 2, 3})\ny", "tensor([1, 2, 3])"},
		{"y.Gt(ag.Scalar(1.5))", "tensor([False,  True,  True])"},
		{"ag.New([]float64{0, 2.7}).Bool()", "tensor([False,  True])"},
		{"ag.New([]float64{-1.5, 2.7}).Long()", "tensor([-1,  2])"},
		{"ag.ZerosOf(ag.Bool, 2).DType()", "bool"},
		{"ag.New([]float64{1, 9, 3, 4, 0, 7}, 2, 3).ArgmaxDim(1, false)", "tensor([1, 2])"},
		{"v, i := ag.New([]float64{3, 1, 2}).Topk(2, 0, true)\ni", "tensor([0, 2])"},
		{"pix := make([]byte, 784*10)\nag.FromUint8(pix, 10, 28, 28).Shape()", "[10 28 28]"},
		{"ce := nn.NewCrossEntropyLoss().SetIgnoreIndex(0).SetLabelSmoothing(0.1)\nce.Forward(ag.Zeros(2, 4), ag.FromInts([]int{0, 3})).Item()", "1.386"},
	}
	for i, c := range cells {
		o := run(t, s, i+2, c.code)
		if o.res.Err != nil || !strings.Contains(o.value(), c.want) {
			t.Errorf("cell %q: %v %q, want %q", c.code, o.res.Err, o.value(), c.want)
		}
	}
	o = run(t, s, 20, "nn.CrossEntropy(ag.Zeros(2, 4), ag.New([]float64{1, 1.5}))")
	if o.res.Err == nil || !strings.Contains(o.res.Err.Error(), "target 1.5 (element 1) is not a class index") {
		t.Errorf("fractional target: %v", o.res.Err)
	}
	o = run(t, s, 21, "ag.FromInts([]int{1}).SetRequiresGrad(true)")
	if o.res.Err == nil || !strings.Contains(o.res.Err.Error(), "only floating point tensors can require gradients") {
		t.Errorf("int requires grad: %v", o.res.Err)
	}
}

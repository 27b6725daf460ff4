package autograd

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
)

// The cases of testdata/torch_ref.json (made by testdata/gen_torch_ref.py
// with Debian's python3-torch) run here on the same inputs: outputs,
// indices and the gradients of sum(output * w) must match PyTorch's.

type refTensor struct {
	Shape []int  `json:"shape"`
	DType string `json:"dtype"`
	Data  []any  `json:"data"`
}

func (r *refTensor) tensor() *Tensor {
	switch r.DType {
	case "bool":
		b := make([]bool, len(r.Data))
		for i, v := range r.Data {
			b[i] = v.(bool)
		}
		return FromBools(b, r.Shape...).Reshape(r.Shape...)
	case "int64":
		v := make([]int64, len(r.Data))
		for i, x := range r.Data {
			v[i] = int64(x.(float64))
		}
		return FromInt64s(v, r.Shape...).Reshape(r.Shape...)
	}
	v := make([]float64, len(r.Data))
	for i, x := range r.Data {
		v[i] = x.(float64)
	}
	return New64(v, r.Shape...).Reshape(r.Shape...)
}

type refCase struct {
	Name    string         `json:"name"`
	Params  map[string]any `json:"params"`
	Inputs  []*refTensor   `json:"inputs"`
	Outputs []*refTensor   `json:"outputs"`
	W       *refTensor     `json:"w"`
	Grads   []*refTensor   `json:"grads"`
}

type torchRef struct {
	Cases []refCase `json:"cases"`
	Reprs []struct {
		T    *refTensor `json:"t"`
		Repr string     `json:"repr"`
	} `json:"reprs"`
	Promotion []struct {
		A      string `json:"a"`
		ADim   int    `json:"adim"`
		B      string `json:"b"`
		BDim   int    `json:"bdim"`
		Result string `json:"result"`
	} `json:"promotion"`
	Chunks []struct {
		N      int   `json:"n"`
		Chunks int   `json:"chunks"`
		Sizes  []int `json:"sizes"`
	} `json:"chunks"`
}

func loadTorchRef(t *testing.T) *torchRef {
	b, err := os.ReadFile("testdata/torch_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var r torchRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func pInt(p map[string]any, k string) int     { return int(p[k].(float64)) }
func pStr(p map[string]any, k string) string  { return p[k].(string) }
func pBool(p map[string]any, k string) bool   { return p[k].(bool) }
func pF64(p map[string]any, k string) float64 { return p[k].(float64) }

// runRef applies case c's op to xs (gradient-tracked float inputs).
func runRef(c refCase, xs []*Tensor) []*Tensor {
	p := c.Params
	one := func(t *Tensor) []*Tensor { return []*Tensor{t} }
	two := func(a, b *Tensor) []*Tensor { return []*Tensor{a, b} }
	var weight *Tensor
	if len(xs) > 2 {
		weight = xs[2]
	}
	switch c.Name {
	case "Gather":
		return one(xs[0].Gather(pInt(p, "dim"), xs[1]))
	case "Scatter":
		return one(xs[0].Scatter(pInt(p, "dim"), xs[1], xs[2]))
	case "ScatterAdd":
		return one(xs[0].ScatterAdd(pInt(p, "dim"), xs[1], xs[2]))
	case "MaskedSelect":
		return one(xs[0].MaskedSelect(xs[1]))
	case "MaskedFill":
		return one(xs[0].MaskedFill(xs[1], pF64(p, "value")))
	case "Sort":
		return two(xs[0].Sort(pInt(p, "dim"), pBool(p, "descending")))
	case "Topk":
		return two(xs[0].Topk(pInt(p, "k"), pInt(p, "dim"), pBool(p, "largest")))
	case "Repeat":
		var reps []int
		for _, r := range p["reps"].([]any) {
			reps = append(reps, int(r.(float64)))
		}
		return one(xs[0].Repeat(reps...))
	case "Log1p":
		return one(xs[0].Log1p())
	case "Expm1":
		return one(xs[0].Expm1())
	case "IndexBy":
		return one(xs[0].IndexBy(xs[1]))
	case "FlattenDims":
		return one(xs[0].FlattenDims(pInt(p, "start"), pInt(p, "end")))
	case "NLLLoss":
		return one(NLLLoss(xs[0], xs[1], weight, pInt(p, "ignore_index"), pStr(p, "reduction")))
	case "CrossEntropy":
		return one(CrossEntropyLoss(xs[0], xs[1], weight, pInt(p, "ignore_index"), pF64(p, "label_smoothing"), pStr(p, "reduction")))
	}
	panic("unknown reference op " + c.Name)
}

func sameValues(got *Tensor, want *refTensor, tol float64) error {
	if !slices.Equal(got.Shape(), want.Shape) {
		return fmt.Errorf("shape %v, want %v", got.Shape(), want.Shape)
	}
	if got.DType().String() != want.DType {
		return fmt.Errorf("dtype %v, want %v", got.DType(), want.DType)
	}
	w := want.tensor().Float64s()
	for i, v := range got.Float64s() {
		if math.Abs(v-w[i]) > tol*(1+math.Abs(w[i])) || math.IsNaN(v) != math.IsNaN(w[i]) {
			return fmt.Errorf("element %d: %v, want %v", i, v, w[i])
		}
	}
	return nil
}

func TestAgainstTorch(t *testing.T) {
	ref := loadTorchRef(t)
	if len(ref.Cases) < 30 {
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	for k, c := range ref.Cases {
		name := fmt.Sprintf("%d_%s_%v", k, c.Name, c.Params)
		xs := make([]*Tensor, len(c.Inputs))
		for i, in := range c.Inputs {
			xs[i] = in.tensor()
			if c.Grads[i] != nil {
				xs[i].SetRequiresGrad(true)
			}
		}
		outs := runRef(c, xs)
		for i, o := range outs {
			if err := sameValues(o, c.Outputs[i], 1e-12); err != nil {
				t.Errorf("%s: output %d: %v", name, i, err)
			}
		}
		outs[0].Mul(c.W.tensor()).Sum().Backward()
		for i, g := range c.Grads {
			if g == nil {
				continue
			}
			if xs[i].Grad() == nil {
				t.Errorf("%s: input %d got no gradient", name, i)
				continue
			}
			if err := sameValues(xs[i].Grad(), g, 1e-12); err != nil {
				t.Errorf("%s: gradient of input %d: %v", name, i, err)
			}
		}
	}
}

func TestReprAgainstTorch(t *testing.T) {
	for _, r := range loadTorchRef(t).Reprs {
		if got := r.T.tensor().String(); got != r.Repr {
			t.Errorf("got\n%s\nwant (torch)\n%s", got, r.Repr)
		}
	}
}

func TestPromotionAgainstTorch(t *testing.T) {
	dts := map[string]DType{"float32": Float32, "float64": Float64, "int64": Int64, "bool": Bool}
	mk := func(dt string, dim int) *Tensor {
		if dim == 0 {
			return ZerosOf(dts[dt])
		}
		return ZerosOf(dts[dt], 2)
	}
	ref := loadTorchRef(t)
	if len(ref.Promotion) != 64 {
		t.Fatalf("%d promotion cases", len(ref.Promotion))
	}
	for _, p := range ref.Promotion {
		a, b := mk(p.A, p.ADim), mk(p.B, p.BDim)
		if got := ResultType(a, b); got.String() != p.Result {
			t.Errorf("ResultType(%s %d-d, %s %d-d) = %v, torch %s", p.A, p.ADim, p.B, p.BDim, got, p.Result)
		}
		// arithmetic follows it (bool arithmetic computes in int64)
		want := p.Result
		if want == "bool" {
			want = "int64"
		}
		if got := a.Add(b).DType(); got.String() != want {
			t.Errorf("%s %d-d + %s %d-d is %v, want %s", p.A, p.ADim, p.B, p.BDim, got, want)
		}
	}
}

func TestChunkAgainstTorch(t *testing.T) {
	for _, c := range loadTorchRef(t).Chunks {
		var sizes []int
		for _, p := range Zeros(c.N).Chunk(c.Chunks, 0) {
			sizes = append(sizes, p.Size(0))
		}
		if !slices.Equal(sizes, c.Sizes) {
			t.Errorf("Chunk(%d) of %d: sizes %v, torch %v", c.Chunks, c.N, sizes, c.Sizes)
		}
	}
}

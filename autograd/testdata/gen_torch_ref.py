"""Reference data for autograd's dtype, indexing and loss tests.

Run with Debian's python3-torch (1.13):

    /usr/bin/python3 autograd/testdata/gen_torch_ref.py > autograd/testdata/torch_ref.json

Each case gives the inputs (float64 values as lists with their shapes), the
op's outputs, and, for differentiable ops, the gradients of
sum(output * w) for the random weights w it also stores. torch_ref_test.go
runs the same ops on the same inputs.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(12)
torch.set_default_dtype(torch.float64)
cases = []


def enc(t):
    if t is None:
        return None
    t = t.detach()
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "data": t.flatten().tolist() if t.dtype != torch.bool else [bool(v) for v in t.flatten().tolist()]}


def diff(name, f, inputs, grad_of=None, **params):
    """A differentiable op: f(*inputs) -> tensor or tuple (the first is
    differentiated) with respect to the inputs grad_of (default: the float ones)."""
    xs = [x.clone().requires_grad_(x.is_floating_point() and (grad_of is None or k in grad_of))
          for k, x in enumerate(inputs)]
    out = f(*xs)
    outs = out if isinstance(out, tuple) else (out,)
    w = torch.randn(outs[0].shape)
    (outs[0] * w).sum().backward()
    cases.append({"name": name, "params": params,
                  "inputs": [enc(x) for x in inputs],
                  "outputs": [enc(o) for o in outs],
                  "w": enc(w),
                  "grads": [enc(x.grad) if x.requires_grad else None for x in xs]})


x = torch.randn(3, 4)
diff("Gather", lambda x, i: x.gather(1, i), [x, torch.tensor([[0, 3], [2, 2], [1, 0]])], dim=1)
diff("Gather", lambda x, i: x.gather(0, i), [torch.randn(4, 3), torch.tensor([[3, 0, 1], [0, 0, 2]])], dim=0)
diff("Scatter", lambda x, i, s: x.scatter(1, i, s),
     [torch.randn(3, 5), torch.tensor([[4, 0], [1, 2], [3, 1]]), torch.randn(3, 2)], dim=1)
diff("ScatterAdd", lambda x, i, s: x.scatter_add(0, i, s),
     [torch.randn(3, 4), torch.tensor([[0, 1, 2, 0], [0, 1, 1, 2]]), torch.randn(2, 4)], dim=0)
diff("MaskedSelect", lambda x, m: x.masked_select(m), [torch.randn(3, 4), torch.tensor([True, False, True, True])])
diff("MaskedFill", lambda x, m: x.masked_fill(m, -1.5), [torch.randn(2, 3), torch.tensor([[True, False, False], [False, True, True]])], value=-1.5)
for desc in (False, True):
    diff("Sort", lambda x: x.sort(dim=1, descending=desc, stable=True), [torch.randn(3, 5)], dim=1, descending=desc)
diff("Sort", lambda x: x.sort(dim=0, stable=True), [torch.randn(4, 2, 3)], dim=0, descending=False)
for largest in (True, False):
    diff("Topk", lambda x: x.topk(2, dim=0, largest=largest), [torch.randn(5, 3)], k=2, dim=0, largest=largest)
diff("Topk", lambda x: x.topk(3, dim=-1), [torch.randn(2, 6)], k=3, dim=-1, largest=True)
diff("Repeat", lambda x: x.repeat(2, 1, 2), [torch.randn(2, 3)], reps=[2, 1, 2])
diff("Log1p", lambda x: x.log1p(), [torch.rand(2, 3) * 3 - 0.9])
diff("Expm1", lambda x: x.expm1(), [torch.randn(2, 3)])
diff("IndexBy", lambda x, i: x[i], [torch.randn(4, 3), torch.tensor([[3, 0], [-1, 1]])])
diff("IndexBy", lambda x, m: x[m], [torch.randn(4, 3), torch.tensor([True, False, True, True])])
diff("FlattenDims", lambda x: x.flatten(1, 2), [torch.randn(2, 3, 2, 2)], start=1, end=2)

# losses: class-index targets with weight, ignore_index, label smoothing
logits = torch.randn(6, 5)
target = torch.tensor([1, 0, 4, 2, 2, 3])
weight = torch.rand(5) + 0.5
for red in ("mean", "sum", "none"):
    diff("NLLLoss", lambda lp, t, w: F.nll_loss(lp, t, weight=w, ignore_index=2, reduction=red),
         [F.log_softmax(logits, 1), target, weight], grad_of=[0], reduction=red, ignore_index=2)
    for ls in (0.0, 0.2):
        diff("CrossEntropy", lambda z, t, w: F.cross_entropy(z, t, weight=w, ignore_index=2, reduction=red, label_smoothing=ls),
             [logits, target, weight], grad_of=[0], reduction=red, ignore_index=2, label_smoothing=ls)
        diff("CrossEntropy", lambda z, t: F.cross_entropy(z, t, reduction=red, label_smoothing=ls),
             [logits, target], reduction=red, ignore_index=-100, label_smoothing=ls)
# class probabilities
probs = torch.softmax(torch.randn(6, 5), 1)
for red in ("mean", "sum", "none"):
    for ls in (0.0, 0.2):
        diff("CrossEntropy", lambda z, p, w: F.cross_entropy(z, p, weight=w, reduction=red, label_smoothing=ls),
             [logits, probs, weight], grad_of=[0], reduction=red, ignore_index=-100, label_smoothing=ls)
# spatial: logits [N, C, d], targets [N, d]
diff("CrossEntropy", lambda z, t, w: F.cross_entropy(z, t, weight=w, ignore_index=0, label_smoothing=0.1),
     [torch.randn(2, 3, 4), torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]]), torch.rand(3) + 0.5],
     grad_of=[0], reduction="mean", ignore_index=0, label_smoothing=0.1)

# printing
reprs = []
for t in [torch.tensor([1, 2, 3]), torch.tensor([-1, 20, 300]), torch.tensor([True, False, True]),
          torch.tensor([[1, 2], [30, -4]]), torch.tensor(7), torch.tensor(True), torch.tensor([], dtype=torch.int64),
          torch.tensor([], dtype=torch.bool), torch.arange(2000), torch.arange(12).reshape(3, 4) > 5,
          torch.tensor([10**12, -3])]:
    reprs.append({"t": enc(t), "repr": repr(t).replace("torch.", "")})

# type promotion: (dtype, dims) pairs -> torch.result_type
dts = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}
promo = []
for a in dts:
    for b in dts:
        for da in (0, 1):
            for db in (0, 1):
                ta = torch.zeros([2] * da, dtype=dts[a])
                tb = torch.zeros([2] * db, dtype=dts[b])
                promo.append({"a": a, "adim": da, "b": b, "bdim": db,
                              "result": str(torch.result_type(ta, tb)).replace("torch.", "")})

chunks = []
for n, c in [(5, 3), (6, 4), (7, 7), (2, 5)]:
    chunks.append({"n": n, "chunks": c, "sizes": [p.shape[0] for p in torch.zeros(n).chunk(c)]})

print(json.dumps({"source": "autograd/testdata/gen_torch_ref.py, torch " + torch.__version__,
                  "cases": cases, "reprs": reprs, "promotion": promo, "chunks": chunks}))

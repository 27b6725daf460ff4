#!/usr/bin/python3
"""Writes torch_layers.safetensors, the PyTorch side of nn's layer tests (torch_test.go): for each case,
its inputs, parameters, output and the gradients of sum(output * r) for a random r; and the 20 SGD steps
of a small CNN (two conv+pool blocks, dropout in eval mode, a linear head): its initial weights, the
batches, the loss of every step and the final weights. All float32.

usage (from autograd/nn): /usr/bin/python3 testdata/torch_layers.py   (Debian's python3-torch 1.13)"""
import json, struct
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(12)
out = {}


def save(path, tensors):
    """A minimal safetensors writer (Debian has no safetensors package)."""
    header, blobs, pos = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().contiguous().numpy().tobytes()
        dt = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64', torch.bool: 'BOOL'}[t.dtype]
        header[name] = {'dtype': dt, 'shape': list(t.shape), 'data_offsets': [pos, pos + len(b)]}
        blobs.append(b)
        pos += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def case(name, module, x, randomize=True, index_input=False):
    if randomize:
        with torch.no_grad():
            for p in module.parameters():
                p.copy_(torch.randn_like(p) * 0.5 + (1 if p.dim() == 1 and 'norm' in type(module).__name__.lower() else 0))
    for k, v in module.state_dict().items():
        out[f'{name}.{k}'] = v.clone()
    out[f'{name}.x'] = x.clone()
    if not index_input:
        x = x.clone().requires_grad_(True)
    y = module(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    out[f'{name}.out'], out[f'{name}.r'] = y.detach(), r
    if not index_input:
        out[f'{name}.grad.x'] = x.grad
    for k, p in module.named_parameters():
        out[f'{name}.grad.{k}'] = p.grad
    for k, v in module.state_dict().items():  # buffers after the forward (running statistics)
        if k.startswith('running'):
            out[f'{name}.after.{k}'] = v.clone()
    return module


case('conv_a', nn.Conv2d(3, 4, 3, stride=2, padding=1), torch.randn(2, 3, 7, 6))
case('conv_g', nn.Conv2d(4, 6, 3, padding=2, dilation=2, groups=2), torch.randn(2, 4, 9, 9))
case('conv_nb', nn.Conv2d(2, 3, (2, 3), stride=(1, 2), bias=False), torch.randn(3, 2, 6, 7))
case('maxpool', nn.MaxPool2d(3, stride=2, padding=1), torch.randn(2, 3, 7, 8))
case('avgpool', nn.AvgPool2d(3, stride=2, padding=1), torch.randn(2, 3, 7, 8))
case('adaptive', nn.AdaptiveAvgPool2d((3, 2)), torch.randn(2, 2, 7, 5))
bn = case('bn2d', nn.BatchNorm2d(3), torch.randn(4, 3, 5, 5) * 2 + 1)
bn.eval()
xe = torch.randn(2, 3, 5, 5)
out['bn2d.eval.x'], out['bn2d.eval.out'] = xe, bn(xe).detach()
case('bn1d', nn.BatchNorm1d(5), torch.randn(6, 5) * 3 - 1)
case('bn1d3', nn.BatchNorm1d(4), torch.randn(3, 4, 6))
case('layernorm', nn.LayerNorm([4, 5]), torch.randn(3, 4, 5))
emb = nn.Embedding(10, 4, padding_idx=2)
with torch.no_grad():
    emb.weight.copy_(torch.randn(10, 4))  # the padding row too: its value passes, its gradient does not
case('embedding', emb, torch.tensor([[1, 2, 3], [2, 9, 0]]), randomize=False, index_input=True)
case('leaky', nn.LeakyReLU(0.1), torch.randn(3, 5))
case('gelu', nn.GELU(), torch.randn(3, 5) * 2)
case('gelu_tanh', nn.GELU(approximate='tanh'), torch.randn(3, 5) * 2)
case('softmax', nn.Softmax(dim=1), torch.randn(3, 5))
case('logsoftmax', nn.LogSoftmax(dim=0), torch.randn(3, 5))
case('flatten', nn.Flatten(), torch.randn(2, 3, 2, 2))

# losses: mean-reduced; gradients for the input and the target
for name, fn in [('bce_logits', lambda x, y: F.binary_cross_entropy_with_logits(x, y)),
                 ('bce_logits_pw', lambda x, y: F.binary_cross_entropy_with_logits(x, y, pos_weight=torch.tensor([0.5, 2.0, 3.0, 1.0]))),
                 ('huber', lambda x, y: F.huber_loss(x, y, delta=0.5)),
                 ('smoothl1', lambda x, y: F.smooth_l1_loss(x, y, beta=0.5))]:
    x = (torch.randn(3, 4) * 2).requires_grad_(True)
    y = torch.rand(3, 4) if name.startswith('bce') else torch.randn(3, 4)
    y.requires_grad_(True)
    l = fn(x, y)
    l.backward()
    out[f'{name}.x'], out[f'{name}.y'], out[f'{name}.out'] = x.detach(), y.detach(), l.detach()
    out[f'{name}.grad.x'], out[f'{name}.grad.y'] = x.grad, y.grad

# clip_grad_norm_ on two gradients
a, b = torch.randn(3, 4, requires_grad=True), torch.randn(5, requires_grad=True)
a.grad, b.grad = torch.randn(3, 4) * 3, torch.randn(5) * 3
out['clip.a'], out['clip.b'] = a.grad.clone(), b.grad.clone()
norm = torch.nn.utils.clip_grad_norm_([a, b], 1.5)
out['clip.norm'], out['clip.ga'], out['clip.gb'] = norm.reshape(1), a.grad, b.grad

# the CNN: 20 SGD steps (momentum 0.9) over 4 batches of 16, dropout in eval mode
cnn = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Dropout(0.25), nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
cnn[6].eval()
for k, v in cnn.state_dict().items():
    out[f'cnn.init.{k}'] = v.clone()
save('cnn_init.safetensors', cnn.state_dict())  # the other way round: PyTorch's file into gradlab
xs, ys = torch.randn(4, 16, 1, 28, 28), torch.randint(0, 10, (4, 16))
out['cnn.xs'], out['cnn.ys'] = xs, ys
opt = torch.optim.SGD(cnn.parameters(), lr=0.05, momentum=0.9)
losses = []
for step in range(20):
    loss = F.cross_entropy(cnn(xs[step % 4]), ys[step % 4])
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
out['cnn.losses'] = torch.tensor(losses)
for k, v in cnn.state_dict().items():
    out[f'cnn.final.{k}'] = v.clone()
save('torch_layers.safetensors', out)
print(len(out), 'tensors; CNN losses', [round(l, 4) for l in losses[:3]], '...', round(losses[-1], 4))

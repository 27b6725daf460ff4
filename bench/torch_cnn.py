#!/usr/bin/python3
"""Side-by-side: one training step of the notebook's Fashion-MNIST CNN (conv 1->32 3x3, ReLU, max-pool 2,
conv 32->64 3x3, ReLU, max-pool 2, dropout 0.25, linear 1600->10; cross-entropy; SGD) at batch 64, in
PyTorch (Debian python3-torch) with 1 and 2 threads, alternating with gradlab's BenchmarkCNNStep
(go test -bench, ./autograd/nn) in the same run.

usage: /usr/bin/python3 bench/torch_cnn.py [--reps 3] [--steps 30]   (from the repository root)"""
import argparse, re, statistics, subprocess, time
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--steps', type=int, default=30)
args = ap.parse_args()


def torch_step(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 5 * 5, 10))
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(5):  # warm-up
        loss = loss_fn(m(x), y); opt.zero_grad(); loss.backward(); opt.step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = loss_fn(m(x), y); opt.zero_grad(); loss.backward(); opt.step()
    return (time.perf_counter() - t0) / args.steps


def go_step():
    out = subprocess.run(['go', 'test', './autograd/nn/', '-run', 'XXX', '-bench', 'BenchmarkCNNStep$',
                          '-benchtime', f'{args.steps}x', '-count', '1'], capture_output=True, text=True, check=True).stdout
    return float(re.search(r'BenchmarkCNNStep\S*\s+\d+\s+([\d.]+) ns/op', out).group(1)) / 1e9


subprocess.run(['go', 'test', '-c', '-o', '/dev/null', './autograd/nn/'], check=True)  # build once up front
res = {'torch 1 thread': [], 'torch 2 threads': [], 'gradlab': []}
for _ in range(args.reps):
    res['gradlab'].append(go_step())
    res['torch 1 thread'].append(torch_step(1))
    res['torch 2 threads'].append(torch_step(2))
g = statistics.median(res['gradlab'])
print(f'torch {torch.__version__}, {args.steps} steps per run, median of {args.reps} runs (min in brackets)')
for k, v in res.items():
    med = statistics.median(v)
    print(f'{k:16s} {med*1e3:8.2f} ms/step [{min(v)*1e3:7.2f}]   torch/gradlab {med/g:5.2f}x')

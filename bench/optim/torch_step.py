#!/usr/bin/python3
"""Time torch.optim's step on 1,000,000 float32 parameters, the size optim's Go benchmarks use
(BenchmarkSGDMomentumStep1M, BenchmarkAdamStep1M, ...). Same data pattern, gradient set once.
usage: /usr/bin/python3 bench/optim/torch_step.py [--steps 200] [--reps 5]"""
import argparse
import statistics
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument('--steps', type=int, default=200)
ap.add_argument('--reps', type=int, default=5)
args = ap.parse_args()

N = 1_000_000
i = torch.arange(N)
init = ((i % 1000).float() / 1000 - 0.5)
grad = ((i % 777).float() / 777 - 0.3)

CASES = [
    ('SGD momentum=0.9', lambda p, fe: torch.optim.SGD([p], lr=1e-3, momentum=0.9, foreach=fe)),
    ('SGD momentum=0.9 nesterov', lambda p, fe: torch.optim.SGD([p], lr=1e-3, momentum=0.9, nesterov=True, foreach=fe)),
    ('Adam', lambda p, fe: torch.optim.Adam([p], lr=1e-3, foreach=fe)),
    ('AdamW', lambda p, fe: torch.optim.AdamW([p], lr=1e-3, foreach=fe)),
    ('RMSprop', lambda p, fe: torch.optim.RMSprop([p], lr=1e-3, foreach=fe)),
    ('Adagrad', lambda p, fe: torch.optim.Adagrad([p], lr=1e-3, foreach=fe)),
    ('Adadelta', lambda p, fe: torch.optim.Adadelta([p], lr=1.0, foreach=fe)),
]

print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, {N} float32 parameters, '
      f'{args.steps} steps x {args.reps} reps; median per step')
for name, mk in CASES:
    for foreach in (False, True):  # False is 1.13's default (single-tensor loops)
        p = torch.nn.Parameter(init.clone())
        p.grad = grad.clone()
        opt = mk(p, foreach)
        opt.step()  # state allocated outside the timing
        per = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            for _ in range(args.steps):
                opt.step()
            per.append((time.perf_counter() - t0) / args.steps)
        print(f'{name:28s} foreach={str(foreach):5s} {1e3 * statistics.median(per):7.3f} ms/step '
              f'(min {1e3 * min(per):.3f})')

# Per-call overhead on seed 004's MLP (Linear(2, 8), Linear(8, 1)): what the tutorials pay per batch.
shapes = [(8, 2), (8,), (1, 8), (1,)]
for name, mk in (('SGD small MLP', lambda ps: torch.optim.SGD(ps, lr=0.01)),
                 ('Adam small MLP', lambda ps: torch.optim.Adam(ps, lr=0.01))):
    ps = []
    for sh in shapes:
        p = torch.nn.Parameter(torch.randn(sh))
        p.grad = torch.randn(sh)
        ps.append(p)
    opt = mk(ps)
    opt.step()
    per = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        for _ in range(2000):
            opt.step()
        per.append((time.perf_counter() - t0) / 2000)
    print(f'{name:28s} foreach=False {1e6 * statistics.median(per):7.1f} us/step (min {1e6 * min(per):.1f})')

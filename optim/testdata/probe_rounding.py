#!/usr/bin/python3
"""How PyTorch 1.13's CPU kernels round the ops torch.optim uses, the facts optim/kernels.go is built on.

For float32 and float64, on a size that takes ATen's vectorised path (1000) and one that runs only its
scalar tail (15), print the fraction of elements where torch's result equals each candidate formula:
  a.add(b, alpha=s)          fused: fma(b, s, a)           unfused: a + round(s*b)
  a.addcmul(t1, t2, value=v) fused: fma(round(v*t1), t2, a)  unfused: a + round(round(v*t1)*t2)
  a.addcdiv(t1, t2, value=v) a + round(round(v*t1)/t2)
  x / s (Python float)       x / round(s)                  (not x * round(1/s))
A fraction of 1.0 for exactly one candidate settles it. Exact references use fractions.Fraction.
usage: /usr/bin/python3 optim/testdata/probe_rounding.py"""
from fractions import Fraction as F

import numpy as np
import torch

torch.manual_seed(2)


def f32(x):
    return float(np.float32(x))


def rnd(x, dt):
    return f32(x) if dt == torch.float32 else float(x)


def exact(expr, dt):
    return rnd(float(expr), dt) if dt == torch.float64 else f32(float(expr))  # one rounding from exact


def share(got, want):
    return sum(float(a) == float(b) for a, b in zip(got, want)) / len(got)


alpha, value, s = -0.0123456789, 0.001234567, 0.9994998749
for dt in (torch.float32, torch.float64):
    for n, reps in ((1000, 1), (15, 60)):  # the tail case repeats on fresh 15-element tensors
        got = {k: [] for k in ('add', 'cm', 'cd', 'dv')}
        want = {k: [] for k in ('add_f', 'add_u', 'cm_f', 'cm_u', 'cd', 'dv', 'dv_r')}
        for _ in range(reps):
            a, b = torch.randn(n, dtype=dt), torch.randn(n, dtype=dt)
            c = torch.rand(n, dtype=dt) + 0.1
            A, B, C = a.tolist(), b.tolist(), c.tolist()
            al, v, sc = rnd(alpha, dt), rnd(value, dt), rnd(s, dt)
            got['add'] += a.add(b, alpha=alpha).tolist()
            got['cm'] += a.clone().addcmul_(b, c, value=value).tolist()
            got['cd'] += a.clone().addcdiv_(b, c, value=value).tolist()
            got['dv'] += (c / s).tolist()
            # fused: one rounding of the exact value
            want['add_f'] += [exact(F(y) * F(al) + F(x), dt) for x, y in zip(A, B)]
            want['add_u'] += [rnd(x + rnd(al * y, dt), dt) for x, y in zip(A, B)]
            want['cm_f'] += [exact(F(rnd(v * y, dt)) * F(z) + F(x), dt) for x, y, z in zip(A, B, C)]
            want['cm_u'] += [rnd(x + rnd(rnd(v * y, dt) * z, dt), dt) for x, y, z in zip(A, B, C)]
            want['cd'] += [rnd(x + rnd(rnd(v * y, dt) / z, dt), dt) for x, y, z in zip(A, B, C)]
            want['dv'] += [rnd(x / sc, dt) for x in C]
            want['dv_r'] += [rnd(x * rnd(1 / s, dt), dt) for x in C]
        print(f'{str(dt):14s} n={n:4d}x{reps:<2d} add fused {share(got["add"], want["add_f"]):.3f} '
              f'unfused {share(got["add"], want["add_u"]):.3f} | '
              f'addcmul fused {share(got["cm"], want["cm_f"]):.3f} unfused {share(got["cm"], want["cm_u"]):.3f} | '
              f'addcdiv {share(got["cd"], want["cd"]):.3f} | '
              f'div by scalar {share(got["dv"], want["dv"]):.3f} (reciprocal {share(got["dv"], want["dv_r"]):.3f})')
print(torch.__config__.show().split('CPU capability usage:')[1].split('\n')[0].strip(), 'kernels')

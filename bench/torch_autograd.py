#!/usr/bin/python3
"""Side-by-side: the three autograd workloads of issue 4 in PyTorch (Debian python3-torch)
and in gradlab's Go autograd (go test -bench ./bench/autograd), alternating in the same run.

usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/torch_autograd.py [--reps 3] [--quick] [--only scalar,small,large]
       [--go-tags openblas]
Run from the repository root. Prints one table: per-step time (median of reps, min in brackets),
allocations per step for Go, and the ratio torch/Go."""
import argparse, os, re, statistics, subprocess, sys, time
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--quick', action='store_true', help='fewer iterations (smoke test)')
ap.add_argument('--only', default='', help='comma-separated subset: scalar,small,large')
ap.add_argument('--go-tags', default='', help='build tags for the Go side, e.g. openblas')
args = ap.parse_args()
Q = 10 if args.quick else 1


def scalar_loop(n):
    a = torch.tensor(0.5, requires_grad=True)
    c = torch.tensor(-0.3, requires_grad=True)
    x, t = torch.tensor(1.5), torch.tensor(2.0)
    t0 = time.perf_counter()
    for _ in range(n):
        loss = (a * x + c - t).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            a -= 0.01 * a.grad
            c -= 0.01 * c.grad
        a.grad.zero_()
        c.grad.zero_()
    return (time.perf_counter() - t0) / n


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def sgd_steps(m, x, y, loss_fn, lr, n):
    """Seconds per full-batch SGD step (forward, loss, backward, step), over n steps."""
    opt = torch.optim.SGD(m.parameters(), lr=lr)
    t0 = time.perf_counter()
    for _ in range(n):
        loss = loss_fn(m(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return (time.perf_counter() - t0) / n


def mlp_small(n):
    torch.manual_seed(0)
    m = mlp([1, 32, 32, 1])
    x = torch.linspace(-5, 5, 1000).unsqueeze(1)
    y = 0.3 * x ** 2 + torch.randn(1000, 1)
    return sgd_steps(m, x, y, nn.MSELoss(), 1e-4, n)


def mlp_large(n):
    torch.manual_seed(0)
    m = mlp([784, 256, 256, 10])
    x = torch.randn(4096, 784)
    y = torch.randint(0, 10, (4096,))
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(m(x), y).backward()  # warm up
    return sgd_steps(m, x, y, loss_fn, 0.01, n)


LARGE_FLOP = 3 * 2 * 4096 * (784 * 256 + 256 * 256 + 256 * 10) - 2 * 4096 * 784 * 256

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = '/tmp/gradlab_autograd_bench.test'
subprocess.run(['go', 'test', '-c', '-tags', args.go_tags, '-o', binary, './bench/autograd'], cwd=root, check=True)


def go_bench(name, n):
    out = subprocess.run([binary, '-test.run', '^$', '-test.bench', f'^{name}$', '-test.benchtime', f'{n}x',
                          '-test.benchmem'], cwd=root, capture_output=True, text=True, check=True).stdout
    m = re.search(r'\s([\d.]+) ns/op.*?([\d.]+) B/op\s+(\d+) allocs/op', out)
    return float(m.group(1)) * 1e-9, int(m.group(3))


# (label, torch function, Go benchmark, torch steps, Go steps) per rep. The small MLP's Go rep
# runs 5x the steps so that each side's rep lasts about as long (~0.5 s): on a VM whose speed
# drifts between seconds, a short rep samples one moment, a long one an average.
workloads = [
    ('scalar loop (0-d, fwd+bwd+step)', scalar_loop, 'BenchmarkScalarLoop', 100000 // Q, 100000 // Q),
    ('MLP 1-32-32-1, 1000 samples, full-batch SGD step', mlp_small, 'BenchmarkMLPSmall', 1000 // Q, 5000 // Q),
    ('MLP 784-256-256-10, batch 4096, fwd+bwd+SGD', mlp_large, 'BenchmarkMLPLarge', max(1, 10 // Q), max(1, 10 // Q)),
]
if 'OPENBLAS_CORETYPE' not in os.environ:
    print('note: OPENBLAS_CORETYPE is unset; on a CPU OpenBLAS does not recognise (OPENBLAS_VERBOSE=2 shows "Core: Prescott")\n'
          '      PyTorch runs generic kernels; set e.g. OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell (AVX2) for a fair comparison')
print(f'torch {torch.__version__}, torch threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS={os.environ.get("OPENBLAS_NUM_THREADS", "unset")}, '
      f'OPENBLAS_CORETYPE={os.environ.get("OPENBLAS_CORETYPE", "unset")}; Go build tags "{args.go_tags}"; '
      f'{os.cpu_count()} CPUs; load average before {os.getloadavg()[0]:.2f}')
keys = ['scalar', 'small', 'large']
only = set(filter(None, args.only.split(',')))
rows = []
for key, (label, pyf, goname, npy, ngo) in zip(keys, workloads):
    if only and key not in only:
        continue
    tp, tg, allocs = [], [], 0
    for _ in range(args.reps):
        tp.append(pyf(npy))
        g, allocs = go_bench(goname, ngo)
        tg.append(g)
    rows.append((label, tp, tg, allocs))

def fmt(s):
    return f'{s * 1e6:.2f} us' if s < 1e-3 else f'{s * 1e3:.3f} ms'

print(f'{"workload":52s} {"torch":>22s} {"gradlab (Go)":>22s} {"allocs/op":>9s} {"torch/Go":>8s}')
for label, tp, tg, allocs in rows:
    mp, mg = statistics.median(tp), statistics.median(tg)
    print(f'{label:52s} {fmt(mp):>10s} [{fmt(min(tp)):>9s}] {fmt(mg):>10s} [{fmt(min(tg)):>9s}] {allocs:>9d} {mp / mg:>7.1f}x')
    if 'batch 4096' in label:
        print(f'{"":52s} {LARGE_FLOP / mp / 1e9:>9.1f} GFLOP/s {"":>3s}{LARGE_FLOP / mg / 1e9:>9.1f} GFLOP/s')
print(f'load average after {os.getloadavg()[0]:.2f}')

#!/usr/bin/python3
"""Side-by-side on Fashion-MNIST (issue 13): PyTorch (Debian python3-torch, 1 and 2 threads) and gradlab,
alternating in the same run.

Workloads, each one full epoch on the 60,000 training images (batch 64, shuffled, 938 steps):
  load   reading the four IDX files into tensors (numpy frombuffer / gradlab data.FashionMNIST)
  mlp    784-256-10 MLP, ReLU, cross-entropy, SGD lr 0.01 momentum 0.9
  cnn    notebook 06's CNN: Conv2d(1,16,3,p1) ReLU MaxPool2d(2) Conv2d(16,32,3,p1) ReLU MaxPool2d(2)
         Dropout(0.25) Flatten Linear(1568,128) ReLU Linear(128,10); cross-entropy, Adam lr 1e-3
Go runs each epoch twice: as compiled Go (BenchmarkEpoch*) and as a notebook cell through the
interpreter (BenchmarkEpoch*Cell).

usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/fmnist/torch_fmnist.py [--reps 3] [--only load,mlp,cnn]
       [--steps N]  (fewer steps per epoch, for a smoke test)
Run from the repository root."""
import argparse, atexit, gzip, os, re, statistics, subprocess, time
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--only', default='')
ap.add_argument('--steps', type=int, default=0, help='steps per epoch (default: the whole epoch, 938)')
ap.add_argument('--root', default='/usr/share/datasets/fashion-mnist')
args = ap.parse_args()
only = set(filter(None, args.only.split(',')))


def idx(path):
    with gzip.open(path, 'rb') if path.endswith('.gz') else open(path, 'rb') as f:
        b = f.read()
    ndim = b[3]
    shape = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def files(train):
    p = 'train' if train else 't10k'
    return (os.path.join(args.root, f'{p}-images-idx3-ubyte.gz'), os.path.join(args.root, f'{p}-labels-idx1-ubyte.gz'))


def load():
    """The four files into float32 images in [0, 1] and int64 labels, as torchvision's ToTensor gives."""
    out = []
    for train in (True, False):
        im, lb = files(train)
        x = torch.from_numpy(idx(im).astype(np.float32) / 255.0).unsqueeze(1)
        y = torch.from_numpy(idx(lb).astype(np.int64))
        out.append((x, y))
    return out


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def epoch(model_fn, opt_fn, x, y, steps):
    torch.manual_seed(0)
    m = model_fn()
    opt = opt_fn(m.parameters())
    loss_fn = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True)
    t0, c0 = time.perf_counter(), time.process_time()
    for i, (xb, yb) in enumerate(loader):
        if steps and i >= steps:
            break
        loss = loss_fn(m(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - t0, time.process_time() - c0


def timed(f):
    t0, c0 = time.perf_counter(), time.process_time()
    f()
    return time.perf_counter() - t0, time.process_time() - c0


root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = f'/tmp/gradlab_fmnist_bench_{os.getpid()}.test'  # per run: other checkouts may run this at the same time
atexit.register(lambda: os.path.exists(binary) and os.remove(binary))
subprocess.run(['go', 'test', '-c', '-o', binary, './bench/fmnist'], cwd=root, check=True)


def go_bench(name):
    env = dict(os.environ, FMNIST_STEPS=str(args.steps), FMNIST_ROOT=args.root)
    out = subprocess.run([binary, '-test.run', '^$', '-test.bench', f'^{name}$', '-test.benchtime', '1x', '-test.benchmem'],
                         cwd=root, env=env, capture_output=True, text=True, check=True).stdout
    m = re.search(r'\s([\d.]+) ns/op', out)
    cpu = re.search(r'([\d.]+) cpu-s/op', out)
    steps = re.search(r'([\d.]+) allocs/step', out)
    return (float(m.group(1)) * 1e-9, float(cpu.group(1))), (float(steps.group(1)) if steps else None)


sgd = lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)
adam = lambda ps: torch.optim.Adam(ps, lr=1e-3)
print(f'torch {torch.__version__}; OPENBLAS_CORETYPE={os.environ.get("OPENBLAS_CORETYPE", "unset")}; '
      f'{os.cpu_count()} CPUs; load average before {os.getloadavg()[0]:.2f}; steps per epoch {args.steps or 938}')
data = load()
(x, y), _ = data
rows = []
for key, label, torch_run, go_names in [
    ('load', 'load the four IDX files', lambda: timed(load), ['BenchmarkLoad']),
    ('mlp', 'MLP 784-256-10 epoch', lambda: epoch(mlp, sgd, x, y, args.steps), ['BenchmarkEpochMLP', 'BenchmarkEpochMLPCell']),
    ('cnn', 'CNN epoch', lambda: epoch(cnn, adam, x, y, args.steps), ['BenchmarkEpochCNN', 'BenchmarkEpochCNNCell']),
]:
    if only and key not in only:
        continue
    t = {f'torch {n}t': [] for n in (1, 2)}
    t.update({g: [] for g in go_names})
    allocs = {}
    for _ in range(args.reps):
        for n in (1, 2):
            torch.set_num_threads(n)
            t[f'torch {n}t'].append(torch_run())
        for g in go_names:
            s, a = go_bench(g)
            t[g].append(s)
            allocs[g] = a
    rows.append((label, t, allocs))


print(f'{"workload":26s} {"side":22s} {"wall median":>11s} {"wall min":>9s} {"cpu median":>10s} {"allocs/step":>11s}')
for label, t, allocs in rows:
    wall = {k: [w for w, _ in v] for k, v in t.items()}
    cpu = {k: [c for _, c in v] for k, v in t.items()}
    best_torch = min(statistics.median(wall['torch 1t']), statistics.median(wall['torch 2t']))
    for side in t:
        med = statistics.median(wall[side])
        a = allocs.get(side)
        ratio = '' if side.startswith('torch') else f'  {best_torch / med:.2f}x faster than torch\'s best (wall)'
        print(f'{label:26s} {side:22s} {med:10.3f}s {min(wall[side]):8.3f}s {statistics.median(cpu[side]):9.3f}s {"" if a is None else f"{a:11.0f}"}{ratio}')
print(f'load average after {os.getloadavg()[0]:.2f}')

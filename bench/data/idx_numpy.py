"""Loads Fashion-MNIST's four IDX files the way numpy users do (gzip.open,
then np.frombuffer past the header), for side-by-side timing with
gradlab's BenchmarkLoadFashionMNIST (autograd/data). Prints one line per
repetition and the median, in ms, of the wall clock and of the process's
CPU time (steadier on a loaded machine)."""
import gzip
import statistics
import sys
import time

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"
FILES = [("train-images-idx3-ubyte", 16), ("train-labels-idx1-ubyte", 8),
         ("t10k-images-idx3-ubyte", 16), ("t10k-labels-idx1-ubyte", 8)]


def load():
    out = []
    for name, header in FILES:
        with gzip.open(f"{ROOT}/{name}.gz", "rb") as f:
            out.append(np.frombuffer(f.read(), np.uint8, offset=header))
    out[0] = out[0].reshape(-1, 28, 28)
    out[2] = out[2].reshape(-1, 28, 28)
    return out


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    load()  # warm the page cache
    times, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        a = load()
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
        assert a[0].shape == (60000, 28, 28) and a[3].shape == (10000,)
    print("numpy frombuffer: wall " + " ".join(f"{t:.0f}" for t in times) + f" ms (median {statistics.median(times):.0f}), "
          "cpu " + " ".join(f"{t:.0f}" for t in cpu) + f" ms (median {statistics.median(cpu):.0f})")


if __name__ == "__main__":
    main()

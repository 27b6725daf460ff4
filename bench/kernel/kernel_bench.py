"""Kernel start-up and round-trip latency, gradlab vs ipykernel, in one run.

For each kernel: start it through jupyter_client and time the first
kernel_info_reply (median of several starts); then execute a trivial cell
200 times and time send -> idle on IOPub (median and p95).

    /usr/bin/python3 bench/kernel/kernel_bench.py [--starts 10] [--cells 200] [kernel ...]
"""
import argparse
import statistics
import time

from jupyter_client.manager import KernelManager

TRIVIAL = {"gradlab": "x := 1", "python3": "x = 1"}


def start_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - t0
    return elapsed, km, kc


def round_trips(kc, code, n):
    # Drain anything left from start-up.
    kc.wait_for_ready(timeout=30)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute(code, store_history=False)
        while True:
            msg = kc.get_iopub_msg(timeout=30)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        times.append(time.perf_counter() - t0)
        kc.get_shell_msg(timeout=30)
    return times


def p95(xs):
    xs = sorted(xs)
    return xs[int(0.95 * (len(xs) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--cells", type=int, default=200)
    ap.add_argument("kernels", nargs="*", default=["gradlab", "python3"])
    args = ap.parse_args()
    print(f"{'kernel':10} {'start median':>13} {'start p95':>10} {'cell median':>12} {'cell p95':>9}")
    for name in args.kernels:
        starts = []
        for i in range(args.starts):
            elapsed, km, kc = start_time(name)
            starts.append(elapsed)
            if i < args.starts - 1:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
        rts = round_trips(kc, TRIVIAL.get(name, "1"), args.cells)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        print(f"{name:10} {statistics.median(starts)*1e3:10.1f} ms {p95(starts)*1e3:7.1f} ms "
              f"{statistics.median(rts)*1e3:9.2f} ms {p95(rts)*1e3:6.2f} ms")


if __name__ == "__main__":
    main()

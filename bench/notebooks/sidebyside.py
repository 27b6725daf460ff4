#!/usr/bin/env python3
"""Side by side: each Go tutorial notebook against its PyTorch original.

Executes notebooks/NN_*.ipynb on the gradlab kernel and
bench/notebooks/torch/NN_*.ipynb on the python3 kernel (Debian's python3-torch),
both through `jupyter nbconvert --execute`, alternately, in the same run, and
prints a table: the wall time of each notebook end to end (kernel start
included, as a user waits for it) and of each training loop as timed inside
the cells (lines "[timing] NAME: SECONDS s"), with the ratio PyTorch / Go.
The wall time of `gradlab run` (in-process, no Jupyter) is shown too.

usage: bench/notebooks/sidebyside.py [--reps N] [--quiet] [NN ...]
  --reps N   run each notebook N times and report medians (default 1)
  --quiet    before each notebook, wait (up to 90 s) for the CPUs to be idle,
             as the reference runs do (the machine is shared)
  NN         notebook numbers to run (default 01..05)

It builds gradlab and registers it in a private Jupyter data directory, so
it does not touch the user's kernels.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
TIMING = re.compile(r'^\[timing\] (.+?): ([0-9.]+) s$', re.M)


def iso(t):
    from datetime import datetime
    return datetime.fromisoformat(t.replace('Z', '+00:00')).timestamp()


def cells_time(nb_path):
    """The kernel's busy time over all cells, from nbclient's timing metadata."""
    nb = json.load(open(nb_path, encoding='utf-8'))
    total = 0.0
    for c in nb['cells']:
        ex = c.get('metadata', {}).get('execution', {})
        if 'iopub.status.busy' in ex and 'iopub.status.idle' in ex:
            total += iso(ex['iopub.status.idle']) - iso(ex['iopub.status.busy'])
    return total


def stream_text(nb_path):
    nb = json.load(open(nb_path, encoding='utf-8'))
    out = []
    for c in nb['cells']:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream' and o.get('name') == 'stdout':
                t = o['text']
                out.append(t if isinstance(t, str) else ''.join(t))
            elif o.get('output_type') == 'error':
                raise SystemExit('%s: cell error %s: %s' % (nb_path, o.get('ename'), o.get('evalue')))
    return ''.join(out)


def wait_quiet(thresh=0.5, maxwait=90):
    """Waits until the CPUs were less than thresh busy over 2 s, or maxwait s."""
    def snap():
        v = [int(x) for x in open('/proc/stat').readline().split()[1:]]
        return sum(v), v[3] + v[4]
    t0 = time.time()
    while time.time() - t0 < maxwait:
        a = snap(); time.sleep(2); b = snap()
        if 1 - (b[1] - a[1]) / max(1, b[0] - a[0]) < thresh:
            return


def run(cmd, env, out_nb, quiet=False):
    if quiet:
        wait_quiet()
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit('%s failed:\n%s' % (' '.join(cmd), p.stdout[-3000:]))
    loops = {m.group(1): float(m.group(2)) for m in TIMING.finditer(stream_text(out_nb))}
    loops['(all cells, kernel busy)'] = cells_time(out_nb)
    return wall, loops


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=1)
    ap.add_argument('--quiet', action='store_true')
    ap.add_argument('nums', nargs='*', default=['01', '02', '03', '04', '05'])
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='gradlab-sidebyside-')
    binary = os.path.join(tmp, 'gradlab')
    env = dict(os.environ, JUPYTER_DATA_DIR=os.path.join(tmp, 'jupyter'))
    subprocess.run(['go', 'build', '-o', binary, '.'], cwd=ROOT, check=True)
    subprocess.run([binary, 'install'], env=env, check=True, stdout=subprocess.DEVNULL)

    go_dir = os.path.join(ROOT, 'notebooks')
    py_dir = os.path.join(HERE, 'torch')
    rows = []
    for num in args.nums:
        name = next(n for n in sorted(os.listdir(go_dir)) if n.startswith(num + '_') and n.endswith('.ipynb'))
        res = {'go': [], 'py': [], 'run': []}
        for rep in range(args.reps):
            for kind, src in (('go', os.path.join(go_dir, name)), ('py', os.path.join(py_dir, name))):
                out = os.path.join(tmp, kind)
                cmd = ['jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=1200',
                       '--ExecutePreprocessor.record_timing=True', '--output-dir', out, src]
                res[kind].append(run(cmd, env, os.path.join(out, name), args.quiet))
            out = os.path.join(tmp, 'run')
            res['run'].append(run([binary, 'run', '-o', out, os.path.join(go_dir, name)], env,
                                  os.path.join(out, name), args.quiet))
        rows.append((name, res))
        print('done', name, file=sys.stderr)

    def med(xs):
        return statistics.median(xs) if xs else float('nan')

    print('%-44s %10s %10s %8s %12s' % ('notebook: wall time / loops timed in cells', 'Go s', 'PyTorch s', 'ratio',
                                     'gradlab run'))
    for name, res in rows:
        go_wall = med([w for w, _ in res['go']])
        py_wall = med([w for w, _ in res['py']])
        run_wall = med([w for w, _ in res['run']])
        print('%-44s %10.3f %10.3f %7.1fx %12.3f' % (name[:-len('.ipynb')], go_wall, py_wall, py_wall / go_wall,
                                                run_wall))
        labels = list(res['py'][0][1].keys())
        for l in res['go'][0][1]:
            if l not in labels:
                labels.append(l)
        labels.sort(key=lambda l: not l.startswith('('))  # the whole-notebook figure first
        for l in labels:
            g = med([loops[l] for _, loops in res['go'] if l in loops])
            p = med([loops[l] for _, loops in res['py'] if l in loops])
            ratio = p / g if g > 0 else float('inf')
            print('  %-42s %10.4f %10.4f %7.1fx' % (l, g, p, ratio))
    print('\nwall: jupyter nbconvert --execute end to end, kernel start included; gradlab run: in-process, Go only')
    print('(all cells, kernel busy): the sum of busy-to-idle times of the cells (nbclient\'s timing), without')
    print('    kernel start and nbconvert\'s own start-up; import torch and matplotlib are in the PyTorch cells')
    print('ratio: PyTorch / Go; %d run%s each, medians; load average at the end: %s' % (
        args.reps, '' if args.reps == 1 else 's', open('/proc/loadavg').read().strip()))


if __name__ == '__main__':
    main()

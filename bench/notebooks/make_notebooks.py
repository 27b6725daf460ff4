#!/usr/bin/env python3
"""Builds the tutorial notebooks from their plain-text sources.

Sources live in bench/notebooks/src/: NN_name.go.txt for the Go notebooks
(written to notebooks/NN_name.ipynb, kernel gradlab) and NN_name.py.txt for
the PyTorch originals the side-by-side bench runs (written to
bench/notebooks/torch/NN_name.ipynb, kernel python3). A source is a list of
cells, each starting with a line "%% md" or "%% code"; the text up to the next
such line is the cell (surrounding blank lines dropped). "%% code plot" tags a
cell that draws (metadata tags ["plot"]); "%% code plot N" says it draws N
figures (metadata "plots": N). notebooks/notebooks_test.go checks that every
tagged cell shows that many images.

The notebooks are written without outputs; run them afterwards (gradlab run,
or jupyter nbconvert --execute --inplace) to fill the outputs that are
committed. Cell ids are stable (derived from the position), so rebuilding a
notebook whose sources did not change gives the same file.

usage: make_notebooks.py [--execute] [NAME...]   (default: every source)
  --execute   also run the built Go notebooks in place with `jupyter nbconvert
              --execute` on a freshly built gradlab kernel (registered in a
              private Jupyter data directory), as they are committed
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
SRC = os.path.join(HERE, 'src')

GO_META = {
    'kernelspec': {'name': 'gradlab', 'display_name': 'Go (gradlab)', 'language': 'go'},
    'language_info': {'name': 'go', 'file_extension': '.go', 'mimetype': 'text/x-go'},
}
PY_META = {
    'kernelspec': {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'},
    'language_info': {'name': 'python', 'file_extension': '.py', 'mimetype': 'text/x-python'},
}


def parse(text):
    cells, kind, plots, lines = [], None, 0, []

    def flush():
        if kind is None:
            return
        body = '\n'.join(lines).strip('\n')
        if body:
            cells.append((kind, plots, body))

    for line in text.splitlines():
        m = re.match(r'^%% (md|code)(?: (plot)(?: (\d+))?)?\s*$', line)
        if m:
            flush()
            kind, lines = m.group(1), []
            plots = int(m.group(3) or 1) if m.group(2) else 0
        else:
            lines.append(line)
    flush()
    return cells


def source_lines(body):
    parts = body.split('\n')
    return [p + '\n' for p in parts[:-1]] + [parts[-1]]


def build(path):
    name = os.path.basename(path)
    stem, lang = re.match(r'^(.*)\.(go|py)\.txt$', name).groups()
    with open(path, encoding='utf-8') as f:
        cells = parse(f.read())
    nb_cells = []
    for i, (kind, plots, body) in enumerate(cells):
        meta = {}
        if plots:
            meta = {'tags': ['plot'], 'plots': plots}
        cell = {'cell_type': 'markdown' if kind == 'md' else 'code',
                'id': '%s-%02d' % ('md' if kind == 'md' else 'code', i),
                'metadata': meta, 'source': source_lines(body)}
        if kind == 'code':
            cell['execution_count'] = None
            cell['outputs'] = []
        nb_cells.append(cell)
    nb = {'cells': nb_cells, 'metadata': GO_META if lang == 'go' else PY_META,
          'nbformat': 4, 'nbformat_minor': 5}
    out_dir = os.path.join(ROOT, 'notebooks') if lang == 'go' else os.path.join(HERE, 'torch')
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, stem + '.ipynb')
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write('\n')
    return out


def execute(paths):
    tmp = tempfile.mkdtemp(prefix='gradlab-nb-')
    binary = os.path.join(tmp, 'gradlab')
    env = dict(os.environ, JUPYTER_DATA_DIR=os.path.join(tmp, 'jupyter'))
    subprocess.run(['go', 'build', '-o', binary, '.'], cwd=ROOT, check=True)
    subprocess.run([binary, 'install'], env=env, check=True, stdout=subprocess.DEVNULL)
    for p in paths:
        subprocess.run(['jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--inplace',
                        '--ExecutePreprocessor.timeout=1200', '--ExecutePreprocessor.record_timing=False',
                        p], env=env, check=True)


def main(args):
    run = '--execute' in args
    args = [a for a in args if a != '--execute']
    names = sorted(os.listdir(SRC))
    if args:
        names = [n for n in names if any(n.startswith(a) for a in args)]
    built = []
    for n in names:
        if n.endswith('.txt'):
            built.append(build(os.path.join(SRC, n)))
            print(built[-1])
    if run:
        execute([p for p in built if p.endswith('.ipynb') and os.sep + 'notebooks' + os.sep in p
                 and os.sep + 'torch' + os.sep not in p])


if __name__ == '__main__':
    main(sys.argv[1:])

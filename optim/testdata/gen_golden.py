#!/usr/bin/python3
"""Golden trajectories for package optim, written by PyTorch itself.

Run with Debian's torch 1.13:   cd optim/testdata && /usr/bin/python3 gen_golden.py

Writes
  golden_optim.json   every optimiser and option combination, float32 and float64: initial parameters,
                      the gradient fed at each of 20 steps and the parameters after each step.
  golden_sched.json   learning-rate sequences of every scheduler (two parameter groups), read before each
                      scheduler step, as the seed 004 reference script reads them.
The Go tests replay the recorded gradients (so they do not depend on autograd) and compare the parameters.
"""
import json
import math

import torch

torch.set_num_threads(1)
STEPS = 20

# (name, torch class, kwargs). Each runs in float32 and float64.
CASES = [
    ('SGD', torch.optim.SGD, dict(lr=0.1)),
    ('SGD', torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ('SGD', torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.25)),
    ('SGD', torch.optim.SGD, dict(lr=0.01, momentum=0.8, nesterov=True)),
    ('SGD', torch.optim.SGD, dict(lr=0.1, weight_decay=0.01)),
    ('SGD', torch.optim.SGD, dict(lr=0.1, maximize=True)),
    ('SGD', torch.optim.SGD, dict(lr=0.03, momentum=0.7, weight_decay=0.05, nesterov=True, maximize=True)),
    ('Adagrad', torch.optim.Adagrad, dict()),
    ('Adagrad', torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.05)),
    ('Adagrad', torch.optim.Adagrad, dict(lr=0.1, weight_decay=0.1)),
    ('Adagrad', torch.optim.Adagrad, dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-3)),
    ('Adagrad', torch.optim.Adagrad, dict(lr=0.1, maximize=True)),
    ('RMSprop', torch.optim.RMSprop, dict()),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.02, alpha=0.9, eps=1e-4)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01, weight_decay=0.1)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01, momentum=0.9)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01, centered=True)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.01)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01, maximize=True)),
    ('Adadelta', torch.optim.Adadelta, dict()),
    ('Adadelta', torch.optim.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-4)),
    ('Adadelta', torch.optim.Adadelta, dict(lr=1.0, weight_decay=0.1)),
    ('Adadelta', torch.optim.Adadelta, dict(lr=0.01, maximize=True)),
    ('Adam', torch.optim.Adam, dict()),
    ('Adam', torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6)),
    ('Adam', torch.optim.Adam, dict(lr=0.01, betas=(0.0, 0.99))),
    ('Adam', torch.optim.Adam, dict(lr=0.01, weight_decay=0.1)),
    ('Adam', torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
    ('Adam', torch.optim.Adam, dict(lr=0.01, maximize=True, amsgrad=True, weight_decay=0.01)),
    ('AdamW', torch.optim.AdamW, dict()),
    ('AdamW', torch.optim.AdamW, dict(lr=0.01, weight_decay=0.0)),
    ('AdamW', torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1, betas=(0.85, 0.995))),
    ('AdamW', torch.optim.AdamW, dict(lr=0.01, amsgrad=True, maximize=True)),
]

SHAPES = [(3, 4), (4,), (2,)]  # W, b, and c which never gets a gradient (PyTorch skips it)


def flat(t):
    return t.detach().reshape(-1).tolist()


def trajectory(cls, kwargs, dtype, two_groups, set_lr):
    g = torch.Generator().manual_seed(1234)
    W = torch.randn(SHAPES[0], generator=g, dtype=dtype).requires_grad_()
    b = torch.randn(SHAPES[1], generator=g, dtype=dtype).requires_grad_()
    c = torch.randn(SHAPES[2], generator=g, dtype=dtype).requires_grad_()
    X = torch.randn(16, 3, generator=g, dtype=dtype)
    Y = torch.randn(16, 4, generator=g, dtype=dtype)
    mask = torch.tensor([1, 1, 1, 0], dtype=dtype)  # W[:, 3] gets an exactly zero gradient
    init = [flat(W), flat(b), flat(c)]
    if two_groups:
        opt = cls([{'params': [W, c]}, {'params': [b], 'lr': two_groups}], **kwargs)
    else:
        opt = cls([W, b, c], **kwargs)
    grads, params = [], []
    for step in range(STEPS):
        if step in set_lr:
            for group in opt.param_groups:
                group['lr'] = set_lr[step]
        opt.zero_grad()
        out = torch.tanh(X @ (W * mask) + b)
        loss = ((out - Y) ** 2).mean() + 0.05 * (W ** 3).sum()
        loss.backward()
        grads.append([flat(W.grad), flat(b.grad), None])
        opt.step()
        params.append([flat(W), flat(b), flat(c)])
    assert c.grad is None
    return init, grads, params


# Wide cases: one 67-element parameter, so PyTorch's vectorised kernel path (16 float32 / 8 float64
# lanes per iteration) and its scalar tail both show, as do Go's assembly loops and their Go tail.
WIDE = [
    ('SGD', torch.optim.SGD, dict(lr=0.1)),
    ('SGD', torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ('SGD', torch.optim.SGD, dict(lr=0.01, momentum=0.8, nesterov=True)),
    ('SGD', torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.25)),
    ('Adagrad', torch.optim.Adagrad, dict(lr=0.1)),
    ('RMSprop', torch.optim.RMSprop, dict(lr=0.01)),
    ('Adadelta', torch.optim.Adadelta, dict(lr=1.0)),
    ('Adam', torch.optim.Adam, dict(lr=0.01)),
    ('AdamW', torch.optim.AdamW, dict(lr=0.01)),
]
WIDE_N, WIDE_STEPS = 67, 10


def wide_trajectory(cls, kwargs, dtype):
    g = torch.Generator().manual_seed(99)
    p = torch.randn(WIDE_N, generator=g, dtype=dtype).requires_grad_()
    a = torch.randn(WIDE_N, generator=g, dtype=dtype)
    init = [flat(p)]
    opt = cls([p], **kwargs)
    grads, params = [], []
    for step in range(WIDE_STEPS):
        opt.zero_grad()
        loss = (torch.sin(3 * p) * a).sum() + 0.5 * (p ** 2).sum()
        loss.backward()
        grads.append([flat(p.grad)])
        opt.step()
        params.append([flat(p)])
    return init, grads, params


def optim_cases():
    out = []
    for name, cls, kwargs in WIDE:
        for dtype, dname in ((torch.float32, 'float32'), (torch.float64, 'float64')):
            init, grads, params = wide_trajectory(cls, kwargs, dtype)
            kw = dict(kwargs)
            label = name + '(' + ', '.join(f'{k}={v}' for k, v in kw.items()) + f')/{dname}/wide{WIDE_N}'
            out.append(dict(name=label, opt=name, kwargs=kw, dtype=dname, group2_lr=None, set_lr={},
                            shapes=[[WIDE_N]], init=init, grads=grads, params=params))
    for i, (name, cls, kwargs) in enumerate(CASES):
        for dtype, dname in ((torch.float32, 'float32'), (torch.float64, 'float64')):
            variants = [(None, {})]
            # every third case also runs with two parameter groups and a learning rate set by hand mid-run
            if i % 3 == 0:
                lr = kwargs['lr'] if 'lr' in kwargs else cls([torch.zeros(1, requires_grad=True)]).defaults['lr']
                variants.append((lr / 4, {7: lr * 0.5, 13: lr * 2}))
            for two_groups, set_lr in variants:
                init, grads, params = trajectory(cls, kwargs, dtype, two_groups, set_lr)
                kw = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
                label = name + '(' + ', '.join(f'{k}={v}' for k, v in kw.items()) + ')/' + dname
                if two_groups:
                    label += f'/groups(lr2={two_groups})/set_lr'
                out.append(dict(name=label, opt=name, kwargs=kw, dtype=dname,
                                group2_lr=two_groups, set_lr={str(k): v for k, v in set_lr.items()},
                                shapes=[list(s) for s in SHAPES], init=init, grads=grads, params=params))
    return out


def sched_cases():
    S = torch.optim.lr_scheduler
    plateau_metrics = [5.0, 4.0, 4.0, 4.1, 3.9996, 4.2, 4.3, 3.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.5, 2.5, 2.5,
                       2.5, 2.5, 2.5, 2.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    max_metrics = [0.1, 0.2, 0.2, 0.25, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.31, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    makers = [
        ('StepLR(7,0.5)', 60, lambda o: [S.StepLR(o, step_size=7, gamma=0.5)]),
        ('StepLR(100,0.5)', 101, lambda o: [S.StepLR(o, step_size=100, gamma=0.5)]),
        ('MultiStepLR([5,12,12,30],0.3)', 40, lambda o: [S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3)]),
        ('ExponentialLR(0.95)', 60, lambda o: [S.ExponentialLR(o, gamma=0.95)]),
        ('ExponentialLR(0.99)', 101, lambda o: [S.ExponentialLR(o, gamma=0.99)]),
        ('CosineAnnealingLR(10,0.001)', 60, lambda o: [S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)]),
        ('CosineAnnealingLR(100,1e-5)', 101, lambda o: [S.CosineAnnealingLR(o, T_max=100, eta_min=1e-5)]),
        ('CosineAnnealingLR(7,0)', 40, lambda o: [S.CosineAnnealingLR(o, T_max=7)]),
        ('LambdaLR(1/(1+e))', 30, lambda o: [S.LambdaLR(o, lr_lambda=lambda e: 1 / (1 + e))]),
        ('LambdaLR(warmup min(e/20,0.001))', 30, lambda o: [S.LambdaLR(o, lr_lambda=lambda e: min(e / 20, 0.001))]),
        ('LambdaLR(min(1,(e+1)/5))', 30, lambda o: [S.LambdaLR(o, lr_lambda=lambda e: min(1.0, (e + 1) / 5))]),
        ('LinearLR(default)', 20, lambda o: [S.LinearLR(o)]),
        ('LinearLR(0.25,1,8)', 20, lambda o: [S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8)]),
        ('LinearLR(1,0.1,10)', 20, lambda o: [S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10)]),
        ('ExponentialLR(0.9)+StepLR(3,0.5)', 20, lambda o: [S.ExponentialLR(o, gamma=0.9), S.StepLR(o, step_size=3, gamma=0.5)]),
        ('LinearLR(0.1,1,5)+CosineAnnealingLR(20,0)', 30,
         lambda o: [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=20)]),
    ]
    out = []
    for name, n, mk in makers:
        p1 = torch.nn.Parameter(torch.zeros(1))
        p2 = torch.nn.Parameter(torch.zeros(1))
        o = torch.optim.SGD([{'params': [p1]}, {'params': [p2], 'lr': 0.05}], lr=0.1)
        scheds = mk(o)
        lrs, last = [], []
        for epoch in range(n):
            lrs.append([g['lr'] for g in o.param_groups])
            o.step()
            for s in scheds:
                s.step()
            last.append(list(scheds[-1].get_last_lr()))
        out.append(dict(name=name, kind='lr', lrs=lrs, last_lr=last))
    for name, kw, metrics in (
            ('ReduceLROnPlateau(min,0.5,patience=2,cooldown=1)', dict(mode='min', factor=0.5, patience=2, cooldown=1), plateau_metrics),
            ('ReduceLROnPlateau(default)', dict(), plateau_metrics),
            ('ReduceLROnPlateau(min,abs,threshold=0.5,patience=1,min_lr=0.02)', dict(threshold_mode='abs', threshold=0.5, patience=1, min_lr=0.02), plateau_metrics),
            ('ReduceLROnPlateau(max,0.1,patience=0,eps=0.004)', dict(mode='max', factor=0.1, patience=0, eps=0.004), max_metrics),
            ('ReduceLROnPlateau(max,abs,patience=1)', dict(mode='max', threshold_mode='abs', patience=1, threshold=0.05), max_metrics)):
        p1 = torch.nn.Parameter(torch.zeros(1))
        p2 = torch.nn.Parameter(torch.zeros(1))
        o = torch.optim.SGD([{'params': [p1]}, {'params': [p2], 'lr': 0.05}], lr=0.1)
        s = S.ReduceLROnPlateau(o, **kw)
        lrs = []
        for m in metrics:
            o.step()
            s.step(m)
            lrs.append([g['lr'] for g in o.param_groups])
        out.append(dict(name=name, kind='plateau', kwargs=kw, metrics=metrics, lrs=lrs))
    return out


if __name__ == '__main__':
    meta = dict(torch=torch.__version__, generator='optim/testdata/gen_golden.py', steps=STEPS)
    with open('golden_optim.json', 'w') as f:
        json.dump(dict(meta=meta, cases=optim_cases()), f, separators=(',', ':'))
    with open('golden_sched.json', 'w') as f:
        json.dump(dict(meta=meta, cases=sched_cases()), f, indent=0, separators=(',', ':'))
    print('wrote golden_optim.json, golden_sched.json with torch', torch.__version__)

#!/bin/sh
# Go's optimiser steps and PyTorch's on 1,000,000 float32 parameters, one after the other in one run.
# usage: sh bench/optim/run.sh   (from the repository root)
set -e
echo "# $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)"
go test ./optim/ -run '^$' -bench 'Step1M$|Seed004MLP' -benchtime 1s -count 3
/usr/bin/python3 bench/optim/torch_step.py --steps 200 --reps 5
echo "# loadavg after: $(cat /proc/loadavg)"

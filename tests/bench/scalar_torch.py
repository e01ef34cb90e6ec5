#!/usr/bin/python3
"""PyTorch peer of `gradscope-cli bench scalar`: a micrograd-style 2-6-6-1 tanh MLP built from
scalar tensors (one autograd node per scalar operation, about 190 nodes), loss (out − 1)², rebuilt,
evaluated and differentiated every step, SGD lr 0.01. Prints one JSON line like the CLI.

    /usr/bin/python3 tests/bench/scalar_torch.py [--steps N] [--threads N]
"""
import argparse
import json
import random
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rng = random.Random(42)
    sizes = [2, 6, 6, 1]
    params = []  # per neuron: weights then bias, as gradscope's workload
    for l in range(len(sizes) - 1):
        for _ in range(sizes[l + 1]):
            for _ in range(sizes[l] + 1):
                params.append(torch.tensor(rng.uniform(-1, 1), dtype=torch.float64, requires_grad=True))
    xs = [torch.tensor(rng.uniform(-1, 1), dtype=torch.float64) for _ in range(sizes[0])]

    def step():
        act = xs
        p = 0
        for l in range(len(sizes) - 1):
            nxt = []
            for _ in range(sizes[l + 1]):
                w = params[p:p + sizes[l]]
                s = params[p + sizes[l]]
                p += sizes[l] + 1
                for wi, xi in zip(w, act):
                    s = s + wi * xi
                nxt.append(torch.tanh(s))
            act = nxt
        loss = (act[0] - 1.0) ** 2
        for q in params:
            q.grad = None
        loss.backward()
        with torch.no_grad():
            for q in params:
                q -= 0.01 * q.grad
        return loss.item()

    for _ in range(max(10, args.steps // 10)):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    ms = (time.perf_counter() - t0) * 1000 / args.steps
    print(json.dumps({"workload": "scalar", "peer": "pytorch " + torch.__version__, "threads": args.threads,
                      "ms_per_step": ms, "final_loss": loss}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# The PyTorch peer of `gradscope-cli bench` for the mlp, lenet and spiral workloads of DESIGN.md:
# the same shapes, batch, loss and optimizer, and the same timing protocol (warm-up of
# max(5, steps/10) steps, then five rounds of `steps` steps, the median round's ms per step).
# Prints one JSON line like gradscope-cli's. See docs/DEVELOPERS.md for running it with OpenBLAS.
#   /usr/bin/python3 tests/bench/torch_peer.py mlp --threads 2
import argparse
import json
import statistics
import time

import torch
from torch import nn

DEFAULT_STEPS = {"mlp": 300, "lenet": 200, "spiral": 5000}


def workload(name):
    if name == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        return model, torch.rand(128, 784), 10, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    if name == "lenet":
        model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        return model, torch.rand(64, 1, 28, 28), 10, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    if name == "spiral":
        model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3))
        return model, torch.rand(32, 2), 3, torch.optim.SGD(model.parameters(), lr=0.1)
    raise SystemExit(f"error: unknown workload '{name}' (workloads: mlp, lenet, spiral)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workload")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    model, x, classes, opt = workload(a.workload)
    y = torch.randint(0, classes, (x.shape[0],))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    n = a.steps or DEFAULT_STEPS[a.workload]
    for _ in range(max(5, n // 10)):
        step()
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        rounds.append((time.perf_counter() - t0) * 1000.0 / n)
    print(json.dumps({"workload": a.workload, "threads": a.threads, "ms_per_step": statistics.median(rounds),
                      "peer": "pytorch", "torch": torch.__version__}))


if __name__ == "__main__":
    main()

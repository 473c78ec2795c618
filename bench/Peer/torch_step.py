#!/usr/bin/env python3
"""PyTorch peer of the seed CNN's training step, for a ratio against `numerics bench` measured next to it.

The same model as bench/Peer/TorchTrainer.cs (and NetworkSpec.MnistSeed): Conv2d(1,32,3), ReLU, MaxPool2d(2), Dropout(.25),
Conv2d(32,64,3), ReLU, MaxPool2d(2), Dropout(.25), Flatten, Linear(1600,256), ReLU, Linear(256,10); CrossEntropyLoss on
the logits; torch.optim.Adam(lr 1e-3, betas (.9, .999), eps 1e-7). One step = zero_grad, forward, loss, backward, step on
a batch of 250 synthetic MNIST-shaped samples (pixels uniform in [0, 1), labels uniform 0..9, built before timing: speed
does not depend on them). Timing: time.perf_counter around each step, median of --steps steps after --warmup steps.
FLOP count for GFLOP/s: 4.256 GFLOP per step of 250 (3 x forward, as `numerics bench` counts it).

Written for Debian 12's python3-torch 1.13.1 (`apt-get install python3-torch`; run it with /usr/bin/python3, the
interpreter that package installs into):

    /usr/bin/python3 bench/Peer/torch_step.py --threads 1
    /usr/bin/python3 bench/Peer/torch_step.py --threads 2 --json

Debian resolves libblas.so.3 through update-alternatives; with only the reference BLAS installed, torch's Linear layers
run at about 1 GFLOP/s. To give PyTorch OpenBLAS without changing the system's alternative (libopenblas0-pthread installed):

    OPENBLAS_NUM_THREADS=1 LD_PRELOAD=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 /usr/bin/python3 bench/Peer/torch_step.py --threads 1

The BLAS in use is printed with the result.
"""
import argparse
import json
import statistics
import sys
import time

STEP_GFLOP = 3.0 * (26 * 26 * 32 * 9 * 2 + 11 * 11 * 64 * 288 * 2 + 1600 * 256 * 2 + 256 * 10 * 2) * 250 / 1e9


def positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, but was '{text}'")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, but was {value}")
    return value


def loaded_blas():
    """The BLAS library this process mapped (Debian's torch calls sgemm_ through libblas.so.3: its Linear layers and
    non-oneDNN GEMMs run at that library's speed; the reference BLAS is ~20x slower than OpenBLAS here)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
        return ", ".join(sorted(paths)) or "none mapped"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description="Median training step of the seed CNN in PyTorch (batch 250, Adam).")
    parser.add_argument("--threads", type=positive, default=1, help="intra-op and inter-op threads (default 1)")
    parser.add_argument("--steps", type=positive, default=20, help="timed steps (default 20)")
    parser.add_argument("--warmup", type=positive, default=3, help="untimed steps first (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the line")
    parser.error = lambda message: sys.exit(print(f"torch_step.py: {message} (see --help)", file=sys.stderr) or 2)
    args = parser.parse_args()

    try:
        import torch
        from torch import nn
    except ImportError as e:
        print(f"torch_step.py: PyTorch is not importable by {sys.executable} ({e}); install Debian's python3-torch "
              "(apt-get install python3-torch) and run this script with /usr/bin/python3.", file=sys.stderr)
        return 3

    blas = loaded_blas()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 256), nn.ReLU(), nn.Linear(256, 10))
    model.train()
    parameters = sum(p.numel() for p in model.parameters())
    if parameters != 431_242:
        print(f"torch_step.py: the model has {parameters} parameters, not the seed CNN's 431,242.", file=sys.stderr)
        return 1
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    x = torch.rand(250, 1, 28, 28)
    y = torch.randint(0, 10, (250,))

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    first = step()
    for _ in range(args.warmup - 1):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        last = step()
        times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1e3
    result = {
        "torch": torch.__version__, "threads": args.threads, "batch": 250, "warmup": args.warmup, "steps": args.steps,
        "medianMilliseconds": ms, "minMilliseconds": min(times) * 1e3, "gflopsPerSecond": STEP_GFLOP / (ms / 1e3),
        "firstLoss": first, "lastLoss": last, "blas": blas,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"PyTorch {torch.__version__}, {args.threads} thread(s), batch 250, Adam: median step {ms:.2f} ms "
              f"(min {min(times) * 1e3:.2f}) over {args.steps} steps after {args.warmup} warm-up, "
              f"{result['gflopsPerSecond']:.1f} GFLOP/s at {STEP_GFLOP:.3f} GFLOP per step; loss {first:.4f} -> {last:.4f}; BLAS {blas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Rounds of `numerics bench --sections cnn --json` and bench/Peer/torch_step.py at 1 and 2 threads, one after the other,
so both see about the same background load; prints each round's PyTorch / Fast ratio of median steps and the median ratio.

    dotnet build src/Cli -c Release
    /usr/bin/python3 bench/Peer/torch_paired.py --rounds 3
    /usr/bin/python3 bench/Peer/torch_paired.py --rounds 3 --openblas   # torch's BLAS calls go to OpenBLAS (see torch_step.py)

Fast's step is TrainStep + one Adam update (median of 21 after 3 warm-up, as `numerics bench` times it); PyTorch's is
zero_grad, forward, loss, backward, Adam step (median of --steps after 3 warm-up). Same model, batch 250, same threads.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NUMERICS = os.path.join(ROOT, "src", "Cli", "bin", "Release", "net10.0", "numerics.dll")
OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"


def positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, but was '{text}'")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, but was {value}")
    return value


def run(command, env=None):
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(print(f"torch_paired.py: {' '.join(command[:3])} ... failed ({done.returncode}): {last}", file=sys.stderr) or 1)
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description="PyTorch / Fast ratio of the seed CNN's training step, paired rounds.")
    parser.add_argument("--rounds", type=positive, default=3)
    parser.add_argument("--steps", type=positive, default=20, help="PyTorch's timed steps per run")
    parser.add_argument("--openblas", action="store_true", help=f"LD_PRELOAD {OPENBLAS} for PyTorch")
    parser.error = lambda message: sys.exit(print(f"torch_paired.py: {message} (see --help)", file=sys.stderr) or 2)
    args = parser.parse_args()
    if not os.path.exists(NUMERICS):
        print(f"torch_paired.py: {NUMERICS} is missing; build it first: dotnet build src/Cli -c Release", file=sys.stderr)
        return 1
    if args.openblas and not os.path.exists(OPENBLAS):
        print(f"torch_paired.py: --openblas needs {OPENBLAS} (apt-get install libopenblas0-pthread)", file=sys.stderr)
        return 1
    step = os.path.join(ROOT, "bench", "Peer", "torch_step.py")
    ratios = {1: [], 2: []}
    for r in range(args.rounds):
        fast = run(["dotnet", NUMERICS, "bench", "--sections", "cnn", "--json"])
        for row in fast["cnn"]:
            t = row["threads"]
            env = dict(os.environ)
            if args.openblas:
                env["LD_PRELOAD"] = OPENBLAS
                env["OPENBLAS_NUM_THREADS"] = str(t)
            torch = run([sys.executable, step, "--threads", str(t), "--steps", str(args.steps), "--json"], env)
            ratio = torch["medianMilliseconds"] / row["milliseconds"]
            ratios[t].append(ratio)
            print(f"round {r + 1}, {t} thread(s): Fast {row['milliseconds']:.2f} ms ({100 * row['fractionOfFmaPeak']:.1f} % of FMA "
                  f"{fast['fma'][t - 1]['gflopsPerSecond']:.1f} on model FLOPs, {100 * row['fractionOfFmaPeakExecutedFlops']:.1f} % on executed), PyTorch {torch['torch']} {torch['medianMilliseconds']:.2f} ms "
                  f"(BLAS {os.path.basename(os.path.dirname(torch['blas'])) or torch['blas']}): PyTorch / Fast {ratio:.2f}; "
                  f"load {fast['machine']['loadAverageAfter']}", flush=True)
    for t, rs in ratios.items():
        print(f"{t} thread(s): PyTorch / Fast median {statistics.median(rs):.2f} over {len(rs)} rounds ({', '.join(f'{x:.2f}' for x in rs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

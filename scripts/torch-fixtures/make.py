#!/usr/bin/python3
"""Record PyTorch 1.13 optimizer and LR-scheduler trajectories as bit-exact JSON fixtures.

Usage (Debian bookworm, `apt-get install python3-torch`; use /usr/bin/python3):

    /usr/bin/python3 scripts/torch-fixtures/make.py [OUT_DIR]     # default tests/Properties/Fixtures/Torch

The parent process designs every case (initial parameters and the gradient of every step, from its own
seeds), then runs two worker processes of this same file: one with ATEN_CPU_CAPABILITY=default (torch's
plain-C++ kernels: no fused multiply-add) and one with torch's native dispatch (AVX2 on this machine,
whose kernels fuse add(alpha=) and addcmul into FMAs). Both replay the same recorded gradients (open loop),
so the two results differ only by the kernels. Every float is stored as its IEEE-754 bit pattern in hex
(float32: 8 digits, float64: 16, most significant first; an array is the concatenation of its elements).
"""
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import zlib

import numpy as np

STEPS = 60
SCHED_STEPS = 300

# ---------------------------------------------------------------------------------------------------------------
# Case design (runs in the parent; needs numpy only)
# ---------------------------------------------------------------------------------------------------------------

# (optimizer, case name, kwargs, step-size family for the zero-crossing design)
OPT_CASES = [
    ("SGD", "sgd-plain", dict(lr=0.05), "sgd"),
    ("SGD", "sgd-momentum", dict(lr=0.01, momentum=0.9), "sgd"),
    ("SGD", "sgd-momentum-dampening-wd", dict(lr=0.02, momentum=0.8, dampening=0.9, weight_decay=1e-3), "sgd"),
    ("SGD", "sgd-nesterov-wd", dict(lr=0.005, momentum=0.95, nesterov=True, weight_decay=5e-4), "sgd"),
    ("SGD", "sgd-maximize-momentum", dict(lr=0.03, momentum=0.5, maximize=True), "sgd"),
    ("Adagrad", "adagrad-default", dict(lr=0.01), "adagrad"),
    ("Adagrad", "adagrad-lr_decay-initacc", dict(lr=0.05, lr_decay=0.01, initial_accumulator_value=0.1), "adagrad"),
    ("Adagrad", "adagrad-wd-eps-maximize", dict(lr=0.1, weight_decay=0.01, eps=1e-6, maximize=True), "adagrad"),
    ("Adadelta", "adadelta-default", dict(lr=1.0), "adadelta"),
    ("Adadelta", "adadelta-wd-maximize", dict(lr=0.5, rho=0.95, eps=1e-8, weight_decay=0.01, maximize=True), "adadelta"),
    ("RMSprop", "rmsprop-default", dict(lr=0.01), "adaptive"),
    ("RMSprop", "rmsprop-momentum", dict(lr=0.001, alpha=0.9, momentum=0.9), "adaptive"),
    ("RMSprop", "rmsprop-centered", dict(lr=0.005, centered=True, eps=1e-6), "adaptive"),
    ("RMSprop", "rmsprop-centered-momentum-wd-maximize",
     dict(lr=0.002, centered=True, momentum=0.5, weight_decay=0.01, maximize=True), "adaptive"),
    ("Adam", "adam-default", dict(lr=1e-3), "adaptive"),
    ("Adam", "adam-amsgrad-betas", dict(lr=0.01, betas=(0.8, 0.99), amsgrad=True), "adaptive"),
    ("Adam", "adam-wd-eps-maximize", dict(lr=3e-3, weight_decay=0.1, eps=1e-6, maximize=True), "adaptive"),
    ("AdamW", "adamw-default", dict(lr=1e-3), "adaptive"),
    ("AdamW", "adamw-amsgrad-wd-maximize",
     dict(lr=0.01, betas=(0.85, 0.995), weight_decay=0.1, amsgrad=True, maximize=True), "adaptive"),
    ("Adamax", "adamax-default", dict(lr=2e-3), "adaptive"),
    ("Adamax", "adamax-wd-eps-maximize",
     dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, maximize=True), "adaptive"),
    ("NAdam", "nadam-default", dict(lr=2e-3), "adaptive"),
    ("NAdam", "nadam-momentum_decay-wd", dict(lr=0.01, betas=(0.85, 0.99), momentum_decay=0.01, weight_decay=0.01),
     "adaptive"),
    ("RAdam", "radam-default", dict(lr=1e-3), "adaptive"),
    ("RAdam", "radam-wd-betas", dict(lr=0.01, betas=(0.8, 0.95), weight_decay=0.01), "adaptive"),
]

# Odd and even lengths: AVX2 kernels take 16 floats / 8 doubles per unrolled iteration, the rest in a scalar tail.
LENGTHS = [17, 23, 19, 21, 18, 33, 20, 22, 25, 29]

DTYPES = ("float32", "float64")
HEXW = {"float32": 8, "float64": 16}


def to_hex(a, dtype):
    """IEEE bit patterns, most significant digit first, concatenated."""
    return np.ascontiguousarray(np.asarray(a).reshape(-1), dtype=">f4" if dtype == "float32" else ">f8").tobytes().hex()


def from_hex(s, dtype):
    return np.frombuffer(bytes.fromhex(s), dtype=">f4" if dtype == "float32" else ">f8").astype(
        np.float32 if dtype == "float32" else np.float64)


def seed_of(text):
    return zlib.crc32(text.encode())


def design(opt, name, kwargs, family, dtype, n):
    """Initial parameters and STEPS gradients for one case.

    Each element has its own decade (spread evenly over 1e-30..1e+20 for float64, 1e-30..1e+17 for float32 so
    that squares and 60-step sums stay finite), a persistent gradient sign that flips at a random step (so a
    parameter walks one way and comes back), a jitter of up to a decade either way per step, exact +0 and -0
    entries, one element whose gradient is exactly zero for the first 12 steps, and initial parameters of which
    about 40% sit a few updates away from zero on the side from which descent moves them toward it, so they
    cross zero.
    """
    rng = np.random.default_rng(seed_of(f"{name}/{dtype}/n{n}"))
    emax = 20.0 if dtype == "float64" else 17.0
    dec = rng.permutation(np.linspace(-30.0, emax, n))
    scale = 10.0 ** dec
    sign = rng.choice([-1.0, 1.0], n)
    flip = rng.integers(8, 90, n)  # flips after the last step never happen
    lr = kwargs["lr"]
    mom = kwargs.get("momentum", 0.0)
    g = np.empty((STEPS, n))
    for t in range(STEPS):
        s = np.where(t >= flip, -sign, sign) * np.where(rng.random(n) < 0.15, -1.0, 1.0)
        g[t] = s * scale * 10.0 ** rng.uniform(-1.0, 1.0, n) * rng.uniform(0.2, 1.0, n)
        u = rng.random(n)
        g[t][u < 0.06] = 0.0
        g[t][(u >= 0.06) & (u < 0.09)] = -0.0
    g[:12, 0] = 0.0
    if family == "sgd":  # a step moves lr*g (times 1/(1-momentum) once momentum builds up)
        unit = lr * scale / (1.0 - mom)
    elif family == "adagrad":  # the t-th step moves about lr/sqrt(t)
        unit = np.full(n, lr * 0.25)
    elif family == "adadelta":  # early steps move about lr*sqrt(eps)/sqrt(1-rho), then grow
        unit = np.full(n, lr * 1e-3)
    else:  # Adam-like: a step moves about lr
        unit = np.full(n, lr)
    p = np.empty(n)
    kind = rng.random(n)
    cross = kind < 0.4
    p[cross] = (sign * unit * rng.uniform(3.0, 25.0, n))[cross]  # gradient sign pushes p toward and past 0
    if kwargs.get("maximize"):
        p[cross] = -p[cross]
    other = ~cross
    p[other] = (rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-20.0, 10.0, n))[other]
    order1 = (kind > 0.8)
    p[order1] = rng.standard_normal(n)[order1]
    p[1] = 0.0
    p[2] = -0.0
    npdt = np.float32 if dtype == "float32" else np.float64
    return p.astype(npdt), g.astype(npdt)


def all_cases():
    cases = []
    for i, (opt, name, kwargs, family) in enumerate(OPT_CASES):
        n = LENGTHS[i % len(LENGTHS)]
        for dtype in DTYPES:
            p0, g = design(opt, name, kwargs, family, dtype, n)
            cases.append(dict(optimizer=opt, name=name, kwargs=kwargs, dtype=dtype, n=n,
                              init=to_hex(p0, dtype), grad=[to_hex(x, dtype) for x in g]))
    return cases


# LR schedulers: (name, scheduler class, kwargs, optimizer, optimizer kwargs, description of callables)
def metric_sequence(kind):
    """A validation-loss-like sequence with plateaus, for ReduceLROnPlateau (float64)."""
    rng = np.random.default_rng(seed_of("plateau/" + kind))
    t = np.arange(SCHED_STEPS)
    base = 2.0 * np.exp(-t / 40.0) + 0.3 + 0.002 * np.maximum(t - 150, 0)
    x = base + 0.02 * rng.standard_normal(SCHED_STEPS)
    x[60:90] = x[60]  # exact plateau
    if kind == "max":
        x = 1.0 - x / 3.0
    return [float(v) for v in x]


SCHED_CASES = [
    # name, class, kwargs, optimizer class, optimizer kwargs, callables (as Python source, evaluated here)
    ("steplr", "StepLR", dict(step_size=30, gamma=0.1), "SGD", dict(lr=0.1), None),
    ("steplr-7-half", "StepLR", dict(step_size=7, gamma=0.5), "SGD", dict(lr=0.3), None),
    ("multisteplr", "MultiStepLR", dict(milestones=[30, 80, 80, 150], gamma=0.3), "SGD", dict(lr=0.1), None),
    ("exponentiallr", "ExponentialLR", dict(gamma=0.98), "SGD", dict(lr=0.1), None),
    ("cosineannealinglr", "CosineAnnealingLR", dict(T_max=100, eta_min=1e-4), "SGD", dict(lr=0.1), None),
    ("cosineannealinglr-37", "CosineAnnealingLR", dict(T_max=37), "SGD", dict(lr=0.05), None),
    ("cosinewarmrestarts-mult2", "CosineAnnealingWarmRestarts", dict(T_0=20, T_mult=2, eta_min=1e-5), "SGD",
     dict(lr=0.1), None),
    ("cosinewarmrestarts-mult1", "CosineAnnealingWarmRestarts", dict(T_0=33), "SGD", dict(lr=0.02), None),
    ("linearlr-warmup", "LinearLR", dict(start_factor=0.25, end_factor=1.0, total_iters=40), "SGD", dict(lr=0.1), None),
    ("linearlr-decay", "LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=100), "SGD", dict(lr=0.05), None),
    ("constantlr", "ConstantLR", dict(factor=0.5, total_iters=25), "SGD", dict(lr=0.1), None),
    ("polynomiallr-pow2", "PolynomialLR", dict(total_iters=200, power=2.0), "SGD", dict(lr=0.1), None),
    ("polynomiallr-pow1", "PolynomialLR", dict(total_iters=50, power=1.0), "SGD", dict(lr=0.01), None),
    ("cycliclr-triangular", "CyclicLR", dict(base_lr=0.001, max_lr=0.1, step_size_up=20), "SGD",
     dict(lr=0.1, momentum=0.9), None),
    ("cycliclr-triangular2-down", "CyclicLR",
     dict(base_lr=0.002, max_lr=0.05, step_size_up=15, step_size_down=35, mode="triangular2",
          base_momentum=0.85, max_momentum=0.95), "SGD", dict(lr=0.1, momentum=0.9), None),
    ("cycliclr-exp_range", "CyclicLR", dict(base_lr=0.001, max_lr=0.02, step_size_up=25, mode="exp_range", gamma=0.99),
     "SGD", dict(lr=0.1, momentum=0.9), None),
    ("cycliclr-scalefn-iterations-nomomentum", "CyclicLR",
     dict(base_lr=0.001, max_lr=0.01, step_size_up=10, step_size_down=30, scale_mode="iterations",
          cycle_momentum=False), "SGD", dict(lr=0.1), {"scale_fn": "lambda x: 1 / (1 + 0.01 * x)"}),
    ("onecyclelr-cos", "OneCycleLR", dict(max_lr=0.1, total_steps=SCHED_STEPS), "SGD", dict(lr=0.1, momentum=0.9), None),
    ("onecyclelr-linear-threephase", "OneCycleLR",
     dict(max_lr=0.05, total_steps=SCHED_STEPS, pct_start=0.25, anneal_strategy="linear", three_phase=True,
          div_factor=10.0, final_div_factor=100.0), "SGD", dict(lr=0.1, momentum=0.9), None),
    ("onecyclelr-epochs-adam", "OneCycleLR",
     dict(max_lr=0.003, epochs=6, steps_per_epoch=50, base_momentum=0.8, max_momentum=0.9), "Adam", dict(lr=1e-3),
     None),
    ("onecyclelr-nomomentum", "OneCycleLR", dict(max_lr=0.2, total_steps=SCHED_STEPS, cycle_momentum=False, pct_start=0.4),
     "SGD", dict(lr=0.1), None),
    ("lambdalr-pow", "LambdaLR", dict(), "SGD", dict(lr=0.1), {"lr_lambda": "lambda epoch: 0.95 ** epoch"}),
    ("lambdalr-inverse", "LambdaLR", dict(), "SGD", dict(lr=0.05), {"lr_lambda": "lambda epoch: 1 / (1 + 0.05 * epoch)"}),
    ("multiplicativelr-const", "MultiplicativeLR", dict(), "SGD", dict(lr=0.1), {"lr_lambda": "lambda epoch: 0.97"}),
    ("multiplicativelr-every10", "MultiplicativeLR", dict(), "SGD", dict(lr=0.1),
     {"lr_lambda": "lambda epoch: 0.5 if epoch % 10 == 0 else 0.99"}),
    ("plateau-min-rel-cooldown", "ReduceLROnPlateau",
     dict(mode="min", factor=0.5, patience=5, threshold=1e-4, threshold_mode="rel", cooldown=3, min_lr=1e-4),
     "SGD", dict(lr=0.1), {"metrics": "min"}),
    ("plateau-max-abs", "ReduceLROnPlateau",
     dict(mode="max", factor=0.2, patience=3, threshold=0.01, threshold_mode="abs", cooldown=0, min_lr=1e-3),
     "SGD", dict(lr=0.1), {"metrics": "max"}),
    ("plateau-min-abs-eps", "ReduceLROnPlateau",
     dict(mode="min", factor=0.7, patience=2, threshold=0.001, threshold_mode="abs", min_lr=0.0, eps=1e-3),
     "SGD", dict(lr=0.01), {"metrics": "min"}),
    ("plateau-max-rel", "ReduceLROnPlateau",
     dict(mode="max", factor=0.5, patience=4, threshold=0.002, threshold_mode="rel", cooldown=2, min_lr=5e-3),
     "SGD", dict(lr=0.1), {"metrics": "max"}),
]

# ---------------------------------------------------------------------------------------------------------------
# Worker (runs torch; one process per CPU capability)
# ---------------------------------------------------------------------------------------------------------------


def capability(torch):
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def torch_dtype(torch, dtype):
    return torch.float32 if dtype == "float32" else torch.float64


def slot_record(torch, v):
    if isinstance(v, torch.Tensor):
        dt = {torch.float32: "float32", torch.float64: "float64"}[v.dtype]
        return dt, to_hex(v.detach().numpy(), dt)
    if isinstance(v, (int, float)):
        return type(v).__name__, v
    raise TypeError(type(v))


def run_opt_case(torch, case, foreach):
    dt = torch_dtype(torch, case["dtype"])
    p = torch.from_numpy(from_hex(case["init"], case["dtype"]).copy())
    assert p.dtype == dt
    opt = getattr(torch.optim, case["optimizer"])([p], foreach=foreach, **case["kwargs"])
    out = {"param": []}
    dtypes = {"param": case["dtype"]}
    for t in range(STEPS):
        # a fresh tensor each step: the foreach paths update p.grad in place
        p.grad = torch.from_numpy(from_hex(case["grad"][t], case["dtype"]).copy())
        opt.step()
        out["param"].append(to_hex(p.detach().numpy(), case["dtype"]))
        for k, v in opt.state[p].items():
            if v is None:
                continue
            sdt, val = slot_record(torch, v)
            dtypes[k] = sdt
            out.setdefault(k, []).append(val)
    group = {k: (list(v) if isinstance(v, tuple) else v) for k, v in opt.param_groups[0].items() if k != "params"}
    return {"dtypes": dtypes, "values": out, "group": group}


def make_sched(torch, sc):
    name, cls, kwargs, ocls, okw, calls = sc
    p = torch.zeros(3)
    opt = getattr(torch.optim, ocls)([p], **okw)
    kw = dict(kwargs)
    for k, src in (calls or {}).items():
        if k != "metrics":
            kw[k] = eval(src)
    sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kw)
    return p, opt, sched


def run_sched_case(torch, sc):
    name, cls, kwargs, ocls, okw, calls = sc
    p, opt, sched = make_sched(torch, sc)
    g = opt.param_groups[0]

    def mom():
        if "momentum" in g:
            return g["momentum"]
        if "betas" in g:
            return g["betas"][0]
        return None

    lrs, moms = [to_hex(g["lr"], "float64")], []
    if mom() is not None:
        moms.append(to_hex(mom(), "float64"))
    metrics = metric_sequence(calls["metrics"]) if calls and "metrics" in calls else None
    nsteps = SCHED_STEPS if metrics is not None else (SCHED_STEPS - 1 if cls == "OneCycleLR" else SCHED_STEPS)
    for t in range(nsteps):
        opt.step()  # no gradients: parameters untouched; keeps torch's step-order check quiet
        if metrics is not None:
            sched.step(metrics[t])
        else:
            sched.step()
        lrs.append(to_hex(g["lr"], "float64"))
        if mom() is not None:
            moms.append(to_hex(mom(), "float64"))
    rec = {"lr": lrs}
    if moms and (cls in ("CyclicLR", "OneCycleLR")) and kwargs.get("cycle_momentum", True):
        rec["momentum" if "momentum" in g else "beta1"] = moms
    if metrics is not None:
        rec["metrics"] = [to_hex(m, "float64") for m in metrics]
    return rec


def worker(cases_path, out_path):
    import torch
    torch.set_num_threads(1)
    with open(cases_path) as f:
        cases = json.load(f)
    for c in cases:
        if "betas" in c["kwargs"]:
            c["kwargs"]["betas"] = tuple(c["kwargs"]["betas"])
    res = {"capability": capability(torch), "torch": torch.__version__, "opt": {}, "sched": {}}
    for c in cases:
        for foreach in (False, True):
            res["opt"][f'{c["name"]}/{c["dtype"]}/{"foreach" if foreach else "single"}'] = run_opt_case(torch, c, foreach)
    for sc in SCHED_CASES:
        res["sched"][sc[0]] = run_sched_case(torch, sc)
    with open(out_path, "w") as f:
        json.dump(res, f)


# ---------------------------------------------------------------------------------------------------------------
# Parent: design, run both workers, diff, write fixtures
# ---------------------------------------------------------------------------------------------------------------


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=True).stdout.strip()
    except subprocess.CalledProcessError:
        return "unknown"


def versions(caps):
    import torch
    model = sh("lscpu | grep 'Model name' | sed 's/.*: *//'")
    flags = sh("grep -m1 '^flags' /proc/cpuinfo").split()
    return {
        "script": "scripts/torch-fixtures/make.py",
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_note": "Debian's python3-torch 1.13.1 reports 1.13.0a0",
        "numpy": np.__version__,
        "debian_packages": {p: sh(f"dpkg-query -W -f='${{Version}}' {p}")
                            for p in ("python3-torch", "libtorch1.13", "python3-numpy")},
        "cpu_model": model,
        "cpu_simd": [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f") if f in flags],
        "modes": {
            "plain": {"env": "ATEN_CPU_CAPABILITY=default", "capability": caps["plain"]},
            "native": {"env": "(unset)", "capability": caps["native"]},
        },
        "threads": 1,
    }


def xor_value(a, b, dtype):
    """native XOR plain, elementwise on the bit patterns (all zeros where native equals plain)."""
    w = HEXW.get(dtype)
    if w is None:
        return a ^ b
    return "".join("%0*x" % (w, int(a[i:i + w], 16) ^ int(b[i:i + w], 16)) for i in range(0, len(a), w))


def count_diff(pa, pb, dtype):
    w = HEXW.get(dtype)
    cnt = tot = 0
    for a, b in zip(pa, pb):
        if w is None:
            tot += 1
            cnt += a != b
        else:
            for i in range(0, len(a), w):
                tot += 1
                cnt += a[i:i + w] != b[i:i + w]
    return f"{cnt}/{tot} differ"


def write_gz(path, doc):
    """Deterministic gzip (no name, mtime 0) so that a rerun gives the same bytes."""
    raw = json.dumps(doc, separators=(",", ":")).encode()
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=f, mtime=0) as z:
            z.write(raw)


def kwargs_hex(kwargs):
    out = {}
    for k, v in kwargs.items():
        if isinstance(v, bool):
            continue
        if isinstance(v, float):
            out[k] = to_hex(v, "float64")
        elif isinstance(v, (tuple, list)) and all(isinstance(x, float) for x in v):
            out[k] = [to_hex(x, "float64") for x in v]
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "tests", "Properties", "Fixtures", "Torch")
    os.makedirs(out_dir, exist_ok=True)
    cases = all_cases()
    tmp = tempfile.mkdtemp(prefix="torch-fixtures-")
    cpath = os.path.join(tmp, "cases.json")
    with open(cpath, "w") as f:
        json.dump(cases, f)
    results = {}
    for mode in ("plain", "native"):
        env = dict(os.environ)
        env.pop("ATEN_CPU_CAPABILITY", None)
        if mode == "plain":
            env["ATEN_CPU_CAPABILITY"] = "default"
        opath = os.path.join(tmp, mode + ".json")
        subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", cpath, opath], env=env, check=True)
        with open(opath) as f:
            results[mode] = json.load(f)
    caps = {m: results[m]["capability"] for m in results}
    gen = versions(caps)

    summary = {"optimizers": {}, "schedulers": {}}
    per_opt = {}
    for c in cases:
        base = f'{c["name"]}/{c["dtype"]}'
        for variant in ("single", "foreach"):
            cid = f"{base}/{variant}"
            rp, rn = results["plain"]["opt"][cid], results["native"]["opt"][cid]
            entry = {
                "id": cid,
                "optimizer": c["optimizer"],
                "kwargs": c["kwargs"],
                "kwargs_f64_hex": kwargs_hex(c["kwargs"]),
                "foreach": variant == "foreach",
                "dtype": c["dtype"],
                "n": c["n"],
                "steps": STEPS,
            }
            if variant == "foreach":
                sp, sn = results["plain"]["opt"][base + "/single"], results["native"]["opt"][base + "/single"]
                if rp["values"] == sp["values"] and rn["values"] == sn["values"]:
                    entry["identical_to"] = base + "/single"
                    per_opt.setdefault(c["optimizer"], []).append(entry)
                    summary["optimizers"].setdefault(c["optimizer"], {}).setdefault("foreach_identical", []).append(
                        cid)
                    continue
                summary["optimizers"].setdefault(c["optimizer"], {}).setdefault("foreach_differs", []).append(cid)
            entry["torch_param_group"] = rp["group"]
            entry["torch_param_group_f64_hex"] = kwargs_hex(rp["group"])
            entry["init"] = c["init"]
            entry["grad"] = c["grad"]
            entry["slot_dtypes"] = rp["dtypes"]
            entry["plain"] = rp["values"]
            entry["native_xor"] = {k: [xor_value(a, b, rp["dtypes"][k]) for a, b in zip(vals, rn["values"][k])]
                                   for k, vals in rp["values"].items()}
            diff = {k: count_diff(vals, rn["values"][k], rp["dtypes"][k]) for k, vals in rp["values"].items()}
            key = "native_equals_plain" if rn["values"] == rp["values"] else "native_differs"
            summary["optimizers"].setdefault(c["optimizer"], {}).setdefault(key, {})[cid] = diff
            per_opt.setdefault(c["optimizer"], []).append(entry)

    for opt, entries in per_opt.items():
        doc = {"generator": gen,
               "format": ("Floats are IEEE-754 bit patterns in hex, most significant digit first; an array is the "
                          "concatenation of its elements (8 hex digits per float32, 16 per float64). grad[t] is the "
                          "gradient fed before step t+1; plain[slot][t] is the value after step t+1 with "
                          "ATEN_CPU_CAPABILITY=default; native_xor[slot][t] is the elementwise XOR of the bit "
                          "patterns of torch's native dispatch (see generator.modes) and plain (zero where they are "
                          "equal): native bits = plain bits XOR native_xor bits. "
                          "Slot names are torch's state keys; 'step' is torch's own type (float32 tensor, or int)."),
               "cases": entries}
        write_gz(os.path.join(out_dir, opt.lower() + ".json.gz"), doc)

    sched_entries = []
    for sc in SCHED_CASES:
        name, cls, kwargs, ocls, okw, calls = sc
        rp, rn = results["plain"]["sched"][name], results["native"]["sched"][name]
        if rp != rn:
            raise SystemExit(f"scheduler {name}: plain and native differ (schedulers are Python double arithmetic)")
        e = {"name": name, "scheduler": cls, "kwargs": kwargs, "kwargs_f64_hex": kwargs_hex(kwargs),
             "optimizer": ocls, "optimizer_kwargs": okw, "optimizer_kwargs_f64_hex": kwargs_hex(okw)}
        if calls:
            e["callables"] = {k: v for k, v in calls.items() if k != "metrics"}
            if "metrics" in calls:
                e["metrics_note"] = "metrics[t] is passed to scheduler.step(metrics[t]) before lr[t+1] is read"
        e["note"] = "lr[0] is the group's lr after construction; lr[t] after the t-th scheduler.step()"
        e.update(rp)
        sched_entries.append(e)
        summary["schedulers"][name] = "plain == native"
    write_gz(os.path.join(out_dir, "schedulers.json.gz"),
             {"generator": gen, "format": "Floats are float64 bit patterns in hex (16 digits).", "cases": sched_entries})
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump({"generator": gen, **summary}, f, indent=1)
    total = 0
    for fn in sorted(os.listdir(out_dir)):
        sz = os.path.getsize(os.path.join(out_dir, fn))
        total += sz
        print(f"{fn:20s} {sz:9d} bytes")
    print(f"{'total':20s} {total:9d} bytes; capabilities: {caps}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        main()

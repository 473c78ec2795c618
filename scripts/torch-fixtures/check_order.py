#!/usr/bin/python3
"""Replay the torch fixtures through a scalar-by-scalar emulation of OPERATION-ORDER.md and count exact matches.

Usage: /usr/bin/python3 scripts/torch-fixtures/check_order.py [FIXTURE_DIR] [--verbose] [--swap-modes]

Negative controls (each must report mismatches, showing that the fixtures pin that part of the spec):
  --swap-modes              plain fixtures replayed with fused kernels and native ones without
  --swap-variants           single-tensor rules replayed against foreach fixtures and vice versa
  --control=coef-in-dtype   1-beta rounded as F(1)-F(beta) instead of F(1-beta computed in double)
  --control=addcmul-square  addcmul as a + v*(t1*t2) instead of a + (v*t1)*t2
  --control=addcdiv-ratio   addcdiv as a + v*(t1/t2) instead of a + (v*t1)/t2
  --control=div-reciprocal  tensor / scalar as tensor * (1/scalar)
  --control=mu-product-param-dtype  NAdam's mu_product kept in the parameter dtype instead of float32

No torch needed: numpy for IEEE float32/float64 elementwise arithmetic (no contraction in numpy's ufuncs),
libm's fma/fmaf (correctly rounded, C99) for the fused multiply-adds of torch's native (AVX2) kernels, and
Python floats (double) for the per-step scalars that torch's Python code computes. Every replay is open loop
and free running: the emulation starts from the recorded initial parameters, is fed the recorded gradients,
and keeps its own state; it is compared with torch after every step, every state slot, every element.
"""
import ctypes
import gzip
import json
import math
import os
import sys

import numpy as np

_libm = ctypes.CDLL("libm.so.6")
_libm.fmaf.restype = ctypes.c_float
_libm.fmaf.argtypes = [ctypes.c_float] * 3
_libm.fma.restype = ctypes.c_double
_libm.fma.argtypes = [ctypes.c_double] * 3


def fma(a, b, c):
    """Elementwise correctly rounded a*b+c in the arrays' dtype."""
    a, b, c = np.broadcast_arrays(a, b, c)
    f = _libm.fmaf if a.dtype == np.float32 else _libm.fma
    return np.array([f(float(x), float(y), float(z)) for x, y, z in zip(a, b, c)], dtype=a.dtype)


class K:
    """torch 1.13 CPU kernels for one dtype and one dispatch mode (see OPERATION-ORDER.md, 'Kernels')."""

    def __init__(self, dtype, fused):
        self.F = np.float32 if dtype == "float32" else np.float64
        self.fused = fused

    def s(self, x):  # a Python double handed to a kernel as a Scalar: rounded once to the tensor's dtype
        return self.F(x)

    def coef(self, one_minus, beta):  # the Python double (1 - beta), handed to a kernel
        return self.F(1) - self.F(beta) if CONTROL == "coef-in-dtype" else one_minus

    def add(self, a, b, alpha=1.0):  # a.add(b, alpha=alpha)
        al = self.s(alpha)
        return fma(b, al, a) if self.fused else a + al * b

    def addcmul(self, a, t1, t2, value=1.0):  # a.addcmul(t1, t2, value=value)
        v = self.s(value)
        if CONTROL == "addcmul-square":
            return fma(v, t1 * t2, a) if self.fused else a + v * (t1 * t2)
        return fma(v * t1, t2, a) if self.fused else a + (v * t1) * t2

    def addcdiv(self, a, t1, t2, value=1.0):  # a.addcdiv(t1, t2, value=value): never fused
        if CONTROL == "addcdiv-ratio":
            return a + self.s(value) * (t1 / t2)
        return a + (self.s(value) * t1) / t2

    def mul(self, a, x):
        return a * self.s(x)

    def div(self, a, x):  # true division by the rounded scalar, not multiplication by its reciprocal
        if CONTROL == "div-reciprocal":
            return a * (self.F(1) / self.s(x))
        return a / self.s(x)

    def rdiv(self, x, a):  # Python `x / tensor` is tensor.reciprocal() * x
        return (self.F(1) / a) * self.s(x)

    def adds(self, a, x):  # a.add(x) with a Python scalar
        return a + self.s(x)


def f32(x):
    return np.float32(x)


# ------------------------------------------------------------------------------------------------------------------
# One function per optimizer: state dict in, state dict out (torch's slot names), param and grad as arrays.
# ------------------------------------------------------------------------------------------------------------------

def sgd(k, p, g, st, kw, t, foreach):
    lr, mom, damp = kw["lr"], kw.get("momentum", 0.0), kw.get("dampening", 0.0)
    wd, nest, maxi = kw.get("weight_decay", 0.0), kw.get("nesterov", False), kw.get("maximize", False)
    d = -g if maxi else g
    if wd != 0:
        d = k.add(d, p, wd)
    if mom != 0:
        if t == 0:
            buf = d.copy()
        else:
            buf = k.add(k.mul(st["momentum_buffer"], mom), d, k.coef(1 - damp, damp))
        st["momentum_buffer"] = buf
        d = k.add(d, buf, mom) if nest else buf
    return k.add(p, d, -lr)


def adagrad(k, p, g, st, kw, t, foreach):
    lr, lrd, eps = kw["lr"], kw.get("lr_decay", 0.0), kw.get("eps", 1e-10)
    wd, maxi = kw.get("weight_decay", 0.0), kw.get("maximize", False)
    if t == 0:
        st["sum"] = np.full(p.shape, kw.get("initial_accumulator_value", 0.0), dtype=k.F)
        st["step"] = f32(0)
    st["step"] = st["step"] + f32(1)  # float32 tensor
    g = -g if maxi else g
    if wd != 0:
        g = k.add(g, p, wd)
    st["sum"] = k.addcmul(st["sum"], g, g, 1)
    std = k.adds(np.sqrt(st["sum"]), eps)
    if not foreach:
        clr = lr / (1 + (float(st["step"]) - 1) * lrd)  # Python double
        return k.addcdiv(p, g, std, -clr)
    # foreach: `-lr / (1 + (step - 1) * lr_decay)` with step a float32 tensor is float32 tensor arithmetic
    x = (st["step"] - f32(1)) * f32(lrd)
    y = x + f32(1)
    mclr = (f32(1) / y) * f32(-lr)  # reciprocal() * scalar
    to_add = (g * k.F(mclr)) / std  # a float32 0-dim tensor times a float64 tensor is exact widening
    return k.add(p, to_add, 1)


def adadelta(k, p, g, st, kw, t, foreach):
    lr, rho, eps = kw.get("lr", 1.0), kw.get("rho", 0.9), kw.get("eps", 1e-6)
    wd, maxi = kw.get("weight_decay", 0.0), kw.get("maximize", False)
    if t == 0:
        st["square_avg"] = np.zeros_like(p)
        st["acc_delta"] = np.zeros_like(p)
        st["step"] = 0
    st["step"] += 1  # Python int
    g = -g if maxi else g
    if wd != 0:
        g = k.add(g, p, wd)
    st["square_avg"] = k.addcmul(k.mul(st["square_avg"], rho), g, g, k.coef(1 - rho, rho))
    std = np.sqrt(k.adds(st["square_avg"], eps))
    delta = (np.sqrt(k.adds(st["acc_delta"], eps)) / std) * g
    st["acc_delta"] = k.addcmul(k.mul(st["acc_delta"], rho), delta, delta, k.coef(1 - rho, rho))
    return k.add(p, delta, -lr)


def rmsprop(k, p, g, st, kw, t, foreach):
    lr, alpha, eps = kw["lr"], kw.get("alpha", 0.99), kw.get("eps", 1e-8)
    wd, mom, cen, maxi = kw.get("weight_decay", 0.0), kw.get("momentum", 0.0), kw.get("centered", False), kw.get(
        "maximize", False)
    if t == 0:
        st["step"] = 0
        st["square_avg"] = np.zeros_like(p)
        if mom > 0:
            st["momentum_buffer"] = np.zeros_like(p)
        if cen:
            st["grad_avg"] = np.zeros_like(p)
    st["step"] += 1
    g = -g if maxi else g
    if wd != 0:
        g = k.add(g, p, wd)
    st["square_avg"] = k.addcmul(k.mul(st["square_avg"], alpha), g, g, k.coef(1 - alpha, alpha))
    if cen:
        st["grad_avg"] = k.add(k.mul(st["grad_avg"], alpha), g, k.coef(1 - alpha, alpha))
        avg = np.sqrt(k.addcmul(st["square_avg"], st["grad_avg"], st["grad_avg"], -1))
    else:
        avg = np.sqrt(st["square_avg"])
    avg = k.adds(avg, eps)
    if mom > 0:
        st["momentum_buffer"] = k.addcdiv(k.mul(st["momentum_buffer"], mom), g, avg, 1)
        return k.add(p, st["momentum_buffer"], -lr)
    return k.addcdiv(p, g, avg, -lr)


def _adam_like(k, p, g, st, kw, t, decoupled):
    lr, (b1, b2), eps = kw["lr"], kw.get("betas", (0.9, 0.999)), kw.get("eps", 1e-8)
    wd = kw.get("weight_decay", 0.01 if decoupled else 0.0)
    ams, maxi = kw.get("amsgrad", False), kw.get("maximize", False)
    if t == 0:
        st["step"] = f32(0)
        st["exp_avg"] = np.zeros_like(p)
        st["exp_avg_sq"] = np.zeros_like(p)
        if ams:
            st["max_exp_avg_sq"] = np.zeros_like(p)
    g = -g if maxi else g
    st["step"] = st["step"] + f32(1)
    if decoupled:
        p = k.mul(p, 1 - lr * wd)
    elif wd != 0:
        g = k.add(g, p, wd)
    st["exp_avg"] = k.add(k.mul(st["exp_avg"], b1), g, k.coef(1 - b1, b1))
    st["exp_avg_sq"] = k.addcmul(k.mul(st["exp_avg_sq"], b2), g, g, k.coef(1 - b2, b2))
    step = float(st["step"])
    bc1 = 1 - b1 ** step
    bc2 = 1 - b2 ** step
    step_size = lr / bc1
    bc2_sqrt = math.sqrt(bc2)
    if ams:
        st["max_exp_avg_sq"] = np.maximum(st["max_exp_avg_sq"], st["exp_avg_sq"])
        denom = k.adds(k.div(np.sqrt(st["max_exp_avg_sq"]), bc2_sqrt), eps)
    else:
        denom = k.adds(k.div(np.sqrt(st["exp_avg_sq"]), bc2_sqrt), eps)
    return k.addcdiv(p, st["exp_avg"], denom, -step_size)


def adam(k, p, g, st, kw, t, foreach):
    return _adam_like(k, p, g, st, kw, t, False)


def adamw(k, p, g, st, kw, t, foreach):
    return _adam_like(k, p, g, st, kw, t, True)


def adamax(k, p, g, st, kw, t, foreach):
    lr, (b1, b2), eps = kw.get("lr", 2e-3), kw.get("betas", (0.9, 0.999)), kw.get("eps", 1e-8)
    wd, maxi = kw.get("weight_decay", 0.0), kw.get("maximize", False)
    if t == 0:
        st["step"] = f32(0)
        st["exp_avg"] = np.zeros_like(p)
        st["exp_inf"] = np.zeros_like(p)
    st["step"] = st["step"] + f32(1)
    g = -g if maxi else g
    if wd != 0:
        g = k.add(g, p, wd)
    st["exp_avg"] = k.add(k.mul(st["exp_avg"], b1), g, k.coef(1 - b1, b1))
    st["exp_inf"] = np.maximum(k.mul(st["exp_inf"], b2), k.adds(np.abs(g), eps))  # amax: NaN propagates
    clr = lr / (1 - b1 ** float(st["step"]))
    return k.addcdiv(p, st["exp_avg"], st["exp_inf"], -clr)


def nadam(k, p, g, st, kw, t, foreach):
    lr, (b1, b2), eps = kw.get("lr", 2e-3), kw.get("betas", (0.9, 0.999)), kw.get("eps", 1e-8)
    wd, md = kw.get("weight_decay", 0.0), kw.get("momentum_decay", 4e-3)
    if t == 0:
        st["step"] = f32(0)
        # torch.tensor(1.): float32 whatever the parameter dtype
        st["mu_product"] = k.F(1) if CONTROL == "mu-product-param-dtype" else f32(1)
        st["exp_avg"] = np.zeros_like(p)
        st["exp_avg_sq"] = np.zeros_like(p)
    st["step"] = st["step"] + f32(1)
    step = float(st["step"])
    bc2 = 1 - b2 ** step
    if wd != 0:
        g = k.add(g, p, wd)
    mu = b1 * (1. - 0.5 * (0.96 ** (step * md)))
    mu_next = b1 * (1. - 0.5 * (0.96 ** ((step + 1) * md)))
    mpF = type(st["mu_product"])
    st["mu_product"] = st["mu_product"] * mpF(mu)  # float32 0-dim tensor times a rounded scalar
    st["exp_avg"] = k.add(k.mul(st["exp_avg"], b1), g, k.coef(1 - b1, b1))
    st["exp_avg_sq"] = k.addcmul(k.mul(st["exp_avg_sq"], b2), g, g, k.coef(1 - b2, b2))
    mp = float(st["mu_product"])
    if not foreach:
        mu_product_next = float((st["mu_product"] * mpF(mu)) * mpF(mu_next))  # 1.13: mu counted twice
        denom = k.adds(np.sqrt(k.div(st["exp_avg_sq"], bc2)), eps)
        p = k.addcdiv(p, g, denom, -lr * (1. - mu) / (1. - mp))
        return k.addcdiv(p, st["exp_avg"], denom, -lr * mu_next / (1. - mu_product_next))
    denom = k.adds(k.div(np.sqrt(st["exp_avg_sq"]), math.sqrt(bc2)), eps)
    p = k.addcdiv(p, g, denom, (lr * (1. - mu) / (1. - mp)) * -1)
    return k.addcdiv(p, st["exp_avg"], denom, (lr * mu_next / (1. - mp * mu_next)) * -1)


def radam(k, p, g, st, kw, t, foreach):
    lr, (b1, b2), eps = kw.get("lr", 1e-3), kw.get("betas", (0.9, 0.999)), kw.get("eps", 1e-8)
    wd = kw.get("weight_decay", 0.0)
    if t == 0:
        st["step"] = f32(0)
        st["exp_avg"] = np.zeros_like(p)
        st["exp_avg_sq"] = np.zeros_like(p)
    st["step"] = st["step"] + f32(1)
    step = float(st["step"])
    bc1 = 1 - b1 ** step
    bc2 = 1 - b2 ** step
    if wd != 0:
        g = k.add(g, p, wd)
    st["exp_avg"] = k.add(k.mul(st["exp_avg"], b1), g, k.coef(1 - b1, b1))
    st["exp_avg_sq"] = k.addcmul(k.mul(st["exp_avg_sq"], b2), g, g, k.coef(1 - b2, b2))
    rho_inf = 2 / (1 - b2) - 1
    if not foreach:
        bcm = k.div(st["exp_avg"], bc1)
        rho_t = rho_inf - 2 * step * (b2 ** step) / bc2
        if rho_t > 5.:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            adaptive_lr = k.rdiv(math.sqrt(bc2), k.adds(np.sqrt(st["exp_avg_sq"]), eps))
            return k.add(p, k.mul(k.mul(bcm, lr) * adaptive_lr, rect), -1.0)
        return k.add(p, k.mul(bcm, lr), -1.0)
    rho_t = rho_inf - 2 * step * (b2 ** step) / (1 - b2 ** step)
    rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) \
        if rho_t > 5 else 0
    unrect = 0 if rect > 0 else 1.
    denom = k.div(np.sqrt(st["exp_avg_sq"]), math.sqrt(bc2))  # no eps in 1.13's foreach RAdam
    p = k.addcdiv(p, st["exp_avg"], denom, (lr * rect / bc1) * -1)
    return k.addcdiv(p, st["exp_avg"], np.ones_like(p), (lr * unrect / bc1) * -1)


SWAP = "--swap-modes" in sys.argv
SWAP_VARIANTS = "--swap-variants" in sys.argv
CONTROL = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--control=")), None)
np.seterr(all="ignore")  # torch's own inf/NaN arithmetic is replayed, not reported

EMULATE = {"SGD": sgd, "Adagrad": adagrad, "Adadelta": adadelta, "RMSprop": rmsprop, "Adam": adam, "AdamW": adamw,
           "Adamax": adamax, "NAdam": nadam, "RAdam": radam}

# ------------------------------------------------------------------------------------------------------------------

W = {"float32": 8, "float64": 16}


def dec(s, dtype):
    return np.frombuffer(bytes.fromhex(s), dtype=">f4" if dtype == "float32" else ">f8").astype(
        np.float32 if dtype == "float32" else np.float64)


def bits(a, dtype):
    return np.ascontiguousarray(np.asarray(a).reshape(-1), dtype=">f4" if dtype == "float32" else ">f8").tobytes().hex()


def xor_hex(a, x, w):
    return "".join("%0*x" % (w, int(a[i:i + w], 16) ^ int(x[i:i + w], 16)) for i in range(0, len(a), w))


def expected(case, mode):
    """torch's recorded values per slot per step, as hex strings (or ints), for mode plain or native."""
    plain = case["plain"]
    if mode == "plain":
        return plain
    out = {}
    for slot, vals in plain.items():
        w = W.get(case["slot_dtypes"][slot])
        xs = case["native_xor"][slot]
        out[slot] = [(a ^ x) if w is None else xor_hex(a, x, w) for a, x in zip(vals, xs)]
    return out


def replay(case, ref_case, mode, verbose):
    """Returns (matching entries, entries, first mismatch description)."""
    dtype, kw = case["dtype"], dict(case["kwargs"])
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    k = K(dtype, fused=(mode == "native") != SWAP)
    fn = EMULATE[case["optimizer"]]
    data = ref_case if "identical_to" in case else case
    want = expected(data, mode)
    p = dec(data["init"], dtype)
    st = {}
    ok = tot = 0
    first = None
    for t in range(case["steps"]):
        g = dec(data["grad"][t], dtype)
        p = fn(k, p, g, st, kw, t, case["foreach"] != SWAP_VARIANTS)
        got = dict(st)
        got["param"] = p
        for slot, series in want.items():
            sdt = data["slot_dtypes"][slot]
            w = W.get(sdt)
            if w is None:
                tot += 1
                ok += got[slot] == series[t]
                continue
            mine = bits(np.asarray(got[slot], dtype=np.float32 if sdt == "float32" else np.float64), sdt)
            theirs = series[t]
            for i in range(0, len(theirs), w):
                tot += 1
                if mine[i:i + w] == theirs[i:i + w]:
                    ok += 1
                elif first is None:
                    first = f"step {t + 1} {slot}[{i // w}]: emulated {mine[i:i + w]} torch {theirs[i:i + w]}"
    return ok, tot, first


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    d = args[0] if args else os.path.join(os.path.dirname(os.path.dirname(here)), "tests", "Properties", "Fixtures",
                                          "Torch")
    rows = []
    all_exact = True
    for opt in EMULATE:
        path = os.path.join(d, opt.lower() + ".json.gz")
        with gzip.open(path) as f:
            doc = json.load(f)
        by_id = {c["id"]: c for c in doc["cases"]}
        for variant in ("single", "foreach"):
            agg = {"plain": [0, 0], "native": [0, 0]}
            ncases = 0
            for c in doc["cases"]:
                if c["foreach"] != (variant == "foreach"):
                    continue
                ncases += 1
                ref = by_id.get(c.get("identical_to"))
                for mode in ("plain", "native"):
                    ok, tot, first = replay(c, ref, mode, verbose)
                    agg[mode][0] += ok
                    agg[mode][1] += tot
                    if ok != tot:
                        all_exact = False
                    if verbose or ok != tot:
                        print(f"  {c['id']:58s} {mode:6s} {ok}/{tot}" + (f"  first: {first}" if first else ""))
            rows.append((opt, variant, ncases, agg))
    print()
    print("| optimizer | path | cases | entries | plain (ATEN_CPU_CAPABILITY=default) exact | native (AVX2) exact |")
    print("|---|---|---|---|---|---|")
    for opt, variant, n, agg in rows:
        e = agg["plain"][1]
        print(f"| {opt} | {'foreach=True' if variant == 'foreach' else 'single-tensor'} | {n} | {e} | "
              f"{agg['plain'][0]}/{e} | {agg['native'][0]}/{agg['native'][1]} |")
    sched_ok, sched_tot = check_schedulers(os.path.join(d, "schedulers.json.gz"), verbose)
    print(f"\nschedulers: {sched_ok}/{sched_tot} values exact")
    if not all_exact or sched_ok != sched_tot:
        sys.exit(1)


# ------------------------------------------------------------------------------------------------------------------
# LR schedulers: torch's chainable (recursive) forms in Python double, as written in OPERATION-ORDER.md.
# ------------------------------------------------------------------------------------------------------------------

def sched_series(e, metrics):
    cls, kw, okw = e["scheduler"], e["kwargs"], e["optimizer_kwargs"]
    lr0 = okw["lr"]
    n = len(e["lr"]) - 1
    lrs, moms = [], []
    calls = {k: eval(v) for k, v in e.get("callables", {}).items()}
    if cls == "StepLR":
        lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            if ep % kw["step_size"] == 0:
                lr = lr * kw["gamma"]
            lrs.append(lr)
    elif cls == "MultiStepLR":
        from collections import Counter
        ms = Counter(kw["milestones"])
        lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            if ep in ms:
                lr = lr * kw["gamma"] ** ms[ep]
            lrs.append(lr)
    elif cls == "ExponentialLR":
        lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            lr = lr * kw["gamma"]
            lrs.append(lr)
    elif cls == "CosineAnnealingLR":
        T, emin = kw["T_max"], kw.get("eta_min", 0)
        base = lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            if (ep - 1 - T) % (2 * T) == 0:
                lr = lr + (base - emin) * (1 - math.cos(math.pi / T)) / 2
            else:
                lr = (1 + math.cos(math.pi * ep / T)) / (1 + math.cos(math.pi * (ep - 1) / T)) * (lr - emin) + emin
            lrs.append(lr)
    elif cls == "CosineAnnealingWarmRestarts":
        T0, Tm, emin = kw["T_0"], kw.get("T_mult", 1), kw.get("eta_min", 0)
        Ti, Tc = T0, 0
        lrs.append(emin + (lr0 - emin) * (1 + math.cos(math.pi * Tc / Ti)) / 2)
        for ep in range(1, n + 1):
            Tc += 1
            if Tc >= Ti:
                Tc -= Ti
                Ti *= Tm
            lrs.append(emin + (lr0 - emin) * (1 + math.cos(math.pi * Tc / Ti)) / 2)
    elif cls == "LinearLR":
        s, f, T = kw.get("start_factor", 1 / 3), kw.get("end_factor", 1.0), kw.get("total_iters", 5)
        lr = lr0 * s
        lrs.append(lr)
        for ep in range(1, n + 1):
            if ep <= T:
                lr = lr * (1. + (f - s) / (T * s + (ep - 1) * (f - s)))
            lrs.append(lr)
    elif cls == "ConstantLR":
        fct, T = kw["factor"], kw["total_iters"]
        lr = lr0 * fct
        lrs.append(lr)
        for ep in range(1, n + 1):
            if ep == T:
                lr = lr * (1.0 / fct)
            lrs.append(lr)
    elif cls == "PolynomialLR":
        T, pw = kw["total_iters"], kw["power"]
        lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            if ep <= T:
                lr = lr * ((1.0 - ep / T) / (1.0 - (ep - 1) / T)) ** pw
            lrs.append(lr)
    elif cls == "CyclicLR":
        up = float(kw["step_size_up"])
        down = float(kw["step_size_down"]) if kw.get("step_size_down") is not None else up
        total, ratio = up + down, up / (up + down)
        mode, gamma = kw.get("mode", "triangular"), kw.get("gamma", 1.)
        if "scale_fn" in calls:
            sfn, smode = calls["scale_fn"], kw.get("scale_mode", "cycle")
        else:
            sfn = {"triangular": lambda x: 1., "triangular2": lambda x: 1 / (2. ** (x - 1)),
                   "exp_range": lambda x: gamma ** x}[mode]
            smode = "iterations" if mode == "exp_range" else "cycle"
        bm, mm = kw.get("base_momentum", 0.8), kw.get("max_momentum", 0.9)
        for ep in range(0, n + 1):
            cycle = math.floor(1 + ep / total)
            x = 1. + ep / total - cycle
            sf = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
            arg = cycle if smode == "cycle" else ep
            lrs.append(kw["base_lr"] + (kw["max_lr"] - kw["base_lr"]) * sf * sfn(arg))
            moms.append(mm - (mm - bm) * sf * sfn(arg))
    elif cls == "OneCycleLR":
        total = kw.get("total_steps") or kw["epochs"] * kw["steps_per_epoch"]
        pct, strat = kw.get("pct_start", 0.3), kw.get("anneal_strategy", "cos")
        div, fdiv = kw.get("div_factor", 25.), kw.get("final_div_factor", 1e4)
        bm, mm = kw.get("base_momentum", 0.85), kw.get("max_momentum", 0.95)
        init = kw["max_lr"] / div
        vals = {"initial_lr": init, "max_lr": kw["max_lr"], "min_lr": init / fdiv, "max_momentum": mm,
                "base_momentum": bm}
        if kw.get("three_phase"):
            ph = [(float(pct * total) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                  (float(2 * pct * total) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                  (total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        else:
            ph = [(float(pct * total) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                  (total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]

        def anneal(a, b, pc):
            if strat == "cos":
                return b + (a - b) / 2.0 * (math.cos(math.pi * pc) + 1)
            return (b - a) * pc + a

        for ep in range(0, n + 1):
            start = 0
            for i, (end, sl, el, sm, em) in enumerate(ph):
                if ep <= end or i == len(ph) - 1:
                    pc = (ep - start) / (end - start)
                    lrs.append(anneal(vals[sl], vals[el], pc))
                    moms.append(anneal(vals[sm], vals[em], pc))
                    break
                start = end
    elif cls == "LambdaLR":
        f = calls["lr_lambda"]
        for ep in range(0, n + 1):
            lrs.append(lr0 * f(ep))
    elif cls == "MultiplicativeLR":
        f = calls["lr_lambda"]
        lr = lr0
        lrs.append(lr)
        for ep in range(1, n + 1):
            lr = lr * f(ep)
            lrs.append(lr)
    elif cls == "ReduceLROnPlateau":
        mode, fct, pat = kw.get("mode", "min"), kw.get("factor", 0.1), kw.get("patience", 10)
        th, thm, cd = kw.get("threshold", 1e-4), kw.get("threshold_mode", "rel"), kw.get("cooldown", 0)
        mlr, eps = kw.get("min_lr", 0), kw.get("eps", 1e-8)
        best = math.inf if mode == "min" else -math.inf
        bad = cdc = 0
        lr = lr0
        lrs.append(lr)

        def better(a, b):
            if mode == "min" and thm == "rel":
                return a < b * (1. - th)
            if mode == "min":
                return a < b - th
            if thm == "rel":
                return a > b * (th + 1.)
            return a > b + th

        for m in metrics:
            if better(m, best):
                best, bad = m, 0
            else:
                bad += 1
            if cdc > 0:
                cdc -= 1
                bad = 0
            if bad > pat:
                new = max(lr * fct, mlr)
                if lr - new > eps:
                    lr = new
                cdc, bad = cd, 0
            lrs.append(lr)
    else:
        raise KeyError(cls)
    return lrs, moms


def check_schedulers(path, verbose):
    with gzip.open(path) as f:
        doc = json.load(f)
    ok = tot = 0
    for e in doc["cases"]:
        metrics = [float(dec(m, "float64")[0]) for m in e["metrics"]] if "metrics" in e else None
        lrs, moms = sched_series(e, metrics)
        series = [("lr", lrs)]
        if "momentum" in e or "beta1" in e:
            series.append(("momentum" if "momentum" in e else "beta1", moms))
        c_ok = c_tot = 0
        first = None
        for key, mine in series:
            for t, h in enumerate(e[key]):
                c_tot += 1
                m = bits(np.float64(mine[t]), "float64") if t < len(mine) else "missing"
                if m == h:
                    c_ok += 1
                elif first is None:
                    first = f"{key}[{t}] emulated {m} torch {h}"
        ok += c_ok
        tot += c_tot
        if verbose or c_ok != c_tot:
            print(f"  {e['name']:40s} {c_ok}/{c_tot}" + (f"  first: {first}" if first else ""))
    return ok, tot


if __name__ == "__main__":
    main()

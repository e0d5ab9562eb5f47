#!/usr/bin/env python3
"""PyTorch reference trajectories for Trainyard's optimizers and learning-rate schedulers.

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_optim_fixtures.py [--new-only]

With --new-only the cases already in the files are kept as they are and only the missing ones are generated: the
recorded gradients' last bits depend on the machine's CPU kernels (they differ between the AVX2 machine that wrote
the first cases and an AVX-512 one), so adding a case need not rewrite the others.

Needs PyTorch (Debian package `python3-torch`). Writes

    engine/src/test/resources/fixtures/optim/optimizers.json
    engine/src/test/resources/fixtures/optim/schedulers.json

read by engine/src/test/java/dev/trainyard/engine/optim/{OptimizerFixtureTest,SchedulerFixtureTest}.java.

optimizers.json: {"torch_version", "cases": [CASE, ...]}

    CASE = {"name", "optimizer": "SGD"|"Adam"|"AdamW"|"RMSprop"|"Adagrad", "dtype": "float32"|"float64",
            "lr": constructor lr,
            "defaults": {option: value},          # other constructor options, PyTorch names
            "groups": [{"params": [i, ...], "options": {option: value}}],   # or null: one group of all params
            "shapes": [[...], ...], "init": [[flat values], ...],
            "steps": [{"grads": [[flat] | null, ...],    # gradient given to each param at this step
                       "params": [[flat], ...]}],       # every param after optimizer.step()
            "final_state": {"state": {"0": {key: [flat] | number}}, "param_groups": [{option: value, "params": [...]}]}}

    Gradients come from a small fixed problem (tanh regression) evaluated in PyTorch at the current parameters, and
    are recorded, so the Java side replays exactly the gradients PyTorch used. A null gradient means the parameter's
    .grad was None at that step (the optimizer must skip it). The optimizers run with foreach=False (the single-tensor
    for-loop implementations, which Trainyard follows operation by operation).

schedulers.json: {"torch_version", "cases": [CASE, ...]}

    CASE = {"name", "optimizer": {"type": "SGD"|"Adam", "lrs": [lr per group], "momentum": m (SGD only)},
            "scheduler": SPEC, "steps": n,
            "metrics": [...],                     # ReduceLROnPlateau only: the value passed to each step()
            "lrs": [[lr per group] after construction, then after each of the n steps],
            "momentum": [[...]] | "beta1": [[...]]}   # OneCycleLR with cycle_momentum only, same layout
    SPEC = {"type": class name, "args": {PyTorch keyword: value}}; SequentialLR's args hold
           {"schedulers": [SPEC, ...], "milestones": [...]}.

grad_clip.json: {"cases": [{"name", "dtype", "shapes", "grads": [[flat]...], "max_norm", "norm_type" (number or
    "inf"), "total_norm", "clipped": [[flat]...]} or, for clip_grad_value_, "clip_value" instead of the norm keys]}

Values are written with Python's repr (float32 data via float(np.float32)), so Java's Double.parseDouble /
Float.parseFloat recover them exactly.
"""
import json
import os
import sys
import warnings

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "optim")
STEPS = 20
SKIP_OPTIONS = {"foreach", "differentiable", "capturable", "fused"}


def flat(t):
    return t.detach().reshape(-1).tolist()


def problem(dtype):
    g = torch.Generator().manual_seed(1234)
    w = torch.randn(4, 5, generator=g, dtype=torch.float64).to(dtype) * 0.5
    b = torch.randn(4, generator=g, dtype=torch.float64).to(dtype) * 0.1
    x = torch.randn(8, 5, generator=g, dtype=torch.float64).to(dtype)
    y = torch.randn(8, 4, generator=g, dtype=torch.float64).to(dtype)
    return [w, b], x, y


def loss_fn(params, x, y, step):
    w, b = params
    # the target drifts a little each step so the gradients keep changing direction
    return ((torch.tanh(x @ w.t() + b) - y * (1 + 0.05 * step)) ** 2).mean() + 0.01 * (w ** 4).sum()


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
}


def pack_value(v):
    if isinstance(v, torch.Tensor):
        return flat(v) if v.dim() > 0 else v.item()
    if isinstance(v, tuple):
        return list(v)
    return v


def optimizer_case(name, opt, lr, defaults=None, groups=None, dtype=torch.float32, skip=None):
    """skip: {step: [param indices whose grad is None at that step]}"""
    defaults = defaults or {}
    skip = skip or {}
    init, x, y = problem(dtype)
    params = [p.clone().requires_grad_(True) for p in init]
    if groups is None:
        spec = params
    else:
        spec = [dict(params=[params[i] for i in g["params"]], **g["options"]) for g in groups]
    optimizer = OPTIMIZERS[opt](spec, lr=lr, foreach=False, **defaults)
    steps = []
    for k in range(STEPS):
        optimizer.zero_grad(set_to_none=True)
        loss_fn(params, x, y, k).backward()
        for i in skip.get(k, []):
            params[i].grad = None
        grads = [None if p.grad is None else flat(p.grad) for p in params]
        optimizer.step()
        steps.append({"grads": grads, "params": [flat(p) for p in params]})
    sd = optimizer.state_dict()
    final_state = {
        "state": {str(k): {key: pack_value(v) for key, v in s.items() if v is not None} for k, s in sd["state"].items()},
        "param_groups": [{key: pack_value(v) for key, v in g.items() if key not in SKIP_OPTIONS} for g in sd["param_groups"]],
    }
    return {
        "name": name, "optimizer": opt, "dtype": str(dtype).replace("torch.", ""), "lr": lr,
        "defaults": defaults, "groups": groups,
        "shapes": [list(p.shape) for p in init], "init": [flat(p) for p in init],
        "steps": steps, "final_state": final_state,
    }


def optimizer_cases():
    two_groups = [{"params": [0], "options": {}}, {"params": [1], "options": {"lr": 0.01}}]
    f64 = torch.float64
    return [
        optimizer_case("sgd_plain", "SGD", 0.1),
        optimizer_case("sgd_momentum", "SGD", 0.05, {"momentum": 0.9}),
        optimizer_case("sgd_momentum_dampening_wd", "SGD", 0.05, {"momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
        optimizer_case("sgd_nesterov_wd", "SGD", 0.05, {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
        optimizer_case("sgd_maximize", "SGD", 0.01, {"momentum": 0.5, "maximize": True}),
        optimizer_case("sgd_groups", "SGD", 0.1, {"momentum": 0.9},
                       [{"params": [0], "options": {}}, {"params": [1], "options": {"lr": 0.01, "momentum": 0.5}}]),
        optimizer_case("sgd_missing_grad", "SGD", 0.1, {"momentum": 0.9}, skip={0: [1], 5: [0], 6: [0, 1]}),
        optimizer_case("sgd_float64", "SGD", 0.05, {"momentum": 0.9, "nesterov": True}, dtype=f64),
        optimizer_case("adam_default", "Adam", 0.05),
        optimizer_case("adam_wd", "Adam", 0.05, {"weight_decay": 0.1}),
        optimizer_case("adam_amsgrad", "Adam", 0.05, {"amsgrad": True, "betas": (0.8, 0.9)}),
        optimizer_case("adam_maximize_eps", "Adam", 0.02, {"maximize": True, "eps": 1e-3}),
        optimizer_case("adam_groups", "Adam", 0.05, {"betas": (0.85, 0.99)},
                       [{"params": [0], "options": {"weight_decay": 0.05}}, {"params": [1], "options": {"lr": 0.01, "amsgrad": True}}]),
        optimizer_case("adam_missing_grad", "Adam", 0.05, skip={0: [1], 3: [0], 4: [0]}),
        optimizer_case("adam_float64", "Adam", 0.05, {"amsgrad": True}, dtype=f64),
        optimizer_case("adamw_default", "AdamW", 0.05),
        optimizer_case("adamw_amsgrad_wd", "AdamW", 0.05, {"amsgrad": True, "weight_decay": 0.1}),
        optimizer_case("adamw_groups", "AdamW", 0.05, None, two_groups),
        optimizer_case("rmsprop_default", "RMSprop", 0.01),
        optimizer_case("rmsprop_centered", "RMSprop", 0.01, {"centered": True}),
        optimizer_case("rmsprop_momentum", "RMSprop", 0.01, {"momentum": 0.9, "alpha": 0.9}),
        optimizer_case("rmsprop_centered_momentum_wd", "RMSprop", 0.01,
                       {"centered": True, "momentum": 0.5, "weight_decay": 0.01, "eps": 1e-6}),
        optimizer_case("rmsprop_maximize", "RMSprop", 0.01, {"maximize": True}),
        optimizer_case("rmsprop_float64", "RMSprop", 0.01, {"centered": True, "momentum": 0.9}, dtype=f64),
        optimizer_case("rmsprop_momentum_wd_maximize", "RMSprop", 0.01,
                       {"momentum": 0.9, "weight_decay": 0.01, "maximize": True, "eps": 1e-7}),
        optimizer_case("rmsprop_float64_plain", "RMSprop", 0.01, {"weight_decay": 0.01, "alpha": 0.9}, dtype=f64),
        optimizer_case("adagrad_default", "Adagrad", 0.1),
        optimizer_case("adagrad_lr_decay_wd", "Adagrad", 0.1, {"lr_decay": 0.05, "weight_decay": 0.01}),
        optimizer_case("adagrad_initial_accumulator", "Adagrad", 0.1,
                       {"initial_accumulator_value": 0.1, "eps": 1e-8, "maximize": True}),
        optimizer_case("adagrad_groups", "Adagrad", 0.1, None, two_groups),
        optimizer_case("adagrad_float64", "Adagrad", 0.1,
                       {"lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.05, "maximize": True},
                       dtype=f64),
    ]


# ---------------------------------------------------------------------------------------------- schedulers

def build_scheduler(optimizer, spec):
    args = dict(spec["args"])
    if spec["type"] == "SequentialLR":
        args["schedulers"] = [build_scheduler(optimizer, s) for s in args["schedulers"]]
    cls = getattr(torch.optim.lr_scheduler, spec["type"])
    return cls(optimizer, **args)


def scheduler_case(name, spec, opt=None, steps=30, metrics=None):
    opt = opt or {"type": "SGD", "lrs": [0.1, 0.01], "momentum": 0.9}
    params = [torch.zeros(2, requires_grad=True) for _ in opt["lrs"]]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, opt["lrs"])]
    if opt["type"] == "SGD":
        optimizer = torch.optim.SGD(groups, lr=opt["lrs"][0], momentum=opt["momentum"])
    else:
        optimizer = torch.optim.Adam(groups, lr=opt["lrs"][0])
    sched = build_scheduler(optimizer, spec)
    plateau = spec["type"] == "ReduceLROnPlateau"
    lrs = [[g["lr"] for g in optimizer.param_groups]]
    momentum = [[g["momentum"] for g in optimizer.param_groups]] if opt["type"] == "SGD" else None
    beta1 = [[g["betas"][0] for g in optimizer.param_groups]] if opt["type"] == "Adam" else None
    for k in range(steps):
        optimizer.step()
        if plateau:
            sched.step(metrics[k])
        else:
            sched.step()
            assert sched.get_last_lr() == [g["lr"] for g in optimizer.param_groups]
        lrs.append([g["lr"] for g in optimizer.param_groups])
        if momentum is not None:
            momentum.append([g["momentum"] for g in optimizer.param_groups])
        if beta1 is not None:
            beta1.append([g["betas"][0] for g in optimizer.param_groups])
    case = {"name": name, "optimizer": opt, "scheduler": spec, "steps": steps, "lrs": lrs}
    if metrics is not None:
        case["metrics"] = metrics
    cycles = spec["type"] == "OneCycleLR" and spec["args"].get("cycle_momentum", True)
    if cycles and momentum is not None:
        case["momentum"] = momentum
    if cycles and beta1 is not None:
        case["beta1"] = beta1
    return case


def spec(type_, **args):
    return {"type": type_, "args": args}


def scheduler_cases():
    adam = {"type": "Adam", "lrs": [0.001, 0.0005]}
    plateau_min = [1.0, 0.9, 0.85, 0.85, 0.84996, 0.86, 0.7, 0.7, 0.7, 0.7, 0.69, 0.7, 0.71, 0.72, 0.5,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45]
    plateau_max = [0.1, 0.2, 0.205, 0.209, 0.3, 0.3, 0.305, 0.5, 0.5, 0.5, 0.5, 0.52, 0.6, 0.6, 0.6,
                   0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7]
    return [
        scheduler_case("step_lr", spec("StepLR", step_size=7, gamma=0.5)),
        scheduler_case("multistep_lr", spec("MultiStepLR", milestones=[5, 12, 12, 20], gamma=0.3)),
        scheduler_case("exponential_lr", spec("ExponentialLR", gamma=0.9)),
        scheduler_case("cosine_annealing_lr", spec("CosineAnnealingLR", T_max=10, eta_min=0.001), steps=45),
        scheduler_case("cosine_annealing_lr_tmax7", spec("CosineAnnealingLR", T_max=7)),
        scheduler_case("linear_lr_warmup", spec("LinearLR", start_factor=0.25, end_factor=1.0, total_iters=8)),
        scheduler_case("linear_lr_decay", spec("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=10)),
        scheduler_case("one_cycle_cos_sgd", spec("OneCycleLR", max_lr=0.5, total_steps=30)),
        scheduler_case("one_cycle_linear_three_phase", spec("OneCycleLR", max_lr=[0.5, 0.2], total_steps=31, pct_start=0.25,
                                                            anneal_strategy="linear", three_phase=True,
                                                            div_factor=10.0, final_div_factor=100.0)),
        scheduler_case("one_cycle_cos_adam", spec("OneCycleLR", max_lr=0.01, epochs=3, steps_per_epoch=10,
                                                  base_momentum=0.8, max_momentum=0.9), opt=adam),
        scheduler_case("one_cycle_no_momentum", spec("OneCycleLR", max_lr=0.3, total_steps=40, cycle_momentum=False)),
        scheduler_case("sequential_warmup_cosine", spec("SequentialLR", milestones=[5], schedulers=[
            spec("LinearLR", start_factor=0.1, total_iters=5), spec("CosineAnnealingLR", T_max=20, eta_min=0.0001)])),
        scheduler_case("sequential_three", spec("SequentialLR", milestones=[4, 10], schedulers=[
            spec("ExponentialLR", gamma=0.9), spec("StepLR", step_size=3, gamma=0.5),
            spec("MultiStepLR", milestones=[3, 8], gamma=0.2)])),
        scheduler_case("plateau_min_rel", spec("ReduceLROnPlateau", mode="min", factor=0.5, patience=2, threshold=1e-4,
                                               cooldown=1, min_lr=0.001), metrics=plateau_min),
        scheduler_case("plateau_max_abs", spec("ReduceLROnPlateau", mode="max", factor=0.3, patience=1, threshold=0.01,
                                               threshold_mode="abs", min_lr=[0.005, 0.0], eps=1e-4), metrics=plateau_max),
        scheduler_case("plateau_default", spec("ReduceLROnPlateau"), metrics=plateau_min),
    ]


# ---------------------------------------------------------------------------------------------- gradient clipping

def clip_case(name, max_norm, norm_type, scale=1.0, value=None, dtype=torch.float32):
    g = torch.Generator().manual_seed(len(name) * 7919)
    shapes = [[3, 4], [5], [2, 2, 2]]
    grads = [(torch.randn(*s, generator=g, dtype=torch.float64) * scale).to(dtype) for s in shapes]
    params = [torch.zeros(*s, dtype=dtype, requires_grad=True) for s in shapes]
    for p, gr in zip(params, grads):
        p.grad = gr.clone()
    case = {"name": name, "dtype": str(dtype).replace("torch.", ""), "shapes": shapes, "grads": [flat(x) for x in grads]}
    if value is not None:
        torch.nn.utils.clip_grad_value_(params, value)
        case["clip_value"] = value
    else:
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        case.update(max_norm=max_norm, norm_type="inf" if norm_type == float("inf") else norm_type, total_norm=total.item())
    case["clipped"] = [flat(p.grad) for p in params]
    return case


def clip_cases():
    return [
        clip_case("norm2_clips", 1.0, 2.0),
        clip_case("norm2_no_clip", 100.0, 2.0),
        clip_case("norm1", 2.0, 1.0),
        clip_case("norm_inf", 0.5, float("inf")),
        clip_case("norm3", 1.5, 3.0, scale=10.0),
        clip_case("norm2_float64", 1.0, 2.0, dtype=torch.float64),
        clip_case("value", None, None, value=0.3),
    ]


def write(name, cases, new_only=False):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    if new_only and os.path.exists(path):
        with open(path) as f:
            kept = {c["name"]: c for c in json.load(f)["cases"]}
        print("kept", len([c for c in cases if c["name"] in kept]), "cases of", os.path.relpath(path), "as they were")
        cases = [kept.get(c["name"], c) for c in cases]
    with open(path, "w") as f:
        f.write('{"torch_version": %s, "generator": "engine/src/test/python/gen_optim_fixtures.py",\n "cases": [\n'
                % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.relpath(path), len(cases), "cases")


if __name__ == "__main__":
    warnings.filterwarnings("ignore", category=UserWarning)  # SequentialLR's step(0) deprecation notice
    torch.manual_seed(0)
    new_only = "--new-only" in sys.argv
    write("optimizers.json", optimizer_cases(), new_only)
    write("schedulers.json", scheduler_cases(), new_only)
    write("grad_clip.json", clip_cases(), new_only)

#!/usr/bin/env python3
"""Reference values for Trainyard's streaming metrics (dev.trainyard.engine.metrics).

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_metrics_fixtures.py

Writes engine/src/test/resources/fixtures/metrics/metrics.json, read by
engine/src/test/java/dev/trainyard/engine/metrics/MetricsFixtureTest.java.

Neither torchmetrics nor scikit-learn is installed on the machine that generated these fixtures, so the reference
values are computed here with plain NumPy/PyTorch, written from the metric definitions and deliberately by a
different route than the Java code where one exists:

  * stat scores (accuracy, precision, recall, F1, confusion matrix): per-sample loops building per-class
    tp / fp / fn, torchmetrics' reductions (_safe_divide: x/0 = 0; macro leaves out classes with tp + fp + fn == 0,
    or tp + fn == 0 with top-k > 1; weighted uses tp + fn);
  * AUROC: the Mann-Whitney statistic P(score_pos > score_neg) + 0.5 P(equal), which equals the trapezoidal area
    under the ROC curve through every distinct threshold; with no positive or no negative targets torchmetrics takes
    the missing rate as 0, giving 0;
  * average precision: brute force over the distinct thresholds t (highest first) of
    (recall(t) - recall(previous t)) * precision(t); NaN without positives, left out of macro/weighted averages;
  * scores not all in [0, 1] within one update are logits: sigmoid (binary / multilabel) or softmax over classes
    (multiclass), in float32, per update, as torchmetrics formats its inputs.

Schema: {"cases": [{"name", "metric", "args": {...}, "batches": [{"preds": T, "target": T}], "expected": T}]}
with T = {"dtype", "shape", "data"} (row-major; NaN written as null).
"""
import json
import math
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "metrics")


def tensor_json(x):
    x = torch.as_tensor(x)
    data = x.reshape(-1).tolist()
    if x.dtype.is_floating_point:
        data = [None if math.isnan(v) else v for v in data]
    return {"dtype": str(x.dtype).replace("torch.", ""), "shape": list(x.shape), "data": data}


# ---------------------------------------------------------------------------------------------- stat scores

def predicted_sets(preds, k):
    if not preds.dtype.is_floating_point:
        return [[int(p)] for p in preds]
    return [torch.topk(row, k).indices.tolist() for row in preds]


def stat_scores(batches, c, k):
    tp = np.zeros(c)
    fp = np.zeros(c)
    fn = np.zeros(c)
    for preds, target in batches:
        for picked, t in zip(predicted_sets(preds, k), target.tolist()):
            for p in picked:
                if p != t:
                    fp[p] += 1
            if t in picked:
                tp[t] += 1
            else:
                fn[t] += 1
    return tp, fp, fn


def safe_div(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))


def reduce(score, average, tp, fp, fn, k):
    if average == "none":
        return torch.tensor(score, dtype=torch.float32)
    if average == "weighted":
        w = tp + fn
    else:
        w = np.ones_like(score)
        w[(tp + fp + fn == 0) if k == 1 else (tp + fn == 0)] = 0
    return torch.tensor(float(safe_div((w * score).sum(), w.sum())), dtype=torch.float32)


def classification(metric, batches, c, average, k):
    tp, fp, fn = stat_scores(batches, c, k)
    if average == "micro":
        TP, FP, FN = tp.sum(), fp.sum(), fn.sum()
        value = {"accuracy": safe_div(TP, TP + FN), "recall": safe_div(TP, TP + FN),
                 "precision": safe_div(TP, TP + FP), "f1": safe_div(2 * TP, 2 * TP + FP + FN)}[metric]
        return torch.tensor(float(value), dtype=torch.float32)
    score = {"accuracy": safe_div(tp, tp + fn), "recall": safe_div(tp, tp + fn),
             "precision": safe_div(tp, tp + fp), "f1": safe_div(2 * tp, 2 * tp + fp + fn)}[metric]
    return reduce(score, average, tp, fp, fn, k)


def confusion(batches, c, normalize):
    m = np.zeros((c, c), dtype=np.int64)
    for preds, target in batches:
        labels = preds.argmax(1) if preds.dtype.is_floating_point else preds
        for p, t in zip(labels.tolist(), target.tolist()):
            m[t, p] += 1
    if normalize == "none":
        return torch.tensor(m)
    if normalize == "true":
        out = safe_div(m, m.sum(1, keepdims=True))
    elif normalize == "pred":
        out = safe_div(m, m.sum(0, keepdims=True))
    else:
        out = safe_div(m, m.sum())
    return torch.tensor(out, dtype=torch.float32)


# ---------------------------------------------------------------------------------------------- ranking metrics

def normalized(preds, softmax):
    if bool(((preds >= 0) & (preds <= 1)).all()):
        return preds
    return preds.softmax(1) if softmax else preds.sigmoid()


def mann_whitney(scores, pos):
    s = np.asarray(scores, dtype=np.float64)
    pos = np.asarray(pos, dtype=bool)
    p, n = s[pos], s[~pos]
    if len(p) == 0 or len(n) == 0:
        return 0.0
    greater = (p[:, None] > n[None, :]).sum()
    equal = (p[:, None] == n[None, :]).sum()
    return float((greater + 0.5 * equal) / (len(p) * len(n)))


def brute_force_ap(scores, pos):
    s = np.asarray(scores, dtype=np.float64)
    pos = np.asarray(pos, dtype=bool)
    total = pos.sum()
    if total == 0:
        return float("nan")
    ap = 0.0
    prev_recall = 0.0
    for t in sorted(set(s.tolist()), reverse=True):
        selected = s >= t
        tp = (selected & pos).sum()
        recall = tp / total
        precision = tp / selected.sum()
        ap += (recall - prev_recall) * precision
        prev_recall = recall
    return float(ap)


def reduce_nan(per_class, support, average):
    per_class = np.asarray(per_class, dtype=np.float64)
    if average == "none":
        return torch.tensor(per_class, dtype=torch.float32)
    keep = ~np.isnan(per_class)
    if average == "macro":
        return torch.tensor(float(per_class[keep].mean()) if keep.any() else float("nan"), dtype=torch.float32)
    w = np.asarray(support, dtype=np.float64)[keep]
    return torch.tensor(float(safe_div((w * per_class[keep]).sum(), w.sum())), dtype=torch.float32)


def auroc_binary(batches):
    scores = torch.cat([normalized(p, False) for p, _ in batches])
    target = torch.cat([t for _, t in batches])
    return torch.tensor(mann_whitney(scores, target == 1), dtype=torch.float32)


def auroc_multiclass(batches, c, average):
    scores = torch.cat([normalized(p, True) for p, _ in batches])
    target = torch.cat([t for _, t in batches])
    per = [mann_whitney(scores[:, k], target == k) for k in range(c)]
    support = [(target == k).sum().item() for k in range(c)]
    return reduce_nan(per, support, average)


def average_precision(batches, labels, average):
    parts = []
    for p, t in batches:
        if p.dim() == 1:
            parts.append((normalized(p, False)[:, None], t[:, None]))
        elif t.dim() == 1:
            parts.append((normalized(p, True), torch.nn.functional.one_hot(t, labels)))
        else:
            parts.append((normalized(p, False), t))
    scores = torch.cat([s for s, _ in parts])
    target = torch.cat([t for _, t in parts])
    per = [brute_force_ap(scores[:, k], target[:, k] == 1) for k in range(labels)]
    support = [(target[:, k] == 1).sum().item() for k in range(labels)]
    if labels == 1 and average == "none":
        return torch.tensor(per[0], dtype=torch.float32)
    return reduce_nan(per, support, average)


# ---------------------------------------------------------------------------------------------- data

def multiclass_batches(seed, sizes, c, labels=False, logits=False, absent=None, strength=1.5):
    g = torch.Generator().manual_seed(seed)
    out = []
    for n in sizes:
        target = torch.randint(0, c, (n,), generator=g)
        if absent is not None:
            target[target == absent] = (absent + 1) % c
        scores = torch.randn(n, c, generator=g) + strength * torch.nn.functional.one_hot(target, c)
        if absent is not None:
            scores[:, absent] -= 10
        if labels:
            preds = scores.argmax(1)
        elif logits:
            preds = scores
        else:
            preds = scores.softmax(1)
        out.append((preds, target))
    return out


def binary_batches(seed, sizes, logits=False, ties=False):
    g = torch.Generator().manual_seed(seed)
    out = []
    for n in sizes:
        target = torch.randint(0, 2, (n,), generator=g)
        scores = torch.randn(n, generator=g) + 1.2 * target
        preds = scores if logits else scores.sigmoid()
        if ties:
            preds = (preds * 4).round() / 4
        out.append((preds, target))
    return out


def multilabel_batches(seed, sizes, labels, logits=False, no_positive=None, ties=False):
    g = torch.Generator().manual_seed(seed)
    out = []
    for n in sizes:
        target = (torch.rand(n, labels, generator=g) < 0.35).long()
        if no_positive is not None:
            target[:, no_positive] = 0
        scores = torch.randn(n, labels, generator=g) + 1.5 * target
        preds = scores if logits else scores.sigmoid()
        if ties:
            preds = (preds * 5).round() / 5
        out.append((preds, target))
    return out


def case(name, metric, args, batches, expected):
    return {"name": name, "metric": metric, "args": args,
            "batches": [{"preds": tensor_json(p), "target": tensor_json(t)} for p, t in batches],
            "expected": tensor_json(expected)}


def cases():
    out = []
    scores5 = multiclass_batches(1, [17, 17, 9], 5)
    labels6 = multiclass_batches(2, [20, 13], 6, labels=True, absent=3)
    logits7 = multiclass_batches(3, [25, 25], 7, logits=True, strength=1.0)
    for metric in ["accuracy", "precision", "recall", "f1"]:
        for average in ["micro", "macro", "weighted", "none"]:
            out.append(case(f"{metric}_{average}_scores", metric, {"num_classes": 5, "average": average, "top_k": 1},
                            scores5, classification(metric, scores5, 5, average, 1)))
            out.append(case(f"{metric}_{average}_labels_absent_class", metric,
                            {"num_classes": 6, "average": average, "top_k": 1}, labels6,
                            classification(metric, labels6, 6, average, 1)))
        for average in ["micro", "macro", "none"]:
            out.append(case(f"{metric}_{average}_top3", metric, {"num_classes": 7, "average": average, "top_k": 3},
                            logits7, classification(metric, logits7, 7, average, 3)))
    for normalize in ["none", "true", "pred", "all"]:
        out.append(case(f"confusion_matrix_{normalize}", "confusion_matrix", {"num_classes": 6, "normalize": normalize},
                        labels6, confusion(labels6, 6, normalize)))
    out.append(case("confusion_matrix_scores", "confusion_matrix", {"num_classes": 5, "normalize": "none"},
                    scores5, confusion(scores5, 5, "none")))

    bin_probs = binary_batches(4, [30, 21])
    bin_logits = binary_batches(5, [30, 30], logits=True)
    bin_ties = binary_batches(6, [40, 25], ties=True)
    out.append(case("auroc_binary_probs", "auroc_binary", {}, bin_probs, auroc_binary(bin_probs)))
    out.append(case("auroc_binary_logits", "auroc_binary", {}, bin_logits, auroc_binary(bin_logits)))
    out.append(case("auroc_binary_ties", "auroc_binary", {}, bin_ties, auroc_binary(bin_ties)))
    mc_absent = multiclass_batches(7, [30, 18], 5, absent=2)
    for average in ["macro", "weighted", "none"]:
        out.append(case(f"auroc_multiclass_{average}", "auroc_multiclass", {"num_classes": 5, "average": average},
                        scores5, auroc_multiclass(scores5, 5, average)))
        out.append(case(f"auroc_multiclass_{average}_logits", "auroc_multiclass", {"num_classes": 7, "average": average},
                        logits7, auroc_multiclass(logits7, 7, average)))
        out.append(case(f"auroc_multiclass_{average}_absent_class", "auroc_multiclass",
                        {"num_classes": 5, "average": average}, mc_absent, auroc_multiclass(mc_absent, 5, average)))

    ml = multilabel_batches(8, [23, 23, 10], 4)
    ml_logits_empty = multilabel_batches(9, [30, 20], 5, logits=True, no_positive=3)
    ml_ties = multilabel_batches(10, [35, 35], 3, ties=True)
    for average in ["none", "macro", "weighted"]:
        out.append(case(f"average_precision_multilabel_{average}", "average_precision",
                        {"num_labels": 4, "average": average}, ml, average_precision(ml, 4, average)))
        out.append(case(f"average_precision_multilabel_{average}_no_positive_label", "average_precision",
                        {"num_labels": 5, "average": average}, ml_logits_empty,
                        average_precision(ml_logits_empty, 5, average)))
        out.append(case(f"average_precision_multilabel_{average}_ties", "average_precision",
                        {"num_labels": 3, "average": average}, ml_ties, average_precision(ml_ties, 3, average)))
        out.append(case(f"average_precision_multiclass_{average}", "average_precision",
                        {"num_labels": 5, "average": average}, scores5, average_precision(scores5, 5, average)))
    out.append(case("average_precision_binary", "average_precision", {"num_labels": 1, "average": "none"},
                    bin_ties, average_precision(bin_ties, 1, "none")))
    out.append(case("mean_average_precision", "mean_average_precision", {"num_labels": 5}, ml_logits_empty,
                    average_precision(ml_logits_empty, 5, "macro")))
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "metrics.json")
    all_cases = cases()
    with open(path, "w") as f:
        f.write('{"torch_version": %s, "generator": "engine/src/test/python/gen_metrics_fixtures.py",\n "cases": [\n'
                % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in all_cases))
        f.write("\n]}\n")
    print("wrote", os.path.relpath(path), len(all_cases), "cases")

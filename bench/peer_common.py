"""What the Python peers of `npm run bench` share: the bench data (written by bench-data.mjs),
Glorot-uniform weights with zero biases, one permutation a epoch, and the timing rule (median
of the epochs after the first, which pays for compilation and warm-up)."""
import json, os, resource, sys
import numpy as np


def load(data_dir):
    meta = json.load(open(os.path.join(data_dir, "meta.json")))
    read = lambda f, t: np.fromfile(os.path.join(data_dir, f), dtype=t)
    d = meta["inputs"]
    return (
        read("x_train.f32", np.float32).reshape(-1, d),
        read("y_train.i32", np.int32).astype(np.int64),
        read("x_test.f32", np.float32).reshape(-1, d),
        read("y_test.i32", np.int32).astype(np.int64),
    )


def widths(setup):
    return [setup["inputs"], *setup["hidden"], setup["outputs"]]


def glorot(setup, seed=0):
    """[(W [in, out], b [out])] per layer, Glorot-uniform weights and zero biases."""
    rng = np.random.default_rng(seed)
    w = widths(setup)
    out = []
    for i in range(len(w) - 1):
        limit = np.sqrt(6 / (w[i] + w[i + 1]))
        out.append((rng.uniform(-limit, limit, (w[i], w[i + 1])).astype(np.float32), np.zeros(w[i + 1], np.float32)))
    return out


def torch_mlp(torch, setup):
    """The bench MLP as a torch.nn.Sequential with glorot(setup)'s weights (`torch` passed in: each
    peer imports it only after setting its thread count)."""
    layers = []
    for i, (w, b) in enumerate(glorot(setup)):
        lin = torch.nn.Linear(*w.shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(setup["hidden"]):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def median_after_first(seconds):
    rest = sorted(seconds[1:])
    return rest[len(rest) // 2]


def report(seconds, accuracy, cpu=None, **extra):
    """Prints the case's JSON line; `cpu`: process CPU seconds per epoch (all threads), which a busy machine inflates less than wall time."""
    print(json.dumps({
        "seconds": median_after_first(seconds),
        **({"cpuSeconds": median_after_first(cpu)} if cpu else {}),
        "epochs": seconds,
        "accuracy": float(accuracy),
        "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **extra,
    }))


def args():
    """SETUP_JSON DATA_DIR THREADS"""
    return json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])

"""JAX + optax: a jitted Adam step, and the epoch as one jitted lax.scan over its full batches
(XLA fuses the element-wise work), the last partial batch through the jitted step."""
import os, time
import numpy as np
from peer_common import args, glorot, load, report

setup, data_dir, threads = args()
import jax, jax.numpy as jnp, optax

xtr, ytr, xte, yte = load(data_dir)
params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in glorot(setup)]
opt = optax.adam(1e-3, eps=1e-7)
state = opt.init(params)


def logits(p, x):
    for w, b in p[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = p[-1]
    return x @ w + b


def loss(p, x, y):
    return optax.softmax_cross_entropy_with_integer_labels(logits(p, x), y).mean()


def step(carry, batch):
    p, s = carry
    g = jax.grad(loss)(p, *batch)
    u, s = opt.update(g, s, p)
    return (optax.apply_updates(p, u), s), None


jit_step = jax.jit(lambda p, s, x, y: step((p, s), (x, y))[0])


@jax.jit
def epoch(p, s, xs, ys):
    return jax.lax.scan(step, (p, s), (xs, ys))[0]


x_dev, y_dev = jnp.asarray(xtr), jnp.asarray(ytr.astype(np.int32))
rows, batch = len(xtr), setup["batch"]
full = rows // batch
rng = np.random.default_rng(0)
seconds, cpu = [], []
for e in range(setup["epochs"]):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = jnp.asarray(rng.permutation(rows))
    xs, ys = x_dev[perm], y_dev[perm]
    params, state = epoch(params, state, xs[: full * batch].reshape(full, batch, -1), ys[: full * batch].reshape(full, batch))
    if rows > full * batch:
        params, state = jit_step(params, state, xs[full * batch:], ys[full * batch:])
    jax.block_until_ready(params)
    seconds.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
accuracy = float((np.asarray(logits(params, jnp.asarray(xte))).argmax(1) == yte).mean())
report(seconds, cpu=cpu, accuracy=accuracy, detail=f"jax {jax.__version__}, optax {optax.__version__}, lax.scan epoch")

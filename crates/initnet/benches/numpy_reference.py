"""NumPy reference timings for benchmarks (1) and (2) of `cargo bench -p initnet`.

Each computation mirrors initnet's, operation for operation, with the same shapes:

1. cs231n_forward_backward: forward a batch of 1000 standard-normal inputs through
   10 tanh layers of 500 units (Xavier normal, zero biases), keeping a^l and h^l and a copy
   of the input (initnet's Trace), then back-propagate a given standard-normal output
   gradient: per layer dL/da = tanh'(a) * g with tanh' recomputed from a, dW = dL/da^T h,
   db = column sums, g = dL/da W except for the first layer (29 matrix products in all,
   as in initnet, which does not form the gradient of the input).
2. blobs_2_2_4_train_1000_epochs: full-batch gradient descent (lr 0.1) of the 2-2-4 tanh
   network on 400 four-class blob points for 1000 epochs; like initnet's `train`, each
   epoch steps, checks that the parameters are finite, then evaluates loss, accuracy,
   the full-batch gradients and their norms on the whole set.

The random draws differ from initnet's ChaCha8 streams (the timings do not depend on them).

Setup (not needed by CI):
    python3 -m venv .venv && .venv/bin/pip install numpy==2.3.5 threadpoolctl==3.6.0
Run (crates/initnet/BENCHMARKS.md gives the exact command used):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benches/numpy_reference.py
"""

import json
import platform
import statistics
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info
except ImportError:  # the timings do not need it; it only reports OpenBLAS's set-up
    threadpool_info = None


def cs231n_setup(rng):
    widths = [500] + [500] * 10
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        std = np.sqrt(2.0 / (n_in + n_out))
        layers.append((rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
    x = rng.standard_normal((1000, 500))
    d_out = rng.standard_normal((1000, 500))
    return layers, x, d_out


def forward_backward(layers, x, d_out):
    # Forward: a^l = h^{l-1} W^T + b, h^l = tanh(a^l); the trace keeps a copy of the input.
    pre, post = [], []
    h = x
    for w, b in layers:
        a = h @ w.T + b
        h = np.tanh(a)
        pre.append(a)
        post.append(h)
    trace_input = x.copy()
    # Backward from the given dL/dh^L.
    g = d_out.copy()
    dw, db, da, dh = [], [], [], []
    for l in range(len(layers) - 1, -1, -1):
        w, _ = layers[l]
        t = np.tanh(pre[l])
        d_a = 1.0 - t * t
        d_a *= g
        h_prev = post[l - 1] if l > 0 else trace_input
        dw.append(d_a.T @ h_prev)
        db.append(d_a.sum(axis=0))
        dh.append(g)
        if l > 0:  # initnet does not form dL/dh^0, the gradient of the input
            g = d_a @ w
        da.append(d_a)
    return dw, db, da, dh


def make_blobs(rng, n=400, k=4):
    centers = rng.uniform(-10.0, 10.0, size=(k, 2))
    y = np.repeat(np.arange(k), n // k)
    x = centers[y] + rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return x[order], y[order]


def blobs_setup(rng):
    x, y = make_blobs(rng)
    params = []
    for n_in, n_out in [(2, 2), (2, 4)]:
        std = np.sqrt(2.0 / (n_in + n_out))
        params.append([rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)])
    return x, y, params


def evaluate(params, x, y):
    (w1, b1), (w2, b2) = params
    n = len(y)
    a1 = x @ w1.T + b1
    h1 = np.tanh(a1)
    a2 = h1 @ w2.T + b2
    z = a2  # identity output: logits
    # Loss: mean of log-sum-exp(z) - z_y, computed stably.
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    loss = (lse - z[np.arange(n), y]).mean()
    accuracy = (z.argmax(axis=1) == y).mean()
    p = np.exp(z - m)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(n), y] -= 1.0
    p /= n
    # Backward (identity output: dL/da2 = dL/dz).
    d_a2 = p
    dw2 = d_a2.T @ h1
    db2 = d_a2.sum(axis=0)
    g = d_a2 @ w2
    t = np.tanh(a1)
    d_a1 = (1.0 - t * t) * g
    dw1 = d_a1.T @ x
    db1 = d_a1.sum(axis=0)
    grads = [(dw1, db1), (dw2, db2)]
    norms = [np.sqrt((dw * dw).sum() + (db * db).sum()) for dw, db in grads]
    return loss, accuracy, grads, norms


def train(params, x, y, lr=0.1, epochs=1000):
    params = [[w.copy(), b.copy()] for w, b in params]
    history = []
    loss, acc, grads, norms = evaluate(params, x, y)
    history.append((loss, acc))
    for _ in range(epochs):
        for (w, b), (dw, db) in zip(params, grads):
            w -= lr * dw
            b -= lr * db
        if not all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in params):
            break
        loss, acc, grads, norms = evaluate(params, x, y)
        if not (np.isfinite(loss) and all(np.isfinite(n) for n in norms)):
            break
        history.append((loss, acc))
    return params, history


def timeit(f, repeats, warmup=1):
    for _ in range(warmup):
        f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return times


def main():
    rng = np.random.default_rng(0)
    layers, x, d_out = cs231n_setup(rng)
    bx, by, params = blobs_setup(rng)
    _, history = train(params, bx, by)
    assert len(history) == 1001 and history[-1][0] < history[0][0]

    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    results = {
        "cs231n_forward_backward": timeit(lambda: forward_backward(layers, x, d_out), repeats),
        "blobs_2_2_4_train_1000_epochs": timeit(lambda: train(params, bx, by), max(repeats // 2, 3)),
    }
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    if threadpool_info is not None:
        for pool in threadpool_info():
            keys = ("internal_api", "version", "num_threads", "threading_layer", "architecture")
            print("threadpool: " + json.dumps({k: pool.get(k) for k in keys}))
    for name, times in results.items():
        print(
            f"{name}: median {statistics.median(times) * 1e3:.2f} ms, "
            f"min {min(times) * 1e3:.2f} ms over {len(times)} runs"
        )


if __name__ == "__main__":
    main()

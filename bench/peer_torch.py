"""PyTorch eager, the loop a user writes: index a shuffled batch, forward, cross-entropy, backward,
Adam (eps 1e-7, as Keras and onnx-mlp). Thread count set before torch loads (OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS by bench/run.mjs, then torch.set_num_threads), since Debian's torch does its
GEMMs in the system BLAS, whose threads torch.set_num_threads alone does not bound. Reports which
BLAS library is loaded and its float32 GEMM rate at this thread count."""
import time
import numpy as np
from peer_common import args, load, report, torch_mlp

setup, data_dir, threads = args()
import torch

torch.set_num_threads(threads)
torch.manual_seed(0)
xtr, ytr, xte, yte = (torch.from_numpy(a) for a in load(data_dir))
model = torch_mlp(torch, setup)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
rows, batch = len(xtr), setup["batch"]
seconds, cpu = [], []
for epoch in range(setup["epochs"]):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = torch.randperm(rows)
    for i in range(0, rows, batch):
        idx = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
        opt.step()
    seconds.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
with torch.no_grad():
    accuracy = (model(xte).argmax(1) == yte).float().mean().item()
# Its own float32 GEMM rate, to tell a slow BLAS from a slow training loop.
a = torch.rand(1024, 1024)
a @ a
t0 = time.perf_counter()
for _ in range(5):
    a @ a
gemm = 2 * 1024 ** 3 * 5 / (time.perf_counter() - t0) / 1e9
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "numpy.libs" not in line})
report(seconds, cpu=cpu, accuracy=accuracy, gemmGflops=gemm, detail=f"torch {torch.__version__}, BLAS {', '.join(blas) or 'built in'}")

"""PyTorch on the same setups as onnx-mlp's benchmark: prints one JSON line (run by bench/run.mjs)."""
import json, resource, sys, time
import torch

setup = json.loads(sys.argv[1])
torch.set_num_threads(int(sys.argv[2]))
torch.manual_seed(0)
rows, d, k = setup["rows"], setup["inputs"], setup["outputs"]
x = torch.rand(rows, d)
y = torch.randint(0, k, (rows,))
widths = [d, *setup["hidden"], k]
layers = []
for i in range(len(widths) - 1):
    layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
    if i < len(widths) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
seconds = []
for epoch in range(setup["epochs"]):
    t0 = time.perf_counter()
    perm = torch.randperm(rows)
    for i in range(0, rows, setup["batch"]):
        idx = perm[i:i + setup["batch"]]
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    seconds.append(time.perf_counter() - t0)
rest = sorted(seconds[1:])
# PyTorch's own float32 GEMM rate here, to tell a slow BLAS from a slow training loop.
a = torch.rand(1024, 1024)
a @ a
t0 = time.perf_counter()
for _ in range(5):
    a @ a
gemm = 2 * 1024 ** 3 * 5 / (time.perf_counter() - t0) / 1e9
print(json.dumps({"seconds": rest[len(rest) // 2], "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "gemmGflops": gemm}))

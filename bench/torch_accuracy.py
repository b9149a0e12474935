"""PyTorch's 784-128-128-10 (relu, Glorot-uniform, zero bias, Adam lr 1e-3 eps 1e-7, batch 128,
10 epochs) on the split onnx-mlp drew: held-out accuracy for five seeds. Run by accuracy-vs-pytorch.mjs."""
import json, sys
import numpy as np
import torch

split, root = json.load(open(sys.argv[1])), sys.argv[2]
xs, ys = [], []
for d in range(10):
    a = np.array(json.load(open(f"{root}{d}.json"))["data"], dtype=np.float32).reshape(-1, 784)
    xs.append(a)
    ys += [d] * len(a)
x, y = torch.tensor(np.concatenate(xs)), torch.tensor(ys)
tr, te = torch.tensor(split["train"]).long(), torch.tensor(split["test"]).long()
torch.set_num_threads(2)
accs = []
for seed in range(5):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    for _ in range(10):
        perm = tr[torch.randperm(len(tr))]
        for i in range(0, len(perm), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    with torch.no_grad():
        accs.append((model(x[te]).argmax(1) == y[te]).float().mean().item())
print("PyTorch on the same split, seeds 0-4: " + ", ".join(f"{100 * a:.2f}%" for a in accs) + f"; mean {100 * np.mean(accs):.2f}%")

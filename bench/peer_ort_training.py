"""ONNX Runtime's own trainer (onnxruntime-training 1.19.2, the training API onnx-mlp's graphs
replace): artifacts from its generate_artifacts for the same MLP (exported from torch with the same
Glorot weights; cross-entropy loss; its AdamW block with weight decay 0 and eps 1e-7, i.e. Adam),
trained with its Module/Optimizer API one batch a call. Its training graph uses the fused
com.microsoft kernels (SoftmaxCrossEntropyLossInternalGrad, ReluGrad, InPlaceAccumulatorV2, AdamWOptimizer)."""
import io, logging, os, tempfile, time, warnings
import numpy as np
from peer_common import args, load, report, torch_mlp

setup, data_dir, threads = args()
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
import onnx, torch
import onnxruntime as ort
from onnxruntime.training import artifacts
from onnxruntime.training.api import CheckpointState, Module, Optimizer

ort.set_default_logger_severity(3)

xtr, ytr, xte, yte = load(data_dir)
out = tempfile.mkdtemp(prefix="ort-training-")
net = torch_mlp(torch, setup)
buffer = io.BytesIO()
torch.onnx.export(net, torch.zeros(setup["batch"], setup["inputs"]), buffer, input_names=["x"], output_names=["logits"],
                  dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=False, training=torch.onnx.TrainingMode.TRAINING)
model = onnx.load_from_string(buffer.getvalue())
artifacts.generate_artifacts(
    model,
    requires_grad=[p.name for p in model.graph.initializer],
    loss=artifacts.LossType.CrossEntropyLoss,
    optimizer=artifacts.onnxblock.optim.AdamW(eps=1e-7, weight_decay=0.0),
    artifact_directory=out,
    additional_output_names=["logits"],
)
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
so.log_severity_level = 3
state = CheckpointState.load_checkpoint(os.path.join(out, "checkpoint"))
module = Module(os.path.join(out, "training_model.onnx"), state, os.path.join(out, "eval_model.onnx"), session_options=so)
optimizer = Optimizer(os.path.join(out, "optimizer_model.onnx"), module)
optimizer.set_learning_rate(1e-3)
rows, batch = len(xtr), setup["batch"]
rng = np.random.default_rng(0)
seconds, cpu = [], []
module.train()
for e in range(setup["epochs"]):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = rng.permutation(rows)
    for i in range(0, rows, batch):
        idx = perm[i:i + batch]
        module(xtr[idx], ytr[idx])
        optimizer.step()
        module.lazy_reset_grad()
    seconds.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
module.eval()
_, logits = module(xte, yte)
report(seconds, cpu=cpu, accuracy=(logits.argmax(1) == yte).mean(), detail=f"onnxruntime-training {ort.__version__}, Module/Optimizer, a run a batch")

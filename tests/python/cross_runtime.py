"""Runs onnx-mlp's models in one Python runtime for tests/cross-runtime.test.ts.

Usage: python cross_runtime.py RUNTIME JOB.json
RUNTIME: onnxruntime | reference | opencv | tract | openvino.
JOB.json: {"models": [{"name", "path", "rows", "cols", "input" (raw float32 file), "missing" (optional: the mask
           input of a model exported with --missing mask, raw float32 file), "outputs"}],
           "step": {"path", "inputs": [{"name", "dtype", "dims", "file"}]}   (onnxruntime only)}
Prints one JSON object: {"runtime", "version", "results": {name: {"outputs": {...}} or {"error", "log"}},
"step": {output name: base64 of its bytes}}. One process per runtime runs every model.
"""
import base64
import json
import os
import sys
import tempfile

import numpy as np


def load_runner(runtime):
    """(version, run(path, feeds, outputs) -> {name: ndarray}) for RUNTIME; feeds: {input name: ndarray}, in graph order."""
    if runtime == "onnxruntime":
        import onnxruntime as ort

        def run(path, feeds, outputs):
            session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            return dict(zip(outputs, session.run(outputs, feeds)))

        return ort.__version__, run
    if runtime == "reference":
        import onnx
        from onnx.reference import ReferenceEvaluator

        def run(path, feeds, outputs):
            return dict(zip(outputs, ReferenceEvaluator(path).run(outputs, feeds)))

        return onnx.__version__, run
    if runtime == "opencv":
        import cv2

        def run(path, feeds, outputs):
            net = cv2.dnn.readNetFromONNX(path)
            for name, value in feeds.items():
                net.setInput(value, name)
            return dict(zip(outputs, net.forward(outputs)))

        return cv2.__version__, run
    if runtime == "tract":
        import tract

        def run(path, feeds, outputs):
            # tract takes the inputs in the graph's order and renames outputs after their nodes;
            # they keep the graph's order (`outputs`).
            values = tract.onnx().load(path).into_model().into_runnable().run(list(feeds.values()))
            return {n: v.to_numpy() for n, v in zip(outputs, values)}

        return tract.version(), run
    if runtime == "openvino":
        import openvino as ov

        core = ov.Core()

        def run(path, feeds, outputs):
            # OpenVINO's CPU plugin computes in bf16 by default where the CPU has it (~1e-3 off
            # here); INFERENCE_PRECISION_HINT f32 is its documented switch to full precision.
            compiled = core.compile_model(path, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
            result = compiled(feeds)
            return {n: result[compiled.output(n)] for n in outputs}

        return ov.__version__, run
    raise SystemExit(f"unknown runtime {runtime}")


class CapturedStderr:
    """Collects what native code writes to file descriptor 2 (OpenCV logs the refused node there)."""

    def __enter__(self):
        sys.stderr.flush()
        self.file = tempfile.TemporaryFile()
        self.saved = os.dup(2)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        sys.stderr.flush()
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.file.seek(0)
        self.text = self.file.read().decode("utf-8", "replace")
        self.file.close()
        return False


def plain(a):
    """An output as a JSON list (NaN and infinities as null, which the test counts as wrong)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    return [float(v) if np.isfinite(v) else None for v in a]


def run_models(job, run):
    results = {}
    for m in job["models"]:
        feeds = {
            name: np.fromfile(m[name], dtype=np.float32).reshape(m["rows"], m["cols"]) for name in ("input", "missing") if name in m
        }
        log = CapturedStderr()
        try:
            with log:
                got = run(m["path"], feeds, m["outputs"])
            results[m["name"]] = {"outputs": {k: plain(v) for k, v in got.items()}}
        except Exception as e:  # the test names the runtime and the op it refused
            results[m["name"]] = {"error": f"{type(e).__name__}: {e}", "log": getattr(log, "text", "")[-4000:]}
    return results


def run_step(step):
    """One training step in onnxruntime; every output's bytes, for a bit-for-bit comparison."""
    import onnxruntime as ort

    feeds = {i["name"]: np.fromfile(i["file"], dtype=i["dtype"]).reshape(i["dims"]) for i in step["inputs"]}
    session = ort.InferenceSession(step["path"], providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return {n: base64.b64encode(np.ascontiguousarray(v).tobytes()).decode() for n, v in zip(names, session.run(names, feeds))}


def main():
    runtime, job_path = sys.argv[1], sys.argv[2]
    with open(job_path) as f:
        job = json.load(f)
    version, run = load_runner(runtime)
    out = {"runtime": runtime, "version": version, "results": run_models(job, run)}
    if runtime == "onnxruntime" and job.get("step"):
        out["step"] = run_step(job["step"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

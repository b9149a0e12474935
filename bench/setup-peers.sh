#!/usr/bin/env bash
# Creates .venv-bench/ with the peers `npm run bench` compares onnx-mlp with, pinned from PyPI
# (bench/peer-requirements.txt): ONNX Runtime's own trainer (onnxruntime-training 1.19.2) and
# JAX + optax. PyTorch is Debian's python3-torch (1.13), seen through --system-site-packages, on
# Debian's OpenBLAS (libopenblas0-pthread: without it python3-torch's libblas.so.3 is the reference
# BLAS, a few GFLOP/s); both are installed with apt when missing. Idempotent: a venv whose
# requirements stamp matches is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly VENV=.venv-bench
readonly REQS=bench/peer-requirements.txt

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "setup-peers: installing Debian's python3-torch" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q install -y python3-torch >&2 ||
    echo "setup-peers: python3-torch not installed; onnxruntime-training and the PyTorch rows will be missing" >&2
fi
if ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'ok installed'; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q install -y libopenblas0-pthread >&2 ||
    echo "setup-peers: libopenblas0-pthread not installed; PyTorch runs on the reference BLAS" >&2
fi
if [ -f "$VENV/requirements.stamp" ] && cmp -s "$REQS" "$VENV/requirements.stamp"; then
  echo "setup-peers: $VENV is up to date" >&2
  exit 0
fi
/usr/bin/python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS"
cp "$REQS" "$VENV/requirements.stamp"
echo "setup-peers: $VENV ready" >&2

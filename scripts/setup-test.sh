#!/usr/bin/env bash
# Installs what the test suite needs from the machine, so that no test provisions anything:
#   chromium     Debian's Chromium (the browser tests drive it with playwright-core)
#   python-onnx  Debian's python3-onnx for /usr/bin/python3 (onnx.checker on our files)
#   lavapipe     Mesa's software Vulkan driver from bookworm-backports plus the Vulkan loader
#                (the WebGPU provider's adapter on a machine without a GPU)
#   pty          util-linux `script` (runs the CLI under a pseudo-terminal)
#   python-venv  .venv-test/ at the repository root from scripts/python-test-requirements.txt (exact
#                versions from PyPI: onnxruntime, onnx, OpenCV, tract, OpenVINO), plus Debian's
#                python3-opencv (OpenCV 4.6) for /usr/bin/python3; the cross-runtime test uses both
# Usage: setup-test.sh [component ...]   (all of them when none is named)
# Idempotent and quick when everything is there: it only looks, and runs apt only for what is
# missing. `npm test` runs it first. Installing needs root and apt; when it cannot install, it
# fails under CI (env CI set) and otherwise warns, and the tests that need the tool skip.
set -euo pipefail

# bookworm's own Mesa 22.3 lavapipe is refused by Dawn ("No supported adapters"); 25.0 works.
readonly MESA_MIN_VERSION=25
readonly BACKPORTS_LIST=/etc/apt/sources.list.d/bookworm-backports.sources
readonly REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly VENV="$REPO_ROOT/.venv-test"
readonly VENV_REQUIREMENTS="$REPO_ROOT/scripts/python-test-requirements.txt"
# Holds the requirements' hash once they installed: the venv is rebuilt only when they change.
readonly VENV_STAMP="$VENV/.requirements.sha256"

in_ci() { [ -n "${CI:-}" ] && [ "${CI}" != false ] && [ "${CI}" != 0 ]; }

# The installed version of a Debian package, or nothing when it is not installed.
installed_version() {
  { dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null || true; } | awk '$1 == "installed" { print $2 }'
}

give_up() {
  echo "setup:test: $*" >&2
  if in_ci; then exit 1; fi
  echo "setup:test: continuing; the tests that need it skip (under CI they fail)" >&2
  exit 0
}

# apt-get that waits for another apt/dpkg's lock (up to 5 min) and retries, since a lock taken
# between two of our calls or a transient mirror error should not fail the suite.
apt_get() {
  local attempt
  for attempt in 1 2 3; do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q "$@"; then return 0; fi
    echo "setup:test: apt-get $1 failed (attempt $attempt of 3)" >&2
    sleep $((attempt * 5))
  done
  return 1
}

# Adds bookworm-backports as its own sources file unless some apt source already lists it.
ensure_backports() {
  if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  cat >"$BACKPORTS_LIST" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  echo "setup:test: added $BACKPORTS_LIST"
}

# The venv is current when its stamp holds the requirements' hash (and the interpreter's version).
venv_hash() { { sha256sum "$VENV_REQUIREMENTS" | cut -d' ' -f1; python3 --version 2>&1; } | sha256sum | cut -d' ' -f1; }
venv_current() { [ -x "$VENV/bin/python" ] && [ -f "$VENV_STAMP" ] && [ "$(cat "$VENV_STAMP")" = "$(venv_hash)" ]; }

# Creates or updates .venv-test/ from the pinned requirements (pip's cache keeps a rebuild quick).
ensure_venv() {
  if venv_current; then return 0; fi
  command -v python3 >/dev/null || give_up "no python3 on PATH for $VENV"
  echo "setup:test: installing $VENV from ${VENV_REQUIREMENTS#"$REPO_ROOT"/}"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || give_up "python3 -m venv $VENV failed (Debian: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$VENV_REQUIREMENTS" || give_up "pip install -r $VENV_REQUIREMENTS failed"
  venv_hash >"$VENV_STAMP"
  "$VENV/bin/python" -m pip freeze --disable-pip-version-check | sed 's/^/setup:test:   /'
}

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(chromium python-onnx lavapipe pty python-venv)

plain=()      # packages from the release's own suites
backports=()  # packages that must come from bookworm-backports
for component in "${components[@]}"; do
  case "$component" in
    chromium) [ -x /usr/bin/chromium ] || plain+=(chromium) ;;
    python-onnx) [ -n "$(installed_version python3-onnx)" ] || plain+=(python3-onnx) ;;
    pty) command -v script >/dev/null || plain+=(bsdutils) ;;
    python-venv)
      [ -n "$(installed_version python3-opencv)" ] || plain+=(python3-opencv)
      python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || plain+=(python3-venv) ;;
    lavapipe)
      mesa=$(installed_version mesa-vulkan-drivers)
      if [ -z "$(installed_version libvulkan1)" ] || [ -z "$mesa" ] || dpkg --compare-versions "$mesa" lt "$MESA_MIN_VERSION"; then
        backports+=(mesa-vulkan-drivers libvulkan1)
      fi ;;
    *) echo "setup:test: unknown component '$component' (chromium, python-onnx, lavapipe, pty, python-venv)" >&2; exit 2 ;;
  esac
done

# Runs after apt (python3-venv may come from there); every other component is apt's.
finish() {
  if [[ " ${components[*]} " == *" python-venv "* ]]; then ensure_venv; fi
  echo "setup:test: ready (${components[*]})"
  exit 0
}

wanted=("${plain[@]}" "${backports[@]}")
if [ ${#wanted[@]} -eq 0 ]; then finish; fi

echo "setup:test: installing ${wanted[*]}"
[ "$(id -u)" -eq 0 ] || give_up "not root: run \`sudo npm run setup:test\` to install ${wanted[*]}"
command -v apt-get >/dev/null || give_up "no apt-get here: install ${wanted[*]} (Debian names) by hand"
if [ ${#backports[@]} -gt 0 ]; then
  . /etc/os-release
  [ "${VERSION_CODENAME:-}" = bookworm ] || give_up "Mesa >= $MESA_MIN_VERSION comes from bookworm-backports; this is ${PRETTY_NAME:-not Debian bookworm}"
  ensure_backports
fi
apt_get update || give_up "apt-get update failed"
if [ ${#plain[@]} -gt 0 ]; then
  apt_get install -y "${plain[@]}" >/dev/null || give_up "apt-get install ${plain[*]} failed"
fi
if [ ${#backports[@]} -gt 0 ]; then
  apt_get install -y -t bookworm-backports "${backports[@]}" >/dev/null || give_up "apt-get install -t bookworm-backports ${backports[*]} failed"
fi
dpkg-query -W -f='setup:test: ${Package} ${Version}\n' "${wanted[@]}"
finish

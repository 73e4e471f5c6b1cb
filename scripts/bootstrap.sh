#!/usr/bin/env bash
# Installs what building, serving and testing ChartLab needs, skipping whatever is already there
# (a second run takes about a second). Works on a fresh Debian 12 machine that reaches only the
# package registries (crates.io, PyPI, Debian, npm): nothing is downloaded from GitHub.
#
#   scripts/bootstrap.sh               everything (scripts/test)
#   scripts/bootstrap.sh --no-browser  no Chromium/chromedriver/python3 (scripts/serve)
#
#   TOOLS_ROOT=dir   where `cargo install` puts bin/ (default: $CARGO_HOME or ~/.cargo)
#   SKIP_APT=1       never run apt-get (then missing Debian packages are an error)
#   FAST_INSTALL=0   build trunk with its own release profile (fat LTO): same tool, ~100 s slower
#
# Afterwards: PATH="$TOOLS_ROOT/bin:$PWD/node_modules/.bin:$PATH" (scripts/serve and
# scripts/test set it).
set -euo pipefail

TRUNK_VERSION=0.21.14   # trunk 0.22.x needs rustc >= 1.96.1; 0.21.14 is the newest that builds on 1.95
WASM_OPT_VERSION=132    # package.json pins npm binaryen 132.0.0; Trunk.toml asks for version_132

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_ROOT="${TOOLS_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
export PATH="$TOOLS_ROOT/bin:$ROOT/node_modules/.bin:$PATH"

browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    *) echo "bootstrap: unknown argument $arg" >&2; exit 2 ;;
  esac
done

t0=$SECONDS
step() { printf '[bootstrap %4ss] %s\n' "$((SECONDS - t0))" "$*"; }
die() { echo "bootstrap: $*" >&2; exit 1; }

command -v cargo >/dev/null && command -v rustup >/dev/null \
  || die "cargo and rustup are needed (the machine's Rust toolchain); not found on PATH"

# wasm-bindgen-cli must be exactly Cargo.lock's wasm-bindgen (trunk and wasm-bindgen-test-runner
# refuse a mismatch), and Trunk.toml's [tools] pin must say the same.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"
[[ -n $WASM_BINDGEN_VERSION ]] || die "no wasm-bindgen in Cargo.lock"
grep -qx "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" "$ROOT/Trunk.toml" \
  || die "Trunk.toml's [tools] wasm_bindgen is not Cargo.lock's wasm-bindgen $WASM_BINDGEN_VERSION: make them equal"

# 1. Debian packages. Not Debian's binaryen: its wasm-opt 108 cannot parse what rustc 1.95 +
#    wasm-bindgen emit ("invalid code after misc prefix"); npm's binaryen is used instead.
pkgs=()
command -v npm >/dev/null || pkgs+=(nodejs npm)
command -v zopfli >/dev/null || pkgs+=(zopfli)   # scripts/precompress (trunk's post_build hook)
if ((browser)); then
  command -v chromium     >/dev/null || pkgs+=(chromium)
  command -v chromedriver >/dev/null || pkgs+=(chromium-driver)
  command -v python3      >/dev/null || pkgs+=(python3)   # the conformance runner
  # the cluster tests (tests/cluster_proxy.rs) drive the test API server with the real kubectl;
  # the machine images ship kubectl v1.32, Debian's own package is kubernetes-client
  [[ -x /usr/bin/kubectl ]]  || pkgs+=(kubernetes-client)
  python3 -c 'import venv, ensurepip' 2>/dev/null || pkgs+=(python3-venv)
fi
if ((${#pkgs[@]})); then
  [[ "${SKIP_APT:-0}" != 1 ]] || die "missing ${pkgs[*]} and SKIP_APT=1"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "missing ${pkgs[*]}: run as root or install them"
    sudo=(sudo)
  fi
  step "apt-get install ${pkgs[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
else
  step "Debian packages present"
fi

# 2. Rust: the wasm target and the lint/format components (listing first: no network when present).
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rust target wasm32-unknown-unknown present"
else
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$comp"; then
    step "rustup component add $comp"
    rustup component add "$comp"
  fi
done

# 3. npm's build tools, exactly as package-lock.json pins them: wasm-opt (binaryen), esbuild and
#    the CodeMirror packages scripts/build-editor bundles. `npm ci` again whenever the lock file
#    changed since the last install (its hash is kept in node_modules/).
lock_hash="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [[ -x "$ROOT/node_modules/.bin/wasm-opt" && -x "$ROOT/node_modules/.bin/esbuild" ]] \
   && [[ "$(cat "$ROOT/node_modules/.chartlab-lock" 2>/dev/null)" == "$lock_hash" ]] \
   && "$ROOT/node_modules/.bin/wasm-opt" --version | grep -q "version $WASM_OPT_VERSION "; then
  step "npm packages present (wasm-opt $WASM_OPT_VERSION, esbuild, CodeMirror)"
else
  step "npm ci (binaryen $WASM_OPT_VERSION, esbuild, CodeMirror)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$ROOT/node_modules/.chartlab-lock"
fi

# 4. cargo-built tools, pinned and --locked (never cargo-binstall or trunk's own download).
if [[ "${FAST_INSTALL:-1}" == 1 ]]; then
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
fi
has() { [[ -x "$TOOLS_ROOT/bin/$1" ]] && "$TOOLS_ROOT/bin/$1" --version 2>/dev/null | grep -qxF "$1 $2"; }

if has trunk "$TRUNK_VERSION"; then
  step "trunk $TRUNK_VERSION present"
else
  step "cargo install trunk $TRUNK_VERSION (about 5 min on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION" --root "$TOOLS_ROOT" --force
fi

if has wasm-bindgen "$WASM_BINDGEN_VERSION" && has wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION"; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
else
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2.5 min on 2 cores)"
  cargo install wasm-bindgen-cli --locked --version "$WASM_BINDGEN_VERSION" --root "$TOOLS_ROOT" --force
fi

# 5. Real Helm for the tests that check interoperation (tests/cluster_proxy.rs) and the
#    conformance oracle: helm-python-sdk 0.2.2 (Helm's Go SDK v4.2.3) in a venv.
if ((browser)); then
  HELM_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/helm-conformance/venv"
  if "$HELM_VENV/bin/python" -c 'import helm_python' 2>/dev/null; then
    step "helm-python-sdk venv present"
  else
    step "python3 -m venv + pip install helm-python-sdk==0.2.2"
    python3 -m venv "$HELM_VENV"
    "$HELM_VENV/bin/python" -m pip install -q helm-python-sdk==0.2.2
  fi
fi

ready="$(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
if ((browser)); then
  ready+=", $(chromedriver --version | cut -d' ' -f1-2)"
fi
step "ready: $ready"

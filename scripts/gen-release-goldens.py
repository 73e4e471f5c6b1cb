#!/usr/bin/env python3
"""Regenerates tests/data/template/: what `helm template` prints, from real Helm v4.2.3.

Real Helm here is the Go SDK inside the PyPI package helm-python-sdk (see
../shared/conformance/oracle_cmd.py for the venv). The SDK has no `template` call, so the text is
put together from real Helm's pieces, exactly as pkg/cmd/template.go prints them:

  * the release manifest of a client-side dry-run install (`helm template` is one): rendering,
    NOTES removal, document splitting, kind order, `# Source:` lines;
  * the hooks (path + manifest, in the release's order) of a real install of the same chart
    against ../shared/release-fixtures/tools/fakekube.py, read back with `get_all`; templates
    the fake server cannot map (custom resources) are left out of that install only, which
    does not change the hooks, since hooks are sorted among themselves;
  * the CRDs `Chart.crds` lists (`--include-crds` prepends `---\\n# Source: <filename>\\n<data>\\n`).

template.go then prints TrimSpace(manifest) + "\\n", then "---\\n# Source: %s\\n%s\\n" per hook
(tests skipped with --skip-tests, none with --no-hooks); --show-only re-splits that text with
releaseutil.SplitManifests and keeps the documents whose `# Source: <chart>/<path>` path matches
the filepath.Match pattern, each printed as "---\\n%s\\n". The splitting and matching below follow
the Go code (regexp `(?:^|\\s*\\n)---\\s*`, `*` not crossing `/`).

Usage: ~/.cache/helm-conformance/venv/bin/python scripts/gen-release-goldens.py
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import helm_python as helm
from helm_python import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
OUT = os.path.join(ROOT, "tests", "data", "template")
FAKEKUBE = os.path.join(SHARED, "release-fixtures", "tools", "fakekube.py")

CASES_DIR = os.path.join(SHARED, "conformance", "cases")

# id, chart (path relative to the repo root, or "scaffold:NAME"), values file or None,
# release name, namespace, variants: list of (suffix, options)
VARIANTS_ALL = [
    ("default", {}),
    ("skip-tests", {"skip_tests": True}),
    ("no-hooks", {"no_hooks": True}),
    ("show-only-service", {"show_only": ["templates/service.yaml"]}),
]

CASES = [
    ("scaffold", "scaffold:myapi", None, "release-name", "default", VARIANTS_ALL),
    ("release-demo", "../shared/release-fixtures/chart-demo", None, "release-name", "default",
     VARIANTS_ALL + [("show-only-sub", {"show_only": ["charts/sub/templates/configmap.yaml", "templates/hooks.yaml"]})]),
    ("hookdemo", "tests/data/charts/hookdemo", None, "demo", "team-a", [
        ("default", {}),
        ("include-crds", {"include_crds": True}),
        ("include-crds-skip-tests", {"include_crds": True, "skip_tests": True}),
        ("no-hooks", {"no_hooks": True}),
        ("show-only-glob", {"show_only": ["templates/*"]}),
        ("show-only-two", {"show_only": ["templates/hooks.yaml", "templates/app.yaml"]}),
    ]),
]
for case_id in sorted(os.listdir(CASES_DIR)):
    if case_id.startswith("workshop-"):
        meta = json.load(open(os.path.join(CASES_DIR, case_id, "case.json")))
        vals = os.path.join(CASES_DIR, case_id, "values.yaml")
        CASES.append((case_id, "../shared/conformance/cases/%s/chart" % case_id,
                      "../shared/conformance/cases/%s/values.yaml" % case_id if os.path.exists(vals) else None,
                      meta["name"], meta["namespace"], VARIANTS_ALL))

SEP = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


def split_manifests(big):
    docs = SEP.split(big.lstrip())
    return [d.lstrip() for d in docs if d.strip() != ""]


def go_match(pattern, name):
    """filepath.Match for the patterns used here: literal text, `*` (not `/`), `?`."""
    rx = ""
    for c in pattern:
        if c == "*":
            rx += "[^/]*"
        elif c == "?":
            rx += "[^/]"
        else:
            rx += re.escape(c)
    return re.fullmatch(rx, name) is not None


SOURCE = re.compile(r"# Source: [^/]+/(.+)")


def template_text(manifest, hooks, crds, opts):
    if opts.get("include_crds"):
        pre = "".join("---\n# Source: %s\n%s\n" % (c["filename"], c["data"]) for c in crds)
        manifest = pre + manifest
    text = manifest.strip() + "\n"
    if not opts.get("no_hooks"):
        for h in hooks:
            if opts.get("skip_tests") and "test" in h.get("events", []):
                continue
            text += "---\n# Source: %s\n%s\n" % (h["path"], h["manifest"])
    show = opts.get("show_only")
    if not show:
        return text
    docs = split_manifests(text)
    out = ""
    for f in show:
        missing = True
        for d in docs:
            m = SOURCE.search(d)
            if not m:
                continue
            if go_match(f, m.group(1)):
                out += "---\n%s\n" % d
                missing = False
        if missing:
            raise SystemExit("could not find template %s in chart" % f)
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def kubeconfig(port, ns):
    return """apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:%d
users:
- name: u
  user:
    token: fake-token
contexts:
- name: fake
  context:
    cluster: fake
    user: u
    namespace: %s
current-context: fake
""" % (port, ns)


def without_custom_resources(chart_dir, tmp):
    """A copy of the chart for the real install: templates of kinds the fake server does not
    serve are dropped (they hold no hooks)."""
    dst = os.path.join(tmp, "hooks-copy", os.path.basename(os.path.normpath(chart_dir)))
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(chart_dir, dst)
    for dirpath, _, files in os.walk(os.path.join(dst, "templates")):
        for f in files:
            p = os.path.join(dirpath, f)
            text = open(p).read()
            if "example.com/v1" in text:
                os.remove(p)
    shutil.rmtree(os.path.join(dst, "crds"), ignore_errors=True)
    for sub in os.listdir(os.path.join(dst, "charts")) if os.path.isdir(os.path.join(dst, "charts")) else []:
        shutil.rmtree(os.path.join(dst, "charts", sub, "crds"), ignore_errors=True)
    return dst


def main():
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="release-goldens-")
    port = free_port()
    env = dict(os.environ, FAKEKUBE_LOG=os.path.join(tmp, "fakekube.jsonl"))
    server = subprocess.Popen([sys.executable, FAKEKUBE, str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        index = []
        for case_id, chart_ref, values_ref, name, ns, variants in CASES:
            if chart_ref.startswith("scaffold:"):
                chart_dir = os.path.join(tmp, "scaffold")
                shutil.rmtree(chart_dir, ignore_errors=True)
                os.makedirs(chart_dir)
                helm.Chart.create(chart_ref.split(":", 1)[1], chart_dir).close()
                chart_dir = os.path.join(chart_dir, chart_ref.split(":", 1)[1])
            else:
                chart_dir = os.path.normpath(os.path.join(ROOT, chart_ref))
            values = None
            if values_ref:
                values = helm.values_from_yaml(open(os.path.join(ROOT, values_ref)).read())
            cfg = Config(kubeconfig_content=kubeconfig(port, ns), namespace=ns, storage_driver="secret")
            dry = cfg.install(chart_dir, name, values, dry_run="client", namespace=ns)
            install_dir = without_custom_resources(chart_dir, tmp)
            cfg.install(install_dir, name, values, namespace=ns, timeout=30)
            hooks = cfg.get_all(name).get("hooks") or []
            cfg.uninstall(name, timeout=30)
            with helm.Chart.load(chart_dir) as ch:
                crds = ch.crds
            for suffix, opts in variants:
                text = template_text(dry.get("manifest", ""), hooks, crds, opts)
                fname = "%s__%s.txt" % (case_id, suffix)
                with open(os.path.join(OUT, fname), "w") as fh:
                    fh.write(text)
                index.append({"golden": fname, "chart": chart_ref, "values": values_ref,
                              "name": name, "namespace": ns, "options": opts})
            print(case_id, "ok", flush=True)
        with open(os.path.join(OUT, "cases.json"), "w") as fh:
            json.dump(index, fh, indent=1, sort_keys=True)
            fh.write("\n")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

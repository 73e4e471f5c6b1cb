#!/usr/bin/env python3
"""Regenerates expected.json for every case here: CASE/ws is a workspace, case.json names the
chart folder in it and the operations (update, build, list, rmtgz = delete charts/*.tgz) that
real Helm v4.2.3 (helm-python-sdk 0.2.2: dependency_update/build/list) runs on a copy. Recorded:
the error (temporary paths made relative), the lock file with its `generated` line blanked, and
what charts/ holds (archives as lists of [path, sha256 of content]), and list's statuses.
Run with ~/.cache/helm-conformance/venv/bin/python tests/data/deps/gen.py"""
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))


def snapshot(chart_dir):
    state = {}
    for lock in ("Chart.lock", "requirements.lock"):
        p = os.path.join(chart_dir, lock)
        if os.path.exists(p):
            lines = open(p, encoding="utf-8").read().splitlines(keepends=True)
            state[lock] = "".join(
                "generated: <time>\n" if l.startswith("generated:") else l for l in lines
            )
    charts = os.path.join(chart_dir, "charts")
    entries = {}
    if os.path.isdir(charts):
        for name in sorted(os.listdir(charts)):
            p = os.path.join(charts, name)
            if os.path.isdir(p):
                entries[name] = "dir"
            elif name.endswith(".tgz"):
                try:
                    with tarfile.open(p, "r:gz") as tf:
                        entries[name] = [
                            [m.name, hashlib.sha256(tf.extractfile(m).read()).hexdigest()]
                            for m in tf.getmembers()
                            if m.isfile()
                        ]
                except Exception:
                    entries[name] = "sha256:" + hashlib.sha256(open(p, "rb").read()).hexdigest()
            else:
                entries[name] = "sha256:" + hashlib.sha256(open(p, "rb").read()).hexdigest()
    state["charts"] = entries
    return state


def main():
    for case in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, case)
        if not os.path.isdir(os.path.join(d, "ws")):
            continue
        spec = json.load(open(os.path.join(d, "case.json")))
        tmp = tempfile.mkdtemp()
        ws = os.path.join(tmp, "ws")
        shutil.copytree(os.path.join(d, "ws"), ws)
        chart_dir = os.path.join(ws, spec["chart"])
        result = {"error": None, "list": None}
        try:
            for op in spec["op"].split(","):
                if op == "update":
                    h.dependency_update(chart_dir)
                elif op == "build":
                    h.dependency_build(chart_dir)
                elif op == "list":
                    result["list"] = h.dependency_list(chart_dir)
                elif op == "rmtgz":
                    for n in os.listdir(os.path.join(chart_dir, "charts")):
                        if n.endswith(".tgz"):
                            os.remove(os.path.join(chart_dir, "charts", n))
        except Exception as exc:
            result["error"] = str(exc).replace(ws + "/", "")
        result.update(snapshot(chart_dir))
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
        shutil.rmtree(tmp)
        print(case, result["error"])


if __name__ == "__main__":
    main()

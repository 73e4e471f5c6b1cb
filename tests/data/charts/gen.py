#!/usr/bin/env python3
"""Regenerates expected.json / expected_error.txt for every case folder here: CASE/chart is the
chart, CASE/values.yaml (optional) the user values; real Helm v4.2.3 (helm-python-sdk 0.2.2)
renders it with release "rel" in namespace "testns". Run with
~/.cache/helm-conformance/venv/bin/python tests/data/charts/gen.py"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "shared", "conformance"))
import oracle_cmd  # noqa: E402


def main():
    for case in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, case)
        if not os.path.isdir(os.path.join(d, "chart")) and not os.path.isdir(d):
            continue
        if not os.path.isdir(os.path.join(d, "chart")):
            continue
        values = os.path.join(d, "values.yaml")
        status, result = oracle_cmd.render_case(
            os.path.join(d, "chart"),
            values if os.path.exists(values) else None,
            name="rel",
            namespace="testns",
        )
        for f in ("expected.json", "expected_error.txt"):
            p = os.path.join(d, f)
            if os.path.exists(p):
                os.remove(p)
        if status == "ok":
            with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as fh:
                json.dump(result, fh, sort_keys=True, ensure_ascii=False, indent=1)
                fh.write("\n")
        else:
            with open(os.path.join(d, "expected_error.txt"), "w", encoding="utf-8") as fh:
                fh.write(result)
        print(case, status)


if __name__ == "__main__":
    main()

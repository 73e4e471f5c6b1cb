"""Real Helm (v4.2.3, through helm-python-sdk) against the test API server, for
tests/cluster_proxy.rs.

Usage: python helm_sdk.py '<json>' where the JSON is
  {"kubeconfig": "<kubeconfig text>", "namespace": "ns", "driver": "secret",
   "ops": [{"op": "history", "name": "demo"}, {"op": "status", "name": "demo"},
           {"op": "install", "chart": "/path", "name": "demo", "values": {...}},
           {"op": "upgrade", ...}, {"op": "rollback", "name": "demo", "version": 1},
           {"op": "list"}]}
Prints one JSON document: a list with, per op, {"ok": true, "result": ...} or
{"ok": false, "error": "...", "type": "..."}.
"""
import json
import sys

from helm_python import Config


def main():
    req = json.loads(sys.argv[1])
    cfg = Config(
        kubeconfig_content=req["kubeconfig"],
        namespace=req.get("namespace", "default"),
        storage_driver=req.get("driver", "secret"),
    )
    out = []
    for op in req["ops"]:
        kind = op["op"]
        try:
            if kind == "history":
                res = cfg.history(op["name"])
            elif kind == "status":
                res = cfg.status(op["name"], revision=op.get("revision"))
            elif kind == "list":
                res = cfg.list(all_states=op.get("all", False))
            elif kind == "get_values":
                res = cfg.get_values(op["name"], all_values=op.get("all", False), revision=op.get("revision"))
            elif kind == "install":
                res = cfg.install(op["chart"], op["name"], op.get("values"), timeout=op.get("timeout", 60))
            elif kind == "upgrade":
                res = cfg.upgrade(op["chart"], op["name"], op.get("values"), timeout=op.get("timeout", 60))
            elif kind == "rollback":
                res = cfg.rollback(op["name"], version=op.get("version"), timeout=op.get("timeout", 60))
            else:
                raise ValueError("unknown op " + kind)
            out.append({"ok": True, "result": res})
        except Exception as e:  # noqa: BLE001 - the error text is the result
            out.append({"ok": False, "type": type(e).__name__, "error": str(e)})
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()

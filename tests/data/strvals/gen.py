#!/usr/bin/env python3
"""Regenerates cases.json: every expression parsed by real Helm v4.2.3's pkg/strvals
(helm-python-sdk 0.2.2). Run with ~/.cache/helm-conformance/venv/bin/python."""
import json
import os

import helm_python as h

MODES = {
    "set": h.parse_set_string,
    "set-string": h.parse_set_string_values,
    "set-json": h.parse_set_json,
    "set-literal": h.parse_set_literal,
}

COMMON = [
    "a=1,b.c=two,ports={80,443}", "a", "a.b", "a[0]", "a[x]=1", "a=1,", "a=1,,b=2", ",a=1",
    "a[0]=1,a.b=2", "a.b=1,a[0]=2", "name=value\\,with\\,commas", "a[1].b=1", "a[-1]=2",
    "a[70000]=1", "a[3]=1", "a=", "a=,b=2", "a.b.c=1,a.b.d=2,a.e=3", "a[0].b=1,a[0].c=2",
    "a[2]=x,a[0]=y", "a[0][1]=x", "a[0][0]=1,a[0][2]=3", "a[0]=1,a[0][1]=2", "a=b=c",
    "a.=1", ".a=1", "a..b=1", "a[0]x=1", "a[0", "a[]=1", "a[ 1]=1", "a[+1]=1", "a[01]=1",
    "a=true,b=FALSE,c=Null,d=nULL,e=0,f=00,g=007,h=-1,i=+1,j=1.5,k=1e3,l=9223372036854775807",
    "m=9223372036854775808,n=-9223372036854775808,o=0x10,p= 1,q=1 ,r=tRUe",
    "a={},b={x},c={,},d={a,b", "a={1,2}b=3", "a={1,2},b=3", "a={1,{2}}", "x={a=1}",
    "a\\.b=1", "a\\=b=1", "a=\\\\", "a=x\\", "a\\", "a=é,ü.ß=∑", "a[0]=1,a[1]=2,a[0]=3",
    "a.b=1,a=2", "a=2,a.b=1", "a=1,a[0]=2", "a=null,a.b=1", "a=null,a[0]=1",
    "a[0]=null,a[0][0]=1", "a[0]=x,a[0].b=1", "a[1]=x,a[0].b=1", "a[0].b=1,a[0][0]=2",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.a2.a3.a4=1",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.a2.a3.a4.a5=1",
    "a[0].b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.a2.a3.a4.a5=1",
    "", "=1", "=", "[0]=1", "a= b ", "k=v,k2=v2 ", "k==v", "a.b[0].c=1",
]

JSON_ONLY = [
    'a={"b":[1,2]}', 'a=1,b="x"', "a=,b=1", "a= , b=2", 'a=[1, 2] ,b=true', "a=null",
    'a={"x":1}{"y":2}', "a=1x", "a=01", "a=tru", "a=\"unterminated", 'a[0]={"k":"v"}',
    "a[1]=2,a[0]=1", 'a.b={"c":null}', "a=1.5e2,b=-0", "a=\"\\u00e9\\ud83d\\ude00\"",
    "a=[],b={}", "a=1 2", 'a="x",,b=1',
]

LITERAL_ONLY = ["a=b,c=d", "a.b=x=y", "a[0]=\\n", "a.b[1]=z", "a[0].b=1"]


def run(fn, expr):
    try:
        return {"value": fn(expr)}
    except Exception as exc:  # HelmValuesError
        return {"error": str(exc)}


def main():
    out = []
    for mode, fn in MODES.items():
        exprs = list(COMMON)
        if mode == "set-json":
            exprs += JSON_ONLY
        if mode == "set-literal":
            exprs += LITERAL_ONLY
        for e in exprs:
            r = run(fn, e)
            r.update({"mode": mode, "input": e})
            out.append(r)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()

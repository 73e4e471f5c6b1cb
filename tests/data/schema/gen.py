#!/usr/bin/env python3
"""Regenerates cases.json: values.schema.json checks done by real Helm v4.2.3 (helm-python-sdk
0.2.2, which validates on render). Each case is a chart `demo` with the schema and values.yaml
(written as JSON); the expected output is Helm's error text or null when rendering succeeded.
Run with ~/.cache/helm-conformance/venv/bin/python."""
import json
import os
import tempfile

import helm_python as h

D7 = '"$schema":"http://json-schema.org/draft-07/schema#",'
D4 = '"$schema":"http://json-schema.org/draft-04/schema#",'
D19 = '"$schema":"https://json-schema.org/draft/2019-09/schema",'

CASES = [
    ('{"type":"foo"}', {"a": 1}),
    ('{bad', {"a": 1}),
    ('{} x', {"a": 1}),
    ('{"properties":{"a":{"maxLength":1000}}}', {"a": 1}),
    ('{"properties":{"a":{"maximum":1000}}}', {"a": 12345.5}),
    ('{"properties":{"a":{"maxLength":2}}}', {"a": "ééé"}),
    ('{"properties":{"a":{"minItems":1234}}}', {"a": []}),
    ('{"properties":{"a":{"multipleOf":0.1}}}', {"a": 0.35}),
    ('{"properties":{"a":{"multipleOf":0.05}}}', {"a": 0.35}),
    ('{' + D7 + '"properties":{"a":{"format":"email"}}}', {"a": "foo"}),
    ('{"properties":{"a":{"format":"email"}}}', {"a": "foo"}),
    ('{"properties":{"a":{"enum":[1,"x",null,true]}}}', {"a": 2}),
    ('{"properties":{"a":{"enum":["only"]}}}', {"a": 2}),
    ('{"properties":{"a":{"const":"x"}}}', {"a": 2}),
    ('{"required":["x","y"],"additionalProperties":false}', {"a": 1}),
    ('{"properties":{"a":{"pattern":"^x+$"}}}', {"a": "it's"}),
    ('{"properties":{"a":{"type":["string","null"]}}}', {"a": 1}),
    ('{"properties":{"a":{"allOf":[{"type":"string"},{"minimum":5}]}}}', {"a": 1}),
    ('{"properties":{"a":{"anyOf":[{"type":"string"},{"minimum":5}]}}}', {"a": 1}),
    ('{"properties":{"a":{"oneOf":[{"type":"string"},{"minimum":5}]}}}', {"a": 1}),
    ('{"properties":{"a":{"oneOf":[{"type":"number"},{"minimum":0}]}}}', {"a": 1}),
    ('{"properties":{"a":{"not":{"type":"number"}}}}', {"a": 1}),
    ('{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]},"else":{"required":["c"]}}', {"a": 1}),
    ('{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]},"else":{"required":["c"]}}', {"a": 2}),
    ('{"$defs":{"p":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/p"}}}', {"a": 1}),
    ('{"dependentRequired":{"a":["b","c"]}}', {"a": 1}),
    ('{"properties":{"a":{"uniqueItems":true}}}', {"a": [1, 2, 1]}),
    ('{"properties":{"a":{"prefixItems":[{"type":"string"}],"items":{"type":"boolean"}}}}', {"a": [1, 2]}),
    ('{"properties":{"a":{"contains":{"type":"string"}}}}', {"a": [1, 2]}),
    ('{"properties":{"a":{"contains":{"type":"string"},"minContains":2}}}', {"a": ["x", 2]}),
    ('{"properties":{"a":{"contains":{"type":"number"},"maxContains":1}}}', {"a": [1, 2, "x"]}),
    ('{"minProperties":5,"propertyNames":{"maxLength":1}}', {"ab": 1}),
    ('{"properties":{"a":{"maximum":1}}}', {"a": 1234567.891}),
    ('{"properties":{"a":{"maximum":-1e30}}}', {"a": 0.000012345}),
    ('{"properties":{"a":{"exclusiveMinimum":1.5}}}', {"a": -1.25}),
    ('{"properties":{"a":{"exclusiveMaximum":1.5}}}', {"a": 1.5}),
    ('{"properties":{"a":{"type":"integer"}}}', {"a": 1.5}),
    ('{"properties":{"a":{"type":"integer"}}}', {"a": 2.0}),
    ('{"properties":{"a":{"type":"integer"}}}', {"a": True}),
    ('{"properties":{"a":{"type":"object"}}}', {"a": [1]}),
    ('{"type":"object","properties":{"a":{"type":"object","properties":{"b~/c":{"type":"string"}}}}}', {"a": {"b~/c": 1}}),
    ('{"properties":{"a":{"enum":[[1],{"x":1}]}}}', {"a": 2}),
    ('{"properties":{"a":{"const":{"x":1}}}}', {"a": 2}),
    ('{"properties":{"a":{"type":["object","boolean","integer","array","string"]}}}', {"a": 1.5}),
    ('{"properties":{"a":{"minimum":1e400}}}', {"a": 1}),
    ('{' + D7 + '"properties":{"a":{"items":[{"type":"string"}],"additionalItems":false}}}', {"a": ["x", 1, 2]}),
    ('{' + D7 + '"properties":{"a":{"items":[{"type":"string"}],"additionalItems":{"type":"string"}}}}', {"a": ["x", 1, 2]}),
    ('{' + D7 + '"properties":{"a":{"$ref":"#/definitions/x","type":"string"}},"definitions":{"x":{"minimum":5}}}', {"a": 1}),
    ('{' + D7 + '"dependencies":{"a":["b"]}}', {"a": 1}),
    ('{' + D7 + '"properties":{"a":{"$ref":"#foo"}},"definitions":{"x":{"$id":"#foo","type":"string"}}}', {"a": 1}),
    ('{' + D4 + '"properties":{"a":{"maximum":5,"exclusiveMaximum":true}}}', {"a": 5}),
    ('{' + D19 + '"properties":{"a":{"$ref":"#/$defs/s","minLength":3}},"$defs":{"s":{"type":"string"}}}', {"a": "x"}),
    ('{"properties":{"a":{"$ref":"#/$defs/missing"}}}', {"a": 1}),
    ('{"properties":{"a":{"$ref":"other.json"}}}', {"a": 1}),
    ('{"properties":{"a":{"$ref":"#foo"}},"$defs":{"x":{"$anchor":"foo","type":"string"}}}', {"a": 1}),
    ('{"properties":{"a":{"minLength":-1}}}', {"a": 1}),
    ('{"properties":{"a":{"required":"x"}}}', {"a": 1}),
    ('{"properties":{"a":{"type":"strin"}}}', {"a": 1}),
    ('{' + D7 + '"properties":{"a":{"type":"strin"}}}', {"a": 1}),
    ('{' + D7 + '"properties":{"a":{"pattern":"("}}}', {"a": 1}),
    ('{"properties":{"a":{"pattern":"("}}}', {"a": 1}),
    ('{"$defs":{"n":{"type":"object","properties":{"c":{"$ref":"#/$defs/n"}},"additionalProperties":false}},"$ref":"#/$defs/n"}', {"c": {"c": {"d": 1}}}),
    ('{"properties":{"a":false}}', {"a": 1}),
    ('false', {"a": 1}),
    ('true', {"a": 1}),
    ('{"patternProperties":{"^x":{"type":"string"}},"additionalProperties":{"type":"number"}}', {"xa": 1, "b": "s"}),
    ('{"unevaluatedProperties":false,"properties":{"a":{}}}', {"a": 1, "b": 2}),
    ('{"allOf":[{"properties":{"a":{}}}],"unevaluatedProperties":false}', {"a": 1, "b": 2}),
    ('{"dependentSchemas":{"a":{"required":["z"]}}}', {"a": 1}),
    ('{"properties":{"a":{"type":"array","items":{"type":"object","required":["name"],"properties":{"port":{"type":"integer","minimum":1,"maximum":65535}}}}}}', {"a": [{"name": "x", "port": 70000}, {"port": 0}]}),
    ('{"$schema":"http://example.com/custom","type":"object"}', {"a": 1}),
    ('{"properties":{"image":{"type":"object","properties":{"tag":{"type":"string"}},"required":["repository"]}}}', {"image": {"tag": 1}}),
]


def run(schema, values):
    d = tempfile.mkdtemp()
    with open(os.path.join(d, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    os.makedirs(os.path.join(d, "templates"))
    with open(os.path.join(d, "templates", "t.yaml"), "w") as f:
        f.write("ok")
    with open(os.path.join(d, "values.schema.json"), "w") as f:
        f.write(schema)
    with open(os.path.join(d, "values.yaml"), "w") as f:
        f.write(json.dumps(values))
    try:
        with h.Chart.load(d) as c:
            c.render(None)
        return None
    except Exception as exc:
        return str(exc)


def main():
    out = []
    for schema, values in CASES:
        out.append({"schema": schema, "values": values, "error": run(schema, values)})
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes the operator schemas the model validator checks nodes against: every version of every operator of the
domains ONNX defines (ai.onnx, ai.onnx.ml, ai.onnx.preview.training), from the onnx Python package's
`onnx.defs.get_all_schemas_with_history()` (Debian's python3-onnx).

Usage: /usr/bin/python3 scripts/make-op-schemas.py [OUT]
  OUT  default electron/engine/onnx/validate/op-schemas.json

One entry per operator version, compact: [since, minIn, maxIn, minOut, maxOut, inputs, attributes, deprecated]
  minIn … maxOut  arity; -1 for "no upper bound" (variadic)
  inputs          one letter per formal input: S single (required), O optional, V variadic
  attributes      "name=TYPE" joined by ",", TYPE the AttributeProto.AttributeType number; "!" after a required one
  deprecated      1 when this version removed the operator (Upsample 10, Scatter 11), else 0
The validator takes operator versions past the package's newest opset from the converter's table
(electron/engine/onnx/convert/op-versions.ts) and checks only existence there.
"""

import json
import os
import sys

import onnx
from onnx import defs

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, 'electron', 'engine', 'onnx', 'validate', 'op-schemas.json')
UNBOUNDED = 2**31 - 1
OPTION = {
    defs.OpSchema.FormalParameterOption.Single: 'S',
    defs.OpSchema.FormalParameterOption.Optional: 'O',
    defs.OpSchema.FormalParameterOption.Variadic: 'V',
}


def bound(n):
    return -1 if n >= UNBOUNDED else n


def entry(schema):
    attrs = ','.join(
        f'{name}={int(a.type)}{"!" if a.required else ""}' for name, a in sorted(schema.attributes.items())
    )
    inputs = ''.join(OPTION[p.option] for p in schema.inputs)
    return [
        schema.since_version,
        schema.min_input,
        bound(schema.max_input),
        schema.min_output,
        bound(schema.max_output),
        inputs,
        attrs,
        1 if schema.deprecated else 0,
    ]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    domains = {}
    newest = {}
    for schema in defs.get_all_schemas_with_history():
        ops = domains.setdefault(schema.domain, {})
        ops.setdefault(schema.name, []).append(entry(schema))
        newest[schema.domain] = max(newest.get(schema.domain, 0), schema.since_version)
    for ops in domains.values():
        for versions in ops.values():
            versions.sort(key=lambda e: e[0])
    # the newest opset of each domain this package describes (it may know a domain version that changed no operator)
    newest[''] = max(newest.get('', 0), defs.onnx_opset_version())
    data = {
        'source': f'onnx {onnx.__version__} (python3-onnx), onnx.defs.get_all_schemas_with_history()',
        'onnxVersion': onnx.__version__,
        'newestOpset': dict(sorted(newest.items())),
        'domains': {d: dict(sorted(ops.items())) for d, ops in sorted(domains.items())},
    }
    text = json.dumps(data, separators=(',', ':'))
    with open(out, 'w') as f:
        f.write(text + '\n')
    count = sum(len(v) for ops in domains.values() for v in ops.values())
    print(f'{out}: {count} operator versions in {len(domains)} domains from onnx {onnx.__version__}, {len(text)} bytes')


if __name__ == '__main__':
    main()

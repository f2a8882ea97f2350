#!/usr/bin/python3
"""Reference ONNX model figures computed with python3-onnx, used by tests to check the TypeScript `inspect`.

Usage: /usr/bin/python3 scripts/onnx-reference-inspect.py MODEL.onnx   -> prints one JSON object
External data is never loaded: element counts come from tensor dims.
"""

import json
import sys
from collections import Counter

import onnx
from onnx import AttributeProto


def elements(tensor):
    n = 1
    for d in tensor.dims:
        n *= d
    return n


def subgraphs(node):
    """Graphs held directly by a node's GRAPH / GRAPHS attributes."""
    for attr in node.attribute:
        if attr.type == AttributeProto.GRAPH:
            yield attr.g
        elif attr.type == AttributeProto.GRAPHS:
            yield from attr.graphs


def constant_params(node):
    """Element count of a Constant node's `value` tensor (other value_* attributes are not counted)."""
    if node.op_type != "Constant" or node.domain not in ("", "ai.onnx"):
        return 0
    return sum(elements(a.t) for a in node.attribute if a.name == "value" and a.type == AttributeProto.TENSOR)


def graph_params(graph):
    """Initializer + Constant `value` elements of a graph and, recursively, of all its subgraphs."""
    total = sum(elements(t) for t in graph.initializer)
    for node in graph.node:
        total += constant_params(node)
        for g in subgraphs(node):
            total += graph_params(g)
    return total


def nested_node_count(graph):
    """Nodes inside the subgraphs of the graph's nodes, at every depth (the graph's own nodes excluded)."""
    total = 0
    for node in graph.node:
        for g in subgraphs(node):
            total += len(g.node) + nested_node_count(g)
    return total


def inspect(path):
    model = onnx.load(path, load_external_data=False)
    graph = model.graph
    init_names = {t.name for t in graph.initializer}
    return {
        "nodeCount": len(graph.node),
        "subgraphNodeCount": nested_node_count(graph),
        "initializerCount": len(graph.initializer),
        "paramCount": graph_params(graph),
        "opCounts": dict(sorted(Counter(n.op_type for n in graph.node).items())),
        "inputs": [i.name for i in graph.input if i.name not in init_names],
        "outputs": [o.name for o in graph.output],
        "irVersion": model.ir_version,
        "producerName": model.producer_name,
        "opsetImports": {o.domain: o.version for o in model.opset_import},
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: onnx-reference-inspect.py MODEL.onnx")
    print(json.dumps(inspect(sys.argv[1])))

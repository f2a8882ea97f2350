#!/usr/bin/env python3
"""Runs a .tflite model in Arm NN's reference backend (CpuRef, Debian's python3-pyarmnn), an implementation
independent of the studio's writer. Inputs are float32 .npy files shaped [N, *input shape] (N samples run one by
one); int8/uint8 inputs are quantized and outputs dequantized with the model's own parameters. Writes one
[N, *output shape] float32 .npy per output into --out-dir and prints a JSON line describing them."""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('--inputs', nargs='+', required=True, help='float32 .npy per model input, [N, *shape]')
    ap.add_argument('--out-dir', required=True)
    args = ap.parse_args()
    try:
        import numpy as np
        import pyarmnn as ann
    except ImportError as err:
        print(json.dumps({'ok': False, 'code': 'CHECK_RUNTIME_MISSING', 'message': str(err)}))
        return 3
    try:
        parser = ann.ITfLiteParser()
        network = parser.CreateNetworkFromBinaryFile(args.model)
        graph_id = 0
        in_names = parser.GetSubgraphInputTensorNames(graph_id)
        out_names = parser.GetSubgraphOutputTensorNames(graph_id)
        in_infos = [parser.GetNetworkInputBindingInfo(graph_id, n) for n in in_names]
        out_infos = [parser.GetNetworkOutputBindingInfo(graph_id, n) for n in out_names]
        runtime = ann.IRuntime(ann.CreationOptions())
        opt, _ = ann.Optimize(network, [ann.BackendId('CpuRef')], runtime.GetDeviceSpec(), ann.OptimizerOptions())
        net_id, _ = runtime.LoadNetwork(opt)
    except Exception as err:  # Arm NN raises its own exception types for unsupported layers
        print(json.dumps({'ok': False, 'code': 'CHECK_RUNTIME_REFUSED', 'message': str(err).strip()}))
        return 2
    if len(args.inputs) != len(in_infos):
        print(json.dumps({'ok': False, 'code': 'CHECK_BAD_INPUTS', 'message': f'model has {len(in_infos)} inputs, got {len(args.inputs)}'}))
        return 2
    data = [np.load(p) for p in args.inputs]
    n = data[0].shape[0]
    results = [[] for _ in out_infos]
    for i in range(n):
        feeds = []
        for (binding, info), arr in zip(in_infos, data):
            x = arr[i].reshape(tuple(info.GetShape()[d] for d in range(info.GetNumDimensions())))
            dt = info.GetDataType()
            if dt in (ann.DataType_QAsymmS8, ann.DataType_QAsymmU8, ann.DataType_QSymmS8):
                lo, hi, t = (-128, 127, np.int8) if dt != ann.DataType_QAsymmU8 else (0, 255, np.uint8)
                x = np.clip(np.round(x / info.GetQuantizationScale()) + info.GetQuantizationOffset(), lo, hi).astype(t)
            else:
                x = x.astype(np.float32)
            feeds.append(x)
        in_tensors = ann.make_input_tensors(in_infos, feeds)
        out_tensors = ann.make_output_tensors(out_infos)
        runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
        outs = ann.workload_tensors_to_ndarray(out_tensors)
        for k, ((binding, info), y) in enumerate(zip(out_infos, outs)):
            if info.IsQuantized():
                y = (y.astype(np.float32) - info.GetQuantizationOffset()) * info.GetQuantizationScale()
            results[k].append(np.asarray(y, dtype=np.float32))
    os.makedirs(args.out_dir, exist_ok=True)
    outputs = []
    for k, name in enumerate(out_names):
        path = os.path.join(args.out_dir, f'output-{k}.npy')
        arr = np.stack(results[k])
        np.save(path, arr)
        outputs.append({'name': name, 'shape': list(arr.shape), 'file': path})
    print(json.dumps({'ok': True, 'runtime': 'Arm NN 20.08 (CpuRef)', 'samples': int(n), 'outputs': outputs}))
    return 0


if __name__ == '__main__':
    sys.exit(main())

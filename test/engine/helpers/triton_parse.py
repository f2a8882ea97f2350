"""Parses Triton config.pbtxt files against the ModelConfig schema (test/fixtures/triton/model_config.proto).

Compiles the .proto with protoc into a temp folder, then reads each file with google.protobuf.text_format,
which refuses unknown fields, bad enum names and wrong types. Prints one JSON object per file:
{"file": ..., "ok": true, "config": {...}} or {"file": ..., "ok": false, "error": "..."}.
usage: triton_parse.py MODEL_CONFIG_PROTO CONFIG_PBTXT [CONFIG_PBTXT ...]
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile

from google.protobuf import json_format, text_format


def main() -> int:
    proto, files = sys.argv[1], sys.argv[2:]
    out = tempfile.mkdtemp(prefix="triton-proto-")
    subprocess.run(
        ["protoc", f"--proto_path={os.path.dirname(os.path.abspath(proto))}", f"--python_out={out}", os.path.basename(proto)],
        check=True,
    )
    sys.path.insert(0, out)
    pb = importlib.import_module(os.path.splitext(os.path.basename(proto))[0] + "_pb2")
    for f in files:
        msg = pb.ModelConfig()
        try:
            with open(f, encoding="utf-8") as fh:
                text_format.Parse(fh.read(), msg)
            cfg = json_format.MessageToDict(msg, preserving_proto_field_name=True)
            print(json.dumps({"file": f, "ok": True, "config": cfg}))
        except text_format.ParseError as e:
            print(json.dumps({"file": f, "ok": False, "error": str(e)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

/** onnxruntime's messages in the studio's words: every known message of onnxruntime 1.30 (collected on crafted models). */
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/api/errors';
import { ortError, parseOrtMessage, stripSourceNoise, translateOrtMessage, type OrtInputFact } from './ort-messages';

const INPUTS: OrtInputFact[] = [{ name: 'x', dtype: 'float32', declared: [1, 3, 4, 4], given: { dtype: 'float64', dims: [1, 3, 5, 4] } }];
const ctx = (phase: 'load' | 'run') => ({ model: 'm.onnx', phase, ortVersion: '1.30.0', inputs: INPUTS });

/** [case, phase, onnxruntime's text (verbatim but for the model path), what the studio says] */
const CASES: Array<[string, 'load' | 'run', string, string]> = [
  ["attrtype", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"s\", Softmax, \"\", -1) : (\"x\": tensor(float),) -> (\"y\": tensor(float),) , Error Mismatched attribute type in 's : axis'. Expected: 'INT', actual: 'FLOAT'", "node \"s\" (Softmax): its attribute \"axis\" is FLOAT, but the operator needs INT"],
  ["badattr", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"r\", Relu, \"\", -1) : (\"x\": tensor(float),) -> (\"y\": tensor(float),) , Error Unrecognized attribute: foo for operator Relu", "node \"r\" (Relu): it has an attribute \"foo\" that Relu does not define"],
  ["broadcast", "run", "Non-zero status code returned while running Add node. Name:'/add' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/math/element_wise_ops.h:563 void onnxruntime::BroadcastIterator::Init(ptrdiff_t, ptrdiff_t) axis == 1 || axis == largest was false. Attempting to broadcast an axis by a dimension other than 1. 3 by 4", "node \"/add\" (Add) in m.onnx: its inputs have sizes 3 and 4 on the same axis"],
  ["concat", "run", "Non-zero status code returned while running Concat node. Name:'/cat' Status Message: concatbase.h:133 PrepareForComputeImpl Non concat axis dimensions must match: Axis 1 has mismatched dimensions of 4 and 5", "node \"/cat\" (Concat) in m.onnx: its inputs differ on axis 1 (4 and 5)"],
  ["conv", "run", "Non-zero status code returned while running Conv node. Name:'y_nchwc' Status Message: Input channels C is not equal to kernel channels * group. C: 4 kernel channels: 3 group: 1", "its input has 4 channels, but its weights expect 3"],
  ["conv1d", "run", "Non-zero status code returned while running Conv node. Name:'Conv_3' Status Message: X num_dims does not match W num_dims. X: {1} W: {8,1,3}", "node \"Conv_3\" (Conv) in m.onnx: its input has shape [1], but its weights [8, 1, 3] need an input with 3 dimensions"],
  ["customdomain", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"f\", MyOp, \"com.acme\", -1) : (\"x\": tensor(float),) -> (\"y\": tensor(float),) , Error No opset import for domain 'com.acme'", "it uses the operator domain \"com.acme\" without importing it"],
  ["dupname", "load", "Load model from /models/m.onnx failed:This is an invalid model. Error: two nodes with same node name (n).", "two nodes are named \"n\""],
  ["dupout", "load", "Load model from /models/m.onnx failed:This is an invalid model. Error: Duplicate definition of name (y).", "more than one node writes the tensor \"y\""],
  ["expand", "run", "Non-zero status code returned while running Expand node. Name:'/expand' Status Message: invalid expand shape", "node \"/expand\" (Expand) in m.onnx: its input cannot be expanded"],
  ["fixedin", "run", "Got invalid dimensions for input: x for the following indices\n index: 2 Got: 5 Expected: 4\n Please fix either the inputs/outputs or the model.", "input \"x\" has the wrong size: dimension 2 is 5 where the model expects 4 (given [1, 3, 5, 4], declared [1, 3, 4, 4])"],
  ["gather", "run", "Non-zero status code returned while running Gather node. Name:'/emb/Gather' Status Message: indices element out of data bounds, idx=7 must be within the inclusive range [-4,3]", "it reads index 7, outside [-4, 3]"],
  ["ifouter", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"if\", If, \"\", -1) : (\"c\": tensor(bool),) -> (\"y\": tensor(float),) , Error Nodes in a graph must be topologically sorted, however input 'ghost' of node: \nname: ti OpType: Identity\n is not output of any previous nodes.", "node \"ti\" (Identity) reads \"ghost\", which no earlier node produces: the graph is not in topological order or an input is missing"],
  ["inputcount", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"add1\", Add, \"\", -1) : (\"x\": tensor(float),) -> (\"y\": tensor(float),) , Error Node(add1) with schema(::Add:14) has input size 1 not in range [min=2, max=2].", "node \"add1\" (Add) has 1 input, but the operator takes 2"],
  ["irfuture", "load", "Load model from /models/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:202 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const onnxruntime::ModelOptions&) Unsupported model IR version: 99, max supported IR version: 13", "its IR version 99 is newer than onnxruntime 1.30.0 reads (up to 13)"],
  ["matmul", "run", "Non-zero status code returned while running MatMul node. Name:'/fc/MatMul' Status Message: matmul_helper.h:59 Compute MatMul dimension mismatch", "node \"/fc/MatMul\" (MatMul) in m.onnx: the inner dimensions of its two inputs differ"],
  ["nestedif", "run", "Non-zero status code returned while running If node. Name:'If_0' Status Message: Non-zero status code returned while running If node. Name:'/decoder/If_1' Status Message: Non-zero status code returned while running Reshape node. Name:'/decoder/Reshape' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, onnxruntime::TensorShapeVector&, bool) input_shape_size == requested_shape_size was false. The input tensor cannot be reshaped to the requested shape. Input shape:{1,16000}, requested shape:{1,1,512}", "onnxruntime cannot run node \"/decoder/Reshape\" (Reshape, inside If \"If_0\" › If \"/decoder/If_1\") in m.onnx: its input has shape [1, 16000], which cannot become [1, 1, 512]"],
  ["noimpl", "load", "Load model from /models/m.onnx failed:This is an invalid model. Type Error: Type 'tensor(int32)' of input parameter (x) of operator (Cos) in node (cos1) is invalid.", "node \"cos1\" (Cos) takes input \"x\" of type tensor(int32), which Cos does not accept"],
  ["noop", "load", "Load model from /models/m.onnx failed:This is an invalid model. In Node, (\"f\", Frobnicate, \"\", -1) : (\"x\": tensor(float),) -> (\"y\": tensor(float),) , Error No Op registered for Frobnicate with domain_version of 17", "the operator Frobnicate does not exist at opset 17"],
  ["noopset", "load", "Load model from /models/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:191 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const onnxruntime::ModelOptions&) Missing opset in the model. All ModelProtos MUST have at least one entry that specifies which version of the ONNX OperatorSet is being imported.", "it imports no operator set"],
  ["notonnx", "load", "Load model from /models/m.onnx failed:Protobuf parsing failed.", "not an ONNX model"],
  ["notype", "load", "Load model from /models/m.onnx failed:This is an invalid model. Model input (x) does not have type information.", "its input \"x\" has no type"],
  ["opsetfuture", "load", "Load model from /models/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 30 is under development and support for this is limited. The operator schemas and or other functionality may change before next ONNX release and in this case ONNX Runtime will not guarantee backward compatibility. Current official support for domain ai.onnx is till opset 26.", "it uses ai.onnx opset 30, newer than onnxruntime 1.30.0 supports (up to 26)"],
  ["rawshort", "load", "Deserialize tensor w failed.endian_utils.cc:66 CopyLittleEndian source and destination buffer size mismatch", "the stored data of tensor \"w\" cannot be read: its size does not match"],
  ["reshape", "run", "Non-zero status code returned while running Reshape node. Name:'/Reshape' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, onnxruntime::TensorShapeVector&, bool) input_shape_size == requested_shape_size was false. The input tensor cannot be reshaped to the requested shape. Input shape:{1,16000}, requested shape:{1,1,512}", "onnxruntime cannot run node \"/Reshape\" (Reshape) in m.onnx: its input has shape [1, 16000], which cannot become [1, 1, 512]"],
  ["reuse", "load", "Load model from /models/m.onnx failed:Node (add) Op (Add) [ShapeInferenceError] Incompatible dimensions", "node \"add\" (Add): the shapes the model declares do not fit this operator (incompatible dimensions)"],
  ["shapeinf", "load", "Load model from /models/m.onnx failed:Node (mm) Op (MatMul) [ShapeInferenceError] Incompatible dimensions for matrix multiplication", "node \"mm\" (MatMul): the shapes the model declares do not fit this operator (incompatible dimensions for matrix multiplication)"],
  ["split", "run", "Non-zero status code returned while running Split node. Name:'/split' Status Message: Cannot split using values in 'split' attribute. Axis=1 Input shape={1,5} NumOutputs=2 Num entries in 'split' (must equal number of outputs) was 2 Sum of sizes in 'split' (must equal size of selected axis) was 4", "its split sizes add up to 4, but axis 1 of its input [1, 5] has 5"],
  ["topo", "load", "Load model from /models/m.onnx failed:Invalid model. Node input 'nowhere' is not a graph input, initializer, or output of a previous node.", "a node reads \"nowhere\", which no earlier node produces: the graph is not in topological order or an input is missing"],
  ["typeerr", "load", "Load model from /models/m.onnx failed:Type Error: Type parameter (T) of Optype (Add) bound to different types (tensor(float) and tensor(int64) in node (add).", "node \"add\" (Add) mixes float and int64 inputs"],
  ["fixedin_type", "run", "Unexpected input data type. Actual: (tensor(double)) , expected: (tensor(float))", "input \"x\" holds double values where the model expects float"],
  ["fixedin_rank", "run", "Invalid rank for input: x Got: 3 Expected: 4 Please fix either the inputs/outputs or the model.", "input \"x\" has 3 dimensions where the model expects 4"],
  ["fixedin_missing", "run", "input 'x' is missing in 'feeds'.", "input \"x\" was given no data"],
  ["gemmbias", "run", "Non-zero status code returned while running Gemm node. Name:'/fc/Gemm' Status Message: Gemm: Invalid bias shape for broadcast", "node \"/fc/Gemm\" (Gemm) in m.onnx: its bias has a shape that does not broadcast"],
  ["lstm", "run", "Non-zero status code returned while running LSTM node. Name:'/rnn/LSTM' Status Message: Input X must have 3 dimensions only. Actual:{1,1,1,3}", "its input X has shape [1, 1, 1, 3], but it needs exactly 3 dimensions"],
  ["transpose", "run", "Non-zero status code returned while running Transpose node. Name:'/t' Status Message: perm size: 3 does not match input rank: 2", "it reorders 3 dimensions, but its input has 2"],
  ["slice", "run", "Non-zero status code returned while running Slice node. Name:'/slice' Status Message: slice.h:166 FillVectorsFromInput Starts and ends shape mismatch", "its starts and ends inputs have different lengths"],
  ["where", "run", "Non-zero status code returned while running Where node. Name:'/where' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/math/element_wise_ops.h:563 void onnxruntime::BroadcastIterator::Init(ptrdiff_t, ptrdiff_t) axis == 1 || axis == largest was false. Attempting to broadcast an axis by a dimension other than 1. 3 by 4", "node \"/where\" (Where) in m.onnx: its inputs have sizes 3 and 4"],
  ["softmaxaxis", "run", "Non-zero status code returned while running Softmax node. Name:'/sm' Status Message: /onnxruntime_src/onnxruntime/core/providers/common.h:31 int64_t onnxruntime::HandleNegativeAxis(int64_t, int64_t) IsAxisInRange(axis, tensor_rank) was false. axis 3 is not in valid range [-2,1]", "its axis 3 does not exist in its input (valid axes: -2 to 1)"],
  ["unsq", "run", "Non-zero status code returned while running Unsqueeze node. Name:'/unsq' Status Message: /onnxruntime_src/onnxruntime/core/providers/common.h:31 int64_t onnxruntime::HandleNegativeAxis(int64_t, int64_t) IsAxisInRange(axis, tensor_rank) was false. axis 5 is not in valid range [-3,2]", "its axis 5 does not exist in its input (valid axes: -3 to 2)"],
  ["fixedin_badout", "run", "'fetches' contains invalid output name: nope.", "the model has no output named \"nope\""],
];

describe('translateOrtMessage', () => {
  it.each(CASES)('%s (%s): one line in the studio\'s words', (_name, phase, raw, says) => {
    const { message, rule } = translateOrtMessage(raw, ctx(phase));
    expect(message).toContain(says);
    expect(rule).not.toBe('fallback');
    expect(message).toMatch(new RegExp(`^onnxruntime cannot ${phase}`));
    expect(message).not.toMatch(/\n|onnxruntime_src|::|Non-zero status|Status Message|This is an invalid model|Load model from|\{\d/);
  });

  it('names the model\'s inputs after a shape error they may explain', () => {
    const raw = CASES.find((c) => c[0] === 'reshape')?.[2] as string;
    expect(translateOrtMessage(raw, ctx('run')).message).toMatch(/The model's inputs were given as "x" \[1, 3, 5, 4\] for \[1, 3, 4, 4\]\.$/);
  });

  it('says when a NUL in an input name keeps onnxruntime-node from feeding it', () => {
    const inputs: OrtInputFact[] = [{ name: 'in\0put', dtype: 'float32', declared: [1], given: { dtype: 'float32', dims: [1] } }];
    expect(translateOrtMessage("input 'in' is missing in 'feeds'.", { model: 'm.onnx', phase: 'run', inputs }).message).toBe(
      'onnxruntime cannot run m.onnx: input "in\\x00put" holds a NUL character, and onnxruntime-node cuts names at NUL, so it cannot be fed: rename the input in the model.',
    );
  });

  it('reads a load message cut short at a NUL character', () => {
    const raw = 'Load model from /m.onnx failed:This is an invalid model. In Node, ("relu\x1b]0;t\x07';
    expect(translateOrtMessage(raw, ctx('load')).message).toBe(
      'onnxruntime cannot load m.onnx: node "relu\\x1b]0;t\\x07" is invalid, and onnxruntime\'s reason was cut short, as happens when a name holds a NUL character (deploy-studio inspect lists the model\'s problems).',
    );
  });

  it('falls back to the first line of an unknown message, without source paths or C++ signatures', () => {
    const raw =
      "Non-zero status code returned while running Foo node. Name:'n1' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/foo.h:12 " +
      'void onnxruntime::Foo::Compute(const onnxruntime::Tensor&, int64_t) const x > 0 was false. Something odd happened with {1,2}\nsecond line';
    expect(translateOrtMessage(raw, ctx('run'))).toEqual({
      code: 'INFERENCE_FAILED',
      message: 'onnxruntime cannot run node "n1" (Foo) in m.onnx: Something odd happened with [1, 2].',
      rule: 'fallback',
    });
    expect(translateOrtMessage('Load model from /x.onnx failed:Something new', ctx('load')).message).toBe('onnxruntime cannot load m.onnx: Something new.');
  });

  it('escapes control characters of names and keeps one line', () => {
    const name = 'evil\x1b[31m\nname';
    const { message } = translateOrtMessage(`Non-zero status code returned while running Reshape node. Name:'${name}' Status Message: invalid expand shape`, ctx('run'));
    expect(message).toContain('node "evil\\x1b[31m\\nname" (Reshape)');
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('parseOrtMessage and stripSourceNoise', () => {
  it('finds the innermost node of a control-flow chain', () => {
    const parsed = parseOrtMessage(CASES.find((c) => c[0] === 'nestedif')?.[2] as string);
    expect(parsed.node).toEqual({ name: '/decoder/Reshape', op: 'Reshape', outer: [{ name: 'If_0', op: 'If' }, { name: '/decoder/If_1', op: 'If' }] });
    expect(parsed.message).toBe('The input tensor cannot be reshaped to the requested shape. Input shape:{1,16000}, requested shape:{1,1,512}');
  });

  it('removes source locations, signatures, bare function names and assertions', () => {
    expect(stripSourceNoise('concatbase.h:133 PrepareForComputeImpl Non concat axis')).toBe('Non concat axis');
    expect(stripSourceNoise('matmul_helper.h:59 Compute MatMul dimension mismatch')).toBe('MatMul dimension mismatch');
    expect(stripSourceNoise('Deserialize tensor w failed.endian_utils.cc:66 CopyLittleEndian source and destination')).toBe('Deserialize tensor w failed.source and destination');
  });
});

describe('ortError', () => {
  it('keeps onnxruntime\'s text in the details and passes StudioErrors through', () => {
    const raw = CASES.find((c) => c[0] === 'topo')?.[2] as string;
    const err = ortError(new Error(raw), { model: 'm.onnx', phase: 'load' });
    expect(err.code).toBe('INVALID_MODEL');
    expect(err.details).toEqual({ onnxruntime: raw });
    expect(err.toDto().details?.onnxruntime).toBe(raw);
    const own = new StudioError('JOB_CANCELLED', 'cancelled');
    expect(ortError(own, { model: 'm.onnx', phase: 'run' })).toBe(own);
  });
});

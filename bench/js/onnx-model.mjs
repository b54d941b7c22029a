// A scaled dot-product attention graph as ONNX model bytes, written by hand (there is no Python
// here to export one): the ModelProto fields needed, in protobuf's wire format.
//
//   Q, K, V [H, N, d] -> Transpose(K) [H, d, N] -> MatMul(Q, Kᵀ) [H, N, N] -> Mul(1/√d)
//                     -> Softmax(axis -1) -> MatMul(·, V) [H, N, d]
// Opset 17; shapes static, so onnxruntime can plan (and fuse MatMul + Mul) for the given size.

// --- protobuf wire format: varints, tags, length-delimited fields ------------------------------------
function varint(n) {
  const out = [];
  let v = BigInt.asUintN(64, BigInt(n)); // negative int64: two's complement, 10 bytes
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...tag(field, 0), ...varint(n)];
const bytes = (field, b) => [...tag(field, 2), ...varint(b.length), ...b];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);
const msg = (field, parts) => bytes(field, parts.flat());
const f32 = (field, x) => [...tag(field, 5), ...new Uint8Array(Float32Array.of(x).buffer)];

const FLOAT = 1; // TensorProto.DataType.FLOAT

// ValueInfoProto: a float tensor of a static shape
function valueInfo(field, name, dims) {
  const shape = dims.map((d) => msg(1, [int(1, d)])); // Dimension { dim_value }
  const tensorType = msg(1, [int(1, FLOAT), msg(2, shape)]); // TypeProto.Tensor { elem_type, shape }
  return msg(field, [str(1, name), msg(2, [tensorType])]); // ValueInfoProto { name, type }
}

// NodeProto { input*, output*, name, op_type, attribute* }
function node(op, inputs, outputs, attributes = []) {
  return msg(1, [
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, `${op}_${outputs[0]}`),
    str(4, op),
    ...attributes,
  ]);
}
const attrInt = (name, i) => msg(5, [str(1, name), int(20, 2), int(3, i)]); // type INT
const attrInts = (name, is) => msg(5, [str(1, name), int(20, 7), ...is.map((i) => int(8, i))]); // INTS

/** ONNX model bytes computing softmax(Q Kᵀ / √d) V for Q, K, V of shape [H, N, d]. */
export function attentionModel(H, N, d) {
  const scale = msg(5, [int(1, 1), int(2, FLOAT), str(8, 'scale'), f32(4, 1 / Math.sqrt(d))]); // TensorProto, dims [1]
  const graph = [
    node('Transpose', ['K'], ['Kt'], [attrInts('perm', [0, 2, 1])]),
    node('MatMul', ['Q', 'Kt'], ['S']),
    node('Mul', ['S', 'scale'], ['L']),
    node('Softmax', ['L'], ['P'], [attrInt('axis', -1)]),
    node('MatMul', ['P', 'V'], ['O']),
    str(2, 'attention'),
    scale,
    valueInfo(11, 'Q', [H, N, d]),
    valueInfo(11, 'K', [H, N, d]),
    valueInfo(11, 'V', [H, N, d]),
    valueInfo(12, 'O', [H, N, d]),
  ];
  const model = [
    int(1, 8), // ir_version
    str(2, 'attention-playground bench'), // producer_name
    msg(7, graph), // graph
    msg(8, [str(1, ''), int(2, 17)]), // opset_import { domain '', version 17 }
  ];
  return Uint8Array.from(model.flat());
}

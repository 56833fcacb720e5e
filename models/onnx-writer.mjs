// Minimal ONNX protobuf writer: just enough of onnx.proto3 to serialise a graph made of a few
// nodes, float/int64 initializers (as raw_data) and typed inputs/outputs. Written by hand so the
// model can be built at install time with no Python, no protobuf dependency and byte-for-byte
// deterministic output (fields are always emitted in the same order).
//
// Field numbers are from https://github.com/onnx/onnx/blob/main/onnx/onnx.proto

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** ONNX TensorProto.DataType values. */
export const DataType = Object.freeze({ FLOAT: 1, INT32: 6, INT64: 7 });
/** ONNX AttributeProto.AttributeType values. */
const AttrType = Object.freeze({ FLOAT: 1, INT: 2, STRING: 3, INTS: 7 });

function varint(value) {
  // Accepts non-negative numbers up to 2^53 or bigints (negative int64s are written as 10-byte
  // two's complement, as protobuf requires).
  let v = typeof value === 'bigint' ? value : BigInt(value);
  if (v < 0n) v = (1n << 64n) + v;
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Buffer.from(out);
}

const key = (field, wire) => varint((field << 3) | wire);

/** Varint-typed field (int32, int64, enum, bool). */
function fInt(field, value) {
  return Buffer.concat([key(field, WIRE_VARINT), varint(value)]);
}

/**
 * Length-delimited field: bytes, string or embedded message. Small payloads are concatenated; a
 * payload given as a list of Buffers is kept as a list (header + parts) so that a large
 * initializer is never copied, and callers flatten the nested lists when writing.
 */
function fLen(field, payload) {
  if (!Array.isArray(payload)) return Buffer.concat([key(field, WIRE_LEN), varint(payload.length), payload]);
  const parts = payload.flat(Infinity);
  const len = parts.reduce((n, b) => n + b.length, 0);
  if (len < 1 << 16) return Buffer.concat([key(field, WIRE_LEN), varint(len), ...parts]);
  return [Buffer.concat([key(field, WIRE_LEN), varint(len)]), ...parts];
}

const fStr = (field, s) => fLen(field, Buffer.from(s, 'utf8'));

/**
 * TensorProto with raw_data.
 * @param {{name: string, dataType: number, dims: number[], raw: Buffer | Uint8Array}} t
 */
export function tensorProto({ name, dataType, dims, raw }) {
  const rawBuf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return [
    ...dims.map((d) => fInt(1, d)), // dims
    fInt(2, dataType), // data_type
    fStr(8, name), // name
    fLen(9, [rawBuf]), // raw_data (kept as its own chunk, not copied)
  ];
}

/** TensorShapeProto.Dimension: a number is dim_value, a string is a symbolic dim_param. */
function dimension(d) {
  return typeof d === 'number' ? fInt(1, d) : fStr(2, d);
}

/**
 * ValueInfoProto for a tensor.
 * @param {{name: string, elemType: number, shape: (number|string)[]}} v
 */
export function valueInfo({ name, elemType, shape }) {
  const shapeProto = shape.map((d) => fLen(1, dimension(d)));
  const tensorType = [fInt(1, elemType), fLen(2, shapeProto)];
  const typeProto = fLen(1, tensorType); // TypeProto.tensor_type
  return [fStr(1, name), fLen(2, typeProto)];
}

function attribute(name, value) {
  if (Number.isInteger(value)) return [fStr(1, name), fInt(3, value), fInt(20, AttrType.INT)];
  if (typeof value === 'number') {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    return [fStr(1, name), Buffer.concat([key(2, 5), b]), fInt(20, AttrType.FLOAT)];
  }
  if (typeof value === 'string') return [fStr(1, name), fLen(4, Buffer.from(value)), fInt(20, AttrType.STRING)];
  if (Array.isArray(value)) return [fStr(1, name), ...value.map((x) => fInt(8, x)), fInt(20, AttrType.INTS)];
  throw new Error(`unsupported attribute ${name}`);
}

/**
 * NodeProto.
 * @param {{opType: string, inputs: string[], outputs: string[], name?: string, attributes?: Record<string, number|string|number[]>}} n
 */
export function nodeProto({ opType, inputs, outputs, name, attributes = {} }) {
  return [
    ...inputs.map((s) => fStr(1, s)),
    ...outputs.map((s) => fStr(2, s)),
    ...(name ? [fStr(3, name)] : []),
    fStr(4, opType),
    ...Object.keys(attributes).map((k) => fLen(5, attribute(k, attributes[k]))),
  ];
}

/**
 * Serialises a ModelProto. Returns a list of Buffers (a large initializer's data stays its own,
 * uncopied chunk); write them in order.
 *
 * @param {{
 *   graphName: string,
 *   nodes: ReturnType<typeof nodeProto>[],
 *   initializers: ReturnType<typeof tensorProto>[],
 *   inputs: ReturnType<typeof valueInfo>[],
 *   outputs: ReturnType<typeof valueInfo>[],
 *   irVersion?: number,
 *   opset?: number,
 *   producerName?: string,
 *   producerVersion?: string,
 *   docString?: string,
 * }} m
 * @returns {Buffer[]}
 */
export function modelProtoChunks({
  graphName,
  nodes,
  initializers,
  inputs,
  outputs,
  irVersion = 8,
  opset = 13,
  producerName = 'distill-radar',
  producerVersion = '1',
  docString = '',
}) {
  // Graph body: node=1, name=2, initializer=5, doc_string=10, input=11, output=12.
  const graphParts = [
    ...nodes.map((n) => fLen(1, n)),
    fStr(2, graphName),
    ...initializers.map((t) => fLen(5, t)),
    ...inputs.map((v) => fLen(11, v)),
    ...outputs.map((v) => fLen(12, v)),
  ].flat(Infinity);
  const graphLen = graphParts.reduce((s, b) => s + b.length, 0);
  const opsetId = [fStr(1, ''), fInt(2, opset)]; // default (ai.onnx) domain

  const head = Buffer.concat([
    fInt(1, irVersion), // ir_version
    fStr(2, producerName), // producer_name
    fStr(3, producerVersion), // producer_version
    ...(docString ? [fStr(6, docString)] : []), // doc_string
    key(7, WIRE_LEN), // graph
    varint(graphLen),
  ]);
  return [head, ...graphParts, fLen(8, opsetId)]; // opset_import
}

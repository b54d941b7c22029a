// Tensors at the JS boundary: what the API accepts (nested arrays or { data, shape }) and what it
// returns (Tensor). Only conversion and type checks live here; every number is computed in WASM.

/** A row-major float32 tensor returned by the engine. */
export class Tensor {
  /**
   * @param {Float32Array} data row-major values (a copy owned by this tensor)
   * @param {number[]} shape
   */
  constructor(data, shape) {
    this.data = data;
    this.shape = shape;
  }

  /** Nested arrays of numbers, e.g. [[0.5, 0.5], [1, 0]]. */
  toArray() {
    const { data, shape } = this;
    if (shape.length === 0) return data[0];
    const build = (axis, offset) => {
      const n = shape[axis];
      if (axis === shape.length - 1) {
        const row = new Array(n); // a plain loop: Array.from(subarray) is several times slower
        for (let i = 0; i < n; i++) row[i] = data[offset + i];
        return row;
      }
      const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }
}

const MAX_RANK = 4;

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`;
}

function elementCount(shape, name) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Converts a tensor argument into { data, shape } for the bindings.
 * Accepts nested arrays (rectangular, numbers), { data: Float32Array | Float64Array | number[],
 * shape: number[] }, a Float32Array/Float64Array (1-D), or, with `scalar`, a plain number.
 * Throws a TypeError (not a tensor, ragged, not numbers) or RangeError (data length ≠ product of
 * shape, size over `maxElements`) naming `name`.
 *
 * @param {unknown} value
 * @param {string} name the argument's name for messages
 * @param {{ dtype?: Float32ArrayConstructor | Float64ArrayConstructor, scalar?: boolean,
 *           booleans?: boolean, maxElements: number }} options
 */
export function toRaw(value, name, { dtype = Float32Array, scalar = false, booleans = false, maxElements }) {
  if (typeof value === 'number' && scalar) return { data: dtype.of(value), shape: [] };
  if (value instanceof Float32Array || value instanceof Float64Array) {
    return { data: value instanceof dtype ? value : dtype.from(value), shape: [value.length] };
  }
  if (Array.isArray(value)) return fromNested(value, name, dtype, booleans, maxElements);
  if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    return fromDataShape(value, name, dtype, maxElements);
  }
  throw new TypeError(
    `${name}: expected a nested array of numbers or { data, shape }` +
      `${scalar ? ' or a number' : ''}, got ${describe(value)}`,
  );
}

function fromDataShape({ data, shape }, name, dtype, maxElements) {
  if (!Array.isArray(shape)) throw new TypeError(`${name}: shape must be an array of integers, got ${describe(shape)}`);
  if (shape.length > MAX_RANK) throw new RangeError(`${name}: rank ${shape.length} is over ${MAX_RANK}`);
  for (const d of shape) {
    if (typeof d !== 'number') throw new TypeError(`${name}: shape entries must be numbers, got ${describe(d)}`);
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`${name}: shape entries must be integers >= 0, got [${shape.join(', ')}]`);
  }
  const n = elementCount(shape, name);
  if (n > maxElements) {
    throw new RangeError(
      `${name}: shape [${shape.join(', ')}] has ${n} elements, over the limit of ${maxElements} elements per tensor`,
    );
  }
  const isArrayLike = Array.isArray(data) || data instanceof Float32Array || data instanceof Float64Array;
  if (!isArrayLike) {
    throw new TypeError(`${name}: data must be a Float32Array, Float64Array or number[], got ${describe(data)}`);
  }
  if (data.length !== n) {
    throw new RangeError(`${name}: data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  }
  if (data instanceof dtype) return { data, shape: shape.slice() };
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      if (typeof data[i] !== 'number')
        throw new TypeError(`${name}: data[${i}] is ${describe(data[i])}, expected a number`);
    }
  }
  return { data: dtype.from(data), shape: shape.slice() };
}

function fromNested(value, name, dtype, booleans, maxElements) {
  // the shape is read off the first element at each depth; every other element must agree
  const shape = [];
  for (let a = value; Array.isArray(a); a = a[0]) {
    shape.push(a.length);
    if (shape.length > MAX_RANK) throw new RangeError(`${name}: nested deeper than rank ${MAX_RANK}`);
    if (a.length === 0) break;
  }
  const n = elementCount(shape, name);
  if (n > maxElements) {
    throw new RangeError(
      `${name}: shape [${shape.join(', ')}] has ${n} elements, over the limit of ${maxElements} elements per tensor`,
    );
  }
  const data = new dtype(n);
  let k = 0;
  // the index of the element being read, turned into "[1][2]" only for an error message
  const index = new Array(shape.length).fill(0);
  const path = (depth) =>
    index
      .slice(0, depth)
      .map((i) => `[${i}]`)
      .join('');
  const walk = (a, axis) => {
    if (!Array.isArray(a)) {
      throw new TypeError(
        `${name}${path(axis)}: ragged nested array: expected an array of length ${shape[axis]}, got ${describe(a)}`,
      );
    }
    if (a.length !== shape[axis]) {
      throw new TypeError(
        `${name}${path(axis)}: ragged nested array: length ${a.length}, expected ${shape[axis]} (shape [${shape.join(', ')}])`,
      );
    }
    if (axis === shape.length - 1) {
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (typeof x === 'number') data[k++] = x;
        else if (booleans && typeof x === 'boolean') data[k++] = x ? 1 : 0;
        else {
          index[axis] = i;
          throw new TypeError(`${name}${path(axis + 1)}: expected a number, got ${describe(x)}`);
        }
      }
      return;
    }
    for (let i = 0; i < a.length; i++) {
      index[axis] = i;
      walk(a[i], axis + 1);
    }
  };
  walk(value, 0);
  return { data, shape };
}

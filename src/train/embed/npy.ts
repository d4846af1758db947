// Writers for embedding matrices: NumPy .npy (format version 1.0, as numpy/lib/format.py
// `write_array` produces for a C-ordered float32 array) and CSV with float32 round-trip digits.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ARRAY_ALIGN = 64; // numpy/lib/format.py ARRAY_ALIGN
const PREFIX_LEN = 10; // magic (6) + version (2) + uint16 header length (2)
// numpy >= 1.23 pads the header so the first axis can grow in place (GROWTH_AXIS_MAX_DIGITS).
const GROWTH_AXIS_MAX_DIGITS = 21;

function checkShape(vectors: ArrayLike<number>, n: number, dim: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 0)
    throw new Error(`shape (${n}, ${dim}) must be non-negative integers`);
  if (vectors.length !== n * dim) throw new Error(`${vectors.length} values do not fill a (${n}, ${dim}) matrix`);
}

/** The header text numpy writes for a 2-d '<f4' C-order array, padding and final newline included. */
export function npyHeader(n: number, dim: number): string {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${dim}), }`;
  dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(n).length));
  const hlen = dict.length + 1; // + '\n'
  const pad = ARRAY_ALIGN - ((PREFIX_LEN + hlen) % ARRAY_ALIGN);
  return dict + ' '.repeat(pad) + '\n';
}

/** `np.save` bytes of a float32 matrix [n, dim] (row-major). */
export function toNpy(vectors: ArrayLike<number>, n: number, dim: number): Uint8Array {
  checkShape(vectors, n, dim);
  const header = npyHeader(n, dim);
  if (header.length > 0xffff) throw new Error('npy header too long for format 1.0');
  const out = new Uint8Array(PREFIX_LEN + header.length + n * dim * 4);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[PREFIX_LEN + i] = header.charCodeAt(i); // ASCII only
  const base = PREFIX_LEN + header.length;
  for (let i = 0; i < n * dim; i++) view.setFloat32(base + i * 4, vectors[i]!, true);
  return out;
}

/** Shortest decimal (<= 9 significant digits) that reads back as the same float32. */
export function formatFloat32(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'nan' : f > 0 ? 'inf' : '-inf';
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return s;
  }
  return String(f);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header `id,dim_0,...,dim_{D-1}`; ids default to the row index. */
export function toCsv(vectors: ArrayLike<number>, n: number, dim: number, ids?: readonly string[]): string {
  checkShape(vectors, n, dim);
  if (ids && ids.length !== n) throw new Error(`${ids.length} ids for ${n} rows`);
  const lines = [['id', ...Array.from({ length: dim }, (_, j) => `dim_${j}`)].join(',')];
  for (let i = 0; i < n; i++) {
    const row = [csvField(ids ? ids[i]! : String(i))];
    for (let j = 0; j < dim; j++) row.push(formatFloat32(vectors[i * dim + j]!));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

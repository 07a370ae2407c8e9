// Draws the extension's marketplace icon, docs/images/icon.png (128 x 128): a lens over three connected address
// blocks on AKS blue. Shapes are signed distance fields, anti-aliased by coverage; the PNG is written with zlib alone.
// Run `node scripts/make-icon.mjs` after changing a shape; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const BACKGROUND = [0x0b, 0x4f, 0x9c];
const WHITE = [0xff, 0xff, 0xff];
const ACCENT = [0x5c, 0xd3, 0xff];

// Signed distances (negative inside) from point (x, y).
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;
function segment(ax, ay, bx, by, width) {
  return (x, y) => {
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) - width / 2;
  };
}
function roundedSquare(inset, radius) {
  return (x, y) => {
    const half = SIZE / 2 - inset;
    const qx = Math.abs(x - SIZE / 2) - half + radius;
    const qy = Math.abs(y - SIZE / 2) - half + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

// Back to front: each layer a colour and the shapes it fills.
const nodes = [
  [44, 44],
  [76, 40],
  [58, 70],
];
const layers = [
  [BACKGROUND, [roundedSquare(4, 22)]],
  [ACCENT, [segment(...nodes[0], ...nodes[1], 4), segment(...nodes[1], ...nodes[2], 4), segment(...nodes[2], ...nodes[0], 4)]],
  [WHITE, nodes.map(([x, y]) => circle(x, y, 8))],
  [WHITE, [ring(58, 54, 34, 8), segment(83, 79, 108, 104, 14)]],
];

const pixels = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (const [color, shapes] of layers) {
      const distance = Math.min(...shapes.map((shape) => shape(x + 0.5, y + 0.5)));
      const coverage = Math.max(0, Math.min(1, 0.5 - distance));
      if (coverage === 0) continue;
      // "Over" compositing, straight alpha.
      const outA = coverage + a * (1 - coverage);
      [r, g, b] = [0, 1, 2].map((i) => (color[i] * coverage + [r, g, b][i] * a * (1 - coverage)) / outA);
      a = outA;
    }
    pixels.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (y * SIZE + x) * 4);
  }
}

// PNG: signature, IHDR (8-bit RGBA), IDAT (each row after a filter byte 0), IEND; CRC-32 per chunk.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const rows = Buffer.concat(Array.from({ length: SIZE }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * SIZE * 4, (y + 1) * SIZE * 4)])));
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../docs/images/icon.png', import.meta.url), png);
console.log(`docs/images/icon.png: ${png.length} bytes`);

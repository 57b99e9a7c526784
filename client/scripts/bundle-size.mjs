/* global console */
// Prints what a browser downloads for the dashboard (index.html's scripts, preloads and styles),
// raw and gzip -9, from the last `npm run build`. The playground's chunks are not counted: they
// load only at /graphql.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const assets = [...new Set(html.match(/assets\/[^"]+/g) ?? [])];
let raw = 0;
let gzip = 0;
for (const asset of assets) {
  const bytes = readFileSync(join(dist, asset));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(`${asset.padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(7)} kB  gzip ${(zipped / 1024).toFixed(1).padStart(6)} kB`);
}
console.log(`${'dashboard total'.padEnd(36)} ${(raw / 1024).toFixed(1).padStart(7)} kB  gzip ${(gzip / 1024).toFixed(1).padStart(6)} kB`);

/* global console */
// Prints what a browser downloads, from the last `npm run build`: for the dashboard, index.html's
// scripts, preloads and styles; for the playground (GET /graphql), every other asset (GraphiQL,
// Monaco and its workers load only there). Raw bytes, and the bytes on the wire as the server
// sends them: the precompressed .br / .gz copies the build writes beside each asset.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const dashboard = [...new Set(html.match(/assets\/[^"]+/g) ?? [])];
const playground = readdirSync(join(dist, 'assets'))
  .filter((file) => !/\.(br|gz)$/.test(file))
  .map((file) => `assets/${file}`)
  .filter((asset) => !dashboard.includes(asset) || asset.includes('session'));

const kB = (bytes) => `${(bytes / 1024).toFixed(1).padStart(8)} kB`;
const sizeOf = (file) => statSync(file).size;
/** The bytes sent for an asset with this encoding: its precompressed copy, else the file itself. */
const sent = (asset, extension) =>
  existsSync(join(dist, `${asset}.${extension}`)) ? sizeOf(join(dist, `${asset}.${extension}`)) : sizeOf(join(dist, asset));

for (const [name, assets] of [
  ['dashboard', dashboard],
  ['playground', playground],
]) {
  let raw = 0;
  let br = 0;
  let gz = 0;
  for (const asset of assets) {
    raw += sizeOf(join(dist, asset));
    br += sent(asset, 'br');
    gz += sent(asset, 'gz');
    if (name === 'dashboard')
      console.log(`${asset.padEnd(36)} ${kB(sizeOf(join(dist, asset)))}  br ${kB(sent(asset, 'br'))}  gzip ${kB(sent(asset, 'gz'))}`);
  }
  console.log(`${`${name} total`.padEnd(36)} ${kB(raw)}  br ${kB(br)}  gzip ${kB(gz)}`);
}

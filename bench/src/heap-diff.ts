// What grew between two V8 heap snapshots, by kind of object: the bench's connections scenario
// with --heap writes one empty and one at its first step (details.heapSnapshots of its row).
//   node -r @swc-node/register bench/src/heap-diff.ts <before> <after> [per=1000] [top=40]
// Prints, per constructor (or string, closure, array...), the count and self size added, and
// both divided by `per` (the sockets opened between the two).
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Totals {
  count: number;
  bytes: number;
}

function totalsOf(file: string): Map<string, Totals> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const totals = new Map<string, Totals>();
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? '?';
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?';
    // Strings and code are many distinct names: one row per type is what tells.
    const key = type === 'object' || type === 'closure' ? `${type} ${name}` : `(${type})`;
    const entry = totals.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    totals.set(key, entry);
  }
  return totals;
}

const [before, after, perArg, topArg] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [per=1000] [top=40]');
  process.exit(2);
}
const per = Number(perArg ?? 1000);
const top = Number(topArg ?? 40);
const a = totalsOf(before);
const b = totalsOf(after);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
  const was = a.get(key) ?? { count: 0, bytes: 0 };
  const now = b.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: now.count - was.count, bytes: now.bytes - was.bytes };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
console.log(`self size added: ${(total / 1024).toFixed(0)} KB in all, ${(total / per / 1024).toFixed(2)} KB per unit (per=${per})`);
console.log('bytes/unit  objects/unit  what');
for (const row of rows.slice(0, top)) {
  console.log(`${(row.bytes / per).toFixed(0).padStart(10)}  ${(row.count / per).toFixed(2).padStart(12)}  ${row.key}`);
}

// node -r @swc-node/register bench/src/profile-summary.ts <file.cpuprofile> [top] [fn1,fn2,...] [--last=SECONDS]
// Where a CareLine process spent its time: self time by package / source file, the top functions,
// and the inclusive time (self + callees) of the functions named in the third argument. The
// profile samples wall time: "busy" is every sample not idle, so a process preempted inside a
// system call (a write that woke PostgreSQL's backend) counts as busy in it; /proc/<pid>/stat
// says how much of it was CPU (docs/performance.md, "What is left").
// --last=SECONDS keeps only the profile's final seconds: the measured window of a scenario, without
// the start-up and the seeding before it (a run of one scenario ends with it).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> or the file under server/src, or a V8 pseudo-frame such as (garbage collector). */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const ours = /\/(server\/src\/.*|bench\/.*)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  return url;
}

function main(): void {
  const args = process.argv.slice(2);
  const lastArg = args.find((arg) => arg.startsWith('--last='));
  const [file, topArg, inclusiveArg] = args.filter((arg) => !arg.startsWith('--'));
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top] [fn1,fn2,...] [--last=SECONDS]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const duration = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const from = lastArg ? duration - Number(lastArg.slice('--last='.length)) * 1e6 : 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let total = 0;
  let idle = 0;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    const key = `${functionName || '(anonymous)'}  ${area}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (share of busy time, ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s)`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
    }
  };
  show('self time by package / file', byArea);
  show('self time by function', byFunction);
  if (inclusiveArg) show('inclusive time of named functions (outermost call only)', inclusive(profile, selfUs, inclusiveArg.split(',')));
}

/** Self time of each named function plus everything it called, not counting nested calls twice. */
function inclusive(profile: Profile, selfUs: Map<number, number>, names: string[]): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = new Map<number, number>();
  const visit = (id: number): number => {
    const node = byId.get(id)!;
    const sum = (selfUs.get(id) ?? 0) + (node.children ?? []).reduce((acc, child) => acc + visit(child), 0);
    total.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0]!;
  visit(root.id);
  const result = new Map<string, number>();
  const walk = (id: number, inside: Set<string>) => {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let next = inside;
    if (names.includes(name) && !inside.has(name)) {
      result.set(name, (result.get(name) ?? 0) + total.get(id)!);
      next = new Set(inside).add(name);
    }
    for (const child of node.children ?? []) walk(child, next);
  };
  walk(root.id, new Set());
  return result;
}

main();

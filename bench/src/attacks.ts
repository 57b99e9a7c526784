// The attacks of issue 16 against a production-like server in its own process: time to refusal
// and memory growth of each. Run: node -r @swc-node/register bench/src/attacks.ts
// (from the repository root; embedded database in a temporary folder, nothing else needed).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const SERVER_DIR = path.resolve(__dirname, '..', '..', 'server');
const MB = 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly hasData: boolean;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careline-attacks-'));
  const port = 4600 + Math.floor(Math.random() * 300);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--expose-gc', '-r', '@swc-node/register', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: 'attack-measurement-secret-at-least-32-bytes',
      AUDIT_KEY: 'attack-measurement-audit-key-at-least-32-bytes',
      DATA_ENCRYPTION_KEY: 'a77a'.repeat(16),
      // The attacker's scripted doctor account has no second factor (production would hold it to enrolling).
      MFA_REQUIRED_ROLES: '',
      DATA_DIR: path.join(dataDir, 'data'),
      DEBUG_ENDPOINTS: 'true',
      LOG_LEVEL: 'warn',
      // The flood measures the document cache, not the per-socket rate limit in front of it.
      RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND: '0',
      // The attacker registers as a doctor of a one-doctor practice of their own.
      DOCTOR_SELF_REGISTRATION: 'true',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitUntilReady(url);
    const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer & { data: unknown }> => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      return {
        status: response.status,
        code: body.errors?.[0]?.extensions?.code ?? 'OK',
        message: body.errors?.[0]?.message ?? '',
        hasData: body.data != null,
        data: body.data,
      };
    };
    const register = async (role: 'DOCTOR' | 'PATIENT') => {
      const tag = Math.random().toString(36).slice(2, 10);
      const input = {
        email: `${role.toLowerCase()}-${tag}@attack.test`,
        password: 'correct horse battery',
        name: `${role} ${tag}`,
        role,
        ...(role === 'DOCTOR' ? { specialty: 'GP' } : {}),
      };
      const answer = await gql('mutation ($i: RegisterInput!) { register(input: $i) { token user { id } } }', { i: input });
      const data = answer.data as { register: { token: string; user: { id: string } } };
      return { token: data.register.token, id: data.register.user.id };
    };
    const doctor = await register('DOCTOR');
    const patient = await register('PATIENT');
    await gql(
      'mutation ($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }',
      { i: { doctorId: doctor.id, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
      patient.token,
    );

    const memory = async () => (await (await fetch(`${url}/debug/memory?gc=1`)).json()) as { rss: number; heapUsed: number };
    const rows: string[] = [];
    const measure = async (name: string, attack: () => Promise<string>) => {
      const before = await memory();
      const started = performance.now();
      const outcome = await attack();
      const ms = performance.now() - started;
      const after = await memory();
      rows.push(
        `| ${name} | ${outcome} | ${ms.toFixed(1)} ms | ${((after.rss - before.rss) / MB).toFixed(1)} MB | ${((after.heapUsed - before.heapUsed) / MB).toFixed(1)} MB |`,
      );
    };
    const http =
      (query: string, variables?: Record<string, unknown>, token = doctor.token) =>
      async () => {
        const answer = await gql(query, variables, token);
        return `${answer.status} ${answer.code}${answer.hasData ? ' WITH DATA' : ''}: ${answer.message.slice(0, 70)}`;
      };

    let cycle = 'id';
    for (let i = 0; i < 4; i += 1) cycle = `appointments{patient{${cycle}}}`;
    const cycleQuery = `{doctorPatients(doctorId:"${doctor.id}",first:100){edges{node{${cycle}}}}}`;
    await measure(`cycle through Patient.appointments, depth 4 (${cycleQuery.length} bytes)`, http(cycleQuery));
    let cycle3 = 'id';
    for (let i = 0; i < 3; i += 1) cycle3 = `appointments{patient{${cycle3}}}`;
    await measure(
      'cycle, 3 levels (within the depth limit)',
      http(`{doctorPatients(doctorId:"${doctor.id}",first:100){edges{node{${cycle3}}}}}`),
    );
    await measure('the same, two at once', async () => (await Promise.all([http(cycleQuery)(), http(cycleQuery)()])).join(' / '));
    await measure('depth 40', http(`{ me { ${'patient { appointments { '.repeat(20)}id${' } }'.repeat(20)} } }`));
    await measure('1,200 aliases', http(`{ me { ${Array.from({ length: 1200 }, (_, i) => `a${i}: id`).join(' ')} } }`));
    await measure('100 aliases', http(`{ me { ${Array.from({ length: 100 }, (_, i) => `a${i}: id`).join(' ')} } }`));
    await measure('8,000 tokens', http(`{ me { ${'id '.repeat(8000)}} }`));
    await measure(
      'year 0000 in doctorSchedule',
      http('query ($d: ID!) { doctorSchedule(doctorId: $d, from: "0000-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { id } }', {
        d: doctor.id,
      }),
    );
    await measure(
      '25,000-character name at registration',
      http('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
        i: { email: 'x@attack.test', password: 'correct horse battery', name: 'x'.repeat(25_000), role: 'PATIENT' },
      }),
    );
    await measure(
      '10,001-character notes',
      http('mutation ($p: ID!, $i: AddMedicalRecordInput!) { addMedicalRecord(patientId: $p, input: $i) { id } }', {
        p: patient.id,
        i: { diagnosis: 'd', notes: 'x'.repeat(10_001) },
      }),
    );

    // Over one socket: 400 distinct invalid 20 KB documents, then the socket still answers.
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${doctor.token}` },
    });
    const run = (query: string) =>
      new Promise<string>((resolve) => {
        let outcome = 'complete';
        client.subscribe(
          { query },
          {
            next: () => (outcome = 'data'),
            error: (error: unknown) =>
              resolve(Array.isArray(error) ? String((error[0] as { extensions?: { code?: string } }).extensions?.code) : 'closed'),
            complete: () => resolve(outcome),
          },
        );
      });
    await measure('socket: 400 distinct invalid 20 KB documents', async () => {
      const codes = new Map<string, number>();
      for (let i = 0; i < 400; i += 1) {
        const field = `f${i}_${'x'.repeat(90)}`;
        const query =
          i % 2 === 0
            ? `subscription ${field} { ${'a '.repeat(9_950)}}`
            : `subscription { ${Array.from({ length: 200 }, (_, j) => `${field}${j}`).join(' ')} }`;
        const code = await run(query);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      const after = await run('{ me { id } }');
      return `${[...codes].map(([code, count]) => `${count}× ${code}`).join(', ')}; then a valid query: ${after}`;
    });
    await measure(
      'socket: syntax error, then a valid query on the same socket',
      async () => `${await run('subscription { patientAdded(')} then ${await run('{ me { id } }')}`,
    );
    await client.dispose();
    const health = await fetch(`${url}/healthz`);
    rows.push(`| /healthz afterwards | ${health.status} | | | |`);

    console.log('| attack | answer | time to refusal | RSS growth (after GC) | heap growth (after GC) |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the server did not become ready within 60 s');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

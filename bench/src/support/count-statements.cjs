// Preloaded into a CareLine server by `npm run bench:statements` (node -r): counts every statement
// the server sends to PostgreSQL through `pg` (its own statements and Prisma's alike), by the
// statement's name, or its first words when it has none. On SIGUSR2 it writes the counts so far to
// BENCH_STATEMENTS_FILE as JSON. It changes nothing else: the server cannot tell it is there.
'use strict';
const { writeFileSync } = require('node:fs');
// The server's own `pg` (it runs from its server/ folder, which may be another checkout's).
const { Client } = require(require.resolve('pg', { paths: [process.cwd()] }));

const counts = new Map();
const original = Client.prototype.query;
Client.prototype.query = function countedQuery(config, ...rest) {
  const key =
    typeof config === 'string'
      ? config.trim().split(/\s+/).slice(0, 4).join(' ')
      : config && typeof config.name === 'string'
        ? config.name
        : config && typeof config.text === 'string'
          ? config.text.trim().split(/\s+/).slice(0, 4).join(' ')
          : '(other)';
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return original.call(this, config, ...rest);
};

process.on('SIGUSR2', () => {
  const file = process.env.BENCH_STATEMENTS_FILE;
  if (file) writeFileSync(file, JSON.stringify(Object.fromEntries(counts)));
});

import { checkMarkdown } from './check-docs';

const FILES = new Set(['server/src/live/outbox.ts', 'server/src/live', 'docs/api.md', 'docs', 'README.md']);
const exists = (path: string) => FILES.has(path);
const basenames = new Set(['outbox.ts', 'api.md', 'README.md']);
const known = new Set(['JOB_CONCURRENCY', 'BAD_USER_INPUT']);
const check = (text: string, file = 'docs/operating.md') =>
  checkMarkdown(
    file,
    text,
    known,
    exists,
    basenames,
    (path) => path.startsWith('client/test-results'),
    new Map([['JOB_POLL_INTERVAL_MS', 'JOB_POLL_INTERVAL']]),
  ).map((problem) => problem.message);

describe('the docs check', () => {
  it('accepts paths that exist, quoted from the root, from server/src, by name or linked relative to the doc', () => {
    expect(
      check('See `server/src/live/outbox.ts`, `live/outbox.ts`, `outbox.ts` and [the API](api.md) or [home](../README.md#start).'),
    ).toEqual([]);
  });

  it('refuses a quoted or linked path that does not exist', () => {
    expect(check('Read `server/src/live/outbox-old.ts` and [this](missing.md).')).toEqual([
      'links to missing.md, which does not exist',
      'quotes the path server/src/live/outbox-old.ts, which does not exist',
    ]);
  });

  it('does not take routes, globs, extensions, function names or outputs git ignores for paths', () => {
    expect(
      check('`POST /graphql`, `/readyz`, `*.test.ts`, `<feature>.service.ts`, `.eml`, `express.json`, `client/test-results/shot.png`'),
    ).toEqual([]);
  });

  it('refuses an unknown configuration variable, and a former name outside the generated reference', () => {
    expect(check('Set `JOB_CONCURRENCY=4`, `JOB_CONCURENCY` and `JOB_POLL_INTERVAL_MS`; codes like `BAD_USER_INPUT` are fine.')).toEqual([
      'quotes JOB_CONCURENCY, which is no configuration variable (nor another name the code knows)',
      'quotes JOB_POLL_INTERVAL_MS, which was renamed JOB_POLL_INTERVAL',
    ]);
    expect(check('`JOB_POLL_INTERVAL_MS` was renamed.', 'docs/configuration.md')).toEqual([]);
  });

  it('leaves fenced code alone', () => {
    expect(check('```sh\nUNKNOWN_THING=1 `missing/file.ts`\n```')).toEqual([]);
  });
});

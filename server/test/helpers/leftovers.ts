// Everything a test starts (servers, sockets, processes, databases) is registered here by the helper
// that starts it, and disposed after the test, also when an assertion failed midway, so a forgotten
// dispose cannot leak into the next test (graphql-ws's tests/utils/tservers.ts `leftovers`).
// What a test starts is disposed after that test; what a beforeAll starts, after the file. A test
// may dispose earlier itself: each helper's dispose is safe to call twice.
//
// The hooks are registered when a test file first imports a helper. Outside a test runner (the
// bench imports these helpers too) nothing is registered, and the caller disposes as before.

/** Stops something a test started. */
export type Dispose = () => Promise<void>;

type Hook = (run: () => Promise<void> | void) => void;
const {
  beforeEach: eachBefore,
  afterEach: eachAfter,
  afterAll: allAfter,
} = globalThis as { beforeEach?: Hook; afterEach?: Hook; afterAll?: Hook };

const ofTheTest: Dispose[] = [];
const ofTheFile: Dispose[] = [];
let inTest = false;
let underTest = false;

if (eachBefore && eachAfter && allAfter) {
  underTest = true;
  eachBefore(() => {
    inTest = true;
  });
  eachAfter(async () => {
    inTest = false;
    await drain(ofTheTest);
  });
  allAfter(() => drain(ofTheFile));
}

/** Newest first (a socket before the server it is connected to); every one is tried, the first failure is rethrown. */
async function drain(list: Dispose[]): Promise<void> {
  const failures: unknown[] = [];
  for (let dispose = list.pop(); dispose; dispose = list.pop()) {
    await dispose().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * Registers `dispose` to run after the current test (or after the file, outside a test) and
 * returns it wrapped so that calling it again does nothing more.
 */
export function leftover(dispose: Dispose): Dispose {
  let disposing: Promise<void> | undefined;
  const once = () => (disposing ??= dispose());
  if (underTest) (inTest ? ofTheTest : ofTheFile).push(once);
  return once;
}

// Polling for a condition the test cannot be told about (a daemon's state
// seen through its API), failing the test with what it waited for. what
// may be a function, to say what was seen last when it times out.
import assert from 'node:assert/strict';

export async function until(what: string | (() => string), ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

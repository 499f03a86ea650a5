// Tries until a peer answers: an error `passing` describes (a peer still
// starting) is logged as it says and waited out with backoff; any other
// error, or a stop, ends it.
import { Backoff, sleep } from '@kextbridge/protocol';

import type { Logger } from './log';

export type Passing = (err: unknown) => { msg: string; fields: object } | null;

export async function untilAnswered<T>(attempt: () => Promise<T>, passing: Passing, backoff: Backoff, log: Logger, signal: AbortSignal): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const why = signal.aborted ? null : passing(err);
      if (why === null) throw err;
      log.warn(why.fields, why.msg);
      await sleep(backoff.next(), signal);
    }
  }
}

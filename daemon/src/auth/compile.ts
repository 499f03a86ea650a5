// The policy of a configuration, its warnings and errors logged: null when
// it cannot be used (the daemon then does not start, or keeps its old one).
import type { Config } from '../config/schema';
import type { Logger } from '../log';
import { FileNameResolver } from './names';
import { Policy } from './policy';

export function compilePolicy(config: Config, log: Logger): Policy | null {
  const compiled = Policy.compile(config, FileNameResolver.load());
  for (const w of compiled.warnings) log.warn({ policy: 'warning' }, w);
  if (compiled.errors.length > 0) {
    for (const e of compiled.errors) log.error({ policy: 'error' }, e);
    return null;
  }
  return compiled.policy;
}

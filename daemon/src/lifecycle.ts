// Signals: SIGTERM and SIGINT drain and stop; SIGUSR2 collects fully and
// hands free memory back to the system now (what memory.ts does by itself
// after a drop; a soak measures what stays alive with it); SIGHUP reloads the policy,
// the log level and the typed API's .proto files without dropping a
// client: all of them or, when any is invalid, none. Resolves with the
// exit code.
import type { Authorizer } from './auth/authorizer';
import { compilePolicy } from './auth/compile';
import { loadConfig } from './config/load';
import type { Config } from './config/schema';
import { setLogLevel, type Logger } from './log';
import type { ApiReload } from './typed/host';

export interface LifecycleOptions {
  log: Logger;
  config: Config;
  // The arguments the configuration was loaded from, loaded again on SIGHUP.
  argv: string[];
  auth: Authorizer;
  // Serves the config's .proto files if they changed; changes nothing on error.
  reloadApi: (config: Config) => ApiReload;
  // Collects fully and hands free memory back (SIGUSR2).
  returnMemory: () => void;
  // Ends streams, drains calls for up to graceMs, closes the kext link.
  stop: (signal: string, graceMs: number) => Promise<void>;
}

export function untilStopped(o: LifecycleOptions): Promise<number> {
  const { log } = o;
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, graceMs: o.config.drainGraceMs }, 'stopping: draining calls');
      void o.stop(signal, o.config.drainGraceMs).then(() => {
        log.info('stopped');
        done(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGUSR2', () => {
      o.returnMemory();
      log.debug('returned free memory (SIGUSR2)');
    });
    process.on('SIGHUP', () => {
      const again = loadConfig({ argv: o.argv });
      if (again.kind !== 'config') {
        log.error({ errors: again.kind === 'error' ? again.errors : [] }, 'reload refused: the configuration is invalid; keeping the current one');
        return;
      }
      const next = compilePolicy(again.config, log);
      if (!next) return;
      const api = o.reloadApi(again.config);
      if (!api.ok) {
        log.error({ errors: api.errors }, 'reload refused: the new protoFiles cannot be served; keeping the current configuration');
        return;
      }
      o.auth.setPolicy(next);
      // Said at the old level: a quieter new one would hide the confirmation.
      log.info({ logLevel: again.config.logLevel, typedApi: api.changed ? 'reloaded' : 'unchanged' }, 'reloaded policy and log level');
      setLogLevel(log, again.config.logLevel);
    });
  });
}

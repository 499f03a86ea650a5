// The kext's typed API as served now, and its reload: on SIGHUP the
// protoFiles are loaded again and checked completely before anything
// changes; when what they describe differs (other files, or the same files
// edited), the typed services, their bindings and reflection are swapped
// together. A file that does not load changes nothing and says why.
import type { Config } from '../config/schema';
import type { Logger } from '../log';
import type { DaemonServer, ServiceRegistration } from '../server/server';
import { loadServedApi, type ServedApi } from './load';
import type { TypedProxy } from './proxy';

type Loaded = Extract<ServedApi, { ok: true }>;

export type ApiReload = { ok: true; changed: boolean } | { ok: false; errors: string[] };

export class TypedApiHost {
  readonly #proxy: TypedProxy;
  readonly #log: Logger;
  #server: DaemonServer | undefined;
  // The served files' descriptors, to tell an edit from no change.
  #fingerprint: string;
  #registered: ServiceRegistration[];

  constructor(proxy: TypedProxy, log: Logger, served: Loaded) {
    this.#proxy = proxy;
    this.#log = log;
    this.#fingerprint = fingerprintOf(served);
    this.#registered = this.#registrations(served);
  }

  // What the server starts with.
  get registrations(): readonly ServiceRegistration[] {
    return this.#registered;
  }

  attach(server: DaemonServer): void {
    this.#server = server;
  }

  reload(config: Pick<Config, 'protoFiles' | 'protoIncludeDirs'>): ApiReload {
    const served = loadServedApi(config);
    if (!served.ok) return served;
    const fingerprint = fingerprintOf(served);
    if (fingerprint === this.#fingerprint) return { ok: true, changed: false };
    const next = this.#registrations(served);
    this.#server?.swapServices(this.#registered, next, served.api.packageDefinition);
    this.#proxy.setBindings(served.bindings);
    this.#registered = next;
    this.#fingerprint = fingerprint;
    this.#log.info({ protoFiles: config.protoFiles, services: served.typedServices.map((s) => s.name) }, 'reloaded the typed API');
    return { ok: true, changed: true };
  }

  #registrations(served: Loaded): ServiceRegistration[] {
    return served.typedServices.map((s) => ({ definition: s.definition, implementation: this.#proxy.implementation(s.bindings) }));
  }
}

function fingerprintOf(served: Loaded): string {
  const files = [...served.api.descriptors.files.values()].sort((a, b) => a.name.localeCompare(b.name));
  return files.map((f) => `${f.name}:${f.bytes.toString('base64')}`).join('\n');
}

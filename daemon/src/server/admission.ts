// Who may open one more connection. Every local user may connect, and one
// of them may be hostile: a uid that is not privileged holds at most
// perUid connections, and all of them together leave `reserved` of the
// total for privileged peers (root, the admin group, uids that serve an
// upcall), so root's status and the exec-authorization handler always get
// in while someone floods. Refusals are counted per uid and logged at most
// once per uid per interval, so the log cannot be flooded either.
import type { PeerIdentity } from '../auth/identity';
import type { Logger } from '../log';

export interface AdmissionLimits {
  // Connections one unprivileged uid may hold.
  perUid: number;
  // All connections; well below the daemon's fd limit.
  total: number;
  // Of total, what unprivileged peers may never take.
  reserved: number;
}

export type Admitted = { ok: true; release: () => void } | { ok: false; reason: string };

const LOG_INTERVAL_MS = 10_000;

export class Admission {
  readonly #limits: AdmissionLimits;
  readonly #privileged: (identity: PeerIdentity) => boolean;
  readonly #log: Logger;
  readonly #byUid = new Map<number, number>();
  #total = 0;
  // Refused connections per uid since the daemon started.
  readonly refused = new Map<number, number>();
  readonly #lastLogged = new Map<number, { at: number; since: number }>();

  constructor(limits: AdmissionLimits, privileged: (identity: PeerIdentity) => boolean, log: Logger) {
    this.#limits = limits;
    this.#privileged = privileged;
    this.#log = log;
  }

  get total(): number {
    return this.#total;
  }

  held(uid: number): number {
    return this.#byUid.get(uid) ?? 0;
  }

  admit(identity: PeerIdentity): Admitted {
    const { perUid, total, reserved } = this.#limits;
    const mine = this.held(identity.uid);
    let reason: string | null = null;
    if (this.#total >= total) reason = `the daemon holds its ${total} connections (limits.maxConnections)`;
    else if (!this.#privileged(identity)) {
      if (mine >= perUid) reason = `uid ${identity.uid} holds ${mine} connections, its limit (limits.maxConnectionsPerUid)`;
      else if (this.#total >= total - reserved) reason = `the last ${reserved} of ${total} connections are kept for root, the admin group and upcall handlers (limits.reservedConnections)`;
    }
    if (reason) {
      this.#refuse(identity, reason);
      return { ok: false, reason };
    }
    this.#byUid.set(identity.uid, mine + 1);
    this.#total++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#total--;
        const n = this.held(identity.uid) - 1;
        if (n > 0) this.#byUid.set(identity.uid, n);
        else this.#byUid.delete(identity.uid);
      },
    };
  }

  #refuse(identity: PeerIdentity, reason: string): void {
    const count = (this.refused.get(identity.uid) ?? 0) + 1;
    this.refused.set(identity.uid, count);
    const now = Date.now();
    const last = this.#lastLogged.get(identity.uid);
    if (last && now - last.at < LOG_INTERVAL_MS) return;
    const client = { uid: identity.uid, gid: identity.gid, pid: identity.pid };
    this.#log.warn({ client, refusedSinceLastLine: last ? count - last.since : count, refusedTotal: count }, `refused a connection: ${reason}`);
    this.#lastLogged.set(identity.uid, { at: now, since: count });
  }
}

// Descriptors besides client connections: the kext, logs, the addon's.
export const FILE_HEADROOM = 256;

// Raises the descriptor limit to what maxConnections needs, or says
// plainly that it could not (an unprivileged daemon, a low hard limit).
export function ensureFileLimit(maxConnections: number, raise: (wanted: number) => { soft: number; hard: number }, log: Logger): void {
  const wanted = maxConnections + FILE_HEADROOM;
  const got = raise(wanted);
  if (got.soft !== -1 && got.soft < wanted) {
    log.warn(
      { soft: got.soft, hard: got.hard, wanted, maxConnections },
      'the file descriptor limit is below what limits.maxConnections needs: lower it, or raise the hard limit (launchd HardResourceLimits, systemd LimitNOFILE)',
    );
  }
}

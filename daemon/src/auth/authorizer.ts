// The one door every RPC handler goes through: decide, count, and leave an
// audit line for every denial and every privileged action (who, by uid and
// pid; what, by action and item). The policy behind it is swapped whole on
// SIGHUP, so a decision never sees half a reload.
import type { Logger } from '../log';
import { programSummary, type PeerIdentity, type ProgramSummary } from './identity';
import { isPrivilegedAction, type Action, type Decision, type Policy } from './policy';

// The program in an audit line: what was read of it at connect.
export function programFields(identity: PeerIdentity): { program?: ProgramSummary } {
  const program = programSummary(identity);
  return program ? { program } : {};
}

export class Authorizer {
  // Counters.denied of the status RPC.
  denied = 0;

  #policy: Policy;
  readonly #audit: Logger;

  constructor(policy: Policy, audit: Logger) {
    this.#policy = policy;
    this.#audit = audit;
  }

  setPolicy(policy: Policy): void {
    this.#policy = policy;
  }

  // Callers' executables must be hashed at accept.
  get needsProgramHash(): boolean {
    return this.#policy.needsProgramHash;
  }

  // Some rule names a program (macOS: describe callers' signatures at accept).
  get namesPrograms(): boolean {
    return this.#policy.namesPrograms;
  }

  isRootOrAdmin(identity: PeerIdentity): boolean {
    return this.#policy.isRootOrAdmin(identity);
  }

  check(identity: PeerIdentity, action: Action): Decision {
    const decision = this.#policy.decide(identity, action);
    const item = 'item' in action ? { item: action.item.name, itemId: action.item.id } : {};
    // Nested: a top-level pid is the daemon's own in every line.
    const who = { client: { uid: identity.uid, gid: identity.gid, pid: identity.pid, ...programFields(identity) } };
    if (!decision.allowed) {
      this.denied++;
      this.#audit.warn({ audit: 'denied', ...who, action: action.kind, ...item, reason: decision.reason }, 'denied');
    } else if (isPrivilegedAction(action)) {
      this.#audit.info({ audit: 'privileged', ...who, action: action.kind, ...item }, 'privileged action');
    }
    return decision;
  }
}

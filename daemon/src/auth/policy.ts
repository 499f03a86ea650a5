// Authorization decisions: may this peer do this to this catalog item?
//
// The rules, in order:
//   1. root (uid 0) may do anything;
//   2. describe and status are open to anyone (they reveal the catalog and
//      counters, which any client needs to use the API at all);
//   3. list_subscribers is for root and the admin group (or whom
//      policy.admin names): it reveals other users' uids and pids;
//   4. an item with a policy entry of its own (by name, else by id), or
//      else the '*' entry of its kind, is allowed to exactly the users and
//      groups listed there ('*' = anyone), and root; an entry that names
//      programs also requires the caller to run one of them (and with no
//      users or groups, any user running one of them will do);
//   5. with no entry, an item the kext flags privileged is for root and the
//      admin group (setting an option flagged set-privileged too: anyone
//      may read it), any other item is for anyone.
// So a policy entry can open a privileged item to more people or close an
// ordinary one, and with no policy at all the kext's flags decide.
import type { Config, PolicyMap, PolicyRule, Principal } from '../config/schema';
import { describeUser, isMemberOf, isRoot, type PeerIdentity } from './identity';
import type { NameResolver } from './names';
import { compileProgram, describeProgram, type ProgramMatcher } from './programs';

export interface CatalogItem {
  id: number;
  name: string;
  privileged: boolean;
  // Options: 'set' is privileged though 'get' is not.
  setPrivileged?: boolean;
}

export type ItemActionKind = 'call' | 'subscribe' | 'get' | 'set' | 'serve';
export type ActionKind = ItemActionKind | 'describe' | 'status' | 'list_subscribers';

export type Action = { kind: ItemActionKind; item: CatalogItem } | { kind: 'describe' | 'status' | 'list_subscribers' };

export type Decision = { allowed: true } | { allowed: false; reason: string };

// What the kext's flags alone say: for root and the admin group only.
export function isPrivilegedAction(action: Action): boolean {
  if (!('item' in action)) return action.kind === 'list_subscribers';
  return action.item.privileged || (action.kind === 'set' && action.item.setPrivileged === true);
}

const VERB: Record<ItemActionKind, string> = {
  call: 'call command',
  subscribe: 'subscribe to topic',
  get: 'read option',
  set: 'set option',
  serve: 'serve upcall',
};

interface CompiledRule {
  // "policy.commands.emit", for messages.
  source: string;
  anyone: boolean;
  uids: Set<number>;
  gids: Set<number>;
  // Empty: any program.
  programs: ProgramMatcher[];
  // "root, user bob, group staff"
  allowedText: string;
}

type CompiledMap = Map<string, CompiledRule>;

interface AdminGroup {
  gid: number | undefined;
  allowedText: string;
  // policy.admin, when given: decides the admin-only methods instead.
  rule?: CompiledRule;
}

export interface CompileResult {
  policy: Policy;
  // Problems that make the config unusable (a name that resolves to no
  // account): the daemon refuses it, at start and on reload.
  errors: string[];
  // Worth a log line, not a refusal.
  warnings: string[];
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export class Policy {
  readonly #maps: Record<ItemActionKind, CompiledMap>;
  readonly #admin: AdminGroup;
  readonly #resolver: NameResolver;
  // Some rule names a program by its contents: hash callers' executables.
  readonly needsProgramHash: boolean;
  // Some rule names a program at all.
  readonly namesPrograms: boolean;

  private constructor(maps: Record<ItemActionKind, CompiledMap>, admin: AdminGroup, resolver: NameResolver) {
    this.#maps = maps;
    this.#admin = admin;
    this.#resolver = resolver;
    const rules = [...Object.values(maps).flatMap((m) => [...m.values()]), ...(admin.rule ? [admin.rule] : [])];
    this.needsProgramHash = rules.some((r) => r.programs.some((p) => p.needsHash));
    this.namesPrograms = rules.some((r) => r.programs.length > 0);
  }

  // Root or the admin group: whom connection limits keep room for.
  isRootOrAdmin(identity: PeerIdentity): boolean {
    return isRoot(identity) || this.#isAdmin(identity);
  }

  static compile(config: Pick<Config, 'policy' | 'adminGroup'>, resolver: NameResolver): CompileResult {
    const errors: string[] = [];
    const warnings: string[] = [];

    const compileRule = (source: string, rule: PolicyRule): CompiledRule => {
      const programs = (rule.programs ?? []).map(compileProgram);
      const compiled: CompiledRule = { source, anyone: false, uids: new Set(), gids: new Set(), programs, allowedText: '' };
      (rule.programs ?? []).forEach((p, i) => {
        if (p.identifier !== undefined && p.teamId === undefined) {
          warnings.push(`${source}.programs[${i}]: identifier ${p.identifier} without teamId matches that identifier signed by any Apple-registered developer; add teamId`);
        }
      });
      const allowed = ['root'];
      const add = (kind: 'user' | 'group', principal: Principal, path: string) => {
        if (principal === '*') {
          compiled.anyone = true;
          return;
        }
        const id = typeof principal === 'number' ? principal : kind === 'user' ? resolver.userId(principal) : resolver.groupId(principal);
        if (id === undefined) {
          errors.push(`${path}: no ${kind} named ${JSON.stringify(principal)}`);
          return;
        }
        (kind === 'user' ? compiled.uids : compiled.gids).add(id);
        const name = typeof principal === 'string' ? principal : kind === 'user' ? resolver.userName(id) : resolver.groupName(id);
        allowed.push(`${kind} ${name ?? id}`);
      };
      rule.users.forEach((p, i) => add('user', p, `${source}.users[${i}]`));
      rule.groups.forEach((p, i) => add('group', p, `${source}.groups[${i}]`));
      // Programs and no one named: whoever runs one of them.
      if (programs.length > 0 && rule.users.length === 0 && rule.groups.length === 0) compiled.anyone = true;
      const people = compiled.anyone ? (programs.length > 0 ? 'any user' : 'anyone') : allowed.join(', ');
      compiled.allowedText = programs.length > 0 ? `${people}, running ${programs.map((p) => p.text).join(' or ')}` : people;
      return compiled;
    };

    const compileMap = (base: string, map: PolicyMap): CompiledMap => {
      const out: CompiledMap = new Map();
      for (const [key, rule] of Object.entries(map)) out.set(key, compileRule(keyPath(base, key), rule));
      return out;
    };

    const maps: Record<ItemActionKind, CompiledMap> = {
      call: compileMap('policy.commands', config.policy.commands),
      subscribe: compileMap('policy.topics', config.policy.topics),
      get: compileMap('policy.options.get', config.policy.options.get),
      set: compileMap('policy.options.set', config.policy.options.set),
      serve: compileMap('policy.upcalls', config.policy.upcalls),
    };

    const adminGid = typeof config.adminGroup === 'number' ? config.adminGroup : resolver.groupId(config.adminGroup);
    let admin: AdminGroup;
    if (adminGid === undefined) {
      warnings.push(`adminGroup: no group named ${JSON.stringify(config.adminGroup)}; privileged items are for root only`);
      admin = { gid: undefined, allowedText: `root only (adminGroup ${JSON.stringify(config.adminGroup)} does not exist)` };
    } else {
      admin = { gid: adminGid, allowedText: `root, group ${resolver.groupName(adminGid) ?? adminGid}` };
    }
    if (config.policy.admin) admin.rule = compileRule('policy.admin', config.policy.admin);
    return { policy: new Policy(maps, admin, resolver), errors, warnings };
  }

  // The entry that governs an item: its own (by name, then by id), else
  // the '*' entry of its kind, else none.
  #ruleFor(kind: ItemActionKind, item: CatalogItem): CompiledRule | undefined {
    const map = this.#maps[kind];
    return map.get(item.name) ?? map.get(String(item.id)) ?? map.get('*');
  }

  #isAdmin(identity: PeerIdentity): boolean {
    return this.#admin.gid !== undefined && isMemberOf(identity, this.#admin.gid);
  }

  decide(identity: PeerIdentity, action: Action): Decision {
    if (isRoot(identity)) return { allowed: true };
    const who = describeUser(identity.uid, this.#resolver);
    switch (action.kind) {
      case 'describe':
      case 'status':
        return { allowed: true };
      case 'list_subscribers':
        if (this.#admin.rule) return this.#byRule(this.#admin.rule, identity, `${who} may not list subscribers`);
        if (this.#isAdmin(identity)) return { allowed: true };
        return { allowed: false, reason: `${who} may not list subscribers: it shows other users' processes; allowed: ${this.#admin.allowedText}` };
    }
    const { kind, item } = action;
    const what = `${VERB[kind]} '${item.name}'`;
    const rule = this.#ruleFor(kind, item);
    if (rule) return this.#byRule(rule, identity, `${who} may not ${what}`);
    if (!isPrivilegedAction(action) || this.#isAdmin(identity)) return { allowed: true };
    return { allowed: false, reason: `${who} may not ${what}: it is privileged; allowed: ${this.#admin.allowedText}` };
  }

  // A rule's verdict: a listed user or group (or anyone), and, when it
  // names programs, one of them.
  #byRule(rule: CompiledRule, identity: PeerIdentity, refused: string): Decision {
    const person = rule.anyone || rule.uids.has(identity.uid) || [...rule.gids].some((gid) => isMemberOf(identity, gid));
    const program = rule.programs.length === 0 || rule.programs.some((p) => p.matches(identity.program));
    if (person && program) return { allowed: true };
    let reason = `${refused}: not allowed by ${rule.source}; allowed: ${rule.allowedText}`;
    if (!person && rule.programs.length > 0) reason += `; ${describeProgram(identity.program)}`;
    if (person) {
      reason = `${refused}: ${rule.source} requires ${rule.programs.map((p) => p.text).join(' or ')}; ${describeProgram(identity.program)}`;
      if (rule.programs.some((p) => p.needsHash) && identity.program !== undefined && identity.program.sha256 === undefined) {
        reason += '; its SHA-256 was not taken when it connected (no sha256 rule then): reconnect';
      }
    }
    return { allowed: false, reason };
  }
}

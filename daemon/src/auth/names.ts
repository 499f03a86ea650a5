// User and group names <-> ids. The policy may name users and groups; they
// are resolved to ids when the config is loaded or reloaded (SIGHUP), so a
// decision never waits on a lookup, and renamed accounts take effect on the
// next reload.
//
// FileNameResolver reads /etc/passwd and /etc/group: complete on a Linux
// host with local accounts. It does not see NSS sources (LDAP, sssd), and
// on macOS, where accounts live in Directory Services, it sees only the
// system accounts: there the daemon needs a resolver over getpwnam(3) /
// getgrnam(3) from the native addon.
import { readFileSync } from 'node:fs';

export interface NameResolver {
  userId(name: string): number | undefined;
  groupId(name: string): number | undefined;
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
}

interface Table {
  idByName: Map<string, number>;
  nameById: Map<number, string>;
}

// name:password:id:... lines; the first entry of a name or an id wins, as
// with getpwnam/getpwuid. NIS compat lines (+/-) and comments are skipped.
function parseTable(text: string): Table {
  const table: Table = { idByName: new Map(), nameById: new Map() };
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const [name, , idText] = line.split(':');
    if (!name || idText === undefined || !/^[0-9]+$/.test(idText)) continue;
    const id = Number(idText);
    if (!table.idByName.has(name)) table.idByName.set(name, id);
    if (!table.nameById.has(id)) table.nameById.set(id, name);
  }
  return table;
}

export class FileNameResolver implements NameResolver {
  readonly #users: Table;
  readonly #groups: Table;

  private constructor(users: Table, groups: Table) {
    this.#users = users;
    this.#groups = groups;
  }

  static fromText(passwd: string, group: string): FileNameResolver {
    return new FileNameResolver(parseTable(passwd), parseTable(group));
  }

  static load(passwdPath = '/etc/passwd', groupPath = '/etc/group'): FileNameResolver {
    return FileNameResolver.fromText(readFileSync(passwdPath, 'utf8'), readFileSync(groupPath, 'utf8'));
  }

  userId(name: string): number | undefined {
    return this.#users.idByName.get(name);
  }
  groupId(name: string): number | undefined {
    return this.#groups.idByName.get(name);
  }
  userName(uid: number): string | undefined {
    return this.#users.nameById.get(uid);
  }
  groupName(gid: number): string | undefined {
    return this.#groups.nameById.get(gid);
  }
}

// The kexts the build finds: a folder kext/NAME with a kext.mk naming its
// .proto (kext/gen.mk reads the same file). npm start and kextbridge-dev
// serve a kext by name with its .proto from here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './processes';

export interface KextInfo {
  readonly name: string;
  // Absolute path of its .proto.
  readonly proto: string;
}

export function kextNames(root = ROOT): string[] {
  const dir = join(root, 'kext');
  return readdirSync(dir)
    .filter((n) => existsSync(join(dir, n, 'kext.mk')))
    .sort();
}

// The kext's descriptor, or an error that says what is there.
export function findKext(name: string, root = ROOT): KextInfo {
  const mk = join(root, 'kext', name, 'kext.mk');
  if (!/^[a-z][a-z0-9_]*$/.test(name) || !existsSync(mk)) {
    throw new Error(`no kext "${name}": a kext is a folder kext/NAME with a kext.mk; here: ${kextNames(root).join(', ') || 'none'}`);
  }
  const line = /^\s*KEXT_PROTO\s*:?=\s*(\S+)/m.exec(readFileSync(mk, 'utf8'));
  if (!line) throw new Error(`${mk}: no KEXT_PROTO line (the kext's .proto, from the repository root)`);
  const proto = join(root, line[1]!);
  if (!existsSync(proto)) throw new Error(`${mk}: KEXT_PROTO names ${line[1]}, which does not exist`);
  return { name, proto };
}

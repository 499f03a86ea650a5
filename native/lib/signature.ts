// Which program is on the other end of an accepted unix socket (macOS):
// its code signature, asked of Security.framework through the audit token
// the kernel recorded at connect (the addon's peerToken). The token names
// one process instance, so a verdict about it cannot come to be about
// another process that reuses the pid. Verdicts are cached per connection
// and per requirement: the daemon asks at most once for each.
import type { Socket } from 'node:net';

import { binding } from './binding';
import { socketFd } from './peer';

export interface SignedProgram {
  pid: number;
  // The path of its code, '' when Security.framework did not say.
  path?: string;
  // "signed", "unsigned", or why the signature is not valid; absent when
  // not asked for.
  signature?: string;
  satisfies(requirement: string): boolean;
}

export interface SignatureChecks {
  peerToken(fd: number): Buffer;
  checkRequirement(token: Buffer, requirement: string): number;
  describeCode(token: Buffer): { status: number; path: string };
}

// Security.framework's OSStatus values that have a plain meaning here.
export const ERR_SEC_CS_UNSIGNED = -67062;
export const ERR_SEC_CS_REQ_FAILED = -67050;

export function signatureText(status: number): string {
  if (status === 0) return 'signed';
  if (status === ERR_SEC_CS_UNSIGNED) return 'unsigned';
  return `signature not valid (OSStatus ${status})`;
}

function nativeChecks(): SignatureChecks | undefined {
  const { peerToken, checkRequirement, describeCode } = binding;
  return peerToken && checkRequirement && describeCode ? { peerToken, checkRequirement, describeCode } : undefined;
}

export class SignedPrograms {
  readonly #checks: SignatureChecks;
  // Checks made (cache misses), for tests.
  checks = 0;

  constructor(checks: SignatureChecks | undefined = nativeChecks()) {
    if (!checks) throw new Error('code signatures are checked on macOS only (peerToken is missing from the addon)');
    this.#checks = checks;
  }

  // Throws when the token or the code cannot be read: the caller refuses
  // the connection. describe false (no rule names a program): only the
  // token is read, the signature's description (a Security.framework
  // call) is left out; requirements can still be checked later.
  of(socket: Socket | number, describe = true): SignedProgram {
    const token = this.#checks.peerToken(typeof socket === 'number' ? socket : socketFd(socket));
    // Word 5 of an audit token is the pid.
    const pid = token.readUInt32LE(20);
    const code = describe ? this.#checks.describeCode(token) : { status: 0, path: '' };
    if (code.status !== 0 && code.status !== ERR_SEC_CS_UNSIGNED && code.path === '') {
      throw new Error(`cannot read the code of pid ${pid}: OSStatus ${code.status}`);
    }
    const verdicts = new Map<string, boolean>();
    return {
      pid,
      ...(code.path !== '' ? { path: code.path } : {}),
      ...(describe ? { signature: signatureText(code.status) } : {}),
      satisfies: (requirement: string): boolean => {
        let ok = verdicts.get(requirement);
        if (ok === undefined) {
          this.checks++;
          ok = this.#checks.checkRequirement(token, requirement) === 0;
          verdicts.set(requirement, ok);
        }
        return ok;
      },
    };
  }
}

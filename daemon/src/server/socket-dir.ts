// Whether another user could replace the daemon's socket by replacing a
// directory on its path. Each directory from / down to the socket's must
// be owned by root or the daemon's user and writable by nobody else, so no
// one else can rename it away and put their own in its place. One
// exception: a sticky directory writable by others (/tmp), whose entries
// only their owners may rename, when the entry below it is root's or the
// daemon's. A symlink on the way must be owned by root or the daemon's
// user (its owner could point it elsewhere), and where it points is
// checked the same way. The socket's own directory admits no exception.
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

export class UnsafeSocketDirectory extends Error {
  override name = 'UnsafeSocketDirectory';
}

const MAX_LINKS = 40;
const STICKY = 0o1000;

function mode(st: Stats): string {
  return `0${(st.mode & 0o7777).toString(8)}`;
}

interface Walk {
  trusted: ReadonlySet<number>;
  links: number;
  // The path as given, for messages.
  given: string;
}

// Checks every directory that exists on the way to `dir` (an absolute
// path); returns quietly at the first component that does not exist yet
// (the caller creates the rest, then checks again). Throws
// UnsafeSocketDirectory naming the first unsafe one and why.
export function checkSocketDirectory(dir: string, euid: number): void {
  if (!isAbsolute(dir)) throw new UnsafeSocketDirectory(`socket directory ${dir} is not an absolute path`);
  walk(dir, { trusted: new Set([0, euid]), links: 0, given: dir }, true);
}

// Returns the real path walked, or null when a component is missing.
function walk(path: string, w: Walk, last: boolean): string | null {
  const parts = resolve(path).split(sep).filter(Boolean);
  let real: string = sep;
  let st = lstatSync(real);
  check(real, st, w, parts.length === 0 && last);
  for (let i = 0; i < parts.length; i++) {
    const next = join(real, parts[i]!);
    const isLast = i === parts.length - 1;
    try {
      st = lstatSync(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (st.isSymbolicLink()) {
      if (!w.trusted.has(st.uid)) {
        throw new UnsafeSocketDirectory(`${next} (on the way to socket directory ${w.given}) is a symlink owned by uid ${st.uid}: its owner can point it elsewhere, and so replace the socket`);
      }
      if (++w.links > MAX_LINKS) throw new UnsafeSocketDirectory(`${next}: more than ${MAX_LINKS} symlinks on the way to socket directory ${w.given}`);
      const target = walk(resolve(real, readlinkSync(next)), w, isLast && last);
      if (target === null) return null;
      real = target;
      st = lstatSync(real);
    } else {
      real = next;
      check(real, st, w, isLast && last);
    }
    if (!st.isDirectory()) throw new UnsafeSocketDirectory(`${real} (on the way to socket directory ${w.given}) is not a directory`);
  }
  return real;
}

// Every directory is checked for its owner, so the entry below a sticky
// one is root's or the daemon's too.
function check(path: string, st: Stats, w: Walk, isSocketDir: boolean): void {
  const where = isSocketDir ? `socket directory ${path}` : `${path} (an ancestor of socket directory ${w.given})`;
  if (!w.trusted.has(st.uid)) {
    throw new UnsafeSocketDirectory(`${where} is owned by uid ${st.uid} with mode ${mode(st)}: its owner can rename it away and put their own in its place; it must be owned by uid ${[...w.trusted].join(' or ')}`);
  }
  const groupWritable = (st.mode & 0o020) !== 0;
  const othersWritable = (st.mode & 0o002) !== 0;
  if (!groupWritable && !othersWritable) return;
  const who = othersWritable ? 'any user' : `group ${st.gid}`;
  if (isSocketDir) {
    throw new UnsafeSocketDirectory(`${where} has mode ${mode(st)}: ${who} can write it and so replace the socket; it must not be writable by group or others`);
  }
  if ((st.mode & STICKY) === 0) {
    throw new UnsafeSocketDirectory(`${where} has mode ${mode(st)}: ${who} can write it and so rename what lies below it; it must not be writable by group or others, or be sticky (like /tmp)`);
  }
}

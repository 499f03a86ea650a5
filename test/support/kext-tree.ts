// A copy of the checkout's kext sources and .proto files, as a kext
// author's tree has them (no build, no node_modules): for tests that edit
// a .proto or add a kext and build with make, leaving the checkout alone.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT as root } from './paths';

export function copyKextTree(tree: string): void {
  cpSync(join(root, 'kext'), join(tree, 'kext'), { recursive: true, filter: (src) => !src.startsWith(join(root, 'kext/build')) });
  // Every folder of .proto files under proto/ (not the package's src, dist).
  for (const dir of readdirSync(join(root, 'proto'))) {
    const from = join(root, 'proto', dir);
    if (statSync(from).isDirectory() && !['src', 'dist', 'node_modules'].includes(dir)) cpSync(from, join(tree, 'proto', dir), { recursive: true });
  }
}

// make in the copy, with this checkout's generator (the copy has no node_modules).
export function makeArgs(tree: string, target: string): string[] {
  return ['-s', '-C', join(tree, 'kext'), '-f', 'linux.mk', target, `KB_GEN_TOOL=${join(root, 'proto/dist/kextgen/main.js')}`];
}

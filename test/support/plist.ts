// An independent plist parser for tests: Python's plistlib, so the
// project's serializer is never checked against itself.
import { execFileSync } from 'node:child_process';

export function parsePlist(xml: string): Record<string, unknown> {
  const json = execFileSync('python3', ['-c', 'import plistlib,json,sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], {
    input: xml,
  });
  return JSON.parse(json.toString()) as Record<string, unknown>;
}

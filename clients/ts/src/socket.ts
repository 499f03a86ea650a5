// Where kextbridged listens: $KEXTBRIDGE_SOCKET, else the platform default.
import { defaultSocketPath as platformDefault } from '@kextbridge/protocol';

export const DEFAULT_SOCKET = platformDefault();

export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['KEXTBRIDGE_SOCKET'] || DEFAULT_SOCKET;
}

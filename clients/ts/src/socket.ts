// Where kextbridged listens: $KEXTBRIDGE_SOCKET, else the platform default.
export const DEFAULT_SOCKET = process.platform === 'darwin' ? '/var/run/kextbridge/kextbridge.sock' : '/run/kextbridge/kextbridge.sock';

export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['KEXTBRIDGE_SOCKET'] || DEFAULT_SOCKET;
}

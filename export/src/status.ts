// The export's status: a log line every statusIntervalMs and the file
// <cursorFile>.status.json, which `kextbridge-export status` prints.
import type { Cursor } from './cursor';
import { writeAtomically } from './cursor';
import type { Logger } from './log';
import type { PublisherCounts } from './publisher';

export interface ExportStatus extends PublisherCounts {
  cursor: Cursor | null;
  // Daemon seqs not yet in the stream (same epoch); -1 when unknown.
  lag: number;
  lossRecords: number;
  inFlight: number;
  natsConnected: boolean;
}

export function statusFile(cursorFile: string): string {
  return `${cursorFile}.status.json`;
}

export class StatusReporter {
  readonly #file: string;
  readonly #log: Logger;
  readonly #read: () => Promise<ExportStatus>;
  readonly #timer: NodeJS.Timeout;

  constructor(cursorFile: string, intervalMs: number, log: Logger, read: () => Promise<ExportStatus>) {
    this.#file = statusFile(cursorFile);
    this.#log = log;
    this.#read = read;
    this.#timer = setInterval(() => void this.report(), intervalMs);
  }

  async report(): Promise<ExportStatus> {
    const status = await this.#read();
    this.#log.info(status, 'export status');
    writeAtomically(this.#file, `${JSON.stringify({ ...status, at: new Date().toISOString() })}\n`);
    return status;
  }

  // A last report.
  async stop(): Promise<ExportStatus> {
    clearInterval(this.#timer);
    return this.report();
  }
}

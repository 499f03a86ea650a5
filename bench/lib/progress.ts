// Progress on stderr, so a long run shows where it is and stdout holds
// only the report.
export function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

// What the figures were measured on: printed at the top of every run so a
// table is never quoted without its machine.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { ROOT } from './paths';

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  load: string;
  node: string;
  grpcJs: string;
  protobufjs: string;
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown cpu',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    node: process.version,
    grpcJs: packageVersion('@grpc/grpc-js'),
    protobufjs: packageVersion('protobufjs'),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, load ${m.load}; node ${m.node}, @grpc/grpc-js ${m.grpcJs}, protobufjs ${m.protobufjs}`;
}

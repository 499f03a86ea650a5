// Process limits the daemon sets for itself.
import { binding } from './binding';

// Raises RLIMIT_NOFILE toward wanted descriptors (never lowers it); the
// limits in force afterwards, -1 meaning unlimited.
export function raiseFileLimit(wanted: number): { soft: number; hard: number } {
  return binding.raiseFileLimit(wanted);
}

// Collects fully and hands unused heap pages and the allocator's free
// pages back to the system (see src/memory.cc). Blocks for a full
// collection: for after a drop in what the daemon holds, not for a loop.
export function returnFreeMemory(): void {
  binding.returnFreeMemory();
}

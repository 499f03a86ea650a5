// Process limits the daemon sets for itself.
import { binding } from './binding';

// Raises RLIMIT_NOFILE toward wanted descriptors (never lowers it); the
// limits in force afterwards, -1 meaning unlimited.
export function raiseFileLimit(wanted: number): { soft: number; hard: number } {
  return binding.raiseFileLimit(wanted);
}

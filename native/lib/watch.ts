// Tells when the kext's control appears or goes, so the daemon connects as
// soon as the kext loads instead of waiting out its backoff. One interface:
// kernel events (KEV_CTL_REGISTERED) on macOS, a watch on kextsim's socket
// path on Linux.
import { EventEmitter } from 'node:events';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

import { binding, type NativeChannel } from './binding';

export interface ControlWatcherEvents {
  registered: [];
  deregistered: [];
}

export interface ControlWatcher extends EventEmitter<ControlWatcherEvents> {
  close(): void;
}

const KEV_CTL_REGISTERED = 1;
const KEV_CTL_DEREGISTERED = 2;
const KERN_EVENT_HEADER = 24; // total_size, vendor, class, subclass, id, event_code

class KernelEventWatcher extends EventEmitter<ControlWatcherEvents> implements ControlWatcher {
  #channel: NativeChannel;

  constructor(fd: number) {
    super();
    this.#channel = new binding.Channel(fd, 1024, (kind, value) => {
      if (kind !== 'messages') return;
      for (const m of value as Buffer[]) {
        if (m.length < KERN_EVENT_HEADER) continue;
        const code = m.readUInt32LE(20);
        if (code === KEV_CTL_REGISTERED) this.emit('registered');
        else if (code === KEV_CTL_DEREGISTERED) this.emit('deregistered');
      }
    });
  }

  close(): void {
    this.#channel.close();
  }
}

class PathWatcher extends EventEmitter<ControlWatcherEvents> implements ControlWatcher {
  #watcher: FSWatcher | null = null;

  constructor(path: string) {
    super();
    const name = basename(path);
    let present = existsSync(path);
    try {
      this.#watcher = watch(dirname(path), (_event, file) => {
        if (file !== null && file !== name) return;
        const now = existsSync(path);
        if (now === present) return;
        present = now;
        this.emit(now ? 'registered' : 'deregistered');
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      // No directory yet: the link's backoff still finds the kext.
      this.#watcher = null;
    }
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }
}

// target: the control name (macOS) or kextsim's socket path (Linux).
export function watchControl(target: string): ControlWatcher {
  if (binding.openKernelEvents) return new KernelEventWatcher(binding.openKernelEvents());
  return new PathWatcher(target);
}

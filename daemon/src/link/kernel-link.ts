// The one connection to the kext: connect, HELLO/WELCOME, ready; frames in
// and out; backoff with jitter while the kext is absent; a reset on any
// protocol error. It knows nothing of calls, subscribers or upcalls: it
// hands decoded frames to whoever listens.
import { EventEmitter } from 'node:events';
import { Backoff, jittered } from '@kextbridge/protocol';

// What runs per frame comes from its own module: the wire barrel
// re-exports through getters, a call more per use on the event path.
import { FLAG_MORE, FRAME_HEADER_SIZE, FrameType } from '../wire/constants';
import type { FrameErrorClass } from '../wire/errors';
import { Frame, frameProblem } from '../wire/frame';
import { Reassembler } from '../wire/reassembler';
import {
  GoodbyeReason,
  FrameWriter,
  checkWelcome,
  decodeText,
  decodeWelcome,
  encodeHello,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_MIN,
  MIN_DATAGRAM,
  type Hello,
  type Message,
  type Negotiated,
  type Welcome,
} from '../wire';
import type { Logger } from '../log';

const QUICK_RETRIES = 40;
const QUICK_RETRY_MS = 50;

export type LinkState = 'connecting' | 'handshake' | 'ready' | 'incompatible' | 'stopping';

// What the link needs of a channel: the native KernelChannel, or a fake.
export interface DatagramChannel {
  send(datagram: Uint8Array): boolean;
  close(): void;
  on(event: 'message', listener: (d: Buffer) => void): unknown;
  on(event: 'drain', listener: () => void): unknown;
  on(event: 'close', listener: (reason: { code: string; message: string }) => void): unknown;
}

export interface KernelLinkOptions {
  // kextsim socket path (Linux) or control name (macOS).
  target: string;
  open: (target: string, maxDatagram: number) => DatagramChannel;
  log: Logger;
  name: string;
  maxDatagram: number;
  maxMessage: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  handshakeTimeoutMs?: number;
}

export interface LinkCounters {
  datagramsIn: number;
  datagramsOut: number;
  framesIn: number;
  framesOut: number;
  malformed: number;
  resets: number;
}

export interface KernelLinkEvents {
  // The link became ready (again): a new generation.
  ready: [welcome: Welcome, negotiated: Negotiated];
  // The link went down; everything in flight must end now.
  down: [reason: string];
  state: [state: LinkState, detail: string];
}

// Who takes the frames the link does not handle itself (the session).
export interface FrameConsumer {
  // Whole EVENT frames of one datagram, in order, as the offsets of their
  // headers: checked (in bounds, type EVENT, no MORE), not yet read. The
  // datagram and offsets are valid only while the call runs.
  eventRun(datagram: Uint8Array, starts: Uint32Array, count: number): void;
  // RESPONSE, UPCALL, LOSS, and EVENTs that came in MORE pieces, whole.
  message(message: Message): void;
  // Everything one reader wake brought has been handed on.
  wakeEnd(): void;
}

const IGNORE: FrameConsumer = { eventRun() {}, message() {}, wakeEnd() {} };

export class KernelLink extends EventEmitter<KernelLinkEvents> {
  readonly counters: LinkCounters = { datagramsIn: 0, datagramsOut: 0, framesIn: 0, framesOut: 0, malformed: 0, resets: 0 };
  state: LinkState = 'connecting';
  detail = 'not started';
  generation = 0;
  welcome: Welcome | null = null;
  negotiated: Negotiated | null = null;

  readonly #options: KernelLinkOptions;
  readonly #hello: Hello;
  #channel: DatagramChannel | null = null;
  #writer: FrameWriter | null = null;
  #reassembler: Reassembler;
  #backlog: Uint8Array[] = [];
  #blocked = false;
  #flushQueued = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #handshakeTimer: NodeJS.Timeout | null = null;
  readonly #backoff: Backoff;
  // After a nudge: quick retries, since the kext may appear (its socket
  // file, its control) a moment before it accepts.
  #quickRetries = 0;
  #lastLogged = '';
  #consumer: FrameConsumer = IGNORE;
  // Header offsets of the EVENT run being gathered; reused.
  #starts = new Uint32Array(1024);
  #wakeQueued = false;

  constructor(options: KernelLinkOptions) {
    super();
    this.#options = options;
    this.#backoff = new Backoff(options.reconnectMinMs, options.reconnectMaxMs);
    this.#hello = {
      versionMin: PROTOCOL_VERSION_MIN,
      versionMax: PROTOCOL_VERSION,
      maxDatagram: options.maxDatagram,
      maxMessage: options.maxMessage,
      name: options.name,
    };
    this.#reassembler = new Reassembler(options.maxMessage);
  }

  // Frames go to consumer from now on.
  attach(consumer: FrameConsumer): void {
    this.#consumer = consumer;
  }

  start(): void {
    this.#connect();
  }

  // Stops for good: GOODBYE(SHUTDOWN) to the kext, then close.
  stop(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const wasReady = this.state === 'ready';
    if (wasReady) {
      this.send(FrameType.GOODBYE, 0, GoodbyeReason.SHUTDOWN, new TextEncoder().encode('daemon shutting down'));
      this.#flush();
    }
    this.#setState('stopping', 'daemon shutting down');
    this.#teardown(wasReady ? 'daemon shutting down' : null);
  }

  // The kext just appeared: try now rather than when the backoff ends.
  nudge(): void {
    if (!this.#retryTimer || this.state === 'stopping') return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#backoff.reset();
    this.#quickRetries = QUICK_RETRIES;
    this.#connect();
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  // Queues one message (split into MORE frames if needed); frames queued in
  // the same tick share datagrams. false when the link is not ready.
  send(type: number, id: number, code: number, payload?: Uint8Array): boolean {
    if (!this.#writer || (this.state !== 'ready' && this.state !== 'stopping' && type !== FrameType.HELLO)) return false;
    this.#writer.push(type, id, code, payload);
    this.counters.framesOut += this.#writer.framesFor(payload?.length ?? 0);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
    return true;
  }

  #flush(): void {
    this.#flushQueued = false;
    if (!this.#writer || !this.#channel) return;
    for (const d of this.#writer.flush()) this.#backlog.push(d);
    this.#drain();
  }

  #drain(): void {
    while (this.#channel && !this.#blocked && this.#backlog.length > 0) {
      let accepted: boolean;
      try {
        accepted = this.#channel.send(this.#backlog[0]!);
      } catch (err) {
        this.#reset(`cannot send to the kext: ${(err as Error).message}`);
        return;
      }
      if (!accepted) {
        this.#blocked = true;
        return;
      }
      this.#backlog.shift();
      this.counters.datagramsOut++;
    }
  }

  #connect(): void {
    this.#retryTimer = null;
    let channel: DatagramChannel;
    try {
      channel = this.#options.open(this.#options.target, this.#options.maxDatagram);
    } catch (err) {
      this.#setState('connecting', (err as Error).message);
      this.#retry();
      return;
    }
    this.#channel = channel;
    // Until WELCOME says more, only what every kext accepts: HELLO fits.
    this.#writer = new FrameWriter({ maxDatagram: MIN_DATAGRAM, maxMessage: MIN_DATAGRAM });
    this.#reassembler = new Reassembler(this.#options.maxMessage);
    this.#blocked = false;
    this.#backlog = [];
    channel.on('message', (d) => this.#onDatagram(d));
    channel.on('drain', () => {
      this.#blocked = false;
      this.#drain();
    });
    channel.on('close', (r) => {
      if (this.#channel !== channel) return;
      this.#channel = null;
      const why =
        this.state === 'handshake' && r.code === 'EOF'
          ? 'the kext closed the connection before WELCOME: another client owns it, or this process is not root'
          : `the kext connection closed: ${r.message}`;
      this.#reset(why);
    });
    this.#setState('handshake', 'HELLO sent');
    this.send(FrameType.HELLO, 0, 0, encodeHello(this.#hello));
    this.#handshakeTimer = setTimeout(() => this.#reset('no WELCOME within the handshake timeout'), this.#options.handshakeTimeoutMs ?? 3000);
  }

  // Walks the datagram once with decodeDatagram's checks (frameProblem).
  // Runs of whole EVENT frames go to the
  // consumer as offsets, with no object per frame; anything else becomes
  // a Frame and takes the general path.
  #onDatagram(d: Buffer): void {
    this.counters.datagramsIn++;
    if (!this.#wakeQueued) {
      this.#wakeQueued = true;
      queueMicrotask(this.#wakeEnd);
    }
    const len = d.length;
    let eventsPass = this.state === 'ready' && !this.#reassembler.holds(FrameType.EVENT);
    let starts = this.#starts;
    let n = 0;
    let off = 0;
    let bad: FrameErrorClass | null = null;
    while (off < len) {
      bad = frameProblem(d, off);
      if (bad) break;
      const type = d[off + 2]!;
      const flags = d[off + 3]!;
      const length = d.readUInt32LE(off + 12);
      this.counters.framesIn++;
      if (type === FrameType.EVENT && (flags & FLAG_MORE) === 0 && eventsPass) {
        if (n === starts.length) {
          const grown = new Uint32Array(starts.length * 2);
          grown.set(starts);
          this.#starts = starts = grown;
        }
        starts[n++] = off;
      } else {
        if (n > 0) {
          this.#consumer.eventRun(d, starts, n);
          n = 0;
        }
        if (!this.#channel) return;
        this.#onFrame(new Frame(type, flags, d.readUInt32LE(off + 4), d.readUInt32LE(off + 8), d, off + FRAME_HEADER_SIZE, length));
        if (!this.#channel) return;
        // That frame may have made the link ready or begun a MORE event.
        eventsPass = this.state === 'ready' && !this.#reassembler.holds(FrameType.EVENT);
      }
      off += FRAME_HEADER_SIZE + length;
    }
    if (n > 0) this.#consumer.eventRun(d, starts, n);
    if (bad && this.#channel) this.#violation(`malformed frame from the kext (${bad} at byte ${off}); resetting the link`);
  }

  readonly #wakeEnd = (): void => {
    this.#wakeQueued = false;
    this.#consumer.wakeEnd();
  };

  #onFrame(f: Frame): void {
    const r = this.#reassembler.push(f);
    if (r.kind === 'pending') return;
    if (r.kind === 'refused') {
      this.#violation(`the kext sent a ${r.refused.bytes}-byte message over the ${this.#options.maxMessage}-byte limit`);
      return;
    }
    const m = r.message;
    switch (m.type) {
      case FrameType.WELCOME:
        this.#onWelcome(m);
        return;
      case FrameType.GOODBYE:
        this.#onGoodbye(m);
        return;
      case FrameType.PING:
        this.send(FrameType.PONG, m.id, 0);
        return;
      case FrameType.PONG:
        return;
      case FrameType.RESPONSE:
      case FrameType.UPCALL:
        if (this.state === 'ready') this.#consumer.message(m);
        else this.#violation(`frame type ${m.type} before WELCOME`);
        return;
      case FrameType.EVENT:
      case FrameType.LOSS:
        if (this.state === 'ready') this.#consumer.message(m);
        return;
      default:
        this.#violation(`the kext sent frame type ${m.type}, which only the daemon sends`);
    }
  }

  #onWelcome(m: Message): void {
    if (this.state !== 'handshake') {
      this.#violation('WELCOME outside the handshake');
      return;
    }
    const w = decodeWelcome(m.payload);
    const s = w.ok ? checkWelcome(this.#hello, w.value) : null;
    if (!w.ok || !s || !s.ok) {
      const why = !w.ok ? w.error.message : s && !s.ok ? s.error.message : 'invalid WELCOME';
      this.counters.malformed++;
      this.#setState('incompatible', `unusable WELCOME: ${why}`);
      this.#teardown(null);
      this.#retry(this.#options.reconnectMaxMs);
      return;
    }
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = null;
    this.welcome = w.value;
    this.negotiated = s.value;
    this.#writer = new FrameWriter({ maxDatagram: s.value.sendDatagram, maxMessage: s.value.sendMessage });
    this.generation++;
    this.#backoff.reset();
    this.#quickRetries = 0;
    this.#setState('ready', `${w.value.identity} ${w.value.kextVersion}, protocol ${s.value.version}`);
    this.emit('ready', w.value, s.value);
  }

  #onGoodbye(m: Message): void {
    const text = decodeText(m.payload);
    if (m.code === GoodbyeReason.VERSION) {
      this.#setState('incompatible', `the kext speaks no protocol version we do: ${text}`);
      this.#teardown(null);
      this.#retry(this.#options.reconnectMaxMs);
      return;
    }
    const why = m.code === GoodbyeReason.UNLOAD ? `the kext is unloading (${text})` : `the kext said GOODBYE ${m.code}: ${text}`;
    this.#reset(why);
  }

  // Well-formed frames the protocol does not allow here count as malformed.
  #violation(why: string): void {
    this.counters.malformed++;
    this.#reset(why);
  }

  // Down, then try again.
  #reset(why: string): void {
    if (this.state === 'stopping') return;
    this.counters.resets++;
    this.#teardown(why);
    this.#setState('connecting', why);
    this.#retry();
  }

  #teardown(downReason: string | null): void {
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = null;
    const channel = this.#channel;
    this.#channel = null;
    this.#writer = null;
    this.#backlog = [];
    channel?.close();
    const wasReady = this.welcome !== null;
    this.welcome = null;
    this.negotiated = null;
    if (wasReady && downReason) this.emit('down', downReason);
  }

  #retry(delayMs?: number): void {
    if (this.state === 'stopping' || this.#retryTimer) return;
    if (this.#quickRetries > 0 && delayMs === undefined) {
      this.#quickRetries--;
      this.#retryTimer = setTimeout(() => this.#connect(), QUICK_RETRY_MS);
      return;
    }
    const planned = this.#backoff.next();
    const wait = delayMs === undefined ? planned : jittered(delayMs);
    this.#retryTimer = setTimeout(() => this.#connect(), wait);
  }

  #setState(state: LinkState, detail: string): void {
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (!changed) return;
    // One line per change, not per retry.
    const line = `${state}: ${detail}`;
    if (line !== this.#lastLogged) {
      this.#lastLogged = line;
      this.#options.log.info({ link: state, detail }, `kext link ${state}`);
    }
    this.emit('state', state, detail);
  }
}

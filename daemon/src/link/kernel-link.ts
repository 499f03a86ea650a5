// The one connection to the kext: connect, HELLO/WELCOME, ready; frames in
// and out; backoff with jitter while the kext is absent; a reset on any
// protocol error. It knows nothing of calls, subscribers or upcalls: it
// hands decoded frames to whoever listens.
import { EventEmitter } from 'node:events';

// What runs per frame comes from its own module: the wire barrel
// re-exports through getters, a call more per use on the event path.
import { FrameType } from '../wire/constants';
import { Frame, decodeDatagram } from '../wire/frame';
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
  type Session,
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
  ready: [welcome: Welcome, session: Session];
  // The link went down; everything in flight must end now.
  down: [reason: string];
  state: [state: LinkState, detail: string];
  // EVENT and LOSS frames, zero-copy: valid while the handler runs.
  event: [frame: Frame];
  // RESPONSE and UPCALL, reassembled.
  message: [message: Message];
  // Every frame of one datagram has been handed on: what its events
  // queued can now go out together.
  datagramEnd: [];
}

export class KernelLink extends EventEmitter<KernelLinkEvents> {
  readonly counters: LinkCounters = { datagramsIn: 0, datagramsOut: 0, framesIn: 0, framesOut: 0, malformed: 0, resets: 0 };
  state: LinkState = 'connecting';
  detail = 'not started';
  generation = 0;
  welcome: Welcome | null = null;
  session: Session | null = null;

  readonly #o: KernelLinkOptions;
  readonly #hello: Hello;
  #channel: DatagramChannel | null = null;
  #writer: FrameWriter | null = null;
  #reassembler: Reassembler;
  #backlog: Uint8Array[] = [];
  #blocked = false;
  #flushQueued = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #handshakeTimer: NodeJS.Timeout | null = null;
  #delay: number;
  // After a nudge: quick retries, since the kext may appear (its socket
  // file, its control) a moment before it accepts.
  #quickRetries = 0;
  #lastLogged = '';

  constructor(options: KernelLinkOptions) {
    super();
    this.#o = options;
    this.#delay = options.reconnectMinMs;
    this.#hello = {
      versionMin: PROTOCOL_VERSION_MIN,
      versionMax: PROTOCOL_VERSION,
      maxDatagram: options.maxDatagram,
      maxMessage: options.maxMessage,
      name: options.name,
    };
    this.#reassembler = new Reassembler(options.maxMessage);
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
    this.#delay = this.#o.reconnectMinMs;
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
      channel = this.#o.open(this.#o.target, this.#o.maxDatagram);
    } catch (err) {
      this.#setState('connecting', (err as Error).message);
      this.#retry();
      return;
    }
    this.#channel = channel;
    // Until WELCOME says more, only what every kext accepts: HELLO fits.
    this.#writer = new FrameWriter({ maxDatagram: MIN_DATAGRAM, maxMessage: MIN_DATAGRAM });
    this.#reassembler = new Reassembler(this.#o.maxMessage);
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
    this.#handshakeTimer = setTimeout(() => this.#reset('no WELCOME within the handshake timeout'), this.#o.handshakeTimeoutMs ?? 3000);
  }

  #onDatagram(d: Buffer): void {
    this.counters.datagramsIn++;
    const { frames, error } = decodeDatagram(d);
    this.counters.framesIn += frames.length;
    for (const f of frames) {
      if (!this.#channel) break;
      this.#onFrame(f);
    }
    this.emit('datagramEnd');
    if (!this.#channel) return;
    if (error) {
      this.#violation(`malformed frame from the kext (${error.class} at byte ${error.offset}); resetting the link`);
    }
  }

  #onFrame(f: Frame): void {
    if (this.state === 'ready' && (f.type === FrameType.EVENT || f.type === FrameType.LOSS) && this.#reassembler.passesThrough(f)) {
      this.emit('event', f);
      return;
    }
    const r = this.#reassembler.push(f);
    if (r.kind === 'pending') return;
    if (r.kind === 'refused') {
      this.#violation(`the kext sent a ${r.refused.bytes}-byte message over the ${this.#o.maxMessage}-byte limit`);
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
        if (this.state === 'ready') this.emit('message', m);
        else this.#violation(`frame type ${m.type} before WELCOME`);
        return;
      case FrameType.EVENT:
      case FrameType.LOSS:
        // A MORE-continued event: hand on the whole message, not its last piece.
        if (this.state === 'ready') this.emit('event', new Frame(m.type, 0, m.id, m.code, m.payload, 0, m.payload.length));
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
      this.#retry(this.#o.reconnectMaxMs);
      return;
    }
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = null;
    this.welcome = w.value;
    this.session = s.value;
    this.#writer = new FrameWriter({ maxDatagram: s.value.sendDatagram, maxMessage: s.value.sendMessage });
    this.generation++;
    this.#delay = this.#o.reconnectMinMs;
    this.#quickRetries = 0;
    this.#setState('ready', `${w.value.identity} ${w.value.kextVersion}, protocol ${s.value.version}`);
    this.emit('ready', w.value, s.value);
  }

  #onGoodbye(m: Message): void {
    const text = decodeText(m.payload);
    if (m.code === GoodbyeReason.VERSION) {
      this.#setState('incompatible', `the kext speaks no protocol version we do: ${text}`);
      this.#teardown(null);
      this.#retry(this.#o.reconnectMaxMs);
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
    this.session = null;
    if (wasReady && downReason) this.emit('down', downReason);
  }

  #retry(delayMs?: number): void {
    if (this.state === 'stopping' || this.#retryTimer) return;
    if (this.#quickRetries > 0 && delayMs === undefined) {
      this.#quickRetries--;
      this.#retryTimer = setTimeout(() => this.#connect(), QUICK_RETRY_MS);
      return;
    }
    const base = delayMs ?? this.#delay;
    // Jitter, so a fleet of daemons does not reconnect in step.
    const wait = Math.round(base * (0.75 + Math.random() * 0.5));
    this.#delay = Math.min(this.#o.reconnectMaxMs, this.#delay * 2);
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
      this.#o.log.info({ link: state, detail }, `kext link ${state}`);
    }
    this.emit('state', state, detail);
  }
}

// The kernel session: the one kext link and the three things that live on
// it (calls, events, upcalls). What the kext sends goes to its consumer by
// frame type, through one table; what they send back (SUBSCRIBE,
// UPCALL_REPLY, REQUEST ...) is encoded by the wire module, never here by
// hand. One reader wake is one hold/release of the event hub, so the
// events of many datagrams leave in as few gRPC writes as possible.
import { EventEmitter } from 'node:events';

import type { LimitsConfig, UpcallDecisions } from '../config/schema';
import type { Logger } from '../log';
import type { FrameConsumer, KernelLink } from '../link/kernel-link';
import { FrameType, Status, decodeLoss, decodeUpcall, encodeFrame, encodeSubscribe, type Message, type Welcome } from '../wire';
import { EventHub } from './events';
import { Requests } from './requests';
import { decisionFor } from './upcall-verdict';
import { UpcallRouter } from './upcalls';

export interface SessionOptions {
  limits: Pick<LimitsConfig, 'maxInflight' | 'maxQueued' | 'defaultDeadlineMs' | 'ringEvents' | 'ringBytes'> &
    Partial<Pick<LimitsConfig, 'queueBytesTotal' | 'queueBytesPerUid' | 'upcallHandlersPerUid' | 'upcallMissesToRest' | 'upcallRestMs'>>;
  // How each upcall is decided (config upcallDecisions); any_deny with no rule when absent.
  upcallDecisions?: UpcallDecisions;
  log: Logger;
  // Fixed only by tests; random per daemon start otherwise.
  epoch?: string;
}

export interface KernelSessionEvents {
  // The link is ready with this catalog (a new generation).
  ready: [welcome: Welcome];
  // The link went down; everything in flight has ended.
  down: [reason: string];
}

export class KernelSession extends EventEmitter<KernelSessionEvents> implements FrameConsumer {
  readonly link: KernelLink;
  readonly requests: Requests;
  readonly events: EventHub;
  readonly upcalls: UpcallRouter;
  readonly #routes: ReadonlyMap<number, (m: Message) => void>;
  #holding = false;

  constructor(link: KernelLink, o: SessionOptions) {
    super();
    this.link = link;
    this.requests = new Requests({
      send: (type, id, code, payload) => link.send(type, id, code, payload),
      maxQueued: o.limits.maxQueued,
      defaultDeadlineMs: o.limits.defaultDeadlineMs,
      log: o.log,
    });
    this.events = new EventHub({
      ringEvents: o.limits.ringEvents,
      ringBytes: o.limits.ringBytes,
      queueBytesTotal: o.limits.queueBytesTotal,
      queueBytesPerUid: o.limits.queueBytesPerUid,
      onWantedChanged: (topics) => link.send(FrameType.SUBSCRIBE, 0, 0, encodeSubscribe(topics)),
      ...(o.epoch ? { epoch: o.epoch } : {}),
    });
    const decisions = o.upcallDecisions ?? {};
    this.upcalls = new UpcallRouter({
      reply: (id, status, payload) => link.send(FrameType.UPCALL_REPLY, id, status, payload),
      decisionOf: (upcall) => decisionFor(decisions, link.welcome?.catalog.upcalls.get(upcall)?.name ?? '', upcall),
      ...(o.limits.upcallHandlersPerUid !== undefined ? { perUid: o.limits.upcallHandlersPerUid } : {}),
      ...(o.limits.upcallMissesToRest !== undefined ? { missesToRest: o.limits.upcallMissesToRest } : {}),
      ...(o.limits.upcallRestMs !== undefined ? { restMs: o.limits.upcallRestMs } : {}),
    });
    this.#routes = new Map<number, (m: Message) => void>([
      // A copy: the datagram it is in may be reused once this returns.
      [FrameType.RESPONSE, (m) => this.requests.onResponse(m.id, m.code, Buffer.from(m.payload))],
      [FrameType.UPCALL, (m) => this.#upcall(m)],
      [FrameType.LOSS, (m) => this.#loss(m)],
      [FrameType.EVENT, (m) => this.#pieced(m)],
    ]);
    link.attach(this);
    link.on('ready', (welcome, negotiated) => {
      this.requests.linkUp(Math.min(o.limits.maxInflight, negotiated.maxInflight));
      this.events.linkReady();
      this.emit('ready', welcome);
    });
    link.on('down', (reason) => {
      this.requests.linkDown(reason);
      this.events.linkDown(reason);
      this.upcalls.linkDown();
      this.emit('down', reason);
    });
  }

  // FrameConsumer: runs of whole EVENT frames.
  eventRun(datagram: Uint8Array, starts: Uint32Array, count: number): void {
    this.#hold();
    this.events.events(datagram, starts, count);
  }

  // FrameConsumer: every other frame for us, whole.
  message(m: Message): void {
    this.#routes.get(m.type)?.(m);
  }

  // FrameConsumer: the reader wake is over.
  wakeEnd(): void {
    if (!this.#holding) return;
    this.#holding = false;
    this.events.release();
  }

  #hold(): void {
    if (this.#holding) return;
    this.#holding = true;
    this.events.hold();
  }

  #loss(m: Message): void {
    const l = decodeLoss(m.payload);
    if (!l.ok) {
      this.events.counters.malformed++;
      return;
    }
    this.#hold();
    this.events.loss(m.code, l.value.count, l.value.firstSeq, l.value.lastSeq);
  }

  // An EVENT that came in MORE pieces: rare, so it is framed again and
  // takes the same path as a whole one.
  #pieced(m: Message): void {
    const frame = Buffer.from(encodeFrame(FrameType.EVENT, 0, 0, m.code, m.payload));
    this.eventRun(frame, Uint32Array.of(0), 1);
  }

  #upcall(m: Message): void {
    const head = decodeUpcall(m.payload);
    if (!head.ok) {
      this.link.send(FrameType.UPCALL_REPLY, m.id, Status.INVALID_ARGUMENT);
      return;
    }
    const h = head.value;
    this.upcalls.upcall({ id: m.id, upcall: m.code, payload: Buffer.from(h.question), timeoutMs: h.timeoutMs, defaultVerdict: h.defaultVerdict });
  }
}

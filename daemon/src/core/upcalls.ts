// Upcalls from the kext to the clients that serve them: each upcall goes to
// one live handler of its kind (round robin) with the kext's deadline. No
// handler, a handler that vanishes without time left, or an answer after
// the deadline: the kext's default applies. Nothing waits on a handler.

export interface UpcallQuestion {
  id: number;
  upcall: number;
  payload: Buffer;
  timeoutMs: number;
  defaultVerdict: number;
}

export interface HandlerStream {
  write(question: UpcallQuestion): void;
}

interface Handler {
  key: number;
  upcall: number;
  stream: HandlerStream;
}

interface Pending {
  question: UpcallQuestion;
  handler: Handler;
  deadline: number;
  timer: NodeJS.Timeout;
}

export interface UpcallRouterOptions {
  // UPCALL_REPLY to the kext; status != 0 means "apply your default".
  reply: (id: number, status: number, payload?: Uint8Array) => void;
  // Answers later than this before the kext's deadline are not worth sending.
  marginMs?: number;
}

const UNAVAILABLE = 14;

export class UpcallRouter {
  readonly counters = { upcalls: 0, answered: 0, noHandler: 0, late: 0, handlerGone: 0 };
  #o: UpcallRouterOptions;
  #handlers = new Map<number, Handler[]>();
  #next = new Map<number, number>();
  #pending = new Map<number, Pending>();
  #expired = new Set<number>();
  #keys = 1;

  constructor(options: UpcallRouterOptions) {
    this.#o = options;
  }

  get handlerCount(): number {
    let n = 0;
    for (const list of this.#handlers.values()) n += list.length;
    return n;
  }

  // Returns the handler's key, for answer() and remove().
  add(upcall: number, stream: HandlerStream): number {
    const h: Handler = { key: this.#keys++, upcall, stream };
    this.#handlers.set(upcall, [...(this.#handlers.get(upcall) ?? []), h]);
    return h.key;
  }

  // The handler's stream ended: its questions go to another handler while
  // the kext still waits, else the default applies now.
  remove(key: number): void {
    for (const [upcall, list] of this.#handlers) {
      const rest = list.filter((h) => h.key !== key);
      if (rest.length !== list.length) this.#handlers.set(upcall, rest);
    }
    for (const p of [...this.#pending.values()]) {
      if (p.handler.key !== key) continue;
      this.counters.handlerGone++;
      clearTimeout(p.timer);
      this.#pending.delete(p.question.id);
      const left = p.deadline - Date.now();
      if (left > (this.#o.marginMs ?? 50) && this.#dispatch({ ...p.question, timeoutMs: left }, p.deadline)) continue;
      this.#o.reply(p.question.id, UNAVAILABLE);
    }
  }

  // An UPCALL from the kext.
  upcall(q: UpcallQuestion): void {
    this.counters.upcalls++;
    if (!this.#dispatch(q, Date.now() + q.timeoutMs)) {
      this.counters.noHandler++;
      this.#o.reply(q.id, UNAVAILABLE);
    }
  }

  // A handler's answer; false when it answers nothing pending of its own.
  answer(key: number, id: number, status: number, payload: Uint8Array): boolean {
    const p = this.#pending.get(id);
    if (!p || p.handler.key !== key) {
      if (this.#expired.delete(id)) this.counters.late++;
      return false;
    }
    clearTimeout(p.timer);
    this.#pending.delete(id);
    this.counters.answered++;
    this.#o.reply(id, status, payload);
    return true;
  }

  // The kext forgets its upcalls when the link drops; so do we.
  linkDown(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    this.#expired.clear();
  }

  #dispatch(q: UpcallQuestion, deadline: number): boolean {
    const list = this.#handlers.get(q.upcall) ?? [];
    if (list.length === 0) return false;
    const i = (this.#next.get(q.upcall) ?? 0) % list.length;
    this.#next.set(q.upcall, i + 1);
    const handler = list[i]!;
    const wait = Math.max(0, deadline - Date.now() - (this.#o.marginMs ?? 50));
    const timer = setTimeout(() => {
      // The kext applies its default on its own; remember the id to count a late answer.
      this.#pending.delete(q.id);
      this.#expired.add(q.id);
      if (this.#expired.size > 4096) this.#expired.delete(this.#expired.values().next().value as number);
    }, wait);
    this.#pending.set(q.id, { question: q, handler, deadline, timer });
    handler.stream.write(q);
    return true;
  }
}

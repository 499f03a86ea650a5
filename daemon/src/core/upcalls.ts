// Upcalls from the kext to the clients that serve them, decided by a vote.
// Every healthy handler of the upcall is asked, with the kext's deadline.
// Handlers are ranked by standing: root (0), then the admin group (1),
// then any other granted user (2). In any_deny mode a deny from anyone is
// final at once; otherwise the verdict is taken as soon as every handler
// of the best standing that was asked has answered (a standing whose
// handlers all abstained hands the decision to the next one), so a handler
// that does not answer cannot hold or take a decision from one of higher
// standing that does. In first_answer mode the first OK answer decides.
// No answer in time: the kext's default applies. A handler that misses
// its deadlines is set aside for a while (not asked while others are
// healthy) and may serve only so many streams per uid.
import type { ProgramSummary } from '../auth/identity';
import { verdictOf, type UpcallDecision, type Verdict } from './upcall-verdict';

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

// Who serves: from the peer credentials of the handler's connection.
export interface HandlerOwner {
  uid: number;
  pid: number;
  // 0 root, 1 the admin group, 2 any other granted user.
  standing: number;
  program?: ProgramSummary;
}

export interface HandlerInfo {
  id: number;
  upcall: number;
  uid: number;
  pid: number;
  standing: number;
  program?: ProgramSummary;
  healthy: boolean;
  asked: number;
  answered: number;
  missed: number;
  // Consecutive questions it let pass its deadline.
  missedInARow: number;
  // How long it remains set aside (0 when healthy).
  restingMs: number;
  sinceMs: number;
}

interface Handler extends HandlerOwner {
  key: number;
  upcall: number;
  stream: HandlerStream;
  since: number;
  asked: number;
  answered: number;
  missed: number;
  missedInARow: number;
  restUntil: number;
}

// What an upcall came to, for the metrics: the answer sent to the kext
// (allow; deny, known by the deny rule; answer, an OK answer with no rule
// to read it) or the kext's own default; and whose answer decided it (a
// standing), or why nobody's did.
export type UpcallVerdictName = 'allow' | 'deny' | 'answer' | 'default';
export type UpcallDecider = 'root' | 'admin' | 'user' | 'no_handler' | 'undecided' | 'timeout';
const DECIDER_OF_STANDING: readonly UpcallDecider[] = ['root', 'admin', 'user'];

interface Question {
  q: UpcallQuestion;
  // performance.now() when it was asked.
  askedAt: number;
  decision: UpcallDecision;
  deadline: number;
  // Asked and not yet answered (nor gone).
  waiting: Map<number, Handler>;
  // Standing -> handlers of that standing still waited on.
  waitingByStanding: number[];
  // The first OK non-deny answer of each standing.
  firstAllow: Array<{ status: number; payload: Uint8Array } | undefined>;
  // Answers seen, for comparing when there is no deny rule.
  differs: boolean[];
  decided: boolean;
  timer: NodeJS.Timeout;
}

export interface UpcallRouterOptions {
  // UPCALL_REPLY to the kext; status != 0 means "apply your default".
  reply: (id: number, status: number, payload?: Uint8Array) => void;
  // The decision rule of an upcall, by its id (from the config and catalog).
  decisionOf?: (upcall: number) => UpcallDecision;
  // Handlers one uid may register per upcall.
  perUid?: number;
  // Consecutive missed deadlines that set a handler aside, and for how long.
  missesToRest?: number;
  restMs?: number;
  now?: () => number;
}

const UNAVAILABLE = 14;
const STANDINGS = 3;

export type AddResult = { ok: true; key: number } | { ok: false; count: number; limit: number };

export class UpcallRouter {
  readonly counters = { upcalls: 0, answered: 0, noHandler: 0, late: 0, handlerGone: 0, denied: 0, missed: 0, refusedAnswers: 0, setAside: 0 };
  // Told of each upcall's outcome once: verdict, decider, seconds from
  // the UPCALL to the reply (or to the kext's deadline).
  onDecided: ((verdict: UpcallVerdictName, decider: UpcallDecider, seconds: number) => void) | undefined;
  #options: UpcallRouterOptions;
  #handlers = new Map<number, Handler[]>();
  #byKey = new Map<number, Handler>();
  #open = new Map<number, Question>();
  #expired = new Set<number>();
  #keys = 1;
  #now: () => number;

  constructor(options: UpcallRouterOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get handlerCount(): number {
    return this.#byKey.size;
  }

  get unhealthyCount(): number {
    const now = this.#now();
    let n = 0;
    for (const h of this.#byKey.values()) if (h.restUntil > now) n++;
    return n;
  }

  // The per-uid limit applies to every uid: a root handler process that
  // needs more says so in the config.
  add(upcall: number, owner: HandlerOwner, stream: HandlerStream): AddResult {
    const list = this.#handlers.get(upcall) ?? [];
    const limit = this.#options.perUid ?? Infinity;
    const count = list.reduce((n, h) => n + (h.uid === owner.uid ? 1 : 0), 0);
    if (count >= limit) return { ok: false, count, limit };
    const h: Handler = { ...owner, key: this.#keys++, upcall, stream, since: this.#now(), asked: 0, answered: 0, missed: 0, missedInARow: 0, restUntil: 0 };
    this.#handlers.set(upcall, [...list, h]);
    this.#byKey.set(h.key, h);
    return { ok: true, key: h.key };
  }

  // The handler's stream ended: it abstains from what it was asked.
  remove(key: number): void {
    const h = this.#byKey.get(key);
    if (!h) return;
    this.#byKey.delete(key);
    this.#handlers.set(h.upcall, (this.#handlers.get(h.upcall) ?? []).filter((x) => x.key !== key));
    for (const question of [...this.#open.values()]) {
      if (!question.waiting.has(key)) continue;
      this.counters.handlerGone++;
      this.#settle(question, h);
      if (question.decided && question.waiting.size === 0) this.#close(question);
      this.#decide(question);
    }
  }

  list(): HandlerInfo[] {
    const now = this.#now();
    return [...this.#byKey.values()].map((h) => ({
      id: h.key,
      upcall: h.upcall,
      uid: h.uid,
      pid: h.pid,
      standing: h.standing,
      ...(h.program ? { program: h.program } : {}),
      healthy: h.restUntil <= now,
      asked: h.asked,
      answered: h.answered,
      missed: h.missed,
      missedInARow: h.missedInARow,
      restingMs: Math.max(0, h.restUntil - now),
      sinceMs: now - h.since,
    }));
  }

  // An UPCALL from the kext.
  upcall(q: UpcallQuestion): void {
    this.counters.upcalls++;
    const now = this.#now();
    const all = this.#handlers.get(q.upcall) ?? [];
    // Set-aside handlers are asked only when no healthy one is left: a
    // question nobody is asked is the kext's default at once.
    const healthy = all.filter((h) => h.restUntil <= now);
    const asked = healthy.length > 0 ? healthy : all;
    if (asked.length === 0) {
      this.counters.noHandler++;
      this.onDecided?.('default', 'no_handler', 0);
      this.#options.reply(q.id, UNAVAILABLE);
      return;
    }
    const deadline = now + q.timeoutMs;
    const question: Question = {
      q,
      askedAt: performance.now(),
      decision: this.#options.decisionOf?.(q.upcall) ?? { mode: 'any_deny' },
      deadline,
      waiting: new Map(),
      waitingByStanding: new Array<number>(STANDINGS).fill(0),
      firstAllow: new Array(STANDINGS).fill(undefined),
      differs: new Array<boolean>(STANDINGS).fill(false),
      decided: false,
      // Kept open to the kext's deadline even once decided, to count who missed it.
      timer: setTimeout(() => this.#expire(question), Math.max(0, q.timeoutMs)),
    };
    for (const h of asked) {
      question.waiting.set(h.key, h);
      question.waitingByStanding[standingOf(h)]!++;
    }
    this.#open.set(q.id, question);
    for (const h of asked) {
      h.asked++;
      h.stream.write(q);
    }
  }

  // A handler's answer; false when it answers nothing it was asked and
  // has not answered yet (refused: a handler speaks only for itself).
  answer(key: number, id: number, status: number, payload: Uint8Array): boolean {
    const question = this.#open.get(id);
    const h = question?.waiting.get(key);
    if (!question || !h) {
      if (this.#expired.has(id) && this.#byKey.has(key)) this.counters.late++;
      else this.counters.refusedAnswers++;
      return false;
    }
    this.#settle(question, h);
    h.answered++;
    h.missedInARow = 0;
    h.restUntil = 0;
    if (question.decided) {
      if (question.waiting.size === 0) this.#close(question);
      return true;
    }
    const s = standingOf(h);
    const verdict: Verdict = status === 0 ? verdictOf(payload, question.decision.denyWhen) : 'unknown';
    if (status === 0 && verdict !== 'malformed') {
      if (question.decision.mode === 'first_answer') return this.#final(question, status, payload, DECIDER_OF_STANDING[s], verdictName(verdict)), true;
      if (verdict === 'deny') {
        this.counters.denied++;
        return this.#final(question, status, payload, DECIDER_OF_STANDING[s], 'deny'), true;
      }
      const first = question.firstAllow[s];
      if (!first) question.firstAllow[s] = { status, payload };
      else if (!question.decision.denyWhen && !Buffer.from(first.payload).equals(Buffer.from(payload))) question.differs[s] = true;
    }
    this.#decide(question);
    return true;
  }

  // The kext forgets its upcalls when the link drops; so do we.
  linkDown(): void {
    for (const question of this.#open.values()) clearTimeout(question.timer);
    this.#open.clear();
    this.#expired.clear();
  }

  #settle(question: Question, h: Handler): void {
    question.waiting.delete(h.key);
    question.waitingByStanding[standingOf(h)]!--;
  }

  // Decides when the best standing with an answer has no handler left to
  // wait on (and none of better standing is still waited on).
  #decide(question: Question): void {
    if (question.decided) return;
    for (let s = 0; s < STANDINGS; s++) {
      if (question.waitingByStanding[s]! > 0) return;
      const first = question.firstAllow[s];
      if (!first) continue;
      // Differing answers and no rule to rank them: the kext's default.
      if (question.differs[s]) return this.#final(question, UNAVAILABLE, undefined, DECIDER_OF_STANDING[s], 'default');
      return this.#final(question, first.status, first.payload, DECIDER_OF_STANDING[s], question.decision.denyWhen ? 'allow' : 'answer');
    }
    // Everyone asked abstained or left.
    if (question.waiting.size === 0) this.#final(question, UNAVAILABLE, undefined, 'undecided', 'default');
  }

  #final(question: Question, status: number, payload: Uint8Array | undefined, decider: UpcallDecider = 'undecided', verdict: UpcallVerdictName = 'default'): void {
    question.decided = true;
    // Past the deadline the kext is applying its default already.
    if (question.deadline - this.#now() <= 0) {
      this.onDecided?.('default', 'timeout', (performance.now() - question.askedAt) / 1000);
      return;
    }
    this.onDecided?.(status === 0 ? verdict : 'default', decider, (performance.now() - question.askedAt) / 1000);
    if (status === 0) this.counters.answered++;
    this.#options.reply(question.q.id, status, payload);
    if (question.waiting.size === 0) this.#close(question);
  }

  #close(question: Question): void {
    clearTimeout(question.timer);
    this.#open.delete(question.q.id);
  }

  #expire(question: Question): void {
    this.#open.delete(question.q.id);
    if (!question.decided) this.onDecided?.('default', 'timeout', (performance.now() - question.askedAt) / 1000);
    const now = this.#now();
    for (const h of question.waiting.values()) {
      h.missed++;
      h.missedInARow++;
      this.counters.missed++;
      if (h.missedInARow >= (this.#options.missesToRest ?? 3) && h.restUntil <= now) {
        h.restUntil = now + (this.#options.restMs ?? 30_000);
        this.counters.setAside++;
      }
    }
    // The kext applies its default on its own; remember the id to count a late answer.
    this.#expired.add(question.q.id);
    if (this.#expired.size > 4096) this.#expired.delete(this.#expired.values().next().value as number);
  }
}

function verdictName(v: Verdict): UpcallVerdictName {
  return v === 'deny' ? 'deny' : v === 'allow' ? 'allow' : 'answer';
}

function standingOf(h: HandlerOwner): number {
  return Math.min(STANDINGS - 1, Math.max(0, h.standing));
}

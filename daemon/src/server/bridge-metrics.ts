// The bridge's own metrics, read from the counters the pipeline keeps
// anyway (the same ones GetStatus reports) when Prometheus scrapes: the
// event path counts nothing more for them. Kernel round trips and upcall
// decisions are histograms, observed once per call and per upcall.
// Labels are bounded: topics by the kext's catalog (ids it does not list
// are "other"), loss sources, verdicts and deciders by fixed lists; no
// uid, pid or other client-supplied value.
import { Counter, Gauge, type Registry } from 'prom-client';
import { LossSource, LOSS_SOURCE_NAMES } from '@kextbridge/protocol';
import type { KernelSession } from '../core/session';
import { countsByName, type TopicTally } from '../core/topic-tally';
import { STATUS_NAMES } from '../wire/constants';
import { FixedHistogram, type HistogramSeries } from './fixed-histogram';

export interface BridgeMetricSources {
  session: KernelSession;
  // Client connections open now, and refused by the connection limits since start.
  connections: () => number;
  connectionsRefused: () => number;
}

const LINK_STATES = ['connecting', 'handshake', 'ready', 'incompatible', 'stopping'] as const;
const RTT_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const UPCALL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const lossSourceName = (s: LossSource): string => LOSS_SOURCE_NAMES[s].replace(/^LOSS_SOURCE_/, '');

export function registerBridgeMetrics(registry: Registry, d: BridgeMetricSources): void {
  const registers = [registry];
  const { link, requests, events, upcalls } = d.session;
  const byTopicName = (tally: TopicTally): Map<string, number> => countsByName(tally, (id) => link.welcome?.catalog.topics.get(id)?.name);
  // A counter whose value is read at scrape time.
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[], read: (set: (labels: Partial<Record<L, string>>, v: number) => void) => void): void => {
    new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        read((labels, v) => this.inc(labels, v));
      },
    });
  };
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  };

  new Gauge({
    name: 'kextbridge_link_state',
    help: 'The kernel link\'s state: 1 for the state it is in, 0 for the others.',
    labelNames: ['state'],
    registers,
    collect() {
      for (const s of LINK_STATES) this.set({ state: s }, link.state === s ? 1 : 0);
    },
  });
  gauge('kextbridge_link_up', 'Whether the kernel link is ready (1) or not (0).', () => (link.state === 'ready' ? 1 : 0));
  counter('kextbridge_link_resets_total', 'Times the kernel link went down after being up.', [], (set) => set({}, link.counters.resets));
  counter('kextbridge_link_malformed_total', 'Datagrams and frames from the kext that broke the wire protocol.', [], (set) => set({}, link.counters.malformed));
  counter('kextbridge_link_datagrams_total', 'Datagrams over the kernel link, by direction.', ['direction'], (set) => {
    set({ direction: 'in' }, link.counters.datagramsIn);
    set({ direction: 'out' }, link.counters.datagramsOut);
  });

  const rtt = new FixedHistogram({
    name: 'kextbridge_kernel_round_trip_seconds',
    help: 'From a REQUEST (command, option get or set) to the kext\'s RESPONSE.',
    labelNames: ['status'],
    buckets: RTT_BUCKETS,
    registers,
  });
  const rttByStatus: Array<HistogramSeries | undefined> = [];
  requests.onRoundTrip = (status, seconds) => (rttByStatus[status] ??= rtt.series({ status: STATUS_NAMES[status] ?? 'UNKNOWN' })).observe(seconds);
  counter('kextbridge_calls_total', 'Calls to the kext ended, by status (the kext\'s, or the daemon\'s own: deadline, cancel, link down).', ['status'], (set) => {
    for (const [code, n] of requests.counters.byStatus) set({ status: STATUS_NAMES[code] ?? 'UNKNOWN' }, n);
  });
  gauge('kextbridge_calls_inflight', 'Calls sent to the kext and not yet answered.', () => requests.inflight);
  gauge('kextbridge_calls_queued', 'Calls waiting for an in-flight slot.', () => requests.queued);

  counter('kextbridge_events_from_kernel_total', 'Events the kext sent, by topic.', ['topic'], (set) => {
    for (const [topic, n] of byTopicName(events.fromKernelByTopic)) set({ topic }, n);
  });
  counter('kextbridge_events_delivered_total', 'Events handed to subscribers\' streams (an event sent to three subscribers counts three times).', [], (set) => set({}, events.counters.delivered));
  counter('kextbridge_events_lost_total', 'Events lost, by where (KERNEL: the kext could not enqueue them, or a seq gap; LINK: while no daemon was connected; DAEMON: gone from the ring before a resume; SUBSCRIBER: a subscriber\'s own queue). Equals GetStatus lost*.', ['source'], (set) => {
    const c = events.counters;
    set({ source: lossSourceName(LossSource.KERNEL) }, c.lostKernel);
    set({ source: lossSourceName(LossSource.LINK) }, c.lostLink);
    set({ source: lossSourceName(LossSource.DAEMON) }, c.lostDaemon);
    set({ source: lossSourceName(LossSource.SUBSCRIBER) }, c.lostSubscriber);
  });
  counter('kextbridge_events_lost_kernel_by_topic_total', 'Kernel losses by the topic the LOSS frame named ("other" for a seq gap no LOSS explained).', ['topic'], (set) => {
    for (const [topic, n] of byTopicName(events.lostKernelByTopic)) set({ topic }, n);
  });
  counter('kextbridge_events_malformed_total', 'EVENT frames dropped as malformed (short, seq 0 or going back).', [], (set) => set({}, events.counters.malformed));
  gauge('kextbridge_events_last_seq', 'The newest event seq.', () => events.counters.lastSeq);
  gauge('kextbridge_queued_bytes', 'Bytes subscribers\' queues keep alive and have in flight (GetStatus queued_bytes).', () => events.queuedBytes);
  gauge('kextbridge_ring_bytes', 'Bytes the resume ring keeps.', () => events.ringBytes);
  counter('kextbridge_queue_budget_cuts_total', 'Times a queue budget (limits.queueBytesTotal, queueBytesPerUid) made the largest queues give way.', [], (set) => set({}, events.counters.budgetCuts));
  gauge('kextbridge_subscribers', 'Subscribers connected.', () => events.size);

  gauge('kextbridge_connections_open', 'Client connections open.', d.connections);
  counter('kextbridge_connections_refused_total', 'Client connections refused by limits.maxConnections, maxConnectionsPerUid.', [], (set) => set({}, d.connectionsRefused()));

  const upcallSeconds = new FixedHistogram({
    name: 'kextbridge_upcall_decision_seconds',
    help: 'Upcalls, by verdict (allow, deny, answer: an OK answer with no deny rule to read it, default: the kext\'s own) and decider (root, admin, user: the standing whose answer decided; no_handler, undecided, timeout), from the UPCALL to the reply or the kext\'s deadline.',
    labelNames: ['verdict', 'decider'],
    buckets: UPCALL_BUCKETS,
    registers,
  });
  const upcallChildren = new Map<string, HistogramSeries>();
  upcalls.onDecided = (verdict, decider, seconds) => {
    const key = `${verdict}/${decider}`;
    let c = upcallChildren.get(key);
    if (!c) upcallChildren.set(key, (c = upcallSeconds.series({ verdict, decider })));
    c.observe(seconds);
  };
  counter('kextbridge_upcalls_total', 'Upcalls from the kext.', [], (set) => set({}, upcalls.counters.upcalls));
  counter('kextbridge_upcall_answers_missed_total', 'Handler answers that missed the kext\'s deadline.', [], (set) => set({}, upcalls.counters.missed));
  gauge('kextbridge_upcall_handlers', 'Upcall handlers registered.', () => upcalls.handlerCount);
  gauge('kextbridge_upcall_handlers_set_aside', 'Upcall handlers set aside for missing deadlines.', () => upcalls.unhealthyCount);
}

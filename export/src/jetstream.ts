// The stream the export goes into: created when missing, checked when
// present (a stream that does not fit the config is an error to fix).
import { nanos, RetentionPolicy, StorageType, type NatsConnection, type StreamInfo } from 'nats';

import type { ExportConfig } from './config';
import type { Logger } from './log';

export async function ensureStream(nc: NatsConnection, c: ExportConfig, log: Logger): Promise<StreamInfo> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(c.stream).catch((err: Error) => {
    if (/not found/i.test(err.message)) return null;
    throw err;
  });
  if (!info) {
    const created = await jsm.streams.add({ name: c.stream, subjects: ['kextbridge.>'], num_replicas: c.replicas, duplicate_window: nanos(c.duplicateWindowMs), storage: StorageType.File, retention: RetentionPolicy.Limits }).catch(async (err: Error) => {
      if (!/overlap/i.test(err.message)) throw err;
      const other = await jsm.streams.find(`kextbridge.${c.host}.x`).catch(() => 'another stream');
      throw new Error(`stream ${c.stream} cannot be created: its subjects kextbridge.> overlap those of stream ${other}; export into that one (--stream ${other}) or change its subjects`);
    });
    log.info({ stream: c.stream, replicas: c.replicas }, 'created the JetStream stream');
    return created;
  }
  const covers = info.config.subjects?.some((s) => s === 'kextbridge.>' || s === `kextbridge.${c.host}.>`) ?? false;
  if (!covers) throw new Error(`stream ${c.stream} does not take subjects kextbridge.${c.host}.>: its subjects are ${JSON.stringify(info.config.subjects)}; name another --stream or add the subject`);
  if (info.config.num_replicas !== c.replicas) throw new Error(`stream ${c.stream} has ${info.config.num_replicas} replicas, the config asks for ${c.replicas}; change replicas or the stream`);
  return info;
}

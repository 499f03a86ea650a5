// Reads what kextbridge-export stored and decodes each payload with the
// kext's own .proto (docs/export.md):
//   node consume-export.js nats://127.0.0.1:4222 KEXTBRIDGE example.proto [max]
// Prints one JSON line per message: the envelope's headers and the
// decoded event, or the loss record.
import { AckPolicy, connect, DeliverPolicy } from 'nats';
import { loadSchema } from '@kextbridge/protocol';

async function main(): Promise<void> {
  const [server, stream, proto, max = '1000000'] = process.argv.slice(2);
  if (!server || !stream || !proto) throw new Error('usage: consume-export.js NATS_URL STREAM KEXT.proto [MAX]');
  const schema = loadSchema([proto]);
  const nc = await connect({ servers: server });
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  // An ephemeral consumer from the first message: nothing is kept on the server.
  const name = (await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 30_000_000_000 })).name;
  const consumer = await nc.jetstream().consumers.get(stream, name);
  const want = Math.min(state.messages, Number(max));
  let read = 0;
  for await (const m of await consumer.consume({ max_messages: 256 })) {
    const h = (k: string): string => m.headers?.get(k) ?? '';
    if (m.subject.endsWith('._lost')) {
      console.log(JSON.stringify({ host: h('Kb-Host'), epoch: h('Kb-Epoch'), lost: JSON.parse(m.string()) }));
    } else {
      const type = h('Kb-Type');
      const event = type ? schema.lookupType(type).toObject(schema.lookupType(type).decode(m.data), { longs: String, bytes: String }) : null;
      console.log(JSON.stringify({ host: h('Kb-Host'), kext: h('Kb-Kext'), epoch: h('Kb-Epoch'), seq: Number(h('Kb-Seq')), topic: h('Kb-Topic'), type, event }));
    }
    if (++read >= want) break;
  }
  await nc.close();
}

main().catch((err: Error) => {
  console.error(`consume-export: ${err.message}`);
  process.exit(1);
});

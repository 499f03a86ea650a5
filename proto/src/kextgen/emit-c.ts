// Writes a kext's C from its model: NAME.pb.h (catalog ids, message
// structs, codec prototypes, the handler prototypes the kext defines, the
// reply/publish/ask helpers) and NAME.pb.c (bounded, allocation-free
// encoders and decoders over kextbridge/pb.h, the dispatch that decodes a
// request before the typed handler sees it, the catalog). Deterministic:
// the same .proto and options give the same bytes, so CI can compare.
import { type CField, type CItem, type CMessage, type KextModel, VALUE_TYPE } from './model';

export interface EmitOptions {
  // The .proto as the build names it, for the banner.
  readonly protoLabel: string;
  readonly identity: string;
  readonly version: string;
  // Helpers that encode on the stack exist only for messages up to this size.
  readonly stackMax: number;
}

const VALUE_TYPE_NAME: Record<number, string> = {
  [VALUE_TYPE.BOOL]: 'KB_VALUE_BOOL',
  [VALUE_TYPE.INT64]: 'KB_VALUE_INT64',
  [VALUE_TYPE.STRING]: 'KB_VALUE_STRING',
  [VALUE_TYPE.BYTES]: 'KB_VALUE_BYTES',
};
const KIND_MACRO = { command: 'CMD', topic: 'TOPIC', option: 'OPT', upcall: 'UPCALL' } as const;

function cType(f: CField): string {
  switch (f.kind) {
    case 'bool':
      return 'bool';
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'enum':
      return 'int32_t';
    case 'uint32':
    case 'fixed32':
      return 'uint32_t';
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return 'int64_t';
    case 'uint64':
    case 'fixed64':
      return 'uint64_t';
    case 'bytes':
      return 'struct kb_pb_bytes';
    case 'message':
      return f.message!.cName;
  }
}

const WIRE: Record<CField['kind'], string> = {
  int32: 'KB_PB_VARINT', int64: 'KB_PB_VARINT', uint32: 'KB_PB_VARINT', uint64: 'KB_PB_VARINT', sint32: 'KB_PB_VARINT', sint64: 'KB_PB_VARINT',
  bool: 'KB_PB_VARINT', enum: 'KB_PB_VARINT', fixed32: 'KB_PB_I32', sfixed32: 'KB_PB_I32', fixed64: 'KB_PB_I64', sfixed64: 'KB_PB_I64',
  bytes: 'KB_PB_LEN', message: 'KB_PB_LEN',
};

function cString(s: string): string {
  return JSON.stringify(s);
}

function int64Literal(v: bigint): string {
  if (v === -(2n ** 63n)) return 'INT64_MIN';
  return `INT64_C(${v})`;
}

export function macroName(model: KextModel, item: CItem): string {
  return `${model.prefix.toUpperCase()}_${KIND_MACRO[item.kind]}_${item.name.toUpperCase()}`;
}

function flagsOf(item: CItem): string {
  const f = [item.privileged ? 'KB_ENTRY_PRIVILEGED' : '', item.readOnly ? 'KB_ENTRY_READONLY' : '', item.setPrivileged ? 'KB_ENTRY_SET_PRIVILEGED' : ''].filter(Boolean);
  return f.length ? f.join(' | ') : '0';
}

function decodeStatement(m: CMessage, f: CField): string[] {
  const where = `${m.protoName}.${f.name}`;
  const wrongWire = `return fail(why, ${cString(`${where} has the wrong wire type (is the kext built from this .proto?)`)}, KB_PB_MALFORMED);`;
  const out = [`\t\tcase ${f.number}:`, `\t\t\tif (f.wire != ${WIRE[f.kind]})`, `\t\t\t\t${wrongWire}`];
  const set = (expr: string): void => {
    out.push(`\t\t\tout->${f.name} = ${expr};`);
  };
  switch (f.kind) {
    case 'int32':
    case 'enum':
    case 'sfixed32':
      set('(int32_t)(uint32_t)f.value');
      break;
    case 'int64':
    case 'sfixed64':
      set('(int64_t)f.value');
      break;
    case 'uint32':
    case 'fixed32':
      set('(uint32_t)f.value');
      break;
    case 'uint64':
    case 'fixed64':
      set('f.value');
      break;
    case 'sint32':
      set('(int32_t)kb_pb_zigzag_decode(f.value & 0xffffffffu)');
      break;
    case 'sint64':
      set('kb_pb_zigzag_decode(f.value)');
      break;
    case 'bool':
      set('f.value != 0');
      break;
    case 'bytes':
      out.push(`\t\t\tif (f.len > ${f.maxLen}u)`, `\t\t\t\treturn fail(why, ${cString(`${where} is longer than ${f.maxLen} bytes`)}, KB_PB_OVERFLOW);`);
      out.push(`\t\t\tout->${f.name}.data = f.data;`, `\t\t\tout->${f.name}.len = f.len;`);
      break;
    case 'message':
      out.push(`\t\t\terr = ${f.message!.cName}_decode(f.data, f.len, &out->${f.name}, why);`, '\t\t\tif (err != KB_PB_OK)', '\t\t\t\treturn err;');
      break;
  }
  if (f.hasFlag) out.push(`\t\t\tout->has_${f.name} = 1;`);
  out.push('\t\t\tbreak;');
  return out;
}

function encodeStatement(f: CField): string[] {
  const v = `m->${f.name}`;
  const when = f.hasFlag ? `m->has_${f.name}` : f.kind === 'bytes' ? `${v}.len` : v;
  let put: string;
  switch (f.kind) {
    case 'int32':
    case 'enum':
      put = `kb_pb_put_varint(w, ${f.number}, (uint64_t)(int64_t)${v});`;
      break;
    case 'int64':
      put = `kb_pb_put_varint(w, ${f.number}, (uint64_t)${v});`;
      break;
    case 'uint32':
    case 'uint64':
      put = `kb_pb_put_varint(w, ${f.number}, ${v});`;
      break;
    case 'sint32':
    case 'sint64':
      put = `kb_pb_put_sint(w, ${f.number}, ${v});`;
      break;
    case 'bool':
      put = `kb_pb_put_bool(w, ${f.number}, ${v});`;
      break;
    case 'fixed32':
    case 'sfixed32':
      put = `kb_pb_put_fixed32(w, ${f.number}, (uint32_t)${v});`;
      break;
    case 'fixed64':
    case 'sfixed64':
      put = `kb_pb_put_fixed64(w, ${f.number}, (uint64_t)${v});`;
      break;
    case 'bytes':
      return [
        `\tif (${v}.len > ${f.maxLen}u)`,
        '\t\tkb_pb_fail(w, KB_PB_OVERFLOW);',
        `\telse if (${v}.len)`,
        `\t\tkb_pb_put_bytes(w, ${f.number}, ${v}.data, ${v}.len);`,
      ];
    case 'message':
      return [`\tif (${when}) {`, `\t\tkb_pb_begin(w, ${f.number});`, `\t\t${f.message!.cName}_write(w, &${v});`, '\t\tkb_pb_end(w);', '\t}'];
  }
  return [`\tif (${when})`, `\t\t${put}`];
}

function structOf(m: CMessage): string[] {
  const out = [`/* ${m.protoName} */`, `typedef struct ${m.cName} {`];
  for (const f of m.fields) {
    if (f.hasFlag) out.push(`\tbool has_${f.name};`);
    out.push(`\t${cType(f)} ${f.name};${f.kind === 'bytes' ? ` /* at most ${f.maxLen} bytes */` : ''}`);
  }
  if (m.fields.length === 0) out.push('\tuint8_t unused_; /* C has no empty structs */');
  out.push(`} ${m.cName};`, `#define ${m.cName}_MAX_SIZE ${m.maxSize}u`);
  // Field numbers, for code that writes beside the generated encoder (padding).
  for (const f of m.fields) {
    out.push(`#define ${m.cName}_${f.name}_tag ${f.number}u`);
    if (f.kind === 'bytes') out.push(`#define ${m.cName}_${f.name}_MAX_LEN ${f.maxLen}u`);
  }
  out.push(`int ${m.cName}_decode(const void *buf, size_t len, ${m.cName} *out, const char **why);`);
  out.push(`int ${m.cName}_encode(const ${m.cName} *m, void *buf, size_t cap, size_t *len);`, '');
  return out;
}

function codecFunctions(m: CMessage): string[] {
  const out = [`static void ${m.cName}_write(struct kb_pb_writer *w, const ${m.cName} *m)`, '{'];
  if (m.fields.length === 0) out.push('\t(void)w;', '\t(void)m;');
  for (const f of m.fields) out.push(...encodeStatement(f));
  out.push('}', '');
  out.push(`int ${m.cName}_encode(const ${m.cName} *m, void *buf, size_t cap, size_t *len)`, '{', '\tstruct kb_pb_writer w;', '');
  out.push('\tkb_pb_writer_init(&w, buf, cap);', `\t${m.cName}_write(&w, m);`, '\treturn kb_pb_finish(&w, len);', '}', '');
  out.push(`int ${m.cName}_decode(const void *buf, size_t len, ${m.cName} *out, const char **why)`, '{');
  out.push('\tstruct kb_pb_reader r;', '\tstruct kb_pb_field f;', '\tint err;', '');
  out.push('\tkb_memset(out, 0, sizeof(*out));', '\tkb_pb_reader_init(&r, buf, len);', '\twhile ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {');
  if (m.fields.length === 0) out.push('\t\t(void)f; /* every field is unknown: skipped */');
  else {
    out.push('\t\tswitch (f.number) {');
    for (const f of m.fields) out.push(...decodeStatement(m, f));
    out.push('\t\tdefault:', '\t\t\tbreak; /* unknown: a newer sender\'s field */', '\t\t}');
  }
  out.push('\t}');
  out.push('\tif (err != KB_PB_END)', `\t\treturn fail(why, ${cString(`${m.protoName} is not a valid protobuf message`)}, err);`, '\treturn KB_PB_OK;', '}', '');
  return out;
}

function handlerName(model: KextModel, item: CItem): string {
  return `${model.prefix}_${item.name}`;
}

export function emitHeader(model: KextModel, o: EmitOptions): string {
  const P = model.prefix.toUpperCase();
  const guard = `KB_GEN_${P}_PB_H`;
  const out = [
    `/* Generated from ${o.protoLabel} by kextbridge's kext generator: do not edit.`,
    ' * `npm run gen:kext` (or the build) writes it again; docs/kext-authors.md. */',
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    '#include <stdbool.h>',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '',
    '#include <kextbridge/engine.h>',
    '#include <kextbridge/pb.h>',
    '',
    `#define ${P}_IDENTITY ${cString(o.identity)}`,
    `#define ${P}_VERSION  ${cString(o.version)}`,
    '',
    '/* Catalog ids, as the .proto binds them. */',
  ];
  for (const i of model.items) out.push(`#define ${macroName(model, i)} ${i.id}u`);
  out.push('');
  for (const e of model.enums) {
    out.push(`enum ${e.cName} {`);
    for (const v of e.values) out.push(`\t${e.cName}_${v.name} = ${v.value},`);
    out.push('};', '');
  }
  for (const m of model.messages) out.push(...structOf(m));
  const options = model.items.filter((i) => i.kind === 'option');
  out.push('/* Option values: the engine writes them under its lock after checking', ' * type and bounds; read integers with kb_option_int(). Set initial values', ' * in start, before a daemon can connect. */');
  out.push(`struct ${model.prefix}_options {`);
  for (const i of options) {
    if (i.valueType === VALUE_TYPE.STRING || i.valueType === VALUE_TYPE.BYTES) out.push(`\tuint8_t ${i.name}[${i.max}];`, `\tuint32_t ${i.name}_len;`);
    else out.push(`\tint64_t ${i.name};`);
  }
  if (options.length === 0) out.push('\tuint8_t unused_;');
  out.push('};', `extern struct ${model.prefix}_options ${model.prefix}_options;`, '');
  out.push('/* The catalog, with arg handed to every handler and hook. */', `const struct kb_catalog *${model.prefix}_catalog(void *arg);`);
  out.push('/* Before catalog(): every upcall\'s timeout (kextsim --upcall-timeout-ms). */', `void ${model.prefix}_configure_upcall_timeout(uint32_t ms);`, '');
  out.push('/* ---- What the kext defines: one handler per command (the request is', ' * decoded and checked against its bounds before the handler runs; its', ' * slices live while the handler runs) and a cancel hook per cancellable one ---- */');
  for (const i of model.items.filter((x) => x.kind === 'command')) {
    out.push(`void ${handlerName(model, i)}(struct kb_engine *e, void *arg, const struct kb_call *call, const ${i.request!.cName} *req);`);
    if (i.cancellable) out.push(`void ${handlerName(model, i)}_cancel(struct kb_engine *e, void *arg, uint64_t token);`);
  }
  out.push('', '/* ---- Helpers: encode and send. The ones without _buf encode on the stack. ---- */');
  for (const i of model.items) {
    const h = handlerName(model, i);
    if (i.kind === 'command') {
      const r = i.response!;
      out.push(`int ${h}_reply_buf(struct kb_engine *e, uint64_t token, const ${r.cName} *reply, void *buf, size_t cap);`);
      if (r.maxSize <= o.stackMax) out.push(`int ${h}_reply(struct kb_engine *e, uint64_t token, const ${r.cName} *reply);`);
    } else if (i.kind === 'topic') {
      const r = i.response!;
      out.push(`int ${h}_publish_buf(struct kb_engine *e, const ${r.cName} *event, void *buf, size_t cap);`);
      if (r.maxSize <= o.stackMax) out.push(`int ${h}_publish(struct kb_engine *e, const ${r.cName} *event);`);
    } else if (i.kind === 'upcall' && i.response!.maxSize <= o.stackMax) {
      out.push(
        `/* Asks and waits; *answer is then the daemon's answer or, for every other outcome`,
        ` * (the return, enum kb_upcall_outcome, says which), the default: ${i.request!.protoName} with`,
        ` * default_verdict ${i.defaultVerdict} in field 1. Never with the engine lock held, never from a handler. */`,
        `int ${h}_ask(struct kb_engine *e, const ${i.response!.cName} *question, ${i.request!.cName} *answer);`,
      );
    }
  }
  out.push('', '/* Every message type, for code that handles any (fuzz targets); ends with a zero entry. */');
  out.push(`extern const struct kb_pb_codec ${model.prefix}_codecs[];`, '', `#endif /* ${guard} */`, '');
  return out.join('\n');
}

export function emitSource(model: KextModel, o: EmitOptions, headerName: string): string {
  const p = model.prefix;
  const out = [
    `/* Generated from ${o.protoLabel} by kextbridge's kext generator: do not edit. */`,
    `#include "${headerName}"`,
    '',
    '#define kb_memset(d, c, n) __builtin_memset((d), (c), (n))',
    '',
    'static int fail(const char **why, const char *msg, int err)',
    '{',
    '\tif (why)',
    '\t\t*why = msg;',
    '\treturn err;',
    '}',
    '',
  ];
  for (const m of model.messages) out.push(`static void ${m.cName}_write(struct kb_pb_writer *w, const ${m.cName} *m);`);
  out.push('');
  for (const m of model.messages) out.push(...codecFunctions(m));

  // Dispatch and helpers.
  for (const i of model.items) {
    const h = handlerName(model, i);
    if (i.kind === 'command') {
      const q = i.request!;
      const r = i.response!;
      out.push(`static void ${h}_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)`, '{', `\t${q.cName} req;`, '\tconst char *why = 0;', '');
      out.push(`\tif (${q.cName}_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {`, '\t\tkb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);', '\t\treturn;', '\t}');
      out.push(`\t${h}(e, arg, call, &req);`, '}', '');
      out.push(`int ${h}_reply_buf(struct kb_engine *e, uint64_t token, const ${r.cName} *reply, void *buf, size_t cap)`, '{', '\tsize_t len;', '');
      out.push(`\tif (${r.cName}_encode(reply, buf, cap, &len) != KB_PB_OK)`);
      out.push(`\t\treturn kb_respond_error(e, token, KB_INTERNAL, ${cString(`${r.protoName} does not fit its bounds or the buffer`)});`);
      out.push('\treturn kb_respond(e, token, KB_OK, buf, len);', '}', '');
      if (r.maxSize <= o.stackMax) {
        out.push(`int ${h}_reply(struct kb_engine *e, uint64_t token, const ${r.cName} *reply)`, '{', `\tuint8_t buf[${r.cName}_MAX_SIZE + 1];`, '');
        out.push(`\treturn ${h}_reply_buf(e, token, reply, buf, sizeof(buf));`, '}', '');
      }
    } else if (i.kind === 'topic') {
      const r = i.response!;
      const T = macroName(model, i);
      out.push(`int ${h}_publish_buf(struct kb_engine *e, const ${r.cName} *event, void *buf, size_t cap)`, '{', '\tsize_t len;', '');
      out.push(`\tif (${r.cName}_encode(event, buf, cap, &len) != KB_PB_OK)`, '\t\treturn KB_R_TOOBIG;', `\treturn kb_publish(e, ${T}, buf, len);`, '}', '');
      if (r.maxSize <= o.stackMax) {
        out.push(`int ${h}_publish(struct kb_engine *e, const ${r.cName} *event)`, '{', `\tuint8_t buf[${r.cName}_MAX_SIZE + 1];`, '');
        out.push(`\treturn ${h}_publish_buf(e, event, buf, sizeof(buf));`, '}', '');
      }
    } else if (i.kind === 'upcall' && i.response!.maxSize <= o.stackMax) {
      const q = i.response!;
      const a = i.request!;
      out.push(`int ${h}_ask(struct kb_engine *e, const ${q.cName} *question, ${a.cName} *answer)`, '{');
      out.push(`\tuint8_t qbuf[${q.cName}_MAX_SIZE + 1], abuf[${a.cName}_MAX_SIZE + 16];`, '\tsize_t qlen, alen = 0;', '\tint outcome = KB_UPCALL_INVALID;', '');
      out.push(`\tif (${q.cName}_encode(question, qbuf, sizeof(qbuf), &qlen) == KB_PB_OK) {`);
      out.push(`\t\toutcome = kb_upcall(e, ${macroName(model, i)}, qbuf, qlen, abuf, sizeof(abuf), &alen);`);
      out.push(`\t\tif (${a.cName}_decode(abuf, alen, answer, 0) == KB_PB_OK)`, '\t\t\treturn outcome;', '\t\toutcome = KB_UPCALL_INVALID;', '\t}');
      out.push('\t/* A question over its bounds, or an answer that does not decode: the default. */');
      out.push(`\tkb_upcall_default_answer(e, ${macroName(model, i)}, abuf, sizeof(abuf), &alen);`);
      out.push(`\tif (${a.cName}_decode(abuf, alen, answer, 0) != KB_PB_OK)`, '\t\tkb_memset(answer, 0, sizeof(*answer));', '\treturn outcome;', '}', '');
    }
  }

  // The catalog.
  const commands = model.items.filter((i) => i.kind === 'command');
  const topics = model.items.filter((i) => i.kind === 'topic');
  const options = model.items.filter((i) => i.kind === 'option');
  const upcalls = model.items.filter((i) => i.kind === 'upcall');
  if (commands.length) {
    out.push('static const struct kb_command_desc commands[] = {');
    for (const i of commands) out.push(`\t{ ${macroName(model, i)}, ${cString(i.name)}, ${flagsOf(i)}, ${handlerName(model, i)}_dispatch, ${i.cancellable ? `${handlerName(model, i)}_cancel` : '0'} },`);
    out.push('};', '');
  }
  if (topics.length) {
    out.push('static const struct kb_topic_desc topics[] = {');
    for (const i of topics) out.push(`\t{ ${macroName(model, i)}, ${cString(i.name)}, ${flagsOf(i)} },`);
    out.push('};', '');
  }
  out.push(`struct ${p}_options ${p}_options;`, '');
  if (options.length) {
    out.push('static const struct kb_option_desc options[] = {');
    for (const i of options) {
      const bytes = i.valueType === VALUE_TYPE.STRING || i.valueType === VALUE_TYPE.BYTES;
      const storage = bytes ? `0, ${p}_options.${i.name}, &${p}_options.${i.name}_len` : `&${p}_options.${i.name}, 0, 0`;
      out.push(`\t{ ${macroName(model, i)}, ${cString(i.name)}, ${flagsOf(i)}, ${VALUE_TYPE_NAME[i.valueType]}, ${int64Literal(i.min)}, ${int64Literal(i.max)}, ${storage}, 0 },`);
    }
    out.push('};', '');
  }
  if (upcalls.length) {
    out.push('static struct kb_upcall_desc upcalls[] = {');
    for (const i of upcalls) out.push(`\t{ ${macroName(model, i)}, ${cString(i.name)}, ${flagsOf(i)}, ${i.timeoutMs}u, ${i.defaultVerdict}u },`);
    out.push('};', '');
  }
  const table = (n: number, name: string): string => (n ? `${name}, ${n}` : '0, 0');
  out.push('static struct kb_catalog catalog = {', `\t${p.toUpperCase()}_IDENTITY, ${p.toUpperCase()}_VERSION,`);
  out.push(`\t${table(commands.length, 'commands')},`, `\t${table(topics.length, 'topics')},`, `\t${table(options.length, 'options')},`, `\t${table(upcalls.length, 'upcalls')},`, '\t0,', '};', '');
  out.push(`const struct kb_catalog *${p}_catalog(void *arg)`, '{', '\tcatalog.arg = arg;', '\treturn &catalog;', '}', '');
  out.push(`void ${p}_configure_upcall_timeout(uint32_t ms)`, '{');
  if (upcalls.length) out.push('\tsize_t i;', '', '\tfor (i = 0; i < sizeof(upcalls) / sizeof(upcalls[0]); i++)', '\t\tupcalls[i].timeout_ms = ms;');
  else out.push('\t(void)ms; /* no upcalls */');
  out.push('}', '');

  // The codec table.
  for (const m of model.messages) {
    out.push(`static int ${m.cName}_decode_any(const void *buf, size_t len, void *out, const char **why)`, '{', `\treturn ${m.cName}_decode(buf, len, out, why);`, '}', '');
    out.push(`static int ${m.cName}_encode_any(const void *m, void *buf, size_t cap, size_t *len)`, '{', `\treturn ${m.cName}_encode(m, buf, cap, len);`, '}', '');
  }
  out.push(`const struct kb_pb_codec ${p}_codecs[] = {`);
  for (const m of model.messages) out.push(`\t{ ${cString(m.protoName)}, sizeof(${m.cName}), ${m.cName}_MAX_SIZE, ${m.cName}_decode_any, ${m.cName}_encode_any },`);
  out.push('\t{ 0, 0, 0, 0, 0 },', '};', '');
  return out.join('\n');
}

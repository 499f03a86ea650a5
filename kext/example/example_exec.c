#include "example_internal.h"

#define EXAMPLE_MAX_EXEC_PATH 1024

/*
 * ExecEvent, padded with its padding field so that it encodes to pad_to
 * bytes when that is reachable (a byte more than pad_to at the few sizes
 * where the padding's length prefix grows). Returns 0 if it does not fit cap.
 */
size_t example_encode_exec(uint8_t *out, size_t cap, const example_ExecEvent *ev, uint32_t pad_to)
{
	struct kb_pb_writer w;
	size_t len, room, pad;

	if (example_ExecEvent_encode(ev, out, cap, &len) != KB_PB_OK)
		return 0;
	if (pad_to < len + 2)
		return len;
	room = pad_to - len - 1; /* less the tag byte */
	pad = room - kb_pb_varint_size(room);
	if (pad + kb_pb_varint_size(pad) < room)
		pad++;
	/* The padding is n zero bytes: written in place, not from a source buffer. */
	kb_pb_writer_init(&w, out + len, cap - len);
	kb_pb_put_fill(&w, example_ExecEvent_padding_tag, 0, pad);
	if (kb_pb_finish(&w, &pad) != KB_PB_OK)
		return 0;
	return len + pad;
}

void example_publish_exec(struct example *ex, uint32_t pid, uint32_t ppid, uint32_t uid,
			  const char *path)
{
	example_ExecEvent ev = { .pid = pid, .ppid = ppid, .uid = uid,
				 .path = { (const uint8_t *)path, 0 } };
	uint8_t buf[EXAMPLE_MAX_EXEC_PATH + 32];

	if (!ex->engine || !kb_topic_wanted(ex->engine, EXAMPLE_TOPIC_EXEC))
		return;
	while (path && path[ev.path.len] && ev.path.len < EXAMPLE_MAX_EXEC_PATH)
		ev.path.len++;
	example_exec_publish_buf(ex->engine, &ev, buf, sizeof(buf));
}

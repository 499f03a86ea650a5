#include "example_internal.h"

/*
 * ExecEvent, padded with field 15 so that it encodes to pad_to bytes when
 * that is reachable (a byte more than pad_to at the few sizes where the
 * padding's length prefix grows). Returns 0 if it does not fit cap.
 */
size_t kb_ex_encode_exec(uint8_t *out, size_t cap, uint32_t pid, uint32_t ppid, uint32_t uid,
			 const char *path, size_t path_len, uint32_t pad_to)
{
	struct kb_pb_writer w;
	size_t len, room, pad;

	kb_pb_writer_init(&w, out, cap);
	kb_pb_put_varint(&w, 1, pid);
	kb_pb_put_varint(&w, 2, ppid);
	if (uid)
		kb_pb_put_varint(&w, 3, uid);
	kb_pb_put_bytes(&w, 4, path, path_len);
	if (kb_pb_finish(&w, &len) != KB_PB_OK)
		return 0;
	if (pad_to < len + 2)
		return len;
	room = pad_to - len - 1; /* less the tag byte */
	pad = room - kb_pb_varint_size(room);
	if (pad + kb_pb_varint_size(pad) < room)
		pad++;
	kb_pb_put_fill(&w, 15, 0, pad);
	return kb_pb_finish(&w, &len) == KB_PB_OK ? len : 0;
}

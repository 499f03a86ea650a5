/*
 * libFuzzer target: the protobuf reader on arbitrary bytes. Whatever it
 * accepts is written back with the writer and must read back identically.
 */
#include <stdlib.h>
#include <string.h>

#include <kextbridge/pb.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 17];
	struct kb_pb_reader r, r2;
	struct kb_pb_field f, g;
	struct kb_pb_writer w;
	size_t len;
	int err;

	if (size > sizeof(out) / 2)
		return 0;
	kb_pb_reader_init(&r, data, size);
	kb_pb_writer_init(&w, out, sizeof(out));
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		if (f.len > size || (f.data && (f.data < data || f.data + f.len > data + size)))
			abort(); /* a slice outside the input */
		switch (f.wire) {
		case KB_PB_VARINT:
			kb_pb_put_varint(&w, f.number, f.value);
			break;
		case KB_PB_I64:
			kb_pb_put_fixed64(&w, f.number, f.value);
			break;
		case KB_PB_I32:
			kb_pb_put_fixed32(&w, f.number, (uint32_t)f.value);
			break;
		default:
			/* Also exercise nesting: re-wrap the slice as a nested message. */
			kb_pb_begin(&w, f.number);
			if (f.len)
				kb_pb_put_bytes(&w, 1, f.data, f.len);
			kb_pb_end(&w);
			break;
		}
	}
	if (err == KB_PB_END && kb_pb_finish(&w, &len) == KB_PB_OK) {
		kb_pb_reader_init(&r, data, size);
		kb_pb_reader_init(&r2, out, len);
		while (kb_pb_next(&r, &f) == KB_PB_OK) {
			if (kb_pb_next(&r2, &g) != KB_PB_OK || g.number != f.number || g.wire != f.wire)
				abort();
			if (f.wire != KB_PB_LEN && g.value != f.value)
				abort();
			if (f.wire == KB_PB_LEN) {
				struct kb_pb_reader in;
				struct kb_pb_field h;
				int e2;

				kb_pb_reader_init(&in, g.data, g.len);
				e2 = kb_pb_next(&in, &h);
				if (f.len == 0 ? e2 != KB_PB_END
					       : (e2 != KB_PB_OK || h.len != f.len ||
						  memcmp(h.data, f.data, f.len)))
					abort();
			}
		}
		if (kb_pb_next(&r2, &g) != KB_PB_END)
			abort();
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Test frames: builders and parsers (tu_frame.h). */
#include <string.h>

#include <rte_common.h>

#include "tu_frame.h"

uint8_t
tu_frame_byte(uint32_t vc, uint32_t seq, uint32_t len, uint32_t i)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	if (i < 12)
		return mac[i];
	switch (i) {
	case 12: return TU_ETHERTYPE >> 8;
	case 13: return TU_ETHERTYPE & 0xff;
	case 14: return 'C';
	case 15: return 'N';
	case 16: return 'D';
	case 17: return 'S';
	case 18: case 19: case 20: case 21:
		return (uint8_t)(vc >> (8 * (21 - i)));
	case 22: case 23: case 24: case 25:
		return (uint8_t)(seq >> (8 * (25 - i)));
	default:
		return (uint8_t)(i * 7 + seq + len);
	}
}

void
tu_frame_fill(uint8_t *buf, uint32_t vc, uint32_t seq, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = tu_frame_byte(vc, seq, len, i);
}

bool
tu_nb_write_frame(struct condis_nb *nb, uint32_t vc, uint32_t seq)
{
	struct condis_mdl *m = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, done = 0, len = nb->data_length;

	while (done < len) {
		uint32_t n;

		if (m == NULL)
			return false;
		n = RTE_MIN(m->byte_count - off, len - done);
		for (uint32_t i = 0; i < n; i++)
			((uint8_t *)m->va)[off + i] = tu_frame_byte(vc, seq, len, done + i);
		done += n;
		m = m->next;
		off = 0;
	}
	return true;
}

bool
tu_frame_parse(const uint8_t *p, uint32_t len, uint32_t *vc, uint32_t *seq)
{
	if (len < TU_HDR_LEN || p[12] != (TU_ETHERTYPE >> 8) || p[13] != (TU_ETHERTYPE & 0xff) ||
	    memcmp(p + 14, "CNDS", 4) != 0)
		return false;
	*vc = (uint32_t)p[18] << 24 | (uint32_t)p[19] << 16 | (uint32_t)p[20] << 8 | p[21];
	*seq = (uint32_t)p[22] << 24 | (uint32_t)p[23] << 16 | (uint32_t)p[24] << 8 | p[25];
	return true;
}

long
tu_frame_diff(const uint8_t *p, uint32_t vc, uint32_t seq, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != tu_frame_byte(vc, seq, len, i))
			return (long)i;
	return -1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test frames: a stamped Ethernet frame (IEEE local experimental EtherType,
 * "CNDS", VC id, sequence, then a pattern of vc/seq/length) written across an
 * NB's MDLs and parsed or compared back from the wire.
 */
#ifndef CONDIS_TU_FRAME_H
#define CONDIS_TU_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include <condis/condis.h>

#define TU_ETHERTYPE 0x88b5 /* IEEE local experimental */
#define TU_HDR_LEN 26       /* 14 Ethernet + magic 4 + vc 4 + seq 4 */

/** Byte i of the test frame (vc, seq, total length len). */
uint8_t tu_frame_byte(uint32_t vc, uint32_t seq, uint32_t len, uint32_t i);

/** The whole test frame (vc, seq, len) into buf[0..len). */
void tu_frame_fill(uint8_t *buf, uint32_t vc, uint32_t seq, uint32_t len);

/** Write the test frame into the used span of nb (across its MDLs); false if the MDLs end first. */
bool tu_nb_write_frame(struct condis_nb *nb, uint32_t vc, uint32_t seq);

/** Parse (vc, seq) from frame bytes; false if it is not a test frame. */
bool tu_frame_parse(const uint8_t *p, uint32_t len, uint32_t *vc, uint32_t *seq);

/** Check frame bytes p[0..len) against the expected frame; the first bad index, or -1. */
long tu_frame_diff(const uint8_t *p, uint32_t vc, uint32_t seq, uint32_t len);

#endif /* CONDIS_TU_FRAME_H */

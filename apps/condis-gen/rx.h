/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive side of condis-gen: condis-gen frames counted per VC from their
 * stamps (docs/STAMP.md): lost, duplicated, reordered, too late (rx_seq.h),
 * one-way latency and RFC 3550 jitter from the stamp's timestamp, the port's
 * own drops apart. Used by the receive mode (--rx, rx_mode.c) and by a
 * sending run that also receives (--rx-port, one process, one clock).
 */
#ifndef GEN_RX_H
#define GEN_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "gen.h"
#include "json.h"

struct gen_rx;

/* Counters for nb_vcs VCs; NULL if out of memory. */
struct gen_rx *gen_rx_create(uint32_t nb_vcs);
void gen_rx_free(struct gen_rx *rx);

/* --rx-check-headers: also check each frame's flow field against its VC's. */
void gen_rx_check_headers(struct gen_rx *rx, const struct gen_options *opt);

/* The sender sent `sent` frames on VC vc (those after the last received are
 * lost), `failed` of them completed with a failure status (not lost on the path). */
void gen_rx_expect(struct gen_rx *rx, uint32_t vc, uint64_t sent, uint64_t failed);

/* Receive one burst from port/queue, account it, free it; the frames received. */
uint16_t gen_rx_poll(struct gen_rx *rx, uint16_t port, uint16_t queue);

/* condis-gen frames received so far (foreign ones not counted). */
uint64_t gen_rx_stamped(const struct gen_rx *rx);

/* Counters read while the receiver runs (DPDK telemetry). */
struct gen_rx_counts {
	uint64_t frames, stamped, foreign, bad_vc;
	uint64_t missing;   /* lost so far: the tail is not known yet */
	uint64_t duplicated, reordered, too_late;
};

/* The counters and the latency histogram (merged into lat) as they are now,
 * from another thread than the receiver's. */
void gen_rx_live(const struct gen_rx *rx, struct gen_rx_counts *c, struct gen_latency *lat);

/* Stamp to receive, ns. */
const struct gen_latency *gen_rx_latency(const struct gen_rx *rx);

/* Seconds from the first to the last burst with condis-gen frames. */
double gen_rx_secs(const struct gen_rx *rx);

/* Read the port's counters (its own drops) for the report. */
void gen_rx_port_stats(struct gen_rx *rx, uint16_t port);

/* Print the rx lines (every VC with per_vc, else the first 16); print FAIL lines
 * to standard error after `who`; the first failure's text, or NULL if every VC
 * passed. */
const char *gen_rx_report(const struct gen_rx *rx, const char *who, bool per_vc, double secs);

/* The "rx" object of the JSON report (docs/OUTPUT.md). */
void gen_rx_json(struct gen_json *j, const struct gen_rx *rx, double secs);

/* Set up port for receiving: nb_rxq RX queues (RSS on the 5-tuple when
 * several and the port has it), one TX queue (some PMDs want one),
 * promiscuous, started; its mbuf pool in *mp. 0, or -1 (printed). */
int gen_rx_port_setup(uint16_t port, uint32_t mtu, uint16_t nb_rxq, struct rte_mempool **mp);

#endif /* GEN_RX_H */

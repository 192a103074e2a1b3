/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the sim miniport: SDK and API headers only, nothing of lib/. */
#ifndef SIM_PRIVATE_H
#define SIM_PRIVATE_H

#include <rte_log.h>

#include <condis/condis_miniport.h>
#include <condis/condis_sim.h>

extern int sim_logtype;
#define SIM_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, sim_logtype, "condis.sim: " __VA_ARGS__)

/* First field of the adapter context: tells a sim adapter from another
 * miniport's through condis_adapter_ctx(). */
#define SIM_MAGIC 0x4d495343u /* "CSIM" */

/* One frame the device holds. */
struct sim_desc {
	struct condis_nbl *nbl;
	struct condis_nb *nb;      /* its MDLs are claimed; NULL if none are */
	struct rte_mbuf *bounce;   /* lent bounce carrier, or NULL */
	condis_status_t status;    /* completes the NBL with this (SUCCESS: as sent) */
	bool drop;                 /* link down: released at the next reclaim */
};

struct sim_adapter;

/* One transmit queue, owned by one lcore. */
struct sim_txq {
	struct sim_adapter *ad;
	uint16_t id;
	bool stalled;
	/* Descriptors held, oldest at head: a ring of ring_size slots. */
	struct sim_desc *ring;
	uint32_t ring_size, head, count;
	uint32_t drops;            /* descriptors with drop set */
	uint32_t fail_left;        /* condis_sim_fail_next() */
	condis_status_t fail_status;
	struct rte_mempool *bounce;
	struct condis_sim_frame *capture; /* NULL unless params.capture */
	uint32_t cap_head, cap_count;
	struct condis_sim_queue_stats stats;
} __rte_aligned(CONDIS_TXQ_ALIGN); /* its own pages: see CONDIS_TXQ_ALIGN */

struct sim_adapter {
	uint32_t magic;            /* SIM_MAGIC, first */
	struct condis_adapter *adapter;
	uint16_t nb_txq;
	uint32_t max_frame;
	uint16_t max_pieces;
	enum condis_sim_mode mode;
	volatile bool link_up;     /* read by tx_burst; set from the control path */
	struct sim_txq txq[CONDIS_SIM_MAX_TXQ];
};

/* sim_tx.c: the data-path ops (condis_tx.h). */
condis_status_t sim_tx_check(void *txq_ctx, const struct condis_nbl *nbl);
uint16_t sim_tx_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n);
void sim_tx_reclaim(void *txq_ctx);

/* sim_tx.c: release descriptors (they may complete NBLs onto done lists). */
uint32_t sim_release_oldest(struct sim_txq *q, uint32_t n);
uint32_t sim_release_at(struct sim_txq *q, uint32_t i);
/* halt: release everything held with status (an abort). */
void sim_abort_all(struct sim_txq *q, condis_status_t status);

/* sim_control.c: the sim adapter behind a public handle, or NULL. */
struct sim_adapter *sim_of(const struct condis_adapter *adapter);

#endif /* SIM_PRIVATE_H */

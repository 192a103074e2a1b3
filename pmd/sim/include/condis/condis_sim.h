/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The sim miniport: a software transmit device, built from the protocol API
 * and the miniport SDK alone (libcondis_sim). Each transmit queue is a ring
 * of descriptors; what the device took stays there until it is released,
 * at every condis_poll() (CONDIS_SIM_AUTO) or when the test says
 * (CONDIS_SIM_MANUAL). Tests drive through it the faults a DPDK virtual
 * device cannot produce: a device that holds buffers for as long as asked,
 * releases out of order, fails single frames, stalls, or loses its link.
 *
 * Threads: the control calls below that release descriptors or change a
 * queue's state (condis_sim_complete(), condis_sim_complete_one(),
 * condis_sim_fail_next(), condis_sim_stall(), condis_sim_capture_read())
 * run on the thread that owns the queue (the one that sends and polls on
 * it), between its sends and polls. An NBL they release lands on its VC's
 * done list and reaches the protocol in the next condis_poll() of its queue.
 */
#ifndef CONDIS_SIM_H
#define CONDIS_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <condis/condis.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Largest number of transmit queues of a sim adapter. */
#define CONDIS_SIM_MAX_TXQ 16

/** Bytes of a frame's head the capture ring keeps. */
#define CONDIS_SIM_CAPTURE_BYTES 32

/** Frames the capture ring of a queue keeps; older ones are overwritten. */
#define CONDIS_SIM_CAPTURE_FRAMES 1024

/** When the device releases what it took. */
enum condis_sim_mode {
	/** Every tx_reclaim (each condis_poll()) releases every descriptor:
	 *  a device that is done at once. The default. */
	CONDIS_SIM_AUTO = 0,
	/** Descriptors are released only by condis_sim_complete() and
	 *  condis_sim_complete_one() (and by close). */
	CONDIS_SIM_MANUAL,
};

/** Sim adapter parameters. Zeroed fields take the defaults noted. */
struct condis_sim_params {
	uint16_t nb_tx_queues;   /**< transmit queues, at most CONDIS_SIM_MAX_TXQ (default 1) */
	uint32_t ring_size;      /**< descriptors per queue (default 256) */
	uint32_t max_frame;      /**< largest frame in bytes (default 1514); longer NBs
				  *   complete with INVALID_LENGTH */
	uint16_t max_pieces;     /**< largest number of non-empty MDLs per frame (default 32) */
	enum condis_sim_mode mode; /**< default CONDIS_SIM_AUTO */
	uint32_t max_vcs;        /**< VC table size (default 1024) */
	/** Bounce carriers per queue, for frames whose buffer another send
	 *  holds (default ring_size; see no_bounce). */
	uint32_t bounce_size;
	/** No bounce carriers: a frame whose buffer another send holds completes
	 *  with CONDIS_STATUS_RESOURCES instead of being copied. */
	bool no_bounce;
	/** Keep the head of every frame the device takes in the queue's capture
	 *  ring (condis_sim_capture_read()). */
	bool capture;
	/** With owners set, owner_lcore[q] owns queue q
	 *  (condis_adapter_set_queue_owner()); without, the caller guarantees
	 *  one thread per queue at a time. */
	bool owners;
	unsigned int owner_lcore[CONDIS_SIM_MAX_TXQ]; /**< see owners */
	/** The adapter's address (CurrentMacAddress); all zero: 02:00:00:00:00:01. */
	struct rte_ether_addr mac;
	/** Report a device that loops frames back itself (no
	 *  CONDIS_MAC_OPTION_NO_LOOPBACK), so the library loops nothing (spec 83).
	 *  The sim has no receive path: nothing is looped at all. */
	bool device_loopback;
};

/**
 * Open a sim adapter.
 *
 * @param params
 *   The parameters (not kept).
 * @return the adapter, or NULL with rte_errno EINVAL (bad parameters),
 *   ENOMEM or another error of the library. condis_adapter_close() closes it.
 */
struct condis_adapter *condis_sim_open(const struct condis_sim_params *params);

/**
 * Is adapter a sim adapter?
 *
 * @param adapter
 *   Any adapter, or NULL.
 * @return true for an adapter of condis_sim_open().
 */
bool condis_sim_is_sim(const struct condis_adapter *adapter);

/**
 * Release the n oldest descriptors of a queue, in order (MANUAL mode, or to
 * release early in AUTO mode). Runs on the queue's owner.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param n
 *   Descriptors to release; more than the queue holds releases them all.
 * @return how many were released, or -EINVAL.
 */
int condis_sim_complete(struct condis_adapter *adapter, uint16_t txq, uint32_t n);

/**
 * Release one descriptor out of order: the i-th oldest (0 is the oldest);
 * the others keep their order. Runs on the queue's owner.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param i
 *   Index from the oldest descriptor held.
 * @return 1, 0 if the queue holds no i-th descriptor, or -EINVAL.
 */
int condis_sim_complete_one(struct condis_adapter *adapter, uint16_t txq, uint32_t i);

/**
 * Make the next n frames the queue takes fail: each completes its NBL with
 * status when released (an NBL keeps the first failure any of its frames
 * had). Replaces an earlier request not used up. Runs on the queue's owner.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param n
 *   Frames to fail; 0 cancels.
 * @param status
 *   The status, a completion status (not SUCCESS, not PENDING).
 * @return 0, or -EINVAL.
 */
int condis_sim_fail_next(struct condis_adapter *adapter, uint16_t txq, uint32_t n,
			 condis_status_t status);

/**
 * Stall a queue, as a full device: while on, the queue takes no frame, and
 * NBLs wait in their VCs' FIFOs in the library. Runs on the queue's owner.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param on
 *   true to stall, false to resume (the next send or poll moves the FIFOs).
 * @return 0, or -EINVAL.
 */
int condis_sim_stall(struct condis_adapter *adapter, uint16_t txq, bool on);

/**
 * Set the link state of every queue. While the link is down the device
 * takes frames but never sends them: they complete with
 * CONDIS_STATUS_MEDIA_DISCONNECTED at the queue's next poll, in either mode.
 * Frames taken before keep their fate. A change is indicated to the
 * protocols (CONDIS_STATUS_MEDIA_DISCONNECT / MEDIA_CONNECT, co_status) on
 * the calling thread. Control path: no send or poll on the adapter
 * meanwhile.
 *
 * @param adapter
 *   A sim adapter.
 * @param up
 *   The new state (adapters open with the link up).
 * @return 0, or -EINVAL.
 */
int condis_sim_link(struct condis_adapter *adapter, bool up);

/** Counters of one sim queue. */
struct condis_sim_queue_stats {
	uint64_t taken;      /**< frames the device took (descriptors made) */
	uint64_t released;   /**< descriptors released (completed, aborted or dropped) */
	uint64_t failed;     /**< of those, released with a status other than SUCCESS */
	uint64_t no_buffer;  /**< frames completed RESOURCES: buffer held, no bounce carrier */
	uint64_t copies;     /**< frames copied into a bounce carrier */
	uint64_t bytes;      /**< bytes of the frames taken */
	uint64_t bursts;     /**< tx_burst calls that took at least one frame */
	uint64_t refused;    /**< frames refused (ring full or stalled), offered again later */
	uint64_t captured_lost; /**< captured frames overwritten before they were read */
	uint32_t held;       /**< descriptors held now */
};

/**
 * Read a queue's counters.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param stats
 *   Filled in.
 * @return 0, or -EINVAL.
 */
int condis_sim_queue_stats_get(const struct condis_adapter *adapter, uint16_t txq,
			       struct condis_sim_queue_stats *stats);

/** A frame the device took, as the capture ring keeps it. */
struct condis_sim_frame {
	uint32_t len;     /**< frame length (NB data_length) */
	uint32_t queue;   /**< transmit queue */
	uint8_t head[CONDIS_SIM_CAPTURE_BYTES]; /**< its first bytes (fewer if len is less) */
};

/**
 * Take up to n of the oldest captured frames of a queue (params.capture),
 * in the order the device took them. Runs on the queue's owner.
 *
 * @param adapter
 *   A sim adapter.
 * @param txq
 *   The transmit queue.
 * @param frames
 *   Room for n frames.
 * @param n
 *   Most frames to take.
 * @return the number taken (0 for an adapter opened without capture), or
 *   -EINVAL.
 */
int condis_sim_capture_read(struct condis_adapter *adapter, uint16_t txq,
			    struct condis_sim_frame *frames, uint32_t n);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_SIM_H */

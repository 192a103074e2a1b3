/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NDIS names' miniport side (condis/ndis.h): an NDIS-style CoNDIS
 * miniport (NDIS_MINIPORT_DRIVER_CHARACTERISTICS, NDIS_MINIPORT_CO_CHARACTERISTICS,
 * a poll-mode NdisPoll) behind the SDK's ops table. The miniport keeps its
 * own queues, as NDIS miniports do: the direct path hands it every chain
 * whole (MiniportCoSendNetBufferLists). While it holds an NBL the NBL's
 * owner is CONDIS_NBL_OWNER_MINIPORT, so the miniport may send it down on
 * another adapter as a protocol (an intermediate driver), which overwrites
 * the library's per-send fields and hands it back PROTOCOL-owned;
 * nbl->miniport_holds says a host still holds it. NdisMCoSendNetBufferListsComplete, or the
 * completed chain an NdisPoll returns, sets them again from the NBL's VC
 * (its SourceHandle, which an intermediate driver restores, spec 106) and
 * drops the NBL's one reference; the library then delivers per VC as for
 * any miniport. Everything runs on the queue's owner, as the SDK promises,
 * so nothing is atomic.
 */
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "condis_ndis.h"

struct condis_ndis_driver {
	uint32_t magic;
	NDIS_HANDLE driver_ctx;
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;
	NDIS_MINIPORT_CO_CHARACTERISTICS co;
	bool have_co;
	bool deregistered;             /* NdisMDeregisterMiniportDriver came: free with the last adapter */
	uint32_t adapters;
};

/* A Poll object (NDIS_POLL_HANDLE). */
struct condis_ndis_poll {
	NDIS_POLL_HANDLER handler;
	void *ctx;
};

struct condis_ndis_adapter;

/* Per transmit queue (the queue context of the data-path ops). */
struct condis_ndis_txq {
	struct condis_ndis_adapter *na;
	uint16_t id;
	uint64_t outstanding; /* NBLs the miniport holds or will (owner only) */
	/* NBLs the FIFO path took, handed down at the next poll (tx_burst). */
	struct condis_nbl *deferred;
	struct condis_nbl **deferred_tailp;
};

/* The MiniportAdapterHandle. */
struct condis_ndis_adapter {
	uint32_t magic;
	bool initialized;
	bool paused;
	bool event_done;               /* NdisMPauseComplete / NdisMResetComplete came */
	NDIS_STATUS event_status;
	struct condis_ndis_driver *drv;
	NDIS_HANDLE ctx;               /* MiniportAdapterContext */
	struct condis_adapter *adapter;
	uint64_t bad_completions;
	uint16_t nb_polls;
	uint16_t nb_txqs;
	struct condis_ndis_poll *polls; /* one, or one per queue */
	struct condis_ndis_txq *txqs;
	struct condis_ndis_vc *vcs;    /* the miniport's VCs, for the halt */
};

/* The miniport VC context the library keeps: the NDIS one and its adapter. */
struct condis_ndis_vc {
	struct condis_ndis_adapter *na;
	struct condis_vc *vc;
	NDIS_HANDLE mvc;               /* MiniportVcContext */
	struct condis_ndis_vc *next;   /* the adapter's list */
	bool active;                   /* MiniportCoActivateVc succeeded, no deactivation since */
	bool deleted;                  /* MiniportCoDeleteVc ran (at the halt) */
	bool activate_done;            /* NdisMCoActivateVcComplete came */
	NDIS_STATUS activate_status;
};

static const struct condis_miniport_ops ndis_ops;

static struct condis_ndis_driver *
driver_of(NDIS_HANDLE h)
{
	return condis_ndis_magic(h) == CONDIS_NDIS_DRIVER_MAGIC ? h : NULL;
}

static struct condis_ndis_adapter *
adapter_of(NDIS_HANDLE h)
{
	return condis_ndis_magic(h) == CONDIS_NDIS_ADAPTER_MAGIC ? h : NULL;
}

/* The NDIS VC of a library VC (NULL for another miniport's). */
static struct condis_ndis_vc *
ndis_vc_of(NDIS_HANDLE NdisVcHandle)
{
	struct condis_vc *vc = NdisVcHandle;

	if (!condis_vc_valid(vc) || vc->adapter->ops != &ndis_ops)
		return NULL;
	return vc->miniport_ctx;
}

/* The VC an NBL completes on: its SourceHandle when that is a VC of this
 * adapter, else the one the completion call names (NULL: none). */
static struct condis_vc *
completion_vc(const struct condis_ndis_adapter *na, PNET_BUFFER_LIST nbl, struct condis_vc *named)
{
	struct condis_vc *vc = nbl->source_handle;

	if (likely(vc == named && named != NULL) ||
	    (condis_vc_valid(vc) && vc->adapter == na->adapter))
		return vc; /* the named VC was checked once for the whole chain */
	if (condis_vc_valid(named) && named->adapter == na->adapter)
		return named;
	return NULL;
}

/* Give one NBL the miniport held back to the library; count what it did not hold. */
static void
release(struct condis_ndis_adapter *na, PNET_BUFFER_LIST nbl, struct condis_vc *named)
{
	struct condis_vc *vc;

	/* Held by a miniport, and not in a send below it right now (a lower
	 * send's completion hands it back PROTOCOL-owned). */
	if (unlikely(nbl->magic != CONDIS_NBL_MAGIC || nbl->miniport_holds == 0 ||
		     !CONDIS_NBL_OWNER_CAN_SEND(nbl->owner) ||
		     (vc = completion_vc(na, nbl, named)) == NULL)) {
		na->bad_completions++;
		return;
	}
	if (unlikely(nbl->status == CONDIS_STATUS_PENDING))
		nbl->status = CONDIS_STATUS_FAILURE; /* never a completion status (spec 122) */
	/* A send down another adapter rewrote these: the library's again. */
	nbl->owner = CONDIS_NBL_OWNER_STACK;
	nbl->miniport_holds--;
	nbl->source_handle = vc;
	nbl->miniport_done = &vc->tx.done;
	nbl->miniport_cursor = NULL;
	nbl->miniport_pending = 1;
	/* A send below (an intermediate driver's) numbered it on that VC. */
	vc->tx.done.renumbered = true;
	na->txqs[vc->tx_queue].outstanding--;
	condis_nbl_release_ref(nbl);
}

static void
release_chain(struct condis_ndis_adapter *na, PNET_BUFFER_LIST chain, struct condis_vc *named)
{
	while (chain != NULL) {
		PNET_BUFFER_LIST next = chain->Next; /* the done list relinks it */

		release(na, chain, named);
		chain = next;
	}
}

void
condis_ndis_mco_send_complete(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists)
{
	struct condis_ndis_vc *nv = ndis_vc_of(NdisVcHandle);

	if (nv == NULL) {
		CONDIS_LOG(ERR, "NdisMCoSendNetBufferListsComplete: not an NDIS miniport's VC\n");
		return;
	}
	release_chain(nv->na, NetBufferLists, nv->vc);
}

uint64_t
condis_ndis_miniport_bad_completions(const struct condis_adapter *adapter)
{
	const struct condis_ndis_adapter *na = adapter_of(condis_adapter_ctx(adapter));

	return na == NULL ? 0 : na->bad_completions;
}

static void flush_deferred(struct condis_ndis_txq *t);

/* One NdisPoll of the queue's Poll object, and what it completed; what the
 * FIFO path took goes down first. */
static void
poll_queue(struct condis_ndis_txq *t)
{
	struct condis_ndis_adapter *na = t->na;
	struct condis_ndis_poll *p;
	NDIS_POLL_DATA pd;

	if (unlikely(t->deferred != NULL))
		flush_deferred(t);
	if (na->nb_polls == 0)
		return;
	p = &na->polls[na->nb_polls == 1 ? 0 : t->id];
	memset(&pd, 0, sizeof(pd));
	pd.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	pd.Transmit.MaxNblsToComplete = NDIS_ANY_NUMBER_OF_NBLS;
	p->handler(p->ctx, &pd);
	if (pd.Transmit.CompletedNblChain != NULL)
		release_chain(na, pd.Transmit.CompletedNblChain, NULL);
}

/* Control path: poll the queues until done() or the wait runs out. */
static bool
poll_until(struct condis_ndis_adapter *na, int queue, bool (*done)(const void *), const void *arg)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * CONDIS_NDIS_WAIT_MS / 1000;
	uint16_t i;

	while (!done(arg)) {
		if (rte_get_timer_cycles() > end)
			return false;
		for (i = 0; i < na->nb_txqs; i++)
			if (queue < 0 || queue == i)
				poll_queue(&na->txqs[i]);
		rte_pause();
	}
	return true;
}

static bool
event_done(const void *arg)
{
	return ((const struct condis_ndis_adapter *)arg)->event_done;
}

static bool
activate_done(const void *arg)
{
	return ((const struct condis_ndis_vc *)arg)->activate_done;
}

static bool
nothing_outstanding(const void *arg)
{
	const struct condis_ndis_adapter *na = arg;
	uint16_t i;

	for (i = 0; i < na->nb_txqs; i++)
		if (na->txqs[i].outstanding != 0)
			return false;
	return true;
}

static int
ndis_co_create_vc(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	struct condis_ndis_vc *nv = rte_zmalloc("condis_ndis_vc", sizeof(*nv), 0);
	NDIS_STATUS st;

	if (nv == NULL)
		return -ENOMEM;
	nv->na = na;
	nv->vc = vc;
	st = na->drv->co.CoCreateVcHandler(na->ctx, vc, &nv->mvc);
	if (st != NDIS_STATUS_SUCCESS) {
		rte_free(nv);
		return st == NDIS_STATUS_RESOURCES ? -ENOMEM : -EINVAL;
	}
	nv->next = na->vcs;
	na->vcs = nv;
	*miniport_vc_ctx = nv;
	return 0;
}

static condis_status_t
ndis_co_activate_vc(void *miniport_vc_ctx, const struct condis_call_params *params)
{
	struct condis_ndis_vc *nv = miniport_vc_ctx;
	struct condis_ndis_adapter *na = nv->na;
	CO_CALL_MANAGER_PARAMETERS cm;
	CO_MEDIA_PARAMETERS media;
	CO_CALL_PARAMETERS cp = { .CallMgrParameters = &cm, .MediaParameters = &media };
	NDIS_STATUS st;

	memset(&cm, 0, sizeof(cm));
	memset(&media, 0, sizeof(media));
	cm.Transmit.PeakBandwidth = params->peak_rate_bps / 8 > UINT32_MAX ?
				    UINT32_MAX : (ULONG)(params->peak_rate_bps / 8);
	media.ReceivePriority = params->user_priority;
	nv->activate_done = false;
	st = na->drv->co.CoActivateVcHandler(nv->mvc, &cp);
	if (st == NDIS_STATUS_PENDING) {
		/* NdisMCoActivateVcComplete comes from the miniport's poll. */
		if (!poll_until(na, condis_vc_tx_queue(nv->vc), activate_done, nv)) {
			CONDIS_LOG(ERR, "MiniportCoActivateVc pending for over %d ms\n",
				   CONDIS_NDIS_WAIT_MS);
			return CONDIS_STATUS_INVALID_DATA;
		}
		st = nv->activate_status;
	}
	if (st != NDIS_STATUS_SUCCESS)
		return CONDIS_STATUS_INVALID_DATA;
	nv->active = true;
	return CONDIS_STATUS_SUCCESS;
}

static void
ndis_co_deactivate_vc(void *miniport_vc_ctx)
{
	struct condis_ndis_vc *nv = miniport_vc_ctx;

	/* PENDING is fine: the library waits for the VC's sends itself. */
	nv->active = false;
	(void)nv->na->drv->co.CoDeactivateVcHandler(nv->mvc);
}

/* NDIS deletes every VC before it halts a miniport (the library's close
 * halts first): the halt does it for the VCs still there. */
static void
delete_vc(struct condis_ndis_vc *nv)
{
	if (nv->deleted)
		return;
	if (nv->active)
		ndis_co_deactivate_vc(nv);
	(void)nv->na->drv->co.CoDeleteVcHandler(nv->mvc);
	nv->deleted = true;
}

static void
ndis_co_delete_vc(void *miniport_vc_ctx)
{
	struct condis_ndis_vc *nv = miniport_vc_ctx, **linkp;

	delete_vc(nv);
	for (linkp = &nv->na->vcs; *linkp != nv; linkp = &(*linkp)->next)
		;
	*linkp = nv->next;
	rte_free(nv);
}

void
condis_ndis_mco_vc_complete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle, bool activate)
{
	struct condis_ndis_vc *nv = ndis_vc_of(NdisVcHandle);

	if (nv != NULL && activate) {
		nv->activate_status = Status;
		nv->activate_done = true;
	}
}

/* The miniport checks NBLs itself (it completes what it cannot send). */
static condis_status_t
ndis_tx_check(void *txq_ctx, const struct condis_nbl *nbl)
{
	RTE_SET_USED(txq_ctx);
	RTE_SET_USED(nbl);
	return CONDIS_STATUS_PENDING;
}

/* Count a chain's NBs and bytes for the VC; every NBL holds one reference. */
static uint32_t
hold_chain(struct condis_vc_tx *vt, struct condis_nbl *chain)
{
	uint64_t nbs = 0, bytes = 0;
	uint32_t n = 0;
	struct condis_nbl *nbl;
	struct condis_nb *nb;

	for (nbl = chain; nbl != NULL; nbl = nbl->next, n++) {
		nbl->owner = CONDIS_NBL_OWNER_MINIPORT; /* the miniport's until it completes it */
		nbl->miniport_holds++;
		for (nb = nbl->first_nb; nb != NULL; nb = nb->next) {
			nbs++;
			bytes += nb->data_length;
		}
	}
	vt->nbs_tx += nbs;
	vt->bytes_tx += bytes;
	return n;
}

/* The whole chain goes to MiniportCoSendNetBufferLists: it queues itself. */
static struct condis_nbl *
ndis_tx_direct(void *txq_ctx, struct condis_vc_tx *vt, struct condis_nbl *chain)
{
	struct condis_ndis_txq *t = txq_ctx;
	struct condis_ndis_vc *nv = condis_vc_miniport_ctx(vt->done.vc);

	t->outstanding += hold_chain(vt, chain); /* before: it may complete inline */
	t->na->drv->co.CoSendNetBufferListsHandler(nv->mvc, chain, 0);
	return NULL;
}

/*
 * The FIFO path, which the direct path (taking every chain whole) leaves
 * empty; kept correct for chains the library queues anyway. An NBL is taken
 * with its last NB's item (it has left its FIFO by then) and handed down at
 * the next poll, once the library dropped its guard reference.
 */
static uint16_t
ndis_tx_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n)
{
	struct condis_ndis_txq *t = txq_ctx;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl = items[i].nbl;

		if (items[i].nb->next != NULL || nbl->status != CONDIS_STATUS_PENDING)
			continue;
		nbl->miniport_pending++;
		nbl->next = NULL;
		*t->deferred_tailp = nbl;
		t->deferred_tailp = &nbl->next;
		t->outstanding++;
	}
	return n;
}

/* Hand the deferred NBLs down, consecutive NBLs of one VC as one chain. */
static void
flush_deferred(struct condis_ndis_txq *t)
{
	struct condis_nbl *nbl = t->deferred;

	t->deferred = NULL;
	t->deferred_tailp = &t->deferred;
	while (nbl != NULL) {
		struct condis_vc *vc = nbl->miniport_done->vc;
		struct condis_ndis_vc *nv = condis_vc_miniport_ctx(vc);
		struct condis_nbl *head = nbl, *last;

		do {
			last = nbl;
			last->owner = CONDIS_NBL_OWNER_MINIPORT;
			last->miniport_holds++;
			nbl = nbl->next;
		} while (nbl != NULL && nbl->miniport_done->vc == vc);
		last->next = NULL;
		t->na->drv->co.CoSendNetBufferListsHandler(nv->mvc, head, 0);
	}
}

static void
ndis_tx_reclaim(void *txq_ctx)
{
	poll_queue(txq_ctx);
}

static void
ndis_tx_cancel(void *txq_ctx, uintptr_t cancel_id)
{
	struct condis_ndis_txq *t = txq_ctx;

	if (t->na->drv->chars.CancelSendHandler != NULL)
		t->na->drv->chars.CancelSendHandler(t->na->ctx, (PVOID)cancel_id);
}

static void
ndis_pause(void *adapter_ctx, condis_status_t status)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	NDIS_MINIPORT_PAUSE_PARAMETERS pp = {
		.Header = { NDIS_OBJECT_TYPE_DEFAULT, 1, sizeof(pp) },
	};

	RTE_SET_USED(status);
	/* PENDING is fine: the pause completes as the miniport completes its
	 * sends from its polls, which keep running (NdisMPauseComplete). */
	na->event_done = false;
	(void)na->drv->chars.PauseHandler(na->ctx, &pp);
	na->paused = true;
}

static int
ndis_restart(void *adapter_ctx)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	NDIS_MINIPORT_RESTART_PARAMETERS rp = {
		.Header = { NDIS_OBJECT_TYPE_DEFAULT, 1, sizeof(rp) },
	};

	if (na->drv->chars.RestartHandler(na->ctx, &rp) != NDIS_STATUS_SUCCESS)
		return -EIO;
	na->paused = false;
	return 0;
}

static int
ndis_reset(void *adapter_ctx, condis_status_t status)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	BOOLEAN addressing = 0;
	NDIS_STATUS st;

	RTE_SET_USED(status);
	if (na->drv->chars.ResetHandlerEx == NULL)
		return 0;
	na->event_done = false;
	st = na->drv->chars.ResetHandlerEx(na->ctx, &addressing);
	if (st == NDIS_STATUS_PENDING) {
		if (!poll_until(na, -1, event_done, na))
			return -ETIMEDOUT;
		st = na->event_status;
	}
	return st == NDIS_STATUS_SUCCESS ? 0 : -EIO;
}

void
condis_ndis_m_event_complete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status)
{
	struct condis_ndis_adapter *na = adapter_of(MiniportAdapterHandle);

	if (na != NULL) {
		na->event_status = Status;
		na->event_done = true;
	}
}

/* NDIS pauses before it halts, and a paused miniport holds no sends: the
 * halt gets them back by polling; one that keeps NBLs past the wait breaks
 * that contract and they cannot be returned (logged). */
static void
ndis_halt(void *adapter_ctx, condis_status_t status)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	struct condis_ndis_vc *nv;

	if (!na->initialized)
		return;
	if (!na->paused)
		ndis_pause(na, status);
	if (!poll_until(na, -1, nothing_outstanding, na))
		CONDIS_LOG(ERR, "NDIS miniport kept NBLs through its pause; halting anyway\n");
	for (nv = na->vcs; nv != NULL; nv = nv->next)
		delete_vc(nv);
	na->drv->chars.HaltHandlerEx(na->ctx, NdisHaltDeviceDisabled);
	na->initialized = false;
}

static void
ndis_free(void *adapter_ctx)
{
	struct condis_ndis_adapter *na = adapter_ctx;
	struct condis_ndis_driver *drv = na->drv;

	na->magic = 0;
	rte_free(na->polls);
	rte_free(na->txqs);
	rte_free(na);
	if (--drv->adapters == 0 && drv->deregistered)
		condis_ndis_deregister_miniport(drv);
}

static const struct condis_miniport_ops ndis_ops = {
	.name = "ndis",
	.co_create_vc = ndis_co_create_vc,
	.co_activate_vc = ndis_co_activate_vc,
	.co_deactivate_vc = ndis_co_deactivate_vc,
	.co_delete_vc = ndis_co_delete_vc,
	.tx_check = ndis_tx_check,
	.tx_burst = ndis_tx_burst,
	.tx_reclaim = ndis_tx_reclaim,
	.tx_direct = ndis_tx_direct,
	.tx_cancel = ndis_tx_cancel,
	.reset = ndis_reset,
	.pause = ndis_pause,
	.restart = ndis_restart,
	.halt = ndis_halt,
	.free = ndis_free,
};

NDIS_STATUS
condis_ndis_register_miniport(NDIS_HANDLE MiniportDriverContext,
			      const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *chars,
			      NDIS_HANDLE *NdisMiniportDriverHandle)
{
	struct condis_ndis_driver *drv;
	NDIS_STATUS st;

	if (chars == NULL || NdisMiniportDriverHandle == NULL ||
	    chars->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS ||
	    chars->MajorNdisVersion != 6 || chars->InitializeHandlerEx == NULL ||
	    chars->HaltHandlerEx == NULL || chars->PauseHandler == NULL ||
	    chars->RestartHandler == NULL)
		return NDIS_STATUS_FAILURE;
	drv = rte_zmalloc("condis_ndis_driver", sizeof(*drv), 0);
	if (drv == NULL)
		return NDIS_STATUS_RESOURCES;
	if (condis_ndis_mdl_pool_get() != 0) {
		rte_free(drv);
		return NDIS_STATUS_RESOURCES;
	}
	drv->magic = CONDIS_NDIS_DRIVER_MAGIC;
	drv->driver_ctx = MiniportDriverContext;
	drv->chars = *chars;
	/* NDIS calls MiniportSetOptions from the registration. */
	if (chars->SetOptionsHandler != NULL) {
		st = chars->SetOptionsHandler(drv, MiniportDriverContext);
		if (st != NDIS_STATUS_SUCCESS) {
			condis_ndis_deregister_miniport(drv);
			return st;
		}
	}
	*NdisMiniportDriverHandle = drv;
	return NDIS_STATUS_SUCCESS;
}

void
condis_ndis_deregister_miniport(NDIS_HANDLE NdisMiniportDriverHandle)
{
	struct condis_ndis_driver *drv = driver_of(NdisMiniportDriverHandle);

	if (drv == NULL)
		return;
	if (drv->adapters != 0) {
		/* As a driver unloads after its last adapter halted. */
		drv->deregistered = true;
		return;
	}
	drv->magic = 0;
	rte_free(drv);
	condis_ndis_mdl_pool_put();
}

NDIS_STATUS
condis_ndis_driver_set_co(NDIS_HANDLE driver, const NDIS_DRIVER_OPTIONAL_HANDLERS *oh)
{
	struct condis_ndis_driver *drv = driver_of(driver);
	const NDIS_MINIPORT_CO_CHARACTERISTICS *co = (const void *)oh;

	if (drv == NULL || oh->Header.Type != NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS ||
	    oh->Header.Revision < NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1 ||
	    oh->Header.Size < NDIS_SIZEOF_MINIPORT_CO_CHARACTERISTICS_REVISION_1 ||
	    co->CoCreateVcHandler == NULL || co->CoDeleteVcHandler == NULL ||
	    co->CoActivateVcHandler == NULL || co->CoDeactivateVcHandler == NULL ||
	    co->CoSendNetBufferListsHandler == NULL)
		return NDIS_STATUS_FAILURE;
	drv->co = *co;
	drv->have_co = true;
	return NDIS_STATUS_SUCCESS;
}

struct condis_adapter *
condis_ndis_miniport_initialize(NDIS_HANDLE NdisMiniportDriverHandle, uint16_t nb_tx_queues,
				uint32_t max_vcs, NDIS_HANDLE IMDeviceInstanceContext)
{
	struct condis_ndis_driver *drv = driver_of(NdisMiniportDriverHandle);
	NDIS_MINIPORT_INIT_PARAMETERS ip;
	struct condis_ndis_adapter *na;
	uint16_t i;

	if (drv == NULL || !drv->have_co || nb_tx_queues == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	na = rte_zmalloc("condis_ndis_adapter", sizeof(*na), 0);
	if (na != NULL) {
		na->txqs = rte_zmalloc("condis_ndis_txq", sizeof(*na->txqs) * nb_tx_queues, 0);
		na->polls = rte_zmalloc("condis_ndis_poll", sizeof(*na->polls) * nb_tx_queues, 0);
	}
	if (na == NULL || na->txqs == NULL || na->polls == NULL)
		goto nomem;
	na->magic = CONDIS_NDIS_ADAPTER_MAGIC;
	na->drv = drv;
	na->nb_txqs = nb_tx_queues;
	drv->adapters++;
	na->adapter = condis_adapter_register(&ndis_ops, na, nb_tx_queues, max_vcs);
	if (na->adapter == NULL) {
		int err = rte_errno;

		ndis_free(na);
		rte_errno = err;
		return NULL;
	}
	for (i = 0; i < nb_tx_queues; i++) {
		na->txqs[i].na = na;
		na->txqs[i].id = i;
		na->txqs[i].deferred_tailp = &na->txqs[i].deferred;
		condis_adapter_set_queue_ctx(na->adapter, i, &na->txqs[i]);
	}
	memset(&ip, 0, sizeof(ip));
	ip.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS;
	ip.Header.Revision = 1;
	ip.Header.Size = sizeof(ip);
	ip.IMDeviceInstanceContext = IMDeviceInstanceContext;
	if (drv->chars.InitializeHandlerEx(na, drv->driver_ctx, &ip) != NDIS_STATUS_SUCCESS ||
	    na->ctx == NULL || na->nb_polls == 0 ||
	    (na->nb_polls != 1 && na->nb_polls != nb_tx_queues)) {
		CONDIS_LOG(ERR, "MiniportInitializeEx failed, or set no context or Poll objects\n");
		condis_adapter_close(na->adapter); /* not initialized: no halt */
		rte_errno = EIO;
		return NULL;
	}
	na->initialized = true;
	return na->adapter;

nomem:
	if (na != NULL) {
		rte_free(na->txqs);
		rte_free(na->polls);
		rte_free(na);
	}
	rte_errno = ENOMEM;
	return NULL;
}

NDIS_STATUS
condis_ndis_set_miniport_attributes(NDIS_HANDLE MiniportAdapterHandle,
				    const NDIS_MINIPORT_ADAPTER_ATTRIBUTES *attrs)
{
	struct condis_ndis_adapter *na = adapter_of(MiniportAdapterHandle);

	if (na == NULL || attrs == NULL)
		return NDIS_STATUS_FAILURE;
	/* Other attribute structures (general, offload) carry nothing condis reads. */
	if (attrs->Header.Type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES)
		na->ctx = attrs->MiniportAdapterContext;
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
condis_ndis_register_poll(NDIS_HANDLE MiniportAdapterHandle, void *Context,
			  const NDIS_POLL_CHARACTERISTICS *Characteristics,
			  NDIS_POLL_HANDLE *PollHandle)
{
	struct condis_ndis_adapter *na = adapter_of(MiniportAdapterHandle);
	struct condis_ndis_poll *p;

	if (na == NULL || Characteristics == NULL || PollHandle == NULL ||
	    Characteristics->PollHandler == NULL || na->nb_polls == na->nb_txqs)
		return NDIS_STATUS_FAILURE;
	p = &na->polls[na->nb_polls++];
	p->handler = Characteristics->PollHandler;
	p->ctx = Context;
	*PollHandle = p;
	return NDIS_STATUS_SUCCESS;
}

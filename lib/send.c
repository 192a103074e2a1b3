/* SPDX-License-Identifier: BSD-3-Clause */
/* The protocol-facing send and the miniport-facing completion (spec C, D). */
#include "condis_private.h"

/* Give back the first n NBLs of chain to the protocol untouched. */
static void
send_rollback(struct condis_nbl *chain, unsigned int n)
{
	for (; n > 0; n--, chain = chain->next)
		chain->owner = CONDIS_NBL_OWNER_PROTOCOL;
}

/* Complete a chain of vc's NBLs inline, all with status (spec 57). */
static void
send_reject(struct condis_vc *vc, struct condis_nbl *chain, condis_status_t status,
	    uint32_t flags)
{
	struct condis_nbl *nbl;

	for (nbl = chain; nbl != NULL; nbl = nbl->next)
		nbl->status = status;
	condis_mco_send_complete(vc, chain, flags & CONDIS_SEND_FLAGS_DISPATCH_LEVEL);
}

/* Pull the NBLs whose SourceHandle is another VC's out of *chain (spec 46). */
static struct condis_nbl *
split_foreign(struct condis_vc *vc, struct condis_nbl **chain)
{
	struct condis_nbl *nbl, *bad = NULL, **badp = &bad, **linkp = chain;

	while ((nbl = *linkp) != NULL) {
		if (nbl->source_handle != vc) {
			*linkp = nbl->next;
			*badp = nbl;
			badp = &nbl->next;
		} else {
			linkp = &nbl->next;
		}
	}
	*badp = NULL;
	return bad;
}

int
condis_co_send_nbls(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_nbl *nbl, *bad = NULL;
	unsigned int n = 0;
	bool foreign = false;

	if (unlikely(!condis_vc_valid(vc)))
		return -EINVAL;
	if (unlikely(chain == NULL))
		return 0;
	if (unlikely(vc->adapter->closing))
		return -ESHUTDOWN;

	/* One pass: take ownership, set the spec 122 sentinel, stamp a NULL
	 * SourceHandle. Stop at an NBL that is not the caller's to give: if the
	 * stack already owns it, its next link is ours, not the caller's. */
	for (nbl = chain; nbl != NULL; nbl = nbl->next, n++) {
		if (unlikely(nbl->magic != CONDIS_NBL_MAGIC ||
			     nbl->owner != CONDIS_NBL_OWNER_PROTOCOL)) {
			int rc = nbl->magic == CONDIS_NBL_MAGIC &&
				 nbl->owner == CONDIS_NBL_OWNER_STACK ? -EBUSY : -EINVAL;

			send_rollback(chain, n);
			return rc;
		}
		nbl->owner = CONDIS_NBL_OWNER_STACK;
		nbl->status = CONDIS_STATUS_PENDING;
		if (unlikely(nbl->source_handle != vc)) {
			if (nbl->source_handle == NULL)
				nbl->source_handle = vc;
			else
				foreign = true;
		}
	}
	vc->nbls_sent += n;

	if (unlikely(vc->state != CONDIS_VC_ACTIVE)) {
		send_reject(vc, chain, vc->state == CONDIS_VC_DEACTIVATING ?
			    CONDIS_STATUS_CLOSING : CONDIS_STATUS_VC_NOT_ACTIVATED, flags);
		return 0;
	}
	if (unlikely(foreign))
		bad = split_foreign(vc, &chain);
	if (likely(chain != NULL))
		vc->adapter->ops->co_send_nbls(vc->mp_ctx, chain, flags);
	if (unlikely(bad != NULL))
		send_reject(vc, bad, CONDIS_STATUS_FAILURE, flags);
	return 0;
}

void
condis_mco_send_complete(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_nbl *nbl;
	uint64_t n = 0, failed = 0;

	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		if (likely(nbl->status == CONDIS_STATUS_PENDING))
			nbl->status = CONDIS_STATUS_SUCCESS;
		else
			failed += nbl->status != CONDIS_STATUS_SUCCESS;
		nbl->owner = CONDIS_NBL_OWNER_PROTOCOL;
		n++;
	}
	vc->nbls_completed += n;
	vc->nbls_failed += failed;
	vc->protocol->ops.co_send_complete(vc->protocol_ctx, chain, flags);
	condis_vc_check_deactivated(vc);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NDIS names end to end: an NDIS-style protocol (sample_protocol.c) and
 * an NDIS-style CoNDIS miniport (sample_miniport.c), both written to the
 * NDIS documentation only, run against each other and the protocol against
 * the ethdev miniport on net_pcap, frames read back from the capture. This
 * file drives them: EAL, adapters, condis_poll() (NDIS's scheduling of the
 * miniport's poll) and the adapter events NDIS would raise.
 */
#include <unistd.h>

#ifndef CONDIS_HAVE_LIBPCAP
#error "CONDIS_HAVE_LIBPCAP must be 0 or 1 (tests/meson.build)"
#endif
#if CONDIS_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#include <rte_cycles.h>

#include <condis/condis_ethdev.h>
#include <condis/condis_shaper.h>

#include "condis_test.h"
#include "sample_miniport.h"
#include "sample_protocol.h"
#include "tutil.h"

static NDIS_HANDLE driver;
static struct condis_adapter *ad;
static char pcap_path[128];
static const char *pcap_missing;

static void
poll_some(unsigned int n)
{
	while (n-- > 0)
		condis_poll(ad, 0);
}

/* Poll until the protocol has everything back (at most 5 s: a shaped VC
 * drains at its rate). */
static bool
poll_until_back(void)
{
	uint64_t end = rte_get_tsc_cycles() + 5 * rte_get_tsc_hz();

	while (SampleInFlight != 0 && rte_get_tsc_cycles() < end)
		condis_poll(ad, 0);
	return SampleInFlight == 0;
}

static void
ndis_setup(void)
{
	SampleCompleteMode = SampleCompleteCycle;
	SampleWireCount = 0;
	SampleDoubleCompleteNext = 0;
	CHECK_EQ(SampleMiniportDriverEntry(&driver), NDIS_STATUS_SUCCESS);
	ad = condis_ndis_miniport_initialize(driver, 1, 64, NULL);
	CHECK(ad != NULL);
	SampleActivatePending = 0;
	CHECK_EQ(SampleProtocolStart(ad), NDIS_STATUS_SUCCESS);
}

static void
ndis_teardown(void)
{
	if (ad != NULL)
		condis_adapter_close(ad);
	ad = NULL;
	memset(SamplePvcs, 0, sizeof(SamplePvcs)); /* the close deleted the VCs */
	SampleProtocolStop();
	if (driver != NULL)
		NdisMDeregisterMiniportDriver(driver);
	driver = NULL;
}

/* Every frame on the sample's wire is a sent one, bytes equal, per-VC order. */
static void
check_wire(ULONG expect)
{
	ULONG next[SAMPLE_VCS] = { 0 }, i;
	UCHAR want[2048];

	CHECK_EQ(SampleWireCount, expect);
	for (i = 0; i < SampleWireCount; i++) {
		SAMPLE_FRAME *f = &SampleWire[i];
		ULONG vc = f->Data[14];
		ULONG seq = (ULONG)f->Data[15] << 24 | f->Data[16] << 16 | f->Data[17] << 8 |
			    f->Data[18];

		CHECK(vc < SAMPLE_VCS);
		CHECK(seq >= next[vc]); /* per-VC order (spec 73) */
		next[vc] = seq + 1;
		SampleFrame(want, vc, seq, f->Length);
		CHECK(memcmp(want, f->Data, f->Length) == 0);
	}
}

/* spec 45-47, 59-61, 69-74: chains on 4 VCs, completed in every order and
 * grouping the documents allow; each NBL comes back once, with its status. */
static void
test_protocol_to_miniport(void)
{
	ULONG round, vc, sent = 0, oversize = 0, i;

	CHECK(SampleActivatePending > 0); /* some activations completed late */
	for (round = 0; round < 8; round++) {
		for (vc = 0; vc < SAMPLE_VCS; vc++) {
			ULONG len = 60 + (round * 97 + vc * 31) % 1400;

			sent += SampleProtocolSend(vc, 20, 1 + (round + vc) % 5, len, NULL, 0);
			sent += SampleProtocolSend(vc, 1, 1, 1600, NULL, 0); /* too long */
			oversize++;
			poll_some(1 + round % 3);
		}
	}
	CHECK_EQ(sent, 8 * SAMPLE_VCS * 21);
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	CHECK(SampleOutOfOrder > 0); /* the reverse completions were seen */
	CHECK_EQ(condis_ndis_miniport_bad_completions(ad), 0);
	for (i = 0; i < SAMPLE_SENDS; i++) {
		SAMPLE_SEND *s = &SampleSends[i];

		if (s->Completions == 0)
			continue;
		CHECK(!s->InFlight);
		CHECK_EQ(s->Status, s->Length > SAMPLE_MAX_LENGTH ? NDIS_STATUS_INVALID_LENGTH :
								    NDIS_STATUS_SUCCESS);
	}
	for (vc = 0; vc < SAMPLE_VCS; vc++)
		CHECK_EQ(SamplePvcs[vc].Completed, 8 * 21);
	check_wire(sent - oversize);
}

/* A native protocol's co_send_complete_ex over an NDIS-style miniport: its
 * completions are never called consecutive, even in order (an intermediate
 * driver's send below would have renumbered the NBLs on its own VC). */
static void
test_completion_info(void)
{
	struct condis_protocol *p = condis_protocol_register("ndis_ex", &tu_ops);
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl *chain = NULL, **tail = &chain, *nbl;
	struct tu_pools tp;
	struct tu_vc tv;
	unsigned int i;

	CHECK(p != NULL);
	tu_reset();
	CHECK(tu_pools_create(&tp, 16));
	SampleCompleteMode = SampleCompleteInOrder;
	tu_vc_init(&tv, 0);
	CHECK((tv.vc = condis_vc_create(p, ad, &tv)) != NULL);
	(void)condis_vc_activate(tv.vc, &cp); /* the sample may finish it later */
	for (i = 0; i < 1000 && condis_vc_state(tv.vc) != CONDIS_VC_ACTIVE; i++)
		poll_some(1);
	CHECK(condis_vc_state(tv.vc) == CONDIS_VC_ACTIVE);
	for (i = 0; i < 3; i++) {
		CHECK((nbl = tu_data_nbl(&tp, 100, 0, i)) != NULL);
		*tail = nbl;
		tail = &nbl->next;
	}
	CHECK_EQ(tu_send(&tv, chain), 0);
	for (i = 0; i < 1000 && tu_outstanding() != 0; i++)
		CHECK(tu_poll_all(ad) >= 0);
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK(tu_calls >= 1);
	CHECK_EQ(tu_calls_consecutive, 0);
	for (i = 0; i < tu_n_tracks; i++)
		CHECK_EQ(tu_free_nbl(tu_tracks[i].nbl, false), 0);
	tu_close(ad); /* deletes the VC */
	ad = NULL;
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.bare), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_protocol_deregister(p), 0);
}

/* spec 88-92: NdisCancelSendNetBufferLists reaches the miniport's queue
 * (MiniportCancelSend); only the NBLs with the id come back SEND_ABORTED. */
static void
test_cancel(void)
{
	UCHAR prefix = NdisGeneratePartialCancelId();
	PVOID a = (PVOID)((ULONG_PTR)prefix << NDIS_GET_NET_BUFFER_LIST_CANCEL_ID_PREFIX_SHIFT | 1);
	PVOID b = (PVOID)((ULONG_PTR)prefix << NDIS_GET_NET_BUFFER_LIST_CANCEL_ID_PREFIX_SHIFT | 2);
	ULONG i, aborted = 0, ok = 0;

	SampleCompleteMode = SampleCompleteHold;
	CHECK_EQ(SampleProtocolSend(0, 10, 3, 100, a, 0), 10);
	CHECK_EQ(SampleProtocolSend(1, 10, 4, 100, b, 0), 10);
	CHECK_EQ(SampleProtocolSend(2, 5, 5, 100, a, 0), 5);
	poll_some(3);
	CHECK_EQ(SampleInFlight, 25);
	NdisCancelSendNetBufferLists(SampleBinding(), a);
	poll_some(2);
	CHECK_EQ(SampleInFlight, 10);
	SampleCompleteMode = SampleCompleteInOrder;
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++) {
		if (SampleSends[i].Completions == 0)
			continue;
		CHECK_EQ(SampleSends[i].Completions, 1);
		if (SampleSends[i].Vc == 1) {
			CHECK_EQ(SampleSends[i].Status, NDIS_STATUS_SUCCESS);
			ok++;
		} else {
			CHECK_EQ(SampleSends[i].Status, NDIS_STATUS_SEND_ABORTED);
			aborted++;
		}
	}
	CHECK_EQ(aborted, 15);
	CHECK_EQ(ok, 10);
	check_wire(10);
}

/* spec 95-104: a pause (MiniportPause pending until the poll drained the
 * queue), sends while paused, restart, a reset (pending, completed from the
 * poll with what the device held failed RESET_IN_PROGRESS). */
static void
test_pause_reset(void)
{
	ULONG i, paused = 0, reset = 0, ok = 0;

	SampleCompleteMode = SampleCompleteHold;
	CHECK_EQ(SampleProtocolSend(0, 12, 4, 200, NULL, 0), 12);
	poll_some(1);
	CHECK_EQ(condis_adapter_pause(ad), NDIS_STATUS_PENDING);
	for (i = 0; i < 1000 && condis_adapter_state(ad) != CONDIS_ADAPTER_PAUSED; i++)
		condis_poll(ad, 0);
	CHECK_EQ(condis_adapter_state(ad), CONDIS_ADAPTER_PAUSED);
	CHECK_EQ(SampleInFlight, 0);
	CHECK_EQ(SampleProtocolSend(1, 5, 5, 200, NULL, 0), 5); /* refused: PAUSED */
	CHECK(poll_until_back());
	CHECK_EQ(condis_adapter_restart(ad), NDIS_STATUS_SUCCESS);
	CHECK_EQ(SampleProtocolSend(2, 7, 2, 200, NULL, 0), 7);
	poll_some(1);
	CHECK_EQ(condis_adapter_reset(ad), NDIS_STATUS_SUCCESS);
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++) {
		SAMPLE_SEND *s = &SampleSends[i];

		if (s->Completions == 0)
			continue;
		CHECK_EQ(s->Completions, 1);
		if (s->Vc == 0) {
			CHECK_EQ(s->Status, NDIS_STATUS_SUCCESS); /* sent before the pause completed */
			ok++;
		} else if (s->Vc == 1) {
			CHECK_EQ(s->Status, NDIS_STATUS_PAUSED);
			paused++;
		} else {
			CHECK_EQ(s->Status, NDIS_STATUS_RESET_IN_PROGRESS);
			reset++;
		}
	}
	CHECK_EQ(ok, 12);
	CHECK_EQ(paused, 5);
	CHECK_EQ(reset, 7);
	/* CoStatusHandlerEx: the reset's start and end, on every VC, with the
	 * binding's context (checked by the handler) */
	for (i = 0; i < SAMPLE_VCS; i++) {
		CHECK_EQ(SamplePvcs[i].StatusCount, 2);
		CHECK_EQ(SamplePvcs[i].Statuses[0], NDIS_STATUS_RESET_START);
		CHECK_EQ(SamplePvcs[i].Statuses[1], NDIS_STATUS_RESET_END);
	}
}

/* spec 96-97: closing the adapter with NBLs in the miniport's queue: the
 * halt pauses it first, the poll drains it, every NBL comes back once. */
static void
test_close_with_held(void)
{
	ULONG i, n = 0;

	SampleCompleteMode = SampleCompleteHold;
	CHECK_EQ(SampleProtocolSend(3, 16, 4, 300, NULL, 0), 16);
	poll_some(2);
	CHECK_EQ(SampleQueued, 16);
	condis_adapter_close(ad);
	ad = NULL;
	CHECK_EQ(SampleInFlight, 0);
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++)
		if (SampleSends[i].Completions != 0) {
			CHECK_EQ(SampleSends[i].Completions, 1);
			n++;
		}
	CHECK_EQ(n, 16);
}

/* A miniport that completes an NBL twice: refused and counted, the
 * protocol sees it once. */
static void
test_double_completion(void)
{
	SampleCompleteMode = SampleCompleteInOrder;
	SampleDoubleCompleteNext = 1;
	CHECK_EQ(SampleProtocolSend(0, 8, 8, 100, NULL, 0), 8);
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	CHECK_EQ(condis_ndis_miniport_bad_completions(ad), 1);
	CHECK_EQ(SamplePvcs[0].Succeeded, 8);
}

/* Bad arguments get clear refusals, not crashes (NDIS would bug-check). */
static void
test_bad_arguments(void)
{
	NET_BUFFER_LIST_POOL_PARAMETERS lp;
	NET_BUFFER_POOL_PARAMETERS bp;
	NDIS_PROTOCOL_CO_CHARACTERISTICS co;
	NDIS_HANDLE pool;
	PNET_BUFFER_LIST nbl;
	UCHAR storage[64];
	PVOID p;

	memset(&lp, 0, sizeof(lp));
	lp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	lp.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	lp.Header.Size = 4; /* too small */
	CHECK(NdisAllocateNetBufferListPool(NULL, &lp) == NULL);
	lp.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	lp.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS; /* wrong type */
	CHECK(NdisAllocateNetBufferListPool(NULL, &lp) == NULL);
	memset(&bp, 0, sizeof(bp));
	bp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	bp.Header.Revision = NET_BUFFER_POOL_PARAMETERS_REVISION_1;
	bp.Header.Size = NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1;
	bp.DataSize = 128; /* NB pools with data: not supported */
	CHECK(NdisAllocateNetBufferPool(NULL, &bp) == NULL);
	/* a protocol's characteristics on a miniport driver's handle */
	memset(&co, 0, sizeof(co));
	co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	CHECK_EQ(NdisSetOptionalHandlers(driver, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&co),
		 NDIS_STATUS_FAILURE);
	CHECK_EQ(condis_ndis_open_adapter(driver, ad, NULL, &pool), NDIS_STATUS_FAILURE);

	/* the objects' NDIS calls: context, retreat, NdisGetDataBuffer */
	lp.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	lp.fAllocateNetBuffer = TRUE;
	lp.DataSize = 256;
	pool = NdisAllocateNetBufferListPool(NULL, &lp);
	CHECK(pool != NULL);
	nbl = NdisAllocateNetBufferList(pool, 32, 0);
	CHECK(nbl != NULL);
	CHECK(NET_BUFFER_LIST_CONTEXT_DATA_START(nbl) != NULL);
	CHECK_EQ(NdisAllocateNetBufferListContext(nbl, 64, 0, 0), NDIS_STATUS_SUCCESS);
	CHECK(NET_BUFFER_LIST_CONTEXT_DATA_SIZE(nbl) >= 64);
	NdisFreeNetBufferListContext(nbl, 64);
	CHECK_EQ(NdisAllocateNetBufferListContext(nbl, 7, 0, 0), NDIS_STATUS_FAILURE);
	memset(MmGetMdlVirtualAddress(NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(nbl))), 0x5a, 256);
	NdisAdvanceNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(nbl), 14, FALSE, NULL);
	CHECK_EQ(NET_BUFFER_DATA_OFFSET(NET_BUFFER_LIST_FIRST_NB(nbl)), 14);
	CHECK_EQ(NdisRetreatNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(nbl), 14, 0, NULL),
		 NDIS_STATUS_SUCCESS);
	CHECK_EQ(NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(nbl)), 256);
	/* with no room in front a new MDL from the NDIS pool is linked */
	CHECK_EQ(NdisRetreatNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(nbl), 18, 2, NULL),
		 NDIS_STATUS_SUCCESS);
	CHECK_EQ(NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(nbl)), 274);
	CHECK(NDIS_MDL_LINKAGE(NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(nbl))) != NULL);
	/* 20 bytes spanning the two MDLs: copied into storage */
	p = NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(nbl), 20, storage, 1, 0);
	CHECK(p == storage);
	CHECK_EQ(storage[19], 0x5a);
	CHECK(NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(nbl), 20, NULL, 1, 0) == NULL);
	NdisAdvanceNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(nbl), 18, TRUE, NULL);
	CHECK_EQ(NdisRetreatNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(nbl), 4, 0,
					       (NET_BUFFER_ALLOCATE_MDL *)(void *)1),
		 NDIS_STATUS_FAILURE);
	NdisFreeNetBufferList(nbl);
	NdisFreeNetBufferListPool(pool);
}

/* --- the shaper (an intermediate driver) between the two samples --- */

static struct condis_adapter *lower;

static void
shaper_setup_rates(ULONG r0, ULONG r1, ULONG r2, ULONG r3)
{
	SamplePeakBandwidth[0] = r0;
	SamplePeakBandwidth[1] = r1;
	SamplePeakBandwidth[2] = r2;
	SamplePeakBandwidth[3] = r3;
	SampleCompleteMode = SampleCompleteCycle;
	SampleWireCount = 0;
	SampleDoubleCompleteNext = 0;
	CHECK_EQ(SampleMiniportDriverEntry(&driver), NDIS_STATUS_SUCCESS);
	lower = condis_ndis_miniport_initialize(driver, 1, 64, NULL);
	CHECK(lower != NULL);
	ad = condis_shaper_open(lower, NULL);
	CHECK(ad != NULL);
	CHECK_EQ(SampleProtocolStart(ad), NDIS_STATUS_SUCCESS);
}

/* VC 0 at 10 Mbit/s, VC 1 at 20 Mbit/s, VCs 2-3 not shaped. */
static void
shaper_setup(void)
{
	shaper_setup_rates(1250000, 2500000, 0, 0);
}

static void
shaper_teardown(void)
{
	struct condis_shaper_stats st;

	if (ad != NULL) {
		CHECK_EQ(condis_shaper_stats_get(ad, &st), 0);
		condis_adapter_close(ad);
	}
	ad = NULL;
	if (lower != NULL)
		condis_adapter_close(lower);
	lower = NULL;
	memset(SamplePvcs, 0, sizeof(SamplePvcs));
	SampleProtocolStop();
	if (driver != NULL)
		NdisMDeregisterMiniportDriver(driver);
	driver = NULL;
	SamplePeakBandwidth[0] = 125000000;
	SamplePeakBandwidth[1] = 250000000;
	SamplePeakBandwidth[2] = 375000000;
	SamplePeakBandwidth[3] = 500000000;
}

/* A shaped VC never gets more than its bucket plus its rate (the bound
 * does not depend on the machine's speed); unshaped VCs are not held back;
 * SourceHandle comes back as the protocol set it (spec 106-107, checked by
 * the protocol's handler), per-VC order holds on the wire, statuses and
 * counts are exact. */
static void
test_shaper_rate(void)
{
	const ULONG len = 1000, cost = len + 4, burst = 2 * 1522; /* the default at these rates */
	uint64_t start = rte_get_tsc_cycles(), hz = rte_get_tsc_hz(), end = start + hz / 5, now;
	/* The window is 0.2 s, longer while the unshaped VCs' 1000 frames are
	 * not all back (valgrind runs this fifty times slower), up to 30 s. */
	uint64_t hard_end = start + 30 * hz;
	ULONG64 done_at_end[SAMPLE_VCS];
	struct condis_shaper_stats st;
	ULONG vc;
	double secs;

	while ((now = rte_get_tsc_cycles()) < hard_end &&
	       (now < end || SamplePvcs[2].Succeeded < 1000 || SamplePvcs[3].Succeeded < 1000)) {
		/* the unshaped VCs stop at 1000 frames: the sample's wire holds 4096 */
		for (vc = 0; vc < SAMPLE_VCS; vc++)
			if (SamplePvcs[vc].Sent - SamplePvcs[vc].Completed < 32 &&
			    (SamplePvcs[vc].PeakBandwidth != 0 || SamplePvcs[vc].Sent < 1000))
				SampleProtocolSend(vc, 8, 4, len, NULL, 0);
		condis_poll(ad, 0);
	}
	secs = (double)(now - start) / (double)hz;
	for (vc = 0; vc < SAMPLE_VCS; vc++)
		done_at_end[vc] = SamplePvcs[vc].Succeeded;
	CHECK_EQ(condis_shaper_stats_get(ad, &st), 0);
	CHECK(st.nbls_delayed > 0);
	if (!poll_until_back())
		printf("stuck: in flight %u, shaper queued %u in flight %u, miniport queued %u\n",
		       SampleInFlight, st.queued, st.in_flight, SampleQueued);
	CHECK(SampleInFlight == 0);
	CHECK_EQ(SampleProtocolErrors, 0);
	CHECK_EQ(condis_ndis_miniport_bad_completions(ad), 0);
	CHECK_EQ(condis_ndis_miniport_bad_completions(lower), 0);
	for (vc = 0; vc < SAMPLE_VCS; vc++) {
		double rate = (double)done_at_end[vc] * cost / secs;

		printf("note: VC %u: peak %u B/s, %.0f B/s over %.3f s (%llu frames)\n", vc,
		       SamplePvcs[vc].PeakBandwidth, rate, secs, (unsigned long long)done_at_end[vc]);
		if (SamplePvcs[vc].Succeeded != SamplePvcs[vc].Sent) {
			ULONG j;

			for (j = 0; j < SAMPLE_SENDS; j++)
				if (SampleSends[j].Vc == vc && SampleSends[j].Completions &&
				    SampleSends[j].Status != NDIS_STATUS_SUCCESS) {
					printf("VC %u seq %u: %s\n", vc, SampleSends[j].Seq,
					       condis_status_name(SampleSends[j].Status));
					break;
				}
		}
		CHECK_EQ(SamplePvcs[vc].Succeeded, SamplePvcs[vc].Sent);
		if (SamplePvcs[vc].PeakBandwidth != 0) {
			/* the bucket's bound, never more */
			CHECK((double)done_at_end[vc] * cost <=
			      burst + SamplePvcs[vc].PeakBandwidth * secs + cost);
			/* and not stuck: a quarter of it even on a loaded machine */
			CHECK(rate >= SamplePvcs[vc].PeakBandwidth / 4);
		}
	}
	/* the unshaped VCs were not held back: all their frames went in the
	 * window, while the shaped ones stayed within their bucket's bound */
	CHECK_EQ(done_at_end[2], 1000);
	CHECK_EQ(done_at_end[3], 1000);
	check_wire(SamplePvcs[0].Sent + SamplePvcs[1].Sent + SamplePvcs[2].Sent +
		   SamplePvcs[3].Sent);
	/* each NBL is the protocol's again, not left owned by a layer below */
	for (vc = 0; vc < SAMPLE_SENDS; vc++)
		CHECK_EQ(SampleSends[vc].Nbl->owner, CONDIS_NBL_OWNER_PROTOCOL);
	CHECK_EQ(condis_shaper_stats_get(ad, &st), 0);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.nbls_aborted, 0);
}

/* spec 110: with the adapter below paused, the shaper completes upward
 * itself with REQUEST_ABORTED; once it restarts, sends go through. */
static void
test_shaper_lower_not_running(void)
{
	ULONG i;

	CHECK(condis_adapter_pause(lower) != NDIS_STATUS_FAILURE);
	for (i = 0; i < 1000 && condis_adapter_state(lower) != CONDIS_ADAPTER_PAUSED; i++)
		condis_poll(ad, 0); /* the shaper's poll drives the one below */
	CHECK_EQ(condis_adapter_state(lower), CONDIS_ADAPTER_PAUSED);
	CHECK_EQ(SampleProtocolSend(0, 6, 3, 200, NULL, 0), 6);
	CHECK_EQ(SampleProtocolSend(2, 6, 3, 200, NULL, 0), 6);
	CHECK(poll_until_back());
	CHECK_EQ(SamplePvcs[0].Completed, 6);
	CHECK_EQ(SamplePvcs[0].Succeeded, 0);
	CHECK_EQ(SamplePvcs[2].Succeeded, 0);
	for (i = 0; i < SAMPLE_SENDS; i++)
		if (SampleSends[i].Completions != 0)
			CHECK_EQ(SampleSends[i].Status, NDIS_STATUS_REQUEST_ABORTED);
	CHECK_EQ(condis_adapter_restart(lower), NDIS_STATUS_SUCCESS);
	CHECK_EQ(SampleProtocolSend(0, 4, 2, 200, NULL, 0), 4);
	CHECK(poll_until_back());
	CHECK_EQ(SamplePvcs[0].Succeeded, 4);
	CHECK_EQ(SampleProtocolErrors, 0);
}

/* spec 94: a cancel takes what waits in the shaper and, passed down, what
 * the miniport below still queues; the rest completes as usual. */
static void
test_shaper_cancel(void)
{
	UCHAR prefix = NdisGeneratePartialCancelId();
	PVOID id = (PVOID)((ULONG_PTR)prefix << NDIS_GET_NET_BUFFER_LIST_CANCEL_ID_PREFIX_SHIFT | 7);
	struct condis_shaper_stats st;
	ULONG i, aborted = 0, ok = 0;

	SampleCompleteMode = SampleCompleteHold;
	/* VC 0 (10 Mbit/s): 3 frames fit the bucket and go down, the rest wait */
	CHECK_EQ(SampleProtocolSend(0, 20, 5, 1000, id, 0), 20);
	CHECK_EQ(SampleProtocolSend(2, 10, 5, 1000, id, 0), 10); /* not shaped: all below */
	CHECK_EQ(SampleProtocolSend(3, 10, 5, 1000, NULL, 0), 10);
	poll_some(2);
	CHECK_EQ(condis_shaper_stats_get(ad, &st), 0);
	CHECK(st.queued > 0);
	CHECK(SampleQueued > 10);
	NdisCancelSendNetBufferLists(SampleBinding(), id);
	poll_some(3);
	SampleCompleteMode = SampleCompleteInOrder;
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++) {
		if (SampleSends[i].Completions == 0)
			continue;
		CHECK_EQ(SampleSends[i].Completions, 1);
		if (SampleSends[i].Vc == 3) {
			CHECK_EQ(SampleSends[i].Status, NDIS_STATUS_SUCCESS);
			ok++;
		} else {
			CHECK_EQ(SampleSends[i].Status, NDIS_STATUS_SEND_ABORTED);
			aborted++;
		}
	}
	CHECK_EQ(aborted, 30);
	CHECK_EQ(ok, 10);
}

/* Closing the shaper with NBLs waiting in it and below: every one back once. */
static void
test_shaper_close(void)
{
	ULONG i, n = 0;

	SampleCompleteMode = SampleCompleteHold;
	CHECK_EQ(SampleProtocolSend(0, 20, 5, 1000, NULL, 0), 20);
	CHECK_EQ(SampleProtocolSend(2, 10, 5, 1000, NULL, 0), 10);
	poll_some(2);
	SampleCompleteMode = SampleCompleteReverse; /* the device below sends again */
	condis_adapter_close(ad);
	ad = NULL;
	CHECK_EQ(SampleInFlight, 0);
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++)
		if (SampleSends[i].Completions != 0) {
			CHECK_EQ(SampleSends[i].Completions, 1);
			CHECK(SampleSends[i].Status == NDIS_STATUS_SUCCESS ||
			      SampleSends[i].Status == NDIS_STATUS_PAUSED);
			n++;
		}
	CHECK_EQ(n, 30);
}

/* --- the protocol over the ethdev miniport on net_pcap --- */

static uint16_t pcap_port;

static void
need_pcap(void)
{
	if (pcap_missing != NULL)
		SKIP(pcap_missing);
}

static void
pcap_setup(void)
{
	need_pcap();
	if (pcap_missing != NULL)
		return;
	ad = tu_open(pcap_port, 1);
	CHECK(ad != NULL);
	CHECK_EQ(SampleProtocolStart(ad), NDIS_STATUS_SUCCESS);
}

static void
pcap_teardown(void)
{
	if (ad != NULL)
		condis_adapter_close(ad);
	ad = NULL;
	memset(SamplePvcs, 0, sizeof(SamplePvcs));
	SampleProtocolStop();
}

/* What net_pcap wrote: every good frame once, bytes and 802.1Q tag as sent. */
static void
test_protocol_to_ethdev(void)
{
#if CONDIS_HAVE_LIBPCAP
	char err[PCAP_ERRBUF_SIZE];
	ULONG next[SAMPLE_VCS] = { 0 }, vc, sent = 0, frames = 0, i;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;

	for (vc = 0; vc < SAMPLE_VCS; vc++) {
		/* VC 2's frames carry an 802.1Q tag (priority = seq % 8) */
		sent += SampleProtocolSend(vc, 40, 1 + vc, 64 + vc * 300, NULL, vc == 2 ? 100 : 0);
		sent += SampleProtocolSend(vc, 1, 1, 1600, NULL, 0); /* too long */
		poll_some(2);
	}
	/* loopback (spec 82): a promiscuous binding gets its own sends back */
	CHECK_EQ(condis_ndis_set_packet_filter(SampleBinding(), NDIS_PACKET_TYPE_PROMISCUOUS),
		 NDIS_STATUS_SUCCESS);
	SampleSendFlags = NDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK;
	sent += SampleProtocolSend(1, 5, 5, 364, NULL, 0);
	SampleSendFlags = 0;
	CHECK_EQ(SamplePvcs[1].Looped, 5);
	CHECK_EQ(SamplePvcs[0].Looped + SamplePvcs[2].Looped + SamplePvcs[3].Looped, 0);
	CHECK(poll_until_back());
	CHECK_EQ(SampleProtocolErrors, 0);
	for (i = 0; i < SAMPLE_SENDS; i++) {
		SAMPLE_SEND *s = &SampleSends[i];

		if (s->Completions == 0)
			continue;
		CHECK_EQ(s->Completions, 1);
		CHECK_EQ(s->Status, s->Length > 1514 ? NDIS_STATUS_INVALID_LENGTH :
						       NDIS_STATUS_SUCCESS);
	}
	condis_adapter_close(ad);
	ad = NULL;
	rte_eth_dev_stop(pcap_port);
	CHECK_EQ(rte_eth_dev_close(pcap_port), 0);
	pc = pcap_open_offline(pcap_path, err);
	CHECK(pc != NULL);
	while (pcap_next_ex(pc, &h, &d) == 1) {
		UCHAR f[2048], want[2048];
		ULONG len = h->caplen, seq;
		int tci = -1;

		CHECK(len <= sizeof(f) && len >= 19);
		if (d[12] == 0x81 && d[13] == 0x00) { /* untag */
			tci = d[14] << 8 | d[15];
			memcpy(f, d, 12);
			memcpy(f + 12, d + 16, len - 16);
			len -= 4;
		} else {
			memcpy(f, d, len);
		}
		vc = f[14];
		seq = (ULONG)f[15] << 24 | f[16] << 16 | f[17] << 8 | f[18];
		CHECK(vc < SAMPLE_VCS);
		CHECK(seq >= next[vc]);
		next[vc] = seq + 1;
		CHECK_EQ(len, 64 + vc * 300);
		SampleFrame(want, vc, seq, len);
		CHECK(memcmp(want, f, len) == 0);
		CHECK_EQ(tci, vc == 2 ? (int)((seq % 8) << 13 | 100) : -1);
		frames++;
	}
	pcap_close(pc);
	unlink(pcap_path);
	CHECK_EQ(frames, sent - SAMPLE_VCS);
#endif
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "NDIS protocol to NDIS miniport: once each, any order (spec 45-74)",
		  test_protocol_to_miniport, ndis_setup, ndis_teardown },
		{ "a native protocol's completion info over an NDIS miniport",
		  test_completion_info, ndis_setup, ndis_teardown },
		{ "NdisCancelSendNetBufferLists reaches MiniportCancelSend (spec 88-92)",
		  test_cancel, ndis_setup, ndis_teardown },
		{ "pause, restart, reset of an NDIS miniport (spec 95-104)",
		  test_pause_reset, ndis_setup, ndis_teardown },
		{ "close with NBLs in the miniport's queue (spec 96-97)",
		  test_close_with_held, ndis_setup, ndis_teardown },
		{ "a miniport's double completion is refused", test_double_completion,
		  ndis_setup, ndis_teardown },
		{ "bad arguments and the objects' NDIS calls", test_bad_arguments,
		  ndis_setup, ndis_teardown },
		{ "shaper: bucket bound, unshaped VCs free, order (spec 106-107)",
		  test_shaper_rate, shaper_setup, shaper_teardown },
		{ "shaper: lower adapter paused, REQUEST_ABORTED (spec 110)",
		  test_shaper_lower_not_running, shaper_setup, shaper_teardown },
		{ "shaper: cancel its queue, then below (spec 94)", test_shaper_cancel,
		  shaper_setup, shaper_teardown },
		{ "shaper: close with NBLs queued and below", test_shaper_close, shaper_setup,
		  shaper_teardown },
		{ "NDIS protocol to ethdev on net_pcap: frames and tags",
		  test_protocol_to_ethdev, pcap_setup, pcap_teardown },
	};
	char vdev[192];
	const char *vdevs[] = { vdev, NULL };

	(void)argc;
	snprintf(pcap_path, sizeof(pcap_path), "/tmp/condis_ndis_%d.pcap", (int)getpid());
	snprintf(vdev, sizeof(vdev), "net_pcap0,tx_pcap=%s", pcap_path);
#if !CONDIS_HAVE_LIBPCAP
	pcap_missing = "libpcap not available";
	vdevs[0] = NULL;
#endif
	if (tu_eal_init(argv[0], vdevs) < 0)
		return 1;
	if (pcap_missing == NULL && tu_port("net_pcap0", &pcap_port) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit: NDIS status codes, flag values, OOB slot ids and the 802.1Q slot
 * layout (spec 23-25, 111-121, pitfall 12).
 */
#include <string.h>

#include <condis/condis.h>

#include "condis_test.h"
#include "tutil.h"

/* spec 111-114 */
static void
test_status_values(void)
{
	CHECK_EQ(CONDIS_STATUS_SUCCESS, 0x00000000);
	CHECK_EQ((uint32_t)CONDIS_STATUS_PENDING, 0x00000103u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_FAILURE, 0xC0000001u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_RESOURCES, 0xC000009Au);
	CHECK_EQ((uint32_t)CONDIS_STATUS_NOT_SUPPORTED, 0xC00000BBu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_CLOSING, 0xC0010002u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_REQUEST_ABORTED, 0xC001000Cu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_RESET_IN_PROGRESS, 0xC001000Du);
	CHECK_EQ((uint32_t)CONDIS_STATUS_CLOSING_INDICATING, 0xC001000Eu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_INVALID_PACKET, 0xC001000Fu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_INVALID_LENGTH, 0xC0010014u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_INVALID_DATA, 0xC0010015u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_VC_NOT_ACTIVATED, 0xC0010023u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_VC_NOT_AVAILABLE, 0xC0010025u);
	CHECK_EQ((uint32_t)CONDIS_STATUS_NOT_ACCEPTED, 0x00010003u);
	/* spec 114: NOT_ACCEPTED is not a failure severity; failures are negative */
	CHECK(CONDIS_STATUS_NOT_ACCEPTED > 0);
	CHECK(CONDIS_STATUS_FAILURE < 0);
	CHECK(CONDIS_STATUS_VC_NOT_ACTIVATED < 0);
	CHECK_EQ(sizeof(condis_status_t), 4);
}

/* spec 115-116: NDIS 6 aliases; SEND_ABORTED is not REQUEST_ABORTED */
static void
test_status_ndis6_aliases(void)
{
	CHECK_EQ((uint32_t)CONDIS_STATUS_SEND_ABORTED, 0xC023000Cu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_PAUSED, 0xC023002Au);
	CHECK_EQ((uint32_t)CONDIS_STATUS_MEDIA_DISCONNECTED, 0xC023001Fu);
	CHECK_EQ((uint32_t)CONDIS_STATUS_LOW_POWER_STATE, 0xC023002Fu);
	CHECK(CONDIS_STATUS_SEND_ABORTED != CONDIS_STATUS_REQUEST_ABORTED);
}

/* spec 111-116: condis_status_name() */
static void
test_status_names(void)
{
	const char *s;

	s = condis_status_name(CONDIS_STATUS_SUCCESS);
	CHECK(s != NULL && strcmp(s, "SUCCESS") == 0);
	s = condis_status_name(CONDIS_STATUS_INVALID_LENGTH);
	CHECK(s != NULL && strcmp(s, "INVALID_LENGTH") == 0);
	s = condis_status_name((condis_status_t)0x12345678);
	CHECK(s != NULL && strcmp(s, "UNKNOWN") == 0);
	/* spec 116: the two aborted codes have distinct names */
	CHECK(condis_status_name(CONDIS_STATUS_SEND_ABORTED) != NULL);
	CHECK(condis_status_name(CONDIS_STATUS_REQUEST_ABORTED) != NULL);
	CHECK(strcmp(condis_status_name(CONDIS_STATUS_SEND_ABORTED),
		     condis_status_name(CONDIS_STATUS_REQUEST_ABORTED)) != 0);
	CHECK(strcmp(condis_status_name(CONDIS_STATUS_SEND_ABORTED), "UNKNOWN") != 0);
	CHECK(strcmp(condis_status_name(CONDIS_STATUS_REQUEST_ABORTED), "UNKNOWN") != 0);
	/* every code of the header has a name */
	{
		static const condis_status_t all[] = {
			CONDIS_STATUS_SUCCESS, CONDIS_STATUS_PENDING, CONDIS_STATUS_NOT_ACCEPTED,
			CONDIS_STATUS_FAILURE, CONDIS_STATUS_RESOURCES, CONDIS_STATUS_NOT_SUPPORTED,
			CONDIS_STATUS_CLOSING, CONDIS_STATUS_REQUEST_ABORTED,
			CONDIS_STATUS_RESET_IN_PROGRESS, CONDIS_STATUS_CLOSING_INDICATING,
			CONDIS_STATUS_INVALID_PACKET,
			CONDIS_STATUS_INVALID_LENGTH, CONDIS_STATUS_INVALID_DATA,
			CONDIS_STATUS_VC_NOT_ACTIVATED, CONDIS_STATUS_VC_NOT_AVAILABLE,
			CONDIS_STATUS_SEND_ABORTED, CONDIS_STATUS_MEDIA_DISCONNECTED,
			CONDIS_STATUS_PAUSED, CONDIS_STATUS_LOW_POWER_STATE,
		};
		unsigned int i;

		for (i = 0; i < RTE_DIM(all); i++) {
			s = condis_status_name(all[i]);
			if (s == NULL || strcmp(s, "UNKNOWN") == 0)
				fprintf(stderr, "no name for 0x%08x\n", (unsigned int)all[i]);
			CHECK(s != NULL && strcmp(s, "UNKNOWN") != 0);
		}
	}
}

/* spec 117-118 */
static void
test_send_flags(void)
{
	CHECK_EQ(CONDIS_SEND_FLAGS_DISPATCH_LEVEL, 0x1);
	CHECK_EQ(CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK, 0x2);
	CHECK_EQ(CONDIS_SEND_FLAGS_SINGLE_QUEUE, 0x4);
	CHECK_EQ(CONDIS_SEND_FLAGS_SWITCH_DESTINATION_GROUP, 0x10);
	CHECK_EQ(CONDIS_SEND_FLAGS_SWITCH_SINGLE_SOURCE, 0x20);
	CHECK_EQ(CONDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL, 0x1);
	CHECK_EQ(CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE, 0x2);
	CHECK_EQ(CONDIS_SEND_COMPLETE_FLAGS_SWITCH_SINGLE_SOURCE, 0x4);
}

/* spec 119-121 */
static void
test_nbl_mac_filter_flags(void)
{
	CHECK_EQ(CONDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA, 0x1);
	CHECK_EQ(CONDIS_MAC_OPTION_TRANSFERS_NOT_PEND, 0x4);
	CHECK_EQ(CONDIS_MAC_OPTION_NO_LOOPBACK, 0x8);
	CHECK_EQ(CONDIS_MAC_OPTION_FULL_DUPLEX, 0x10);
	CHECK_EQ(CONDIS_MAC_OPTION_8021P_PRIORITY, 0x40);
	CHECK_EQ(CONDIS_NBL_FLAGS_SEND_READ_ONLY, 0x1);
	CHECK_EQ(CONDIS_NBL_FLAGS_RECV_READ_ONLY, 0x2);
	CHECK_EQ(CONDIS_NBL_FLAGS_HD_SPLIT, 0x100);
	CHECK_EQ(CONDIS_NBL_FLAGS_IS_IPV4, 0x200);
	CHECK_EQ(CONDIS_NBL_FLAGS_IS_IPV6, 0x400);
	CHECK_EQ(CONDIS_NBL_FLAGS_IS_TCP, 0x800);
	CHECK_EQ(CONDIS_NBL_FLAGS_IS_UDP, 0x1000);
	CHECK_EQ(CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET, 0x8000);
	CHECK_EQ(CONDIS_CLONE_FLAGS_RESERVED, 0x1);
	CHECK_EQ(CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS, 0x2);
	CHECK_EQ(CONDIS_PACKET_TYPE_DIRECTED, 0x1);
	CHECK_EQ(CONDIS_PACKET_TYPE_MULTICAST, 0x2);
	CHECK_EQ(CONDIS_PACKET_TYPE_ALL_MULTICAST, 0x4);
	CHECK_EQ(CONDIS_PACKET_TYPE_BROADCAST, 0x8);
	CHECK_EQ(CONDIS_PACKET_TYPE_PROMISCUOUS, 0x20);
	CHECK_EQ(CONDIS_PACKET_TYPE_ALL_LOCAL, 0x80);
	/* NDIS_RECEIVE_FLAGS_* (co_receive, spec 82) */
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_DISPATCH_LEVEL, 0x1);
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_RESOURCES, 0x2);
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_SINGLE_ETHER_TYPE, 0x100);
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_SINGLE_VLAN, 0x200);
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_PERFECT_FILTERED, 0x400);
	CHECK_EQ(CONDIS_RECEIVE_FLAGS_SINGLE_QUEUE, 0x800);
}

/* spec 23-24: OOB slot ids, 6.20 x64 array length */
static void
test_oob_slot_ids(void)
{
	struct condis_nbl nbl;

	CHECK_EQ(CONDIS_NBL_INFO_TCPIP_CHECKSUM, 0);
	CHECK_EQ(CONDIS_NBL_INFO_IEEE8021Q, 4);
	CHECK_EQ(CONDIS_NBL_INFO_CANCEL_ID, 5);
	CHECK_EQ(CONDIS_NBL_INFO_MEDIA_SPECIFIC, 6);
	CHECK_EQ(CONDIS_NBL_INFO_FRAME_TYPE, 7);
	CHECK_EQ(CONDIS_NBL_INFO_HASH_VALUE, 8);
	CHECK_EQ(CONDIS_NBL_INFO_CORRELATION_ID, 13);
	CHECK_EQ(CONDIS_NBL_INFO_FILTERING, 14);
	CHECK_EQ(CONDIS_NBL_INFO_MAX, 18);
	CHECK_EQ(RTE_DIM(nbl.info), 18);
	CHECK_EQ(sizeof(nbl.info[0]), sizeof(void *)); /* spec 22: pointer-sized */
}

/* spec 25: UserPriority:3, CanonicalFormatId:1, VlanId:12 in NDIS bit order */
static void
test_8021q_pack(void)
{
	CHECK_EQ(condis_8021q_info(0, 0), 0);
	CHECK_EQ(condis_8021q_info(100, 5), (100u << 4) | 5u);
	CHECK_EQ(condis_8021q_info(0xfff, 7), 0xffffu & ~0x8u);
	/* CFI (bit 3) is never set by the packer (must be 0) */
	CHECK_EQ(condis_8021q_info(0xfff, 7) & 0x8, 0);
	/* out-of-range inputs are masked, not spilled into other fields */
	CHECK_EQ(condis_8021q_info(0x1001, 0), 1u << 4);
	CHECK_EQ(condis_8021q_info(0, 8), 0);
	CHECK_EQ(condis_8021q_info(0, 9), 1);
	/* Reserved:16 and above stay zero */
	CHECK_EQ(condis_8021q_info(0xffff, 0xff) >> 16, 0);
}

/* pitfall 12: NDIS layout -> wire TCI (PCP 15-13, DEI 12, VID 11-0) */
static void
test_8021q_tci(void)
{
	CHECK_EQ(condis_8021q_to_tci(condis_8021q_info(100, 5)), (5u << 13) | 100u);
	CHECK_EQ(condis_8021q_to_tci(condis_8021q_info(100, 5)), 0xA064);
	CHECK_EQ(condis_8021q_to_tci(condis_8021q_info(1, 0)), 0x0001);
	CHECK_EQ(condis_8021q_to_tci(condis_8021q_info(0, 1)), 0x2000);
	CHECK_EQ(condis_8021q_to_tci(condis_8021q_info(0xfff, 7)), 0xEFFF);
	/* CFI bit 3 of the slot -> DEI bit 12 of the TCI */
	CHECK_EQ(condis_8021q_to_tci((uintptr_t)1 << CONDIS_8021Q_CFI_SHIFT), 0x1000);
	/* the naive (wrong) reading of the slot as a TCI must differ */
	CHECK(condis_8021q_to_tci(condis_8021q_info(100, 5)) != (uint16_t)condis_8021q_info(100, 5));
	CHECK_EQ(CONDIS_8021Q_PRIORITY_SHIFT, 0);
	CHECK_EQ(CONDIS_8021Q_CFI_SHIFT, 3);
	CHECK_EQ(CONDIS_8021Q_VLAN_ID_SHIFT, 4);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "status values (spec 111-114)", test_status_values },
		{ "NDIS6 aliases, SEND_ABORTED != REQUEST_ABORTED (spec 115-116)", test_status_ndis6_aliases },
		{ "status names (spec 111-116)", test_status_names },
		{ "send / send-complete flags (spec 117-118)", test_send_flags },
		{ "NBL, clone, MAC option, filter flags (spec 119-121)", test_nbl_mac_filter_flags },
		{ "OOB slot ids (spec 22-24)", test_oob_slot_ids },
		{ "802.1Q slot packing (spec 25)", test_8021q_pack },
		{ "802.1Q slot -> wire TCI (spec 25, pitfall 12)", test_8021q_tci },
	};

	(void)argc;
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}

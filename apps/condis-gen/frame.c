/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame template and payload stamp (docs/STAMP.md). */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "gen.h"

uint32_t
gen_frame_len(const struct gen_options *opt)
{
	return opt->frame_size - RTE_ETHER_CRC_LEN;
}

void
gen_frame_write(const struct gen_options *opt, uint32_t vc_id, uint8_t *frame)
{
	uint32_t len = gen_frame_len(opt);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *stamp = (uint8_t *)(udp + 1);
	uint32_t magic = rte_cpu_to_be_32(STAMP_MAGIC), id = rte_cpu_to_be_32(vc_id);

	memset(frame, 0, len);
	rte_ether_addr_copy(&opt->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&opt->src_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(opt->src_ip);
	ip->dst_addr = rte_cpu_to_be_32(opt->dst_ip);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(opt->udp_sport);
	udp->dst_port = rte_cpu_to_be_16(opt->udp_dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN -
						      sizeof(struct rte_ipv4_hdr)));
	udp->dgram_cksum = 0; /* none: legal for UDP over IPv4 */
	memcpy(stamp, &magic, 4);
	memcpy(stamp + 4, &id, 4);
}


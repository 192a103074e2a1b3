/* SPDX-License-Identifier: BSD-3-Clause */
/* The NDIS names' library side (lib/ndis_*.c): not installed. */
#ifndef CONDIS_NDIS_PRIVATE_H
#define CONDIS_NDIS_PRIVATE_H

#include <condis/ndis.h>

#include "condis_private.h"

/* The MDL pool of NdisAllocateMdl, retreat and clones. */
#define CONDIS_NDIS_MDL_POOL_SIZE 4096
/* Pool data per MDL: the largest retreat (delta + back-fill) it serves. */
#define CONDIS_NDIS_MDL_DATA_SIZE 512

/* How long a control call waits for a miniport's pending completion
 * (activation, reset, the sends a halt needs back), polling it meanwhile. */
#define CONDIS_NDIS_WAIT_MS 1000

/* Handle magics: every NDIS handle condis gives out starts with one. */
#define CONDIS_NDIS_PROTOCOL_MAGIC 0x4e50524fu /* "NPRO" */
#define CONDIS_NDIS_BINDING_MAGIC  0x4e42494eu /* "NBIN" */
#define CONDIS_NDIS_DRIVER_MAGIC   0x4e445256u /* "NDRV" */
#define CONDIS_NDIS_ADAPTER_MAGIC  0x4e414450u /* "NADP" */

/* Take and drop a reference on the shared MDL pool (driver registrations). */
int condis_ndis_mdl_pool_get(void);
void condis_ndis_mdl_pool_put(void);

/* NdisSetOptionalHandlers for a miniport driver's handle (ndis_miniport.c). */
NDIS_STATUS condis_ndis_driver_set_co(NDIS_HANDLE driver, const NDIS_DRIVER_OPTIONAL_HANDLERS *oh);

/* The magic a handle starts with, 0 for NULL. */
static inline uint32_t
condis_ndis_magic(const void *handle)
{
	return handle == NULL ? 0 : *(const uint32_t *)handle;
}

#endif /* CONDIS_NDIS_PRIVATE_H */

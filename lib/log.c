/* SPDX-License-Identifier: BSD-3-Clause */
#include "condis_private.h"

/* --log-level=condis:debug for the library; condis.*:debug adds the
 * miniports' and the generator's types (condis.ethdev, condis.gen). */
RTE_LOG_REGISTER(condis_logtype, condis, NOTICE);

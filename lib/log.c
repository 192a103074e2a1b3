/* SPDX-License-Identifier: BSD-3-Clause */
#include "condis_private.h"

RTE_LOG_REGISTER_DEFAULT(condis_logtype, NOTICE);

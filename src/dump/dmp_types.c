/* SPDX-License-Identifier: MIT */
/* Names and meanings of DUMP_TYPES values (mindumpdef.h plus the 2022 RDMP values). */
#include "dump/dmp_dump.h"

const char *dmp_type_name(uint32_t type)
{
    switch (type) {
    case 1: return "FULL";
    case 2: return "SUMMARY";
    case 3: return "HEADER";
    case 4: return "TRIAGE";
    case 5: return "BITMAP_FULL";
    case 6: return "BITMAP_KERNEL";
    case 7: return "AUTOMATIC";
    case 8: return "RDMP_KERNEL";
    case 9: return "RDMP_KERNEL_AND_USER";
    case 10: return "RDMP_COMPLETE";
    default: return "UNKNOWN";
    }
}

const char *dmp_type_description(uint32_t type)
{
    switch (type) {
    case 1: return "complete memory dump (run list)";
    case 2: return "legacy summary dump";
    case 3: return "header-only dump";
    case 4: return "triage (small memory) dump";
    case 5: return "complete memory dump (bitmap)";
    case 6: return "kernel memory dump (bitmap)";
    case 7: return "automatic memory dump";
    case 8: return "kernel memory dump (RDMP range list, dbgeng .dump /k)";
    case 9: return "kernel and user memory dump (RDMP range list, dbgeng .dump /ka)";
    case 10: return "complete memory dump (RDMP range list, dbgeng .dump /f)";
    default: return "unknown dump type";
    }
}

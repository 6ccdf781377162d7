/* SPDX-License-Identifier: MIT */
/* Core OS modules: the kernel and HAL variants, the kernel debugger transports, code
 * integrity, the driver and filter frameworks, and win32k. When one of them faults it is
 * nearly always executing on behalf of (or with bad input from) another driver, so the
 * suspect policy never blames them; the faulting_module finding still names them. */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "analysis/an_fault.h"

static const char *const os_modules[] = {
    "ntoskrnl.exe", "ntkrnlmp.exe", "ntkrnlpa.exe", "ntkrpamp.exe", "hal.dll",   "halmacpi.dll",
    "halacpi.dll",  "kd.dll",       "kdcom.dll",    "kdnet.dll",    "ci.dll",    "pshed.dll",
    "bootvid.dll",  "clfs.sys",     "tm.sys",       "cng.sys",      "ksecdd.sys", "wdf01000.sys",
    "wdfldr.sys",   "fltmgr.sys",   "win32k.sys",   "win32kbase.sys", "win32kfull.sys", "msrpc.sys",
};

int an_is_os_module(const char *name)
{
    char low[64];
    size_t i = 0;
    for (; name && name[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    for (size_t k = 0; k < sizeof os_modules / sizeof os_modules[0]; k++)
        if (strcmp(low, os_modules[k]) == 0)
            return 1;
    return 0;
}

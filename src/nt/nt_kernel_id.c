/* SPDX-License-Identifier: MIT */
/* Lookup in the generated kernel version table (sorted by stamp, then size). */
#include "nt/nt_kernel_versions.h"

const nt_kernel_version *nt_kernel_version_find(uint32_t timestamp, uint32_t size_of_image)
{
    size_t lo = 0, hi = nt_kernel_version_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const nt_kernel_version *k = &nt_kernel_versions[mid];
        if (k->timestamp == timestamp && k->size_of_image == size_of_image)
            return k;
        if (k->timestamp < timestamp || (k->timestamp == timestamp && k->size_of_image < size_of_image))
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* SPDX-License-Identifier: MIT */
/* The triage dump's driver list (DUMP_DRIVER_ENTRY64 records naming DUMP_STRINGs in the
 * string pool) and its unloaded-driver list. Counts are hostile: a list is read only as
 * far as its section holds, and a count that claims more is damage. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "dump/dmp_triage.h"
#include "util/error.h"
#include "util/le.h"
#include "util/path.h"
#include "util/utf16.h"

/* More drivers than any Windows machine loads; bounds memory for a hostile count. */
#define TRI_MAX_DRIVERS  65536u
#define TRI_MAX_UNLOADED 4096u
#define TRI_DRIVER_BATCH 64u

/* A DUMP_STRING (u32 length in UTF-16 units, then the text) at off, which must lie inside
 * [lo, hi). Returns 0, or -1 when it does not fit (the name is then empty). */
static int read_dump_string(dmp_dump *d, uint64_t off, uint64_t lo, uint64_t hi, char *out, size_t cap)
{
    out[0] = '\0';
    uint8_t lb[4];
    if (off < lo || off >= hi || hi - off < 4 || io_pread(d->io, off, lb, 4, NULL) != DI_OK)
        return -1;
    uint64_t chars = le32(lb);
    uint64_t room = (hi - off - 4) / 2;
    int fits = chars <= room;
    if (!fits)
        chars = room;
    if (chars > cap - 1)
        chars = cap - 1;
    uint8_t w[2 * DMP_TRI_PATH_MAX];
    if (chars && io_pread(d->io, off + 4, w, (size_t)chars * 2, NULL) != DI_OK)
        return -1;
    di_utf16le_to_utf8(w, (size_t)chars, out, cap);
    return fits ? 0 : -1;
}

static void read_driver(dmp_dump *d, const uint8_t *e, uint32_t index, dmp_tdriver *drv)
{
    dmp_triage *t = d->triage;
    memset(drv, 0, sizeof *drv);
    drv->base = le64(e + DMP_TRI_DRV_DLL_BASE);
    drv->size = le32(e + DMP_TRI_DRV_SIZE_OF_IMAGE);
    drv->checksum = le32(e + DMP_TRI_DRV_CHECKSUM);
    drv->timestamp = le32(e + DMP_TRI_DRV_TIMESTAMP);
    uint64_t name_off = le32(e + DMP_TRI_DRV_NAME_OFFSET);
    const dmp_tsection *pool = &t->sec[DMP_TS_STRINGS];
    uint64_t lo = pool->usable ? pool->offset : DMP_TRI_HDR + DMP_TRI_HDR_SIZE;
    uint64_t hi = pool->usable ? pool->offset + pool->size : t->data_end;
    if (read_dump_string(d, name_off, lo, hi, drv->path, sizeof drv->path) != 0)
        dmp_warn_damage(d, "%s: triage driver %u (base 0x%016llx): its name at 0x%llx does not fit in the string pool",
                        dmp_path(d), index, (unsigned long long)drv->base, (unsigned long long)name_off);
    di_base_name_copy(drv->path, drv->name, sizeof drv->name);
}

static void read_drivers(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    const dmp_tsection *sec = &t->sec[DMP_TS_DRIVERS];
    t->drivers_declared = le32(t->hdr + DMP_TRI_DRIVER_COUNT);
    if (!sec->usable || !t->drivers_declared)
        return;
    uint32_t n = t->drivers_declared;
    if (n > TRI_MAX_DRIVERS) {
        dmp_warn_damage(d, "%s: the triage driver list claims %u drivers; reading the first %u", dmp_path(d), n,
                        TRI_MAX_DRIVERS);
        n = TRI_MAX_DRIVERS;
    }
    t->drivers = calloc(n, sizeof *t->drivers);
    if (!t->drivers) {
        dmp_warn_damage(d, "%s: out of memory reading the triage driver list", dmp_path(d));
        return;
    }
    uint8_t buf[TRI_DRIVER_BATCH * DMP_TRI_DRV_SIZE];
    for (uint32_t i = 0; i < n; i += TRI_DRIVER_BATCH) {
        uint32_t k = n - i < TRI_DRIVER_BATCH ? n - i : TRI_DRIVER_BATCH;
        if (io_pread(d->io, sec->offset + (uint64_t)i * DMP_TRI_DRV_SIZE, buf, (size_t)k * DMP_TRI_DRV_SIZE, NULL) !=
            DI_OK) {
            dmp_warn_damage(d, "%s: the triage driver list cannot be read past entry %u", dmp_path(d), i);
            return;
        }
        for (uint32_t j = 0; j < k; j++)
            read_driver(d, buf + (size_t)j * DMP_TRI_DRV_SIZE, i + j, &t->drivers[t->ndrivers++]);
    }
}

static void read_unloaded(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    const dmp_tsection *sec = &t->sec[DMP_TS_UNLOADED];
    uint8_t b[DMP_TRI_UNL_ENTRY_SIZE];
    if (!sec->usable || io_pread(d->io, sec->offset, b, 8, NULL) != DI_OK)
        return;
    t->unloaded_declared = le64(b);
    uint64_t room = (t->data_end > sec->offset + 8 ? t->data_end - sec->offset - 8 : 0) / DMP_TRI_UNL_ENTRY_SIZE;
    uint64_t n = t->unloaded_declared;
    if (n > room || n > TRI_MAX_UNLOADED) {
        dmp_warn_damage(d, "%s: the triage unloaded-driver list claims %llu entries; %llu are read",
                        dmp_path(d), (unsigned long long)n,
                        (unsigned long long)(room < TRI_MAX_UNLOADED ? room : TRI_MAX_UNLOADED));
        n = room < TRI_MAX_UNLOADED ? room : TRI_MAX_UNLOADED;
    }
    t->sec[DMP_TS_UNLOADED].size = 8 + n * DMP_TRI_UNL_ENTRY_SIZE;
    if (!n)
        return;
    t->unloaded = calloc((size_t)n, sizeof *t->unloaded);
    if (!t->unloaded)
        return;
    for (uint64_t i = 0; i < n; i++) {
        if (io_pread(d->io, sec->offset + 8 + i * DMP_TRI_UNL_ENTRY_SIZE, b, sizeof b, NULL) != DI_OK)
            break;
        dmp_tunloaded *u = &t->unloaded[t->nunloaded++];
        /* The name's UNICODE_STRING Buffer points at freed pool; the WCHAR[12] copy is what is kept. */
        size_t chars = le16(b + DMP_TRI_UNL_LENGTH) / 2;
        if (chars == 0 || chars > DMP_TRI_UNL_NCHARS)
            chars = DMP_TRI_UNL_NCHARS;
        di_utf16le_to_utf8(b + DMP_TRI_UNL_CHARS, chars, u->name, sizeof u->name);
        u->start = le64(b + DMP_TRI_UNL_START);
        u->end = le64(b + DMP_TRI_UNL_END);
    }
}

/* BrokenDriverOffset: one DUMP_DRIVER_ENTRY64 naming the driver the kernel blamed. */
static void read_broken(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    const dmp_tsection *sec = &t->sec[DMP_TS_BROKEN];
    uint8_t e[DMP_TRI_DRV_SIZE];
    if (!sec->usable || sec->size < sizeof e || io_pread(d->io, sec->offset, e, sizeof e, NULL) != DI_OK)
        return;
    read_driver(d, e, 0, &t->broken);
    t->have_broken = 1;
}

void dmp_triage_read_lists(dmp_dump *d)
{
    read_drivers(d);
    read_broken(d);
    read_unloaded(d);
}

/* SPDX-License-Identifier: MIT */
/* The parts of an in-memory PE32+ image the unwinder needs: the exception directory (.pdata,
 * sorted RUNTIME_FUNCTION {BeginAddress, EndAddress, UnwindData} RVAs) and the export
 * directory (names of exported functions). PE offsets are fixed by the PE/COFF format; every
 * RVA and count read is checked against the image size before it is used. */
#include <stdlib.h>
#include <string.h>

#include "unwind/uw_unwind.h"
#include "util/le.h"

#define PE_DOS_LFANEW      0x3C
#define PE_MAX_LFANEW      0x1000u
#define PE_SIGNATURE       0x00004550u
#define PE_OPT_HEADER      0x18
#define PE_OPT_MAGIC_64    0x20B
#define PE_OPT_NUM_DIRS    0x6C
#define PE_OPT_DIRS        0x70
#define PE_DIR_EXPORT      0
#define PE_DIR_EXCEPTION   3
#define RUNTIME_FUNCTION_SIZE 12u
#define MAX_FUNCTIONS      (1u << 22)
/* IMAGE_EXPORT_DIRECTORY */
#define EXP_DIR_SIZE       0x28u
#define EXP_NUM_FUNCTIONS  0x14
#define EXP_NUM_NAMES      0x18
#define EXP_FUNCTIONS      0x1C
#define EXP_NAMES          0x20
#define EXP_ORDINALS       0x24
#define MAX_EXPORTS        0x10000u

/* Data directory `dir` of the image at base: 1 with rva/size inside the image, else 0. */
static int data_dir(uw_read_fn read, void *ctx, uint64_t base, uint32_t image_size, unsigned dir, uint32_t *rva,
                    uint32_t *size)
{
    uint8_t b[4];
    uint8_t opt[PE_OPT_DIRS + 8 * (PE_DIR_EXCEPTION + 1)];
    if (read(ctx, base + PE_DOS_LFANEW, b, 4) != DI_OK)
        return 0;
    uint32_t lfanew = le32(b);
    if (lfanew > PE_MAX_LFANEW || read(ctx, base + lfanew, b, 4) != DI_OK || le32(b) != PE_SIGNATURE ||
        read(ctx, base + lfanew + PE_OPT_HEADER, opt, sizeof opt) != DI_OK || le16(opt) != PE_OPT_MAGIC_64 ||
        le32(opt + PE_OPT_NUM_DIRS) <= dir)
        return 0;
    *rva = le32(opt + PE_OPT_DIRS + 8 * dir);
    *size = le32(opt + PE_OPT_DIRS + 8 * dir + 4);
    return *rva && *rva < image_size && *size <= image_size - *rva;
}

int uw_pdata_dir(uw_read_fn read, void *ctx, uint64_t base, uint32_t size, uint32_t *rva, uint32_t *count)
{
    uint32_t bytes;
    *rva = *count = 0;
    if (!data_dir(read, ctx, base, size, PE_DIR_EXCEPTION, rva, &bytes))
        return 0;
    *count = bytes / RUNTIME_FUNCTION_SIZE;
    if (*count == 0 || *count > MAX_FUNCTIONS) {
        *rva = *count = 0;
        return 0;
    }
    return 1;
}

int uw_pdata_find(uw_read_fn read, void *ctx, uint64_t base, uint32_t size, uint32_t pdata_rva, uint32_t count,
                  uint32_t rva, uw_runtime_function *out)
{
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint8_t e[RUNTIME_FUNCTION_SIZE];
        if (read(ctx, base + pdata_rva + (uint64_t)mid * RUNTIME_FUNCTION_SIZE, e, sizeof e) != DI_OK)
            return -1;
        uint32_t begin = le32(e), end = le32(e + 4);
        if (rva < begin) {
            hi = mid;
        } else if (rva >= end) {
            lo = mid + 1;
        } else {
            if (begin >= end || end > size)
                return 0;
            *out = (uw_runtime_function){.begin = begin, .end = end, .unwind = le32(e + 8)};
            return 1;
        }
    }
    return 0;
}

static void load_exports(uw_unwinder *u, const nt_module *mod, uw_module_info *mi)
{
    uint32_t rva, size;
    uint8_t d[EXP_DIR_SIZE];
    if (!data_dir(u->read, u->ctx, mod->base, mod->size, PE_DIR_EXPORT, &rva, &size) || size < EXP_DIR_SIZE ||
        u->read(u->ctx, mod->base + rva, d, sizeof d) != DI_OK)
        return;
    uint32_t nfun = le32(d + EXP_NUM_FUNCTIONS), nnames = le32(d + EXP_NUM_NAMES);
    uint32_t funs = le32(d + EXP_FUNCTIONS), names = le32(d + EXP_NAMES), ords = le32(d + EXP_ORDINALS);
    if (nfun == 0 || nfun > MAX_EXPORTS || nnames > nfun || funs >= mod->size ||
        (uint64_t)nfun * 4 > mod->size - funs || names >= mod->size || (uint64_t)nnames * 4 > mod->size - names ||
        ords >= mod->size || (uint64_t)nnames * 2 > mod->size - ords)
        return;
    /* Both arrays are read once, so a lookup costs no reads but the name's. */
    uint8_t *raw = malloc((size_t)nfun * 4 + (size_t)nnames * 2);
    mi->export_rvas = malloc((size_t)nfun * sizeof *mi->export_rvas);
    mi->ordinals = malloc(((size_t)nnames + 1) * sizeof *mi->ordinals);
    if (!raw || !mi->export_rvas || !mi->ordinals || u->read(u->ctx, mod->base + funs, raw, (size_t)nfun * 4) != DI_OK ||
        (nnames && u->read(u->ctx, mod->base + ords, raw + (size_t)nfun * 4, (size_t)nnames * 2) != DI_OK)) {
        free(raw);
        free(mi->export_rvas);
        free(mi->ordinals);
        mi->export_rvas = NULL;
        mi->ordinals = NULL;
        return;
    }
    for (uint32_t i = 0; i < nfun; i++)
        mi->export_rvas[i] = le32(raw + 4 * i);
    for (uint32_t i = 0; i < nnames; i++)
        mi->ordinals[i] = le16(raw + (size_t)nfun * 4 + 2 * i);
    free(raw);
    mi->export_count = nfun;
    mi->names_rva = names;
    mi->name_count = nnames;
    mi->have_exports = 1;
}

const uw_module_info *uw_module(uw_unwinder *u, const nt_module *mod)
{
    if (!mod || !u->m || mod < u->m->modules || mod >= u->m->modules + u->nmods)
        return NULL;
    uw_module_info *mi = &u->mods[mod - u->m->modules];
    if (mi->loaded)
        return mi;
    mi->loaded = 1;
    mi->have_pdata = uw_pdata_dir(u->read, u->ctx, mod->base, mod->size, &mi->pdata_rva, &mi->pdata_count);
    load_exports(u, mod, mi);
    return mi;
}

int uw_export_name(uw_unwinder *u, const nt_module *mod, uint32_t rva, char *name, size_t cap)
{
    name[0] = '\0';
    const uw_module_info *mi = uw_module(u, mod);
    if (!mi || !mi->have_exports || cap < 2)
        return 0;
    uint32_t index = 0;
    int found = 0;
    for (uint32_t i = 0; i < mi->export_count && !found; i++)
        if (mi->export_rvas[i] == rva) {
            index = i;
            found = 1;
        }
    if (!found)
        return 0;
    /* The name whose ordinal is that index (a function may be exported unnamed). */
    for (uint32_t k = 0; k < mi->name_count; k++) {
        uint8_t p[4];
        if (mi->ordinals[k] != index)
            continue;
        if (u->read(u->ctx, mod->base + mi->names_rva + 4ull * k, p, 4) != DI_OK)
            return 0;
        uint32_t at = le32(p);
        if (at >= mod->size)
            return 0;
        size_t n = cap - 1 < mod->size - at ? cap - 1 : mod->size - at;
        /* Names end in NUL. Read them whole, or only to the end of their page when the next
         * page is not in the dump. */
        uint8_t b[UW_NAME_MAX];
        size_t to_page = 0x1000 - ((mod->base + at) & 0xFFF);
        if (n > sizeof b)
            n = sizeof b;
        if (u->read(u->ctx, mod->base + at, b, n) != DI_OK &&
            (to_page >= n || u->read(u->ctx, mod->base + at, b, n = to_page) != DI_OK))
            return 0;
        size_t len = 0;
        for (; len < n && b[len]; len++)
            name[len] = (b[len] >= 0x21 && b[len] < 0x7F) ? (char)b[len] : '?';
        name[len] = '\0';
        return len > 0;
    }
    return 0;
}

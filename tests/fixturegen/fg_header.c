/* SPDX-License-Identifier: MIT */
/* DUMP_HEADER64, the 0x2000 bytes at file offset 0 (dump-format.md section 1, CONTEXT 3.1,
 * EXCEPTION_RECORD64 3.3). Unused bytes keep Windows' `PAGE` fill; fields carved out of the fill
 * later (Attributes, Comment, VersionUser) are written explicitly so they do not read as `PAGE`.
 * A triage dump has no run list: its PhysicalMemoryBlock keeps the fill, as in the real file. */
#include "fg_internal.h"
#include "fg_le.h"

#include <string.h>

#define H_SIGNATURE 0x000
#define H_VALID_DUMP 0x004
#define H_MAJOR 0x008
#define H_MINOR 0x00C
#define H_DTB 0x010
#define H_PFN_DATABASE 0x018
#define H_PS_LOADED_MODULE_LIST 0x020
#define H_PS_ACTIVE_PROCESS_HEAD 0x028
#define H_MACHINE 0x030
#define H_PROCESSORS 0x034
#define H_BUGCHECK_CODE 0x038
#define H_BUGCHECK_PAD 0x03C
#define H_BUGCHECK_PARAMS 0x040
#define H_VERSION_USER 0x060
#define H_VERSION_USER_LEN 32
#define H_KDBG 0x080
#define H_PMB 0x088
#define H_PMB_LEN 700
#define H_PMB_NUMBER_OF_PAGES 0x090
#define H_PMB_RUNS 0x098
#define H_PMB_PAD 0x344
#define H_CONTEXT 0x348
#define H_EXCEPTION 0xF00
#define H_DUMP_TYPE 0xF98
#define H_DUMP_TYPE_PAD 0xF9C
#define H_REQUIRED_SPACE 0xFA0
#define H_SYSTEM_TIME 0xFA8
#define H_COMMENT 0xFB0
#define H_COMMENT_LEN 128
#define H_SYSTEM_UPTIME 0x1030
#define H_MINIDUMP_FIELDS 0x1038
#define H_SECONDARY_DATA_STATE 0x103C
#define H_PRODUCT_TYPE 0x1040
#define H_SUITE_MASK 0x1044
#define H_KD_SECONDARY_VERSION 0x104D
#define H_ATTRIBUTES 0x1050
#define H_BOOT_ID 0x1054

static size_t strnlen_fg(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

static void build_pmb(const fg_layout *L, uint8_t *hdr)
{
    uint64_t pages = 0;
    fg_put32(hdr + H_PMB, (uint32_t)L->n_runs);
    memset(hdr + H_PMB + 4, 0, 4);
    for (size_t i = 0; i < L->n_runs; i++) {
        fg_put64(hdr + H_PMB_RUNS + 16 * i, L->runs[i].pfn);
        fg_put64(hdr + H_PMB_RUNS + 16 * i + 8, L->runs[i].count);
        pages += L->runs[i].count;
    }
    fg_put64(hdr + H_PMB_NUMBER_OF_PAGES, pages);
}

void fg_header_build(const fg_dump *d, const fg_layout *L, uint8_t *hdr)
{
    const fg_config *c = &d->cfg;
    for (size_t i = 0; i < FG_HEADER_SIZE; i += 4)
        memcpy(hdr + i, "PAGE", 4);

    memcpy(hdr + H_SIGNATURE, "PAGE", 4);
    memcpy(hdr + H_VALID_DUMP, "DU64", 4);
    fg_put32(hdr + H_MAJOR, c->major_version);
    fg_put32(hdr + H_MINOR, c->build);
    fg_put64(hdr + H_DTB, d->pml4_pa | (c->dtb_pcid & 0xFFFu));
    fg_put64(hdr + H_PFN_DATABASE, c->pfn_database);
    fg_put64(hdr + H_PS_LOADED_MODULE_LIST, c->ps_loaded_module_list);
    fg_put64(hdr + H_PS_ACTIVE_PROCESS_HEAD, c->ps_active_process_head);
    fg_put32(hdr + H_MACHINE, c->machine);
    fg_put32(hdr + H_PROCESSORS, c->processors);
    fg_put32(hdr + H_BUGCHECK_CODE, c->bugcheck_code);
    memset(hdr + H_BUGCHECK_PAD, 0, 4);
    for (int i = 0; i < 4; i++)
        fg_put64(hdr + H_BUGCHECK_PARAMS + 8 * i, c->bugcheck_params[i]);
    memset(hdr + H_VERSION_USER, 0, H_VERSION_USER_LEN);
    fg_put64(hdr + H_KDBG, c->kdbg_va);
    if (c->dump_type != FG_TYPE_TRIAGE)
        build_pmb(L, hdr); /* the rest of the 700-byte buffer keeps the fill */
    memset(hdr + H_PMB_PAD, 0, 4);
    fg_context_bytes(&c->context, hdr + H_CONTEXT);
    fg_exception_bytes(&c->exception, hdr + H_EXCEPTION);
    fg_put32(hdr + H_DUMP_TYPE, c->dump_type);
    memset(hdr + H_DUMP_TYPE_PAD, 0, 4);
    fg_put64(hdr + H_REQUIRED_SPACE, L->file_size);
    fg_put64(hdr + H_SYSTEM_TIME, c->system_time);
    memset(hdr + H_COMMENT, 0, H_COMMENT_LEN);
    memcpy(hdr + H_COMMENT, c->comment, strnlen_fg(c->comment, H_COMMENT_LEN - 1));
    fg_put64(hdr + H_SYSTEM_UPTIME, c->system_uptime);
    fg_put32(hdr + H_MINIDUMP_FIELDS, L->minidump_fields);
    fg_put32(hdr + H_SECONDARY_DATA_STATE, 0);
    fg_put32(hdr + H_PRODUCT_TYPE, c->product_type);
    fg_put32(hdr + H_SUITE_MASK, c->suite_mask);
    /* WriterStatus (0x1048) keeps the fill: "uninitialized", as the kernel's own writer leaves it. */
    hdr[H_KD_SECONDARY_VERSION] = c->kd_secondary_version;
    fg_put32(hdr + H_ATTRIBUTES, c->attributes);
    fg_put32(hdr + H_BOOT_ID, c->boot_id);
}

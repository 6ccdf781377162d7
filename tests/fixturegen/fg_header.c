/* DUMP_HEADER64, the 0x2000 bytes at file offset 0 (dump-format.md section 1, CONTEXT 3.1,
 * EXCEPTION_RECORD64 3.3). Unused bytes keep Windows' `PAGE` fill; fields carved out of the fill
 * later (Attributes, Comment, VersionUser) are written explicitly so they do not read as `PAGE`. */
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

/* CONTEXT (AMD64), relative to H_CONTEXT */
#define C_SIZE 0x4D0
#define C_FLAGS 0x030
#define C_MXCSR 0x034
#define C_SEG_CS 0x038
#define C_EFLAGS 0x044
#define C_DR0 0x048
#define C_DR6 0x068
#define C_DR7 0x070
#define C_RAX 0x078
#define C_FLT_CONTROL_WORD 0x100
#define C_FLT_MXCSR 0x118
#define C_FLT_MXCSR_MASK 0x11C
#define CONTEXT_AMD64_ALL 0x0010001Fu

/* EXCEPTION_RECORD64, relative to H_EXCEPTION */
#define E_SIZE 0x98
#define E_CODE 0x00
#define E_FLAGS 0x04
#define E_RECORD 0x08
#define E_ADDRESS 0x10
#define E_NPARAMS 0x18
#define E_PARAMS 0x20

static size_t strnlen_fg(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

static void build_context(const fg_context *c, uint8_t *p)
{
    memset(p, 0, C_SIZE);
    fg_put32(p + C_FLAGS, CONTEXT_AMD64_ALL);
    fg_put32(p + C_MXCSR, c->mxcsr);
    const uint16_t segs[6] = {c->cs, c->ds, c->es, c->fs, c->gs, c->ss};
    for (int i = 0; i < 6; i++)
        fg_put16(p + C_SEG_CS + 2 * i, segs[i]);
    fg_put32(p + C_EFLAGS, c->eflags);
    const uint64_t drs[4] = {c->dr0, c->dr1, c->dr2, c->dr3};
    for (int i = 0; i < 4; i++)
        fg_put64(p + C_DR0 + 8 * i, drs[i]);
    fg_put64(p + C_DR6, c->dr6);
    fg_put64(p + C_DR7, c->dr7);
    /* Rax..Rip are consecutive u64s in this order. */
    const uint64_t gprs[17] = {c->rax, c->rcx, c->rdx, c->rbx, c->rsp, c->rbp, c->rsi, c->rdi,
                               c->r8,  c->r9,  c->r10, c->r11, c->r12, c->r13, c->r14, c->r15,
                               c->rip};
    for (int i = 0; i < 17; i++)
        fg_put64(p + C_RAX + 8 * i, gprs[i]);
    fg_put16(p + C_FLT_CONTROL_WORD, 0x027F);
    fg_put32(p + C_FLT_MXCSR, c->mxcsr); /* must equal C_MXCSR */
    fg_put32(p + C_FLT_MXCSR_MASK, 0x0000FFFF);
}

static void build_exception(const fg_exception *e, uint8_t *p)
{
    memset(p, 0, E_SIZE);
    fg_put32(p + E_CODE, e->code);
    fg_put32(p + E_FLAGS, e->flags);
    fg_put64(p + E_RECORD, e->record);
    fg_put64(p + E_ADDRESS, e->address);
    uint32_t n = e->nparams > 15 ? 15 : e->nparams;
    fg_put32(p + E_NPARAMS, n);
    for (uint32_t i = 0; i < n; i++)
        fg_put64(p + E_PARAMS + 8 * i, e->params[i]);
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
    build_pmb(L, hdr); /* the rest of the 700-byte buffer keeps the fill */
    memset(hdr + H_PMB_PAD, 0, 4);
    build_context(&c->context, hdr + H_CONTEXT);
    build_exception(&c->exception, hdr + H_EXCEPTION);
    fg_put32(hdr + H_DUMP_TYPE, c->dump_type);
    memset(hdr + H_DUMP_TYPE_PAD, 0, 4);
    fg_put64(hdr + H_REQUIRED_SPACE, L->file_size);
    fg_put64(hdr + H_SYSTEM_TIME, c->system_time);
    memset(hdr + H_COMMENT, 0, H_COMMENT_LEN);
    memcpy(hdr + H_COMMENT, c->comment, strnlen_fg(c->comment, H_COMMENT_LEN - 1));
    fg_put64(hdr + H_SYSTEM_UPTIME, c->system_uptime);
    fg_put32(hdr + H_MINIDUMP_FIELDS, 0);
    fg_put32(hdr + H_SECONDARY_DATA_STATE, 0);
    fg_put32(hdr + H_PRODUCT_TYPE, c->product_type);
    fg_put32(hdr + H_SUITE_MASK, c->suite_mask);
    /* WriterStatus (0x1048) keeps the fill: "uninitialized", as the kernel's own writer leaves it. */
    hdr[H_KD_SECONDARY_VERSION] = c->kd_secondary_version;
    fg_put32(hdr + H_ATTRIBUTES, c->attributes);
    fg_put32(hdr + H_BOOT_ID, c->boot_id);
}

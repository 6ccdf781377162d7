/* SPDX-License-Identifier: MIT */
/* A symbol-free x64 stack unwinder: the unwind data compilers leave in every x64 image
 * (.pdata RUNTIME_FUNCTIONs and .xdata UNWIND_INFO, shared/reference/x64-stacks.md), read from
 * the module images in the dump's memory, replays each function's prolog backwards to find
 * its caller. Where unwind data is missing the rest of the stack is scanned for return
 * addresses, and those frames say so (trust "scan").
 *
 * The layer sits between nt (modules, the memory interface) and analysis. All memory is read
 * through a callback (nt_read for a dump, plain buffers in tests and the fuzzer); every value
 * read is hostile: reads are bounded by the thread's stack, chains and frames by limits, and a
 * walk that cannot go on ends with a named reason instead. */
#ifndef DI_UNWIND_UW_UNWIND_H
#define DI_UNWIND_UW_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "nt/nt_model.h"

/* Reads len bytes at va; DI_OK or why not (all-or-nothing). */
typedef di_status (*uw_read_fn)(void *ctx, uint64_t va, void *buf, size_t len);

#define UW_MAX_FRAMES 256   /* frames of one walk, unwound and scanned together */
#define UW_MAX_CHAIN 32     /* chained UNWIND_INFO entries followed for one function */
#define UW_NAME_MAX 64      /* export names longer than this are cut */
/* Without a known stack range the walk stays within this many bytes above its start; a scan
 * never reads more than this either (kernel stacks are 24 to 72 KiB). */
#define UW_DEFAULT_STACK_SPAN 0x20000u

typedef enum uw_trust { UW_TRUST_CONTEXT, UW_TRUST_CFI, UW_TRUST_SCAN } uw_trust;

/* Why a walk ended. */
typedef enum uw_end {
    UW_END_STACK_BASE,        /* the caller's rsp reached the stack base: the whole stack */
    UW_END_NULL_RETURN,       /* a return address of 0: the outermost frame */
    UW_END_NOT_IN_MODULE,     /* an instruction pointer in no loaded module */
    UW_END_PDATA_MISSING,     /* the module's PE header or .pdata is not in the dump */
    UW_END_UNWIND_INFO_MISSING, /* the function's UNWIND_INFO (.xdata) is not in the dump */
    UW_END_BAD_UNWIND_INFO,   /* an unknown version or operation, codes past their count */
    UW_END_CHAIN_LIMIT,       /* more than UW_MAX_CHAIN chained entries */
    UW_END_REGISTER_UNKNOWN,  /* the frame register is needed but its value is unknown */
    UW_END_STACK_PAGE_MISSING, /* a stack slot the unwind needs is not in the dump */
    UW_END_BAD_RSP,           /* rsp left the thread's stack */
    UW_END_NON_ADVANCING,     /* the caller's rsp is not above the callee's */
    UW_END_FRAME_LIMIT,       /* UW_MAX_FRAMES frames */
    UW_END_NO_CONTEXT         /* there is no register state to start from */
} uw_end;

const char *uw_end_name(uw_end e);
const char *uw_trust_name(uw_trust t);

/* General registers in CONTEXT order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15. */
#define UW_NGPR 16
#define UW_RSP 4
#define UW_RBP 5
typedef struct uw_regs {
    uint64_t rip;
    uint64_t gpr[UW_NGPR];
    uint32_t known;          /* bit i: gpr[i] holds the real value */
} uw_regs;

typedef struct uw_frame {
    uint64_t sp;             /* Child-SP: rsp in this frame (before popping its return address) */
    uint64_t ip;             /* frame 0: the instruction; then the return address into it */
    uint64_t ret;            /* the address this frame returns to (the next frame's ip), 0 if none */
    const nt_module *module;
    uint64_t function;       /* the containing function's start (.pdata), 0 when unknown */
    char name[UW_NAME_MAX];  /* the function's export name when it starts at an export, else "" */
    uw_trust trust;
} uw_frame;

typedef struct uw_stack {
    uw_frame frames[UW_MAX_FRAMES];
    size_t n;
    size_t nunwound;         /* frames before the scanned ones */
    uw_end end;
    uint64_t limit, base;    /* the rsp range the walk kept to */
} uw_stack;

/* What the unwinder remembers of one module: its directories, read once. */
typedef struct uw_module_info {
    int loaded;              /* 1 once looked at */
    int have_pdata;
    uint32_t pdata_rva, pdata_count;
    int have_exports;
    uint32_t *export_rvas;   /* AddressOfFunctions, export_count entries, malloc'd */
    uint32_t export_count;
    uint16_t *ordinals;      /* AddressOfNameOrdinals, name_count entries, malloc'd */
    uint32_t names_rva, name_count;
} uw_module_info;

typedef struct uw_unwinder {
    const nt_model *m;       /* the modules (nt_model_module_at) */
    uw_read_fn read;
    void *ctx;
    uw_module_info *mods;    /* one per m->modules entry, filled on first use */
    size_t nmods;
    uint64_t steps;          /* reads made, for tests and bounds */
} uw_unwinder;

/* 0, or -1 when out of memory. The modules array of m must outlive the unwinder. */
int uw_init(uw_unwinder *u, const nt_model *m, uw_read_fn read, void *ctx);
void uw_free(uw_unwinder *u);
/* The read callback for a kernel model: ctx is the nt_model (nt_read). */
di_status uw_nt_read(void *ctx, uint64_t va, void *buf, size_t len);

/* ---- uw_image.c: PE directories of an in-memory image ---- */
typedef struct uw_runtime_function {
    uint32_t begin, end, unwind;  /* RVAs */
} uw_runtime_function;

/* The module's .pdata: RVA and entry count (0 when the image or header is unreadable or the
 * directory is absent or out of the image). */
int uw_pdata_dir(uw_read_fn read, void *ctx, uint64_t base, uint32_t size, uint32_t *rva, uint32_t *count);
/* Binary search for the entry containing rva: 1 found, 0 none (a leaf), -1 a table read
 * failed. Entries whose end is not past their begin or past the image stop the search. */
int uw_pdata_find(uw_read_fn read, void *ctx, uint64_t base, uint32_t size, uint32_t pdata_rva,
                  uint32_t count, uint32_t rva, uw_runtime_function *out);
/* The cached module info of mod (loads it on first use); NULL for a module not in m. */
const uw_module_info *uw_module(uw_unwinder *u, const nt_module *mod);
/* The export name of the function starting at rva: 1 with name filled, else 0 ("" in name). */
int uw_export_name(uw_unwinder *u, const nt_module *mod, uint32_t rva, char *name, size_t cap);

/* ---- uw_unwind.c ---- */
/* Walk from regs (rip and rsp at least), keeping rsp within [limit, base) (base 0: unknown,
 * then UW_DEFAULT_STACK_SPAN above rsp). first: the trust of frame 0. When unwind data is
 * missing, scan says whether the rest of the stack is scanned for return addresses. */
void uw_walk(uw_unwinder *u, const uw_regs *regs, uint64_t limit, uint64_t base, uw_trust first, int scan,
             uw_stack *out);

/* ---- uw_scan.c ---- */
/* Append scan frames for [from, out->base) (at most UW_DEFAULT_STACK_SPAN bytes) to out (values inside modules that follow a CALL
 * when the code page is readable), until the frame limit or an unreadable stack page. */
void uw_scan(uw_unwinder *u, uint64_t from, uw_stack *out);
/* 1 when the bytes before ret are a CALL instruction, 0 when they are not, -1 when unreadable. */
int uw_follows_call(uw_unwinder *u, uint64_t ret);

#endif

/* SPDX-License-Identifier: MIT */
/* Byte images of the x64 CONTEXT (dump-format.md 3.1) and EXCEPTION_RECORD64 (3.3): the header
 * holds one of each, and fault records in memory (fg_world_fault.c) use the same images. */
#include "fg.h"
#include "fg_le.h"

#include <string.h>

/* CONTEXT (AMD64) */
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

/* EXCEPTION_RECORD64 */
#define E_CODE 0x00
#define E_FLAGS 0x04
#define E_RECORD 0x08
#define E_ADDRESS 0x10
#define E_NPARAMS 0x18
#define E_PARAMS 0x20
#define E_MAX_PARAMS 15u

void fg_context_bytes(const fg_context *c, uint8_t out[FG_CONTEXT_SIZE])
{
    uint8_t *p = out;
    memset(p, 0, FG_CONTEXT_SIZE);
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

void fg_exception_bytes(const fg_exception *e, uint8_t out[FG_EXCEPTION_SIZE])
{
    uint8_t *p = out;
    memset(p, 0, FG_EXCEPTION_SIZE);
    fg_put32(p + E_CODE, e->code);
    fg_put32(p + E_FLAGS, e->flags);
    fg_put64(p + E_RECORD, e->record);
    fg_put64(p + E_ADDRESS, e->address);
    uint32_t n = e->nparams > E_MAX_PARAMS ? E_MAX_PARAMS : e->nparams;
    fg_put32(p + E_NPARAMS, n);
    for (uint32_t i = 0; i < n; i++)
        fg_put64(p + E_PARAMS + 8 * i, e->params[i]);
}

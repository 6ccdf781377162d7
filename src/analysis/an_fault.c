/* SPDX-License-Identifier: MIT */
/* Exception and IRQL bugchecks: which parameter is the faulting instruction, which points
 * at an EXCEPTION_RECORD64, a CONTEXT or a KTRAP_FRAME (shared/reference/bugcheck-params.md),
 * and what those records say. The records are read through the model's memory interface;
 * every count in them is bounded. */
#include <string.h>

#include "analysis/an_fault.h"
#include "dump/dmp_layout.h"
#include "util/le.h"

#define BUGCHECK_VARIANT_BIT 0x10000000u
#define EXR_SIZE 0x98u
#define STATUS_ACCESS_VIOLATION 0xC0000005u

/* How a bugcheck encodes the failed access. */
typedef enum access_style { ACC_NONE, ACC_EXR, ACC_IRQL, ACC_IRQL_BITS, ACC_PAGE_FAULT } access_style;

typedef struct fault_layout {
    uint32_t code;
    uint8_t ip, status, exr, cxr, trap;  /* 1-based parameter numbers, 0 = none */
    uint8_t access, access_address;
    access_style style;
} fault_layout;

static const fault_layout layouts[] = {
    {0x1E, 2, 1, 0, 0, 0, 3, 4, ACC_EXR},
    {0x3B, 2, 1, 0, 3, 0, 0, 0, ACC_NONE},
    {0x7E, 2, 1, 3, 4, 0, 0, 0, ACC_NONE},
    {0x8E, 2, 1, 0, 0, 3, 0, 0, ACC_NONE},
    {0x0A, 4, 0, 0, 0, 0, 3, 1, ACC_IRQL_BITS},
    {0xC5, 4, 0, 0, 0, 0, 3, 1, ACC_IRQL},
    {0xD1, 4, 0, 0, 0, 0, 3, 1, ACC_IRQL},
    {0x50, 3, 0, 0, 0, 0, 2, 1, ACC_PAGE_FAULT},
};

static const fault_layout *layout_of(uint32_t code)
{
    code &= ~BUGCHECK_VARIANT_BIT;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (layouts[i].code == code)
            return &layouts[i];
    return NULL;
}

static const char *access_name(access_style style, uint64_t v)
{
    switch (style) {
    case ACC_EXR: return v == 0 ? "read" : v == 1 ? "write" : v == 8 ? "execute" : NULL;
    case ACC_IRQL: return v == 0 ? "read" : v == 1 ? "write" : v == 2 || v == 8 ? "execute" : NULL;
    case ACC_IRQL_BITS: return v & 8 ? "execute" : v & 1 ? "write" : "read";
    /* Windows 10 1507 and later on x64: page-fault error-code bits (2 write, 0x10 execute). */
    case ACC_PAGE_FAULT: return v == 0 ? "read" : v == 2 || v == 1 ? "write" : v == 0x10 ? "execute" : NULL;
    case ACC_NONE: break;
    }
    return NULL;
}

static void read_record(nt_model *m, uint64_t va, an_fault *f)
{
    uint8_t b[EXR_SIZE];
    f->record_va = va;
    if (nt_read(&m->ctx, va, b, sizeof b) != DI_OK) {
        f->record_problem = m->triage ? "not captured in this triage dump" : "not readable in this dump";
        return;
    }
    f->have_record = 1;
    f->have_code = 1;
    f->code = le32(b + DMP_EXC_CODE);
    f->flags = le32(b + DMP_EXC_FLAGS);
    f->nparams = le32(b + DMP_EXC_NUM_PARAMS);
    uint32_t n = f->nparams < DMP_EXC_MAX_PARAMS ? f->nparams : DMP_EXC_MAX_PARAMS;
    for (uint32_t i = 0; i < n; i++)
        f->params[i] = le64(b + DMP_EXC_INFORMATION + 8 * i);
    if (f->code == STATUS_ACCESS_VIOLATION && n >= 2) {
        f->access = access_name(ACC_EXR, f->params[0]);
        f->have_access_address = 1;
        f->access_address = f->params[1];
    }
    uint64_t at = le64(b + DMP_EXC_ADDRESS);
    if (!f->address && at) {
        f->address = at;
        f->address_source = "exception_record";
    }
}

static void read_context(nt_model *m, uint64_t va, an_fault *f)
{
    an_fault_regs *r = &f->regs;
    uint8_t b[DMP_CTX_SIZE];
    r->kind = "context";
    r->va = va;
    if (m->machine != DMP_MACHINE_X64) {
        f->regs_problem = "only x64 CONTEXT records are decoded";
        return;
    }
    if (nt_read(&m->ctx, va, b, sizeof b) != DI_OK) {
        f->regs_problem = m->triage ? "not captured in this triage dump" : "not readable in this dump";
        return;
    }
    r->present = 1;
    for (int i = 0; i < AN_FAULT_GPRS; i++) {
        r->gpr[i] = le64(b + DMP_CTX_RAX + 8 * i);
        r->gpr_known[i] = 1;
    }
    r->rip = le64(b + DMP_CTX_RIP);
    r->eflags = le32(b + DMP_CTX_EFLAGS);
    r->cs = le16(b + DMP_CTX_SEG_CS);
    r->ss = le16(b + DMP_CTX_SEG_CS + 10);
}

/* KTRAP_FRAME offsets come from the profile; it saves the volatile registers, RBX/RDI/RSI/RBP
 * and the machine frame, not R12-R15. */
static void read_trap_frame(nt_model *m, uint64_t va, an_fault *f)
{
    static const struct { int gpr; nt_field_id id; } saved[] = {
        {0, NT_F_KTRAP_FRAME_RAX}, {1, NT_F_KTRAP_FRAME_RCX}, {2, NT_F_KTRAP_FRAME_RDX}, {3, NT_F_KTRAP_FRAME_RBX},
        {4, NT_F_KTRAP_FRAME_RSP}, {5, NT_F_KTRAP_FRAME_RBP}, {6, NT_F_KTRAP_FRAME_RSI}, {7, NT_F_KTRAP_FRAME_RDI},
        {8, NT_F_KTRAP_FRAME_R8},  {9, NT_F_KTRAP_FRAME_R9},  {10, NT_F_KTRAP_FRAME_R10}, {11, NT_F_KTRAP_FRAME_R11},
    };
    an_fault_regs *r = &f->regs;
    r->kind = "trap_frame";
    r->va = va;
    uint32_t size = nt_size(&m->ctx, NT_S_KTRAP_FRAME);
    uint8_t b[0x400];
    if (!m->ctx.prof || !size || size > sizeof b) {
        f->regs_problem = "no offset profile describes KTRAP_FRAME for this build";
        return;
    }
    if (nt_read(&m->ctx, va, b, size) != DI_OK) {
        f->regs_problem = m->triage ? "not captured in this triage dump" : "not readable in this dump";
        return;
    }
    r->present = 1;
    for (size_t i = 0; i < sizeof saved / sizeof saved[0]; i++) {
        r->gpr[saved[i].gpr] = nt_buf_field(&m->ctx, b, size, saved[i].id);
        r->gpr_known[saved[i].gpr] = 1;
    }
    r->rip = nt_buf_field(&m->ctx, b, size, NT_F_KTRAP_FRAME_RIP);
    r->eflags = (uint32_t)nt_buf_field(&m->ctx, b, size, NT_F_KTRAP_FRAME_EFLAGS);
    r->cs = (uint16_t)nt_buf_field(&m->ctx, b, size, NT_F_KTRAP_FRAME_SEGCS);
    r->ss = (uint16_t)nt_buf_field(&m->ctx, b, size, NT_F_KTRAP_FRAME_SEGSS);
}

void an_read_fault(nt_model *m, uint32_t code, const uint64_t params[4], an_fault *f)
{
    memset(f, 0, sizeof *f);
    const fault_layout *l = layout_of(code);
    if (!l)
        return;
    f->applies = 1;
    if (l->ip && params[l->ip - 1]) {
        f->address = params[l->ip - 1];
        f->address_param = l->ip;
        f->address_source = "parameter";
    }
    if (l->status) {
        f->have_code = 1;
        f->code = (uint32_t)params[l->status - 1];
    }
    /* Hand-built models (tests) have no memory to read records from. */
    int memory = m->ctx.mm != NULL;
    if (memory && l->exr && params[l->exr - 1])
        read_record(m, params[l->exr - 1], f);
    if (memory && l->cxr && params[l->cxr - 1])
        read_context(m, params[l->cxr - 1], f);
    else if (memory && l->trap && params[l->trap - 1])
        read_trap_frame(m, params[l->trap - 1], f);
    if (!f->address && f->regs.present && f->regs.rip) {
        f->address = f->regs.rip;
        f->address_source = f->regs.kind;
    }
    if (l->access) {
        f->access = access_name(l->style, params[l->access - 1]);
        if (l->style == ACC_EXR && f->code != STATUS_ACCESS_VIOLATION)
            f->access = NULL;
        else if (l->access_address) {
            f->have_access_address = 1;
            f->access_address = params[l->access_address - 1];
        }
    }
    if (!f->address)
        return;
    f->module = nt_model_module_at(m, f->address);
    f->os_module = f->module && an_is_os_module(f->module->name);
    if (f->module && memory)
        f->function_start = an_function_start(m, f->module, f->address);
    if (memory && nt_read(&m->ctx, f->address, f->instruction, sizeof f->instruction) == DI_OK)
        f->have_instruction = 1;
}

/* SPDX-License-Identifier: MIT */
/* The faulting instruction behind exception and IRQL bugchecks, as WinDbg's .exr/.cxr/.trap
 * would show it: the exception record, the registers at the fault (CONTEXT or KTRAP_FRAME
 * that a parameter points at), the faulting address, its module, and the access that
 * failed. Read through the dump's memory interface, so full, kernel and triage dumps alike. */
#ifndef DI_ANALYSIS_FAULT_H
#define DI_ANALYSIS_FAULT_H

#include <stdint.h>

#include "nt/nt_model.h"

#define AN_FAULT_GPRS 16   /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15, CONTEXT order */

typedef struct an_fault_regs {
    int present;
    const char *kind;      /* "context" or "trap_frame" */
    uint64_t va;           /* where the record lies */
    uint64_t gpr[AN_FAULT_GPRS];
    int gpr_known[AN_FAULT_GPRS]; /* a trap frame does not save the nonvolatile registers */
    uint64_t rip;
    uint32_t eflags;
    uint16_t cs, ss;
} an_fault_regs;

typedef struct an_fault {
    int applies;           /* the bugcheck names a faulting instruction */
    uint64_t address;      /* the faulting instruction (0 when unknown) */
    const char *address_source; /* "parameter 2", "context_record", ... */
    int address_param;     /* 1..4: the parameter that names it, 0 if none */
    const nt_module *module;
    uint64_t function_start; /* from the module's .pdata when its image is captured, else 0 */
    int have_instruction;
    uint8_t instruction[16]; /* bytes at the faulting address, when captured */
    /* Exception: from the record a parameter points at, else from the parameters. */
    int have_code;
    uint32_t code;
    int have_record;       /* the EXCEPTION_RECORD64 was read */
    uint64_t record_va;
    uint32_t flags, nparams;
    uint64_t params[15];
    const char *record_problem; /* why a named record could not be read, or NULL */
    an_fault_regs regs;
    const char *regs_problem;   /* why a named context / trap frame could not be read, or NULL */
    /* The memory access that failed, when the bugcheck or record says it. */
    const char *access;    /* "read", "write", "execute", or NULL */
    int have_access_address;
    uint64_t access_address;
    int os_module;         /* the faulting module is a core OS module */
} an_fault;

/* Read what bugcheck code's parameters point at. m is only read (its memory interface
 * is used). Never fails: what cannot be read is named in the *_problem fields. */
void an_read_fault(nt_model *m, uint32_t code, const uint64_t params[4], an_fault *f);

/* "STATUS_ACCESS_VIOLATION" for 0xC0000005, ...; NULL when unknown. */
const char *an_ntstatus_name(uint32_t code);
/* What the status means, in a few words ("access violation"); NULL when unknown. */
const char *an_ntstatus_meaning(uint32_t code);
/* Core OS modules (the kernel, HAL, frameworks): a fault inside one is usually caused by
 * someone else, so they are never named as the suspect (case-insensitive). */
int an_is_os_module(const char *name);
/* The start of the function containing addr, from the module's in-memory .pdata; 0 when
 * the image or its exception directory is not captured. */
uint64_t an_function_start(nt_model *m, const nt_module *mod, uint64_t addr);

#endif

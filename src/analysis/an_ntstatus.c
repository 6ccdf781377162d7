/* SPDX-License-Identifier: MIT */
/* NTSTATUS codes that exception bugchecks carry, with their names and meaning. */
#include <stddef.h>
#include <stdint.h>

#include "analysis/an_fault.h"

typedef struct ntstatus_entry {
    uint32_t code;
    const char *name;
    const char *meaning;
} ntstatus_entry;

static const ntstatus_entry statuses[] = {
    {0x80000002u, "STATUS_DATATYPE_MISALIGNMENT", "misaligned data access"},
    {0x80000003u, "STATUS_BREAKPOINT", "breakpoint"},
    {0x80000004u, "STATUS_SINGLE_STEP", "single step"},
    {0xC0000005u, "STATUS_ACCESS_VIOLATION", "access violation"},
    {0xC0000006u, "STATUS_IN_PAGE_ERROR", "in-page I/O error"},
    {0xC0000008u, "STATUS_INVALID_HANDLE", "invalid handle"},
    {0xC000000Du, "STATUS_INVALID_PARAMETER", "invalid parameter"},
    {0xC0000017u, "STATUS_NO_MEMORY", "out of memory"},
    {0xC000001Du, "STATUS_ILLEGAL_INSTRUCTION", "illegal instruction"},
    {0xC0000025u, "STATUS_NONCONTINUABLE_EXCEPTION", "non-continuable exception"},
    {0xC0000026u, "STATUS_INVALID_DISPOSITION", "invalid exception disposition"},
    {0xC000008Cu, "STATUS_ARRAY_BOUNDS_EXCEEDED", "array bounds exceeded"},
    {0xC000008Du, "STATUS_FLOAT_DENORMAL_OPERAND", "floating-point denormal operand"},
    {0xC000008Eu, "STATUS_FLOAT_DIVIDE_BY_ZERO", "floating-point divide by zero"},
    {0xC000008Fu, "STATUS_FLOAT_INEXACT_RESULT", "floating-point inexact result"},
    {0xC0000090u, "STATUS_FLOAT_INVALID_OPERATION", "floating-point invalid operation"},
    {0xC0000091u, "STATUS_FLOAT_OVERFLOW", "floating-point overflow"},
    {0xC0000092u, "STATUS_FLOAT_STACK_CHECK", "floating-point stack check"},
    {0xC0000093u, "STATUS_FLOAT_UNDERFLOW", "floating-point underflow"},
    {0xC0000094u, "STATUS_INTEGER_DIVIDE_BY_ZERO", "integer divide by zero"},
    {0xC0000095u, "STATUS_INTEGER_OVERFLOW", "integer overflow"},
    {0xC0000096u, "STATUS_PRIVILEGED_INSTRUCTION", "privileged instruction"},
    {0xC00000FDu, "STATUS_STACK_OVERFLOW", "stack overflow"},
    {0xC0000374u, "STATUS_HEAP_CORRUPTION", "heap corruption"},
    {0xC0000409u, "STATUS_STACK_BUFFER_OVERRUN", "stack buffer overrun (fail fast)"},
    {0xC0000420u, "STATUS_ASSERTION_FAILURE", "assertion failure"},
    {0xC0000602u, "STATUS_FAIL_FAST_EXCEPTION", "fail-fast exception"},
};

static const ntstatus_entry *lookup(uint32_t code)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].code == code)
            return &statuses[i];
    return NULL;
}

const char *an_ntstatus_name(uint32_t code)
{
    const ntstatus_entry *e = lookup(code);
    return e ? e->name : NULL;
}

const char *an_ntstatus_meaning(uint32_t code)
{
    const ntstatus_entry *e = lookup(code);
    return e ? e->meaning : NULL;
}

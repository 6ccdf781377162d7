/* SPDX-License-Identifier: MIT */
/* Scanning a stack for return addresses where unwind data is missing: every aligned value
 * that falls inside a loaded module and, when the code before it is in the dump, follows a
 * CALL instruction. Such frames are guesses (trust "scan"): stale values survive on stacks. */
#include "unwind/uw_unwind.h"
#include "util/le.h"

#define CALL_REL32 0xE8u
#define CALL_GROUP 0xFFu        /* FF /2: call r/m64 */
#define MODRM_REG(b) (((b) >> 3) & 7u)
#define MODRM_MOD(b) ((b) >> 6)
#define MODRM_RM(b) ((b) & 7u)
#define LOOKBACK 8u
#define SCAN_CHUNK 0x200u

/* Length of an FF /2 call whose ModRM byte is m (opcode included, no prefix). */
static unsigned call_ff_length(uint8_t m)
{
    unsigned mod = MODRM_MOD(m), rm = MODRM_RM(m), sib = rm == 4 && mod != 3;
    switch (mod) {
    case 0: return rm == 5 ? 6 : 2 + sib; /* rip-relative disp32, or [reg] ([SIB] may add disp32 below) */
    case 1: return 3 + sib;
    case 2: return 6 + sib;
    default: return 2;
    }
}

static int is_call_before(const uint8_t *b, size_t n)
{
    /* b holds the n bytes that end at the return address. */
    if (n >= 5 && b[n - 5] == CALL_REL32)
        return 1;
    for (unsigned len = 2; len <= 7 && len <= n; len++) {
        const uint8_t *op = b + n - len;
        if (op[0] != CALL_GROUP || MODRM_REG(op[1]) != 2)
            continue;
        unsigned want = call_ff_length(op[1]);
        /* [SIB] with base 5 and mod 0 carries a disp32. */
        if (MODRM_MOD(op[1]) == 0 && MODRM_RM(op[1]) == 4 && len >= 3 && (op[2] & 7u) == 5)
            want += 4;
        if (want == len)
            return 1;
    }
    /* The same with a REX prefix (41 FF D0: call r8). */
    for (unsigned len = 3; len <= 8 && len <= n; len++) {
        const uint8_t *op = b + n - len;
        if ((op[0] & 0xF0u) != 0x40u || op[1] != CALL_GROUP || MODRM_REG(op[2]) != 2)
            continue;
        unsigned want = 1 + call_ff_length(op[2]);
        if (MODRM_MOD(op[2]) == 0 && MODRM_RM(op[2]) == 4 && len >= 4 && (op[3] & 7u) == 5)
            want += 4;
        if (want == len)
            return 1;
    }
    return 0;
}

int uw_follows_call(uw_unwinder *u, uint64_t ret)
{
    uint8_t b[LOOKBACK];
    if (ret < LOOKBACK)
        return -1;
    u->steps++;
    /* The bytes may straddle a page boundary whose first page is missing: try shorter runs. */
    for (size_t n = LOOKBACK; n >= 5; n--)
        if (u->read(u->ctx, ret - n, b, n) == DI_OK)
            return is_call_before(b, n);
    return -1;
}

void uw_scan(uw_unwinder *u, uint64_t from, uw_stack *out)
{
    from = (from + 7) & ~7ull;
    uint64_t end = out->base;
    if (from < end && end - from > UW_DEFAULT_STACK_SPAN)
        end = from + UW_DEFAULT_STACK_SPAN;
    uint8_t buf[SCAN_CHUNK];
    for (uint64_t va = from; va < end && end - va >= 8;) {
        size_t n = end - va < SCAN_CHUNK ? (size_t)(end - va) & ~(size_t)7 : SCAN_CHUNK;
        u->steps++;
        if (u->read(u->ctx, va, buf, n) != DI_OK) {
            /* The scan stops at the first stack page the dump lacks. */
            return;
        }
        for (size_t i = 0; i + 8 <= n; i += 8) {
            uint64_t v = le64(buf + i);
            const nt_module *mod = nt_is_kernel_va(v) && u->m ? nt_model_module_at(u->m, v) : NULL;
            if (!mod || uw_follows_call(u, v) == 0)
                continue;
            if (out->n >= UW_MAX_FRAMES)
                return;
            if (out->n > out->nunwound)
                out->frames[out->n - 1].ret = v;
            uw_frame *f = &out->frames[out->n++];
            /* Child-SP of the frame the value returns from: just above the slot. */
            *f = (uw_frame){.sp = va + i + 8, .ip = v, .module = mod, .trust = UW_TRUST_SCAN};
            const uw_module_info *mi = uw_module(u, mod);
            uw_runtime_function fn;
            if (mi && mi->have_pdata && uw_pdata_find(u->read, u->ctx, mod->base, mod->size, mi->pdata_rva,
                                                      mi->pdata_count, (uint32_t)(v - 1 - mod->base), &fn) == 1) {
                f->function = mod->base + fn.begin;
                uw_export_name(u, mod, fn.begin, f->name, sizeof f->name);
            }
        }
        va += n;
    }
}

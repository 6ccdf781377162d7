/* SPDX-License-Identifier: MIT */
/* Unwinding one x64 frame from its function's UNWIND_INFO, and walking a whole stack.
 *
 * UNWIND_INFO (4-byte aligned, at ImageBase + UnwindData): byte 0 Version (bits 0-2) and
 * Flags (bits 3-7: 1 EHANDLER, 2 UHANDLER, 4 CHAININFO), byte 1 SizeOfProlog, byte 2
 * CountOfCodes (16-bit slots), byte 3 FrameRegister (bits 0-3) and FrameOffset (bits 4-7,
 * x16); then the slots, padded to an even count, then for CHAININFO the RUNTIME_FUNCTION of
 * the primary entry. A slot is CodeOffset (u8, the prolog offset after the instruction) and
 * UnwindOp (bits 0-3) / OpInfo (bits 4-7); the ops are listed in reverse prolog order. */
#include <stdlib.h>
#include <string.h>

#include "unwind/uw_unwind.h"
#include "util/le.h"

#define UI_HEADER 4u
#define UI_FLAG_CHAININFO 4u
#define RUNTIME_FUNCTION_SIZE 12u
#define MACHFRAME_RSP 0x18u     /* MACHINE_FRAME: Rip +0, SegCs +8, EFlags +0x10, Rsp +0x18 */

enum {
    UWOP_PUSH_NONVOL = 0,
    UWOP_ALLOC_LARGE = 1,
    UWOP_ALLOC_SMALL = 2,
    UWOP_SET_FPREG = 3,
    UWOP_SAVE_NONVOL = 4,
    UWOP_SAVE_NONVOL_FAR = 5,
    UWOP_EPILOG = 6,            /* version 2; version 1 used 6 for a 2-slot SAVE_XMM */
    UWOP_SPARE = 7,             /* version 1: 3-slot SAVE_XMM_FAR */
    UWOP_SAVE_XMM128 = 8,
    UWOP_SAVE_XMM128_FAR = 9,
    UWOP_PUSH_MACHFRAME = 10
};

static const char *const end_names[] = {
    [UW_END_STACK_BASE] = "reached_stack_base",
    [UW_END_NULL_RETURN] = "null_return_address",
    [UW_END_NOT_IN_MODULE] = "not_in_module",
    [UW_END_PDATA_MISSING] = "pdata_missing",
    [UW_END_UNWIND_INFO_MISSING] = "unwind_info_missing",
    [UW_END_BAD_UNWIND_INFO] = "bad_unwind_info",
    [UW_END_CHAIN_LIMIT] = "chain_limit",
    [UW_END_REGISTER_UNKNOWN] = "register_unknown",
    [UW_END_STACK_PAGE_MISSING] = "stack_page_missing",
    [UW_END_BAD_RSP] = "bad_rsp",
    [UW_END_NON_ADVANCING] = "non_advancing",
    [UW_END_FRAME_LIMIT] = "frame_limit",
    [UW_END_NO_CONTEXT] = "no_context",
};

const char *uw_end_name(uw_end e)
{
    return (unsigned)e < sizeof end_names / sizeof end_names[0] && end_names[e] ? end_names[e] : "?";
}

const char *uw_trust_name(uw_trust t)
{
    return t == UW_TRUST_CONTEXT ? "context" : t == UW_TRUST_CFI ? "cfi" : "scan";
}

int uw_init(uw_unwinder *u, const nt_model *m, uw_read_fn read, void *ctx)
{
    memset(u, 0, sizeof *u);
    u->m = m;
    u->read = read;
    u->ctx = ctx;
    u->nmods = m ? m->nmodules : 0;
    if (u->nmods && !(u->mods = calloc(u->nmods, sizeof *u->mods)))
        return -1;
    return 0;
}

void uw_free(uw_unwinder *u)
{
    for (size_t i = 0; i < u->nmods; i++) {
        free(u->mods[i].export_rvas);
        free(u->mods[i].ordinals);
    }
    free(u->mods);
    memset(u, 0, sizeof *u);
}

di_status uw_nt_read(void *ctx, uint64_t va, void *buf, size_t len)
{
    return nt_read(&((nt_model *)ctx)->ctx, va, buf, len);
}

/* One frame being unwound: the registers and the stack range reads must keep to. */
typedef struct unwind_state {
    uw_unwinder *u;
    uw_regs r;
    uint64_t limit, base;
    int machframe;           /* a PUSH_MACHFRAME set rip and rsp */
} unwind_state;

/* "Go on": the frame limit is never an outcome of unwinding one frame, so it stands for
 * success inside this file. */
#define GO UW_END_FRAME_LIMIT

/* The u64 at va, which must lie on the stack. */
static uw_end stack_u64(unwind_state *s, uint64_t va, uint64_t *out)
{
    uint8_t b[8];
    if (va < s->limit || va > s->base || s->base - va < 8)
        return UW_END_BAD_RSP;
    s->u->steps++;
    if (s->u->read(s->u->ctx, va, b, 8) != DI_OK)
        return UW_END_STACK_PAGE_MISSING;
    *out = le64(b);
    return GO;
}

static int slots_of(unsigned op, unsigned info, unsigned version)
{
    switch (op) {
    case UWOP_ALLOC_LARGE: return info == 0 ? 2 : info == 1 ? 3 : 0;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_XMM128: return 2;
    case UWOP_SAVE_NONVOL_FAR:
    case UWOP_SAVE_XMM128_FAR: return 3;
    case UWOP_EPILOG: return version == 2 ? 1 : 2;
    case UWOP_SPARE: return version == 2 ? 0 : 3;
    case UWOP_PUSH_NONVOL:
    case UWOP_ALLOC_SMALL:
    case UWOP_SET_FPREG:
    case UWOP_PUSH_MACHFRAME: return 1;
    }
    return 0;
}

/* Undo one unwind op. base: the frame base for SAVE_* (rsp at entry, or the frame register). */
static uw_end undo_op(unwind_state *s, const uint8_t *c, unsigned op, unsigned info, unsigned freg, unsigned foff,
                      uint64_t base)
{
    uint64_t v;
    uw_end e;
    switch (op) {
    case UWOP_PUSH_NONVOL:
        if ((e = stack_u64(s, s->r.gpr[UW_RSP], &v)) != GO)
            return e;
        s->r.gpr[info] = v;
        s->r.known |= 1u << info;
        s->r.gpr[UW_RSP] += 8;
        return GO;
    case UWOP_ALLOC_LARGE:
        s->r.gpr[UW_RSP] += info == 0 ? 8ull * le16(c + 2) : (uint64_t)le32(c + 2);
        return GO;
    case UWOP_ALLOC_SMALL:
        s->r.gpr[UW_RSP] += 8ull * info + 8;
        return GO;
    case UWOP_SET_FPREG:
        if (!freg)
            return UW_END_BAD_UNWIND_INFO;
        if (!(s->r.known & (1u << freg)))
            return UW_END_REGISTER_UNKNOWN;
        s->r.gpr[UW_RSP] = s->r.gpr[freg] - 16ull * foff;
        return GO;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_NONVOL_FAR:
        if ((e = stack_u64(s, base + (op == UWOP_SAVE_NONVOL ? 8ull * le16(c + 2) : (uint64_t)le32(c + 2)), &v)) != GO)
            return e;
        s->r.gpr[info] = v;
        s->r.known |= 1u << info;
        return GO;
    case UWOP_PUSH_MACHFRAME: {
        if (info > 1)
            return UW_END_BAD_UNWIND_INFO;
        uint64_t at = s->r.gpr[UW_RSP] + (info ? 8u : 0u), rip, rsp;
        if ((e = stack_u64(s, at, &rip)) != GO || (e = stack_u64(s, at + MACHFRAME_RSP, &rsp)) != GO)
            return e;
        s->r.rip = rip;
        s->r.gpr[UW_RSP] = rsp;
        s->machframe = 1;
        return GO;
    }
    default: /* XMM saves and epilog descriptions: nothing a caller's rip/rsp needs */
        return GO;
    }
}

/* Undo the codes of one UNWIND_INFO. offset: the instruction's offset in the function (the
 * codes past it did not run yet); UINT32_MAX for a chained entry (all of them ran).
 * *chain receives the chained primary entry when there is one. */
static uw_end undo_info(unwind_state *s, const nt_module *mod, uint32_t info_rva, uint32_t offset,
                        uw_runtime_function *chain, int *chained)
{
    uw_unwinder *u = s->u;
    uint8_t h[UI_HEADER];
    *chained = 0;
    if (info_rva >= mod->size || mod->size - info_rva < UI_HEADER)
        return UW_END_BAD_UNWIND_INFO;
    if (u->read(u->ctx, mod->base + info_rva, h, sizeof h) != DI_OK)
        return UW_END_UNWIND_INFO_MISSING;
    unsigned version = h[0] & 7u, flags = h[0] >> 3, prolog = h[1], count = h[2], freg = h[3] & 15u,
             foff = h[3] >> 4;
    if (version != 1 && version != 2)
        return UW_END_BAD_UNWIND_INFO;
    uint8_t codes[2 * 256 + RUNTIME_FUNCTION_SIZE];
    size_t padded = 2u * ((count + 1u) & ~1u);
    size_t need = padded + ((flags & UI_FLAG_CHAININFO) ? RUNTIME_FUNCTION_SIZE : 0);
    if (need > mod->size - info_rva - UI_HEADER)
        return UW_END_BAD_UNWIND_INFO;
    if (need && u->read(u->ctx, mod->base + info_rva + UI_HEADER, codes, need) != DI_OK)
        return UW_END_UNWIND_INFO_MISSING;
    /* Which codes ran: all past the prolog, else those whose CodeOffset is reached. */
    int all = offset >= prolog;
    uint64_t base = s->r.gpr[UW_RSP];
    if (freg) {
        int fp_set = all;
        for (unsigned i = 0; !fp_set && i < count;) {
            unsigned op = codes[2 * i + 1] & 15u, n = (unsigned)slots_of(op, codes[2 * i + 1] >> 4, version);
            if (n == 0)
                return UW_END_BAD_UNWIND_INFO;
            if (op == UWOP_SET_FPREG && codes[2 * i] <= offset)
                fp_set = 1;
            i += n;
        }
        if (fp_set) {
            if (!(s->r.known & (1u << freg)))
                return UW_END_REGISTER_UNKNOWN;
            base = s->r.gpr[freg] - 16ull * foff;
        }
    }
    for (unsigned i = 0; i < count;) {
        unsigned op = codes[2 * i + 1] & 15u, info = codes[2 * i + 1] >> 4;
        int n = slots_of(op, info, version);
        if (n == 0 || i + (unsigned)n > count)
            return UW_END_BAD_UNWIND_INFO;
        int epilog = version == 2 && op == UWOP_EPILOG;
        if (!epilog && (all || codes[2 * i] <= offset)) {
            uw_end e = undo_op(s, codes + 2 * i, op, info, freg, foff, base);
            if (e != GO)
                return e;
        }
        i += (unsigned)n;
    }
    if (flags & UI_FLAG_CHAININFO) {
        const uint8_t *rf = codes + padded;
        *chain = (uw_runtime_function){.begin = le32(rf), .end = le32(rf + 4), .unwind = le32(rf + 8)};
        *chained = 1;
    }
    return GO;
}

/* Unwind one frame: s->r becomes the caller's registers. precise: rip is the faulting or
 * interrupted instruction, not a return address. fn/fn_rva receive the function found. */
static uw_end unwind_frame(unwind_state *s, int precise, const nt_module **mod_out, uw_runtime_function *fn,
                           int *have_fn)
{
    uw_unwinder *u = s->u;
    uint64_t lookup = precise ? s->r.rip : s->r.rip - 1;
    const nt_module *mod = u->m ? nt_model_module_at(u->m, lookup) : NULL;
    *mod_out = mod;
    *have_fn = 0;
    if (!mod)
        return UW_END_NOT_IN_MODULE;
    const uw_module_info *mi = uw_module(u, mod);
    if (!mi || !mi->have_pdata)
        return UW_END_PDATA_MISSING;
    uint32_t rva = (uint32_t)(lookup - mod->base);
    int found = uw_pdata_find(u->read, u->ctx, mod->base, mod->size, mi->pdata_rva, mi->pdata_count, rva, fn);
    if (found < 0)
        return UW_END_PDATA_MISSING;
    s->machframe = 0;
    uw_end e;
    if (found) {
        *have_fn = 1;
        uw_runtime_function cur = *fn;
        /* An UnwindData with bit 0 set names another RUNTIME_FUNCTION (shared unwind data). */
        uint32_t offset = (uint32_t)(s->r.rip - mod->base) - cur.begin;
        unsigned depth = 0;
        for (;;) {
            while (cur.unwind & 1u) {
                if (++depth > UW_MAX_CHAIN)
                    return UW_END_CHAIN_LIMIT;
                uint8_t rf[RUNTIME_FUNCTION_SIZE];
                uint32_t at = cur.unwind & ~1u;
                if (at >= mod->size || mod->size - at < RUNTIME_FUNCTION_SIZE)
                    return UW_END_BAD_UNWIND_INFO;
                if (u->read(u->ctx, mod->base + at, rf, sizeof rf) != DI_OK)
                    return UW_END_PDATA_MISSING;
                cur = (uw_runtime_function){.begin = le32(rf), .end = le32(rf + 4), .unwind = le32(rf + 8)};
            }
            uw_runtime_function next;
            int chained;
            if ((e = undo_info(s, mod, cur.unwind, offset, &next, &chained)) != GO)
                return e;
            if (!chained)
                break;
            if (++depth > UW_MAX_CHAIN)
                return UW_END_CHAIN_LIMIT;
            cur = next;
            offset = UINT32_MAX; /* the primary's prolog ran completely */
        }
    }
    if (!s->machframe) {
        uint64_t ret;
        if ((e = stack_u64(s, s->r.gpr[UW_RSP], &ret)) != GO)
            return e;
        s->r.rip = ret;
        s->r.gpr[UW_RSP] += 8;
    }
    return GO;
}

static void describe(uw_unwinder *u, uw_frame *f, const nt_module *mod, const uw_runtime_function *fn, int have_fn)
{
    f->module = mod;
    f->function = 0;
    f->name[0] = '\0';
    if (mod && have_fn) {
        f->function = mod->base + fn->begin;
        uw_export_name(u, mod, fn->begin, f->name, sizeof f->name);
    }
}

static int ends_in_scan(uw_end e)
{
    return e == UW_END_PDATA_MISSING || e == UW_END_UNWIND_INFO_MISSING || e == UW_END_BAD_UNWIND_INFO ||
           e == UW_END_NOT_IN_MODULE || e == UW_END_REGISTER_UNKNOWN;
}

void uw_walk(uw_unwinder *u, const uw_regs *regs, uint64_t limit, uint64_t base, uw_trust first, int scan,
             uw_stack *out)
{
    out->n = out->nunwound = 0;
    unwind_state s = {.u = u, .r = *regs};
    s.r.known |= 1u << UW_RSP;
    uint64_t rsp = s.r.gpr[UW_RSP];
    if (!base || base <= limit) {
        limit = rsp;
        base = rsp + UW_DEFAULT_STACK_SPAN < rsp ? UINT64_MAX : rsp + UW_DEFAULT_STACK_SPAN;
    }
    s.limit = out->limit = limit;
    s.base = out->base = base;
    if (!s.r.rip) {
        out->end = UW_END_NO_CONTEXT;
        return;
    }
    if (rsp < limit || rsp >= base) {
        out->end = UW_END_BAD_RSP;
        return;
    }
    int precise = first == UW_TRUST_CONTEXT;
    uw_trust trust = first;
    for (;;) {
        if (out->n >= UW_MAX_FRAMES) {
            out->end = UW_END_FRAME_LIMIT;
            break;
        }
        uw_frame *f = &out->frames[out->n++];
        f->sp = s.r.gpr[UW_RSP];
        f->ip = s.r.rip;
        f->ret = 0;
        f->trust = trust;
        uint64_t callee_sp = f->sp;
        const nt_module *mod;
        uw_runtime_function fn;
        int have_fn;
        uw_end e = unwind_frame(&s, precise, &mod, &fn, &have_fn);
        describe(u, f, mod, &fn, have_fn);
        if (e != GO) {
            out->end = e;
            break;
        }
        f->ret = s.r.rip;
        uint64_t nrsp = s.r.gpr[UW_RSP];
        if (nrsp <= callee_sp) {
            out->end = UW_END_NON_ADVANCING;
            break;
        }
        if (nrsp >= base) {
            out->end = UW_END_STACK_BASE;
            break;
        }
        if (!s.r.rip) {
            out->end = UW_END_NULL_RETURN;
            break;
        }
        precise = s.machframe;
        trust = UW_TRUST_CFI;
    }
    out->nunwound = out->n;
    if (scan && ends_in_scan(out->end) && out->n)
        uw_scan(u, out->frames[out->n - 1].sp, out);
}

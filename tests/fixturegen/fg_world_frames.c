/* SPDX-License-Identifier: MIT */
/* Return addresses on a kernel stack, for stack scanners:
 *
 *   stack_frames THREAD ADDR [ADDR]...     (repeatable; at most 64 addresses per line)
 *
 * ADDR k (k = 0, 1, ...) is written at BASE + 8 + 0x30 * k: one return address per 0x30-byte
 * frame, innermost first, each just above its callee's rsp. BASE is the header context's rsp for
 * the crashing thread (the faulting rsp when a fault is declared), else the thread's saved
 * KernelStack (0xE40 below its stack top). Every dump type gets the same bytes, so full and
 * triage dumps of a scenario show the same stack. Slots must stay on the stack and off the
 * waiter's wait entry and the fault records. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

#define FRAME_STRIDE 0x30u
#define RETURN_SLOT 8u

int fgw_parse_thread_addrs(fg_world *w, const char *key, char *rest, fgw_frames **arr, size_t *n, size_t *cap)
{
    char *tok = fg_sc_token(&rest);
    if (tok == NULL)
        return fg_sc_fail(w->sc, "%s: expected THREAD ADDR [ADDR]...", key);
    if (fgw_grow((void **)arr, cap, *n + 1, sizeof(**arr)) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    fgw_frames *fr = &(*arr)[*n];
    memset(fr, 0, sizeof(*fr));
    if (fgw_id(w, key, tok, fr->thread) != 0)
        return -1;
    fr->line = w->sc->line;
    fr->addr = malloc(FGW_MAX_FRAMES * sizeof(*fr->addr));
    if (fr->addr == NULL)
        return fg_sc_fail(w->sc, "out of memory");
    (*n)++; /* owns addr from here on, so fg_world_free releases it */
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (fr->n == FGW_MAX_FRAMES)
            return fg_sc_fail(w->sc, "%s: at most %d addresses", key, FGW_MAX_FRAMES);
        if (fgw_expr_copy(w, key, tok, fr->addr[fr->n]) != 0)
            return -1;
        fr->n++;
    }
    if (fr->n == 0)
        return fg_sc_fail(w->sc, "%s: give at least one address", key);
    return 0;
}

int fgw_parse_frames(fg_world *w, char *rest)
{
    return fgw_parse_thread_addrs(w, "stack_frames", rest, &w->frames, &w->nframes, &w->cap_frames);
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return blen != 0 && b != 0 && a < b + blen && b < a + alen;
}

int fgw_stack_slot_check(fg_world *w, unsigned line, const char *key, const fgw_thread *t, int crashing,
                         uint64_t va)
{
    if (va < t->stack_limit || va + 8 > t->stack_top)
        return fgw_fail(w, line, "%s: 0x%llx is off thread %s's stack (add "
                        "stack_pages= or give fewer frames)", key, (unsigned long long)va, t->id);
    if (t->waiter && overlaps(va, 8, t->wait_entry, fgw_size(w, NT_S_KWAIT_CHAIN_ENTRY)))
        return fgw_fail(w, line, "%s: 0x%llx would overwrite thread %s's wait "
                        "entry", key, (unsigned long long)va, t->id);
    for (unsigned i = 0; crashing && i < FGW_NREC; i++) {
        uint64_t rva;
        uint32_t rsize;
        const char *name = fgw_fault_record(w, i, &rva, &rsize);
        if (overlaps(va, 8, rva, rsize))
            return fgw_fail(w, line, "%s: 0x%llx would overwrite the fault's %s", key,
                            (unsigned long long)va, name);
    }
    return 0;
}

int fgw_frames_write(fg_world *w)
{
    size_t crash = w->nframes ? fgw_current_thread(w, fgw_crash_cpu(w)) : 0;
    for (size_t i = 0; i < w->nframes; i++) {
        const fgw_frames *fr = &w->frames[i];
        long ti = fgw_find_thread(w, fr->thread);
        if (ti < 0)
            return fgw_fail(w, fr->line, "stack_frames: no thread is called '%s'", fr->thread);
        const fgw_thread *t = &w->threads[ti];
        int crashing = (size_t)ti == crash;
        uint64_t base = crashing ? fgw_crash_rsp(w) : t->stack_top - FGW_KERNEL_STACK_DEPTH;
        for (size_t k = 0; k < fr->n; k++) {
            uint64_t va = base + RETURN_SLOT + FRAME_STRIDE * k, ret;
            if (fgw_stack_slot_check(w, fr->line, "stack_frames", t, crashing, va) != 0 ||
                fgw_resolve(w, fr->line, fr->addr[k], &ret) != 0)
                return -1;
            if (fgw_write_u64(w, va, ret) != FG_OK)
                return fgw_fail_dump(w, fr->line, "writing a return address");
        }
    }
    return 0;
}

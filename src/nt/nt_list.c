/* SPDX-License-Identifier: MIT */
#include "nt/nt_list.h"

static const char *end_text(nt_list_end e)
{
    switch (e) {
    case NT_LIST_COMPLETE: return "complete";
    case NT_LIST_UNREADABLE: return "a link could not be read";
    case NT_LIST_BAD_LINK: return "a link is corrupt";
    case NT_LIST_CYCLE: return "the list loops back on itself";
    case NT_LIST_LIMIT: return "the step limit was reached";
    case NT_LIST_STOPPED: return "stopped";
    case NT_LIST_HEAD_BLINK: return "its Flink returns to the head, but the head's Blink names another entry";
    }
    return "?";
}

/* Whether va is among the first n entries after head: tells a loop from a bad link. */
static int seen_before(nt_ctx *c, uint64_t head, uint64_t va, uint32_t n)
{
    uint64_t cur;
    if (nt_read_ptr(c, head, &cur) != DI_OK)
        return 0;
    for (uint32_t i = 0; i < n && cur != head; i++) {
        if (cur == va)
            return 1;
        if (nt_read_ptr(c, cur, &cur) != DI_OK)
            return 0;
    }
    return 0;
}

static nt_list_end forward(nt_ctx *c, uint64_t head, uint32_t max_steps, nt_list_fn fn, void *arg,
                           nt_list_result *res, uint64_t *last_good)
{
    uint64_t prev = head, cur;
    *last_good = head;
    res->bad_at = head;
    if (nt_read_ptr(c, head, &cur) != DI_OK)
        return NT_LIST_UNREADABLE;
    while (cur != head) {
        res->bad_at = cur;
        if (!nt_is_kernel_va(cur) || (cur & 7))
            return NT_LIST_BAD_LINK;
        if (res->visited >= max_steps || c->mm->budget_hit || nt_step(c))
            return NT_LIST_LIMIT;
        uint64_t blink;
        if (nt_read_ptr(c, cur + 8, &blink) != DI_OK)
            return NT_LIST_UNREADABLE;
        if (blink != prev)
            return seen_before(c, head, cur, res->visited) ? NT_LIST_CYCLE : NT_LIST_BAD_LINK;
        res->visited++;
        *last_good = cur;
        if (fn && fn(c, cur, arg))
            return NT_LIST_STOPPED;
        prev = cur;
        if (nt_read_ptr(c, cur, &cur) != DI_OK)
            return NT_LIST_UNREADABLE;
    }
    /* Back at the head: its Blink must close the circle at the last entry visited. A Flink
     * redirected to the head would otherwise end the walk early and look complete. */
    res->bad_at = prev;
    if (nt_read_ptr(c, head + 8, &res->head_blink) != DI_OK)
        return NT_LIST_UNREADABLE;
    return res->head_blink == prev ? NT_LIST_COMPLETE : NT_LIST_HEAD_BLINK;
}

/* From the head backwards along Blinks until the entry where the forward walk broke or
 * the last entry it visited; each step checks that Flink points back. */
static void backward(nt_ctx *c, uint64_t head, uint32_t max_steps, nt_list_fn fn, void *arg, nt_list_result *res,
                     uint64_t last_good)
{
    uint64_t next = head, cur;
    if (nt_read_ptr(c, head + 8, &cur) != DI_OK)
        return;
    while (cur != head && cur != last_good && cur != res->bad_at && nt_is_kernel_va(cur) && !(cur & 7) &&
           res->visited + res->recovered < max_steps && !nt_step(c)) {
        uint64_t flink, blink;
        if (nt_read_ptr(c, cur, &flink) != DI_OK || flink != next || nt_read_ptr(c, cur + 8, &blink) != DI_OK)
            return;
        res->recovered++;
        if (fn && fn(c, cur, arg))
            return;
        next = cur;
        cur = blink;
    }
}

void nt_list_walk(nt_ctx *c, uint64_t head, uint32_t max_steps, nt_list_fn fn, void *arg, nt_list_result *res)
{
    uint64_t last_good;
    res->visited = res->recovered = 0;
    res->head_blink = 0;
    res->end = forward(c, head, max_steps, fn, arg, res, &last_good);
    if (res->end == NT_LIST_UNREADABLE || res->end == NT_LIST_BAD_LINK || res->end == NT_LIST_CYCLE ||
        res->end == NT_LIST_HEAD_BLINK)
        backward(c, head, max_steps, fn, arg, res, last_good);
}

void nt_list_report(nt_ctx *c, const char *what, const nt_list_result *res)
{
    if (res->end == NT_LIST_COMPLETE || res->end == NT_LIST_STOPPED)
        return;
    if (res->end == NT_LIST_LIMIT) {
        c->limited = 1;
        if (c->steps_warned)
            return; /* nt_step said why */
        if (c->mm->budget_hit)
            nt_warn_code(c, DI_W_LIMIT, "%s stops after %u entries: the page-read limit was reached (--limit pages_read=N)", what,
                    res->visited);
        else
            nt_warn_code(c, DI_W_LIMIT, "%s has more than %u entries; the rest are not listed (--limit list_steps=N)", what,
                    res->visited);
        return;
    }
    if (res->end == NT_LIST_HEAD_BLINK) {
        nt_damage(c,
                  "%s stops after %u entries at 0x%016llx: its Flink returns to the head, but the head's Blink is "
                  "0x%016llx; %u more found walking back from the head",
                  what, res->visited, (unsigned long long)res->bad_at, (unsigned long long)res->head_blink,
                  res->recovered);
        return;
    }
    nt_damage(c, "%s stops after %u entries at 0x%016llx: %s; %u more found walking back from the head", what,
              res->visited, (unsigned long long)res->bad_at, end_text(res->end), res->recovered);
}

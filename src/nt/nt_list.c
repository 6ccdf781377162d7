#include "nt/nt_list.h"

const char *nt_list_end_text(nt_list_end e)
{
    switch (e) {
    case NT_LIST_COMPLETE: return "complete";
    case NT_LIST_UNREADABLE: return "a link could not be read";
    case NT_LIST_BAD_LINK: return "a link is corrupt";
    case NT_LIST_CYCLE: return "the list loops back on itself";
    case NT_LIST_LIMIT: return "the step limit was reached";
    }
    return "?";
}

nt_list_end nt_list_walk(nt_ctx *c, uint64_t head, uint32_t max_steps, int check_blink, nt_list_fn fn, void *arg,
                         uint32_t *steps, uint64_t *bad_at)
{
    uint64_t prev = head, cur;
    uint32_t n = 0;
    *steps = 0;
    *bad_at = head;
    if (nt_read_ptr(c, head, &cur) != DI_OK)
        return NT_LIST_UNREADABLE;
    /* Brent: remember a "power" checkpoint; meeting it again means a cycle. */
    uint64_t mark = head;
    uint32_t power = 1, lam = 0;
    while (cur != head) {
        *bad_at = cur;
        if (!nt_is_kernel_va(cur) || (cur & 7))
            return NT_LIST_BAD_LINK;
        if (cur == mark)
            return NT_LIST_CYCLE;
        if (n >= max_steps)
            return NT_LIST_LIMIT;
        if (check_blink) {
            uint64_t blink;
            if (nt_read_ptr(c, cur + 8, &blink) != DI_OK)
                return NT_LIST_UNREADABLE;
            if (blink != prev)
                return NT_LIST_BAD_LINK;
        }
        n++;
        *steps = n;
        if (fn && fn(c, cur, arg))
            return NT_LIST_COMPLETE;
        uint64_t next;
        if (nt_read_ptr(c, cur, &next) != DI_OK)
            return NT_LIST_UNREADABLE;
        if (++lam == power) {
            mark = cur;
            power *= 2;
            lam = 0;
        }
        prev = cur;
        cur = next;
    }
    return NT_LIST_COMPLETE;
}

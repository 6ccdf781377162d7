/* SPDX-License-Identifier: MIT */
/* Which module a thread's stacks blame (an_stack_blame): the first frame outside the core OS
 * modules, unwound frames before scanned ones, the restarted (fault) walk first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/an_stacks.h"

static const nt_module nt = {.base = 0xfffff80512000000ull, .size = 0x1000000, .name = "ntoskrnl.exe"};
static const nt_module drv = {.base = 0xfffff80533300000ull, .size = 0x9000, .name = "baddrv.sys"};
static const nt_module other = {.base = 0xfffff80534400000ull, .size = 0x9000, .name = "other.sys"};

static void frame(uw_stack *s, const nt_module *m, uw_trust trust)
{
    s->frames[s->n++] = (uw_frame){.sp = 0x1000 + 0x10 * s->n, .ip = m->base + 0x100, .module = m, .trust = trust};
    if (trust != UW_TRUST_SCAN)
        s->nunwound = s->n;
}

static an_thread_stacks *fresh(size_t walks)
{
    an_thread_stacks *ts = calloc(1, sizeof *ts);
    assert_non_null(ts);
    ts->n = walks;
    return ts;
}

static void test_unwound_driver_frame(void **state)
{
    (void)state;
    an_thread_stacks *ts = fresh(1);
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CONTEXT);
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CFI);
    frame(&ts->walk[0].stack, &drv, UW_TRUST_CFI);
    frame(&ts->walk[0].stack, &other, UW_TRUST_CFI);
    const uw_frame *f;
    assert_ptr_equal(an_stack_blame(ts, &f), &drv);
    assert_ptr_equal(f, &ts->walk[0].stack.frames[2]);
    free(ts);
}

static void test_scan_only_without_unwound_frames(void **state)
{
    (void)state;
    an_thread_stacks *ts = fresh(1);
    /* Frames were unwound (nt only): a scanned driver value does not blame. */
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CONTEXT);
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CFI);
    frame(&ts->walk[0].stack, &drv, UW_TRUST_SCAN);
    assert_null(an_stack_blame(ts, NULL));
    /* Only the start frame, then scanned ones (a triage dump): the scan may blame. */
    memset(ts, 0, sizeof *ts);
    ts->n = 1;
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CONTEXT);
    frame(&ts->walk[0].stack, &drv, UW_TRUST_SCAN);
    assert_ptr_equal(an_stack_blame(ts, NULL), &drv);
    free(ts);
}

static void test_restarted_walk_first(void **state)
{
    (void)state;
    an_thread_stacks *ts = fresh(2);
    frame(&ts->walk[0].stack, &nt, UW_TRUST_CONTEXT);
    frame(&ts->walk[0].stack, &other, UW_TRUST_CFI);
    frame(&ts->walk[1].stack, &nt, UW_TRUST_CONTEXT);
    frame(&ts->walk[1].stack, &drv, UW_TRUST_CFI);
    assert_ptr_equal(an_stack_blame(ts, NULL), &drv);
    free(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unwound_driver_frame),
        cmocka_unit_test(test_scan_only_without_unwound_frames),
        cmocka_unit_test(test_restarted_walk_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

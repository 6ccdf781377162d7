/* SPDX-License-Identifier: MIT */
/* The fixture generator's kernel worlds checked on their own, without the reader: the KDBG and
 * the lists it names, an orphaned exclusive owner, the waiter's on-stack wait entry and its
 * wait block, the owner table of a shared resource, scenario errors that name the line, fault
 * records and stack frames, and byte-identical output for the same scenario. Offsets come
 * from the profile (data only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fg_scenario.h"
#include "nt/nt_profile.h"
#include "support_dumps.h"

static const char scenario[] =
    "build 19041\n"
    "processors 2\n"
    "bugcheck 0x13C @Owner 1 1 0\n"
    "world ticks=52969\n"
    "module baddrv.sys base=0xfffff80533300000 size=0x9000\n"
    "process System pid=4\n"
    "process app.exe pid=700 ppid=4 create=100\n"
    "thread Owner pid=4 tid=0x1070 terminated qos_boost=1 context_switches=1 start=baddrv.sys+0x1530\n"
    "thread Waiter pid=4 tid=0x10a4 start=baddrv.sys+0x1610 stack=0xffff82871d948000\n"
    "thread S1 pid=4 tid=0x200\n"
    "thread S2 pid=4 tid=0x204\n"
    "thread S3 pid=700 tid=0x208\n"
    "resource Orphaned exclusive owner=Owner:1:qos waiter=Waiter contention=1\n"
    "resource Shared shared owner=S1 owner=S2:2 owner=S3\n"
    "resources_unheld 40\n";

static const nt_profile *prof(void)
{
    const nt_profile *p = nt_profile_for_build(19041);
    assert_non_null(p);
    return p;
}

static uint32_t off(nt_field_id id)
{
    const nt_field *f = nt_field_get(prof(), id);
    assert_non_null(f);
    return f->offset;
}

static uint64_t rd64(fg_dump *d, uint64_t va)
{
    uint8_t b[8];
    assert_int_equal(fg_read(d, va, b, 8), FG_OK);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static uint32_t rd32(fg_dump *d, uint64_t va)
{
    return (uint32_t)rd64(d, va);
}

static uint8_t rd8(fg_dump *d, uint64_t va)
{
    uint8_t b;
    assert_int_equal(fg_read(d, va, &b, 1), FG_OK);
    return b;
}

static fg_dump *build(const char *text)
{
    char err[512];
    fg_dump *d = fg_scenario_build(text, "t.scn", NULL, err, sizeof err);
    if (d == NULL)
        fail_msg("%s", err);
    return d;
}

/* Walks a LIST_ENTRY list with Blink checks; returns the entries, 0-terminated. */
static size_t walk(fg_dump *d, uint64_t head, uint64_t *out, size_t max)
{
    size_t n = 0;
    uint64_t prev = head;
    for (uint64_t e = rd64(d, head); e != head; prev = e, e = rd64(d, e)) {
        assert_true(n < max);
        assert_int_equal(rd64(d, e + 8), prev);
        out[n++] = e;
    }
    assert_int_equal(rd64(d, head + 8), prev);
    return n;
}

static void test_kdbg_and_lists(void **state)
{
    (void)state;
    fg_dump *d = build(scenario);
    fg_config *cfg = fg_config_of(d);
    uint64_t kdbg = cfg->kdbg_va;
    assert_int_equal(rd32(d, kdbg + 0x10), 0x4742444Bu);
    assert_int_equal(rd32(d, kdbg + 0x14), 0x380);
    assert_int_equal(rd64(d, kdbg + 0x48), cfg->ps_loaded_module_list);
    assert_int_equal(rd64(d, kdbg + 0x50), cfg->ps_active_process_head);
    uint64_t e[64];
    assert_int_equal(walk(d, cfg->ps_loaded_module_list, e, 64), 3); /* nt, hal, baddrv */
    assert_int_equal(walk(d, rd64(d, kdbg + 0x60), e, 64), 42);
    assert_int_equal(walk(d, cfg->ps_active_process_head, e, 64), 2);
    /* System's two thread lists hold the same four threads, in file order. */
    uint64_t sys = e[0] - off(NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    uint64_t t1[8], t2[8];
    assert_int_equal(walk(d, sys + off(NT_F_EPROCESS_THREADLISTHEAD), t1, 8), 4);
    assert_int_equal(walk(d, sys + off(NT_F_EPROCESS_PCB_THREADLISTHEAD), t2, 8), 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t1[i] - off(NT_F_ETHREAD_THREADLISTENTRY),
                         t2[i] - off(NT_F_KTHREAD_THREADLISTENTRY));
    assert_int_equal(cfg->bugcheck_params[0], t1[0] - off(NT_F_ETHREAD_THREADLISTENTRY));
    fg_free(d);
}

/* The resource on the list whose owner entry names thread `owner`. */
static uint64_t resource_owned_by(fg_dump *d, uint64_t owner)
{
    uint64_t e[64];
    size_t n = walk(d, rd64(d, fg_config_of(d)->kdbg_va + 0x60), e, 64);
    for (size_t i = 0; i < n; i++)
        if (rd64(d, e[i] + off(NT_F_ERESOURCE_OWNERENTRY)) == owner)
            return e[i];
    fail_msg("no resource owned by 0x%llx", (unsigned long long)owner);
    return 0;
}

static void test_orphan_and_waiter(void **state)
{
    (void)state;
    fg_dump *d = build(scenario);
    uint64_t owner = fg_config_of(d)->bugcheck_params[0];
    uint64_t r = resource_owned_by(d, owner);
    assert_int_equal(rd8(d, r + off(NT_F_ERESOURCE_RESERVEDLOWFLAGS)) & 0x80, 0x80);
    assert_int_equal(rd32(d, r + off(NT_F_ERESOURCE_ACTIVEENTRIES)), 1);
    assert_int_equal(rd32(d, r + off(NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS)), 1);
    /* OwnerCount 1 above the three flag bits, IoQoSPriorityBoosted (bit 2) set. */
    assert_int_equal(rd32(d, r + off(NT_F_ERESOURCE_OWNERENTRY) + 8), (1u << 3) | 4u);
    assert_int_equal(rd32(d, owner + off(NT_F_ETHREAD_IOQOSBOOSTCOUNT)), 1);
    assert_int_equal(rd32(d, owner + off(NT_F_ETHREAD_CROSSTHREADFLAGS)) & 1, 1);
    assert_int_equal(rd8(d, owner + off(NT_F_KTHREAD_STATE)), 4);      /* Terminated */
    assert_int_equal(rd8(d, owner + off(NT_F_KTHREAD_WAITREASON)), 22); /* WrTerminated */
    assert_int_equal(rd32(d, owner + off(NT_F_KTHREAD_WAITTIME)), 0);
    /* The ring: one entry, on the waiter's stack, linked to itself. */
    uint64_t entry = rd64(d, r + off(NT_F_ERESOURCE_EXCLUSIVEWAITERS));
    assert_int_equal(entry, 0xffff82871d947348ull);
    assert_int_equal(rd64(d, entry), entry);
    assert_int_equal(rd64(d, entry + 8), entry);
    uint64_t waiter = rd64(d, entry + off(NT_F_KWAIT_CHAIN_ENTRY_THREAD));
    assert_int_equal(rd8(d, entry + off(NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE)), 1);
    assert_int_equal(rd8(d, entry + off(NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE)), 6);
    assert_true(entry >= rd64(d, waiter + off(NT_F_KTHREAD_STACKLIMIT)));
    assert_true(entry < rd64(d, waiter + off(NT_F_KTHREAD_STACKBASE)));
    /* The waiter waits (WrResource) on the entry's event through its first wait block. */
    uint64_t wb = waiter + off(NT_F_KTHREAD_WAITBLOCK);
    uint64_t event = entry + off(NT_F_KWAIT_CHAIN_ENTRY_EVENT);
    assert_int_equal(rd8(d, waiter + off(NT_F_KTHREAD_STATE)), 5);
    assert_int_equal(rd8(d, waiter + off(NT_F_KTHREAD_WAITREASON)), 27);
    assert_int_equal(rd32(d, waiter + off(NT_F_KTHREAD_WAITTIME)), 52968);
    assert_int_equal(rd64(d, waiter + off(NT_F_KTHREAD_WAITBLOCKLIST)), wb);
    assert_int_equal(rd64(d, wb + off(NT_F_KWAIT_BLOCK_OBJECT)), event);
    assert_int_equal(rd64(d, wb + off(NT_F_KWAIT_BLOCK_THREAD)), waiter);
    assert_int_equal(rd64(d, event + off(NT_F_DISPATCHER_HEADER_WAITLISTHEAD)), wb);
    assert_int_equal(rd64(d, wb), event + off(NT_F_DISPATCHER_HEADER_WAITLISTHEAD));
    fg_free(d);
}

static void test_owner_table(void **state)
{
    (void)state;
    fg_dump *d = build(scenario);
    uint64_t e[64];
    size_t n = walk(d, rd64(d, fg_config_of(d)->kdbg_va + 0x60), e, 64);
    uint64_t r = 0;
    for (size_t i = 0; i < n && r == 0; i++)
        if (rd32(d, e[i] + off(NT_F_ERESOURCE_ACTIVEENTRIES)) == 3)
            r = e[i];
    assert_true(r != 0);
    assert_int_equal(rd8(d, r + off(NT_F_ERESOURCE_RESERVEDLOWFLAGS)) & 0x80, 0);
    uint64_t table = rd64(d, r + off(NT_F_ERESOURCE_OWNERTABLE));
    assert_int_equal(rd32(d, table + 8), 3); /* TableSize counts the header slot */
    assert_int_equal(rd32(d, table + 0x10 + 8), 2u << 3);
    assert_int_equal(rd32(d, table + 0x20 + 8), 1u << 3);
    assert_true(rd64(d, table + 0x10) != 0 && rd64(d, table + 0x20) != 0);
    fg_free(d);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    char err[512];
    const char *bad = "world ticks=10\nprocess System pid=4\nthread T pid=4 tid=8 state=Wating\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:3:"));
    assert_non_null(strstr(err, "Wating"));
    bad = "bugcheck 0x13C @Nobody\nworld ticks=10\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:1:"));
    bad = "world ticks=10\nprocess System pid=4\nthread T pid=4 tid=8\n"
          "resource R exclusive owner=T owner=T\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:4:"));
}

/* A fault's records on the crashing thread's stack, named by the bugcheck; the header CONTEXT
 * and EXCEPTION_RECORD64 are the fault's; stack_frames above the faulting rsp. */
static void test_fault_and_frames(void **state)
{
    (void)state;
    fg_dump *d = build("bugcheck 0x1000008E 0xC0000005 @drv.sys+0x2e41 @trap @exr\n"
                       "world ticks=100\n"
                       "module drv.sys base=0xfffff80538200000 size=0x1a000\n"
                       "process System pid=4\n"
                       "thread T pid=4 tid=8\n"
                       "processor 0 current=T\n"
                       "fault rip=drv.sys+0x2e41 rax=7 info=1,0x10 records=trap+exr\n"
                       "stack_frames T drv.sys+0x1b72 nt+0x252f55\n");
    fg_config *cfg = fg_config_of(d);
    uint64_t rip = 0xfffff80538202e41ull, trap = cfg->bugcheck_params[2];
    uint64_t exr = cfg->bugcheck_params[3], rsp = cfg->context.rsp;
    assert_int_equal(cfg->context.rip, rip);
    assert_int_equal(cfg->context.rax, 7);
    assert_int_equal(cfg->exception.code, 0xC0000005u);
    assert_int_equal(rd64(d, trap + off(NT_F_KTRAP_FRAME_RIP)), rip);
    assert_int_equal(rd64(d, trap + off(NT_F_KTRAP_FRAME_RSP)), rsp);
    assert_int_equal(rd64(d, trap + off(NT_F_KTRAP_FRAME_RAX)), 7);
    assert_int_equal(trap + nt_struct_size(prof(), NT_S_KTRAP_FRAME), rsp);
    assert_int_equal(rd32(d, exr), 0xC0000005u);
    assert_int_equal(rd64(d, exr + 0x10), rip);
    assert_int_equal(rd32(d, exr + 0x18), 2);
    assert_int_equal(rd64(d, exr + 0x28), 0x10);
    assert_int_equal(rd64(d, rsp + 8), 0xfffff80538201b72ull);
    assert_int_equal(rd64(d, rsp + 0x38), 0xfffff80512000000ull + 0x252f55);
    fg_free(d);
}

static void test_same_bytes(void **state)
{
    (void)state;
    fg_dump *da = build(scenario), *db = build(scenario);
    char first[512];
    snprintf(first, sizeof first, "%s", t_emit(da, "world-a"));
    const char *b = t_emit(db, "world-b");
    fg_free(da);
    fg_free(db);
    FILE *fa = fopen(first, "rb"), *fb = fopen(b, "rb");
    assert_non_null(fa);
    assert_non_null(fb);
    int ca, cb;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        assert_int_equal(ca, cb);
    } while (ca != EOF);
    fclose(fa);
    fclose(fb);
    remove(first);
    remove(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdbg_and_lists),
        cmocka_unit_test(test_orphan_and_waiter),
        cmocka_unit_test(test_owner_table),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_fault_and_frames),
        cmocka_unit_test(test_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

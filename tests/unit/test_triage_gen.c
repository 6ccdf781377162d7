/* SPDX-License-Identifier: MIT */
/* The fixture generator's triage dumps (type 4) checked on the file's bytes alone, with a few
 * little-endian reads of its own (no reader code): the TRGD tag, every section inside the file
 * and no two overlapping, the driver list and its string pool, the data blocks, the DumpBlob
 * trailer up to the end of the file, the KPRCB block equal to the KPRCB copy, fault records in
 * the saved stack, the same bytes for the same scenario, and a type 4 without a world refused.
 * Offsets of kernel structures come from the profile (data only). */
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
    "type 4\n"
    "build 19041\n"
    "processors 2\n"
    "bugcheck 0x1000007E 0xFFFFFFFFC0000005 @acmefilt.sys+0x334c @exr @cxr\n"
    "world ticks=240 crash_cpu=1\n"
    "module acmefilt.sys base=0xfffff8048b580000 size=0x3b000\n"
    "module Wdf01000.sys base=0xfffff80479950000 size=0xd1000 path=\\SystemRoot\\system32\\drivers\\Wdf01000.sys\n"
    "process System pid=4\n"
    "thread Worker pid=4 tid=0x108 start=nt+0x225870\n"
    "thread Other pid=4 tid=0x10c\n"
    "processor 1 current=Worker\n"
    "processor 0 current=Other\n"
    "fault rip=acmefilt.sys+0x334c rcx=0x1234 info=0,0x28\n"
    "stack_frames Other acmefilt.sys+0x313f nt+0x225975\n"
    "unloaded dam.sys start=0xfffff80487de0000 end=0xfffff80487dfc000\n"
    "unloaded averyveryverylongname.sys start=0xfffff80487e00000 end=0xfffff80487e10000\n"
    "blob 54c84888-01d1-4c1e-bed6-282c98241303 AmdPPM size=0x1d\n"
    "blob 11111111-2222-3333-4444-555555555555 Second\n";

static const char *const paths[] = {
    "\\SystemRoot\\system32\\ntoskrnl.exe",
    "\\SystemRoot\\system32\\hal.dll",
    "\\SystemRoot\\System32\\drivers\\acmefilt.sys",
    "\\SystemRoot\\system32\\drivers\\Wdf01000.sys",
};

typedef struct file {
    uint8_t *b;
    size_t n;
} file;

static uint64_t le(const file *f, uint64_t off, unsigned bytes)
{
    assert_true(off + bytes <= f->n);
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | f->b[off + i];
    return v;
}

static uint32_t u32(const file *f, uint64_t off)
{
    return (uint32_t)le(f, off, 4);
}

static uint64_t u64(const file *f, uint64_t off)
{
    return le(f, off, 8);
}

static uint32_t prof_size(nt_struct_id id)
{
    const nt_profile *p = nt_profile_for_build(19041);
    assert_non_null(p);
    return nt_struct_size(p, id);
}

static uint32_t prof_off(nt_field_id id)
{
    const nt_profile *p = nt_profile_for_build(19041);
    assert_non_null(p);
    const nt_field *fl = nt_field_get(p, id);
    assert_non_null(fl);
    return fl->offset;
}

static file load(const char *path)
{
    file f = {NULL, 0};
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    f.n = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f.b = malloc(f.n);
    assert_non_null(f.b);
    assert_int_equal(fread(f.b, 1, f.n, fp), f.n);
    fclose(fp);
    return f;
}

static file generate(const char *stem)
{
    char err[512];
    fg_dump *d = fg_scenario_build(scenario, "t.scn", NULL, err, sizeof err);
    if (d == NULL)
        fail_msg("%s", err);
    char path[512];
    snprintf(path, sizeof path, "%s", t_emit(d, stem));
    fg_free(d);
    file f = load(path);
    remove(path);
    return f;
}

/* TRIAGE_DUMP64 fields (dump-format.md 2.3), absolute file offsets */
#define TR(off) (0x2000u + (off))

typedef struct span {
    uint64_t lo, len;
    const char *what;
} span;

static void no_overlaps(const span *s, size_t n, uint64_t limit)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].lo + s[i].len > limit)
            fail_msg("%s [0x%llx, +0x%llx) is past 0x%llx", s[i].what, (unsigned long long)s[i].lo,
                     (unsigned long long)s[i].len, (unsigned long long)limit);
        for (size_t j = 0; j < i; j++)
            if (s[i].len && s[j].len && s[i].lo < s[j].lo + s[j].len && s[j].lo < s[i].lo + s[i].len)
                fail_msg("%s overlaps %s", s[i].what, s[j].what);
    }
}

static void test_sections(void **state)
{
    (void)state;
    file f = generate("triage-a");
    assert_memory_equal(f.b, "PAGEDU64", 8);
    assert_int_equal(u32(&f, 0xF98), 4);
    assert_int_equal(u32(&f, 0x1038), 0xCFF);
    assert_int_equal(u32(&f, 0x1050), 0); /* Attributes written, not the PAGE fill */
    uint32_t size = u32(&f, TR(0x04)), valid = u32(&f, TR(0x08));
    assert_int_equal(size, valid + 4);
    assert_memory_equal(f.b + valid, "TRGD", 4);
    assert_int_equal(u64(&f, 0xFA0), size); /* RequiredDumpSpace */
    assert_int_equal(u32(&f, TR(0x0C)), 0x348);
    assert_int_equal(u32(&f, TR(0x10)), 0xF00);
    assert_int_equal(u32(&f, TR(0x44)), 0xFFFFFFFFu);
    uint32_t mm = u32(&f, TR(0x14)), unl = u32(&f, TR(0x18)), prcb = u32(&f, TR(0x1C));
    uint32_t proc = u32(&f, TR(0x20)), thr = u32(&f, TR(0x24)), stk = u32(&f, TR(0x28));
    uint32_t stk_size = u32(&f, TR(0x2C)), drv = u32(&f, TR(0x30)), ndrv = u32(&f, TR(0x34));
    uint32_t pool = u32(&f, TR(0x38)), pool_size = u32(&f, TR(0x3C));
    uint32_t kdbg = u32(&f, TR(0x70)), kdbg_size = u32(&f, TR(0x74));
    uint32_t blocks = u32(&f, TR(0x78)), nblocks = u32(&f, TR(0x7C));
    assert_int_equal(mm, 0x2080);
    assert_int_equal(u32(&f, mm), 1);
    assert_int_equal(u32(&f, mm + 4), 0x50);
    assert_int_equal(unl, 0x20D0);
    /* Copies follow each other: the distance to the next section is the structure's size. */
    assert_int_equal(proc - prcb, prof_size(NT_S_KPRCB));
    assert_int_equal(thr - proc, prof_size(NT_S_EPROCESS));
    assert_int_equal(stk - thr, prof_size(NT_S_ETHREAD));
    assert_int_equal(kdbg - stk, stk_size);
    assert_int_equal(kdbg_size, 0x380);
    assert_memory_equal(f.b + kdbg + 0x10, "KDBG", 4);
    assert_int_equal(ndrv, 4);
    assert_int_equal(drv, kdbg + kdbg_size);
    assert_int_equal(pool, drv + ndrv * 0x90);
    assert_int_equal(blocks, pool + pool_size);

    span s[64] = {
        {0, 0x2000, "header"},
        {0x2000, 0x80, "triage header"},
        {mm, 0x50, "mm"},
        {unl, 8 + u64(&f, unl) * 0x38, "unloaded"},
        {prcb, proc - prcb, "prcb"},
        {proc, thr - proc, "process"},
        {thr, stk - thr, "thread"},
        {stk, stk_size, "stack"},
        {kdbg, kdbg_size, "kdbg"},
        {drv, ndrv * 0x90ull, "drivers"},
        {pool, pool_size, "pool"},
        {blocks, nblocks * 16ull, "block array"},
        {valid, 4, "TRGD"},
    };
    size_t ns = 13;
    assert_true(nblocks > 0 && nblocks < 40);
    uint64_t prev_end = 0;
    for (uint32_t i = 0; i < nblocks; i++) {
        uint64_t va = u64(&f, blocks + 16 * i);
        uint32_t off = u32(&f, blocks + 16 * i + 8), len = u32(&f, blocks + 16 * i + 12);
        assert_true(va >= prev_end); /* sorted, no two overlapping */
        prev_end = va + len;
        s[ns++] = (span){off, len, "data block"};
    }
    no_overlaps(s, ns, size);
    free(f.b);
}

static void test_drivers_and_unloaded(void **state)
{
    (void)state;
    file f = generate("triage-b");
    uint32_t drv = u32(&f, TR(0x30)), ndrv = u32(&f, TR(0x34));
    uint32_t pool = u32(&f, TR(0x38)), pool_size = u32(&f, TR(0x3C));
    assert_int_equal(ndrv, 4);
    uint32_t expect = pool;
    for (uint32_t i = 0; i < ndrv; i++) {
        uint32_t name = u32(&f, drv + 0x90 * i);
        assert_int_equal(name, expect);
        assert_int_equal(name % 8, 0);
        uint32_t len = u32(&f, name);
        assert_int_equal(len, strlen(paths[i]));
        for (uint32_t k = 0; k < len; k++)
            assert_int_equal(le(&f, name + 4 + 2 * k, 2), (unsigned char)paths[i][k]);
        assert_int_equal(le(&f, name + 4 + 2 * len, 2), 0);
        expect = (name + 4 + 2 * (len + 1) + 7) & ~7u;
    }
    assert_int_equal(expect, pool + pool_size);
    /* DllBase / SizeOfImage of acmefilt.sys where the triage writer puts them */
    assert_int_equal(u64(&f, drv + 0x90 * 2 + 0x38), 0xfffff8048b580000ull);
    assert_int_equal(u32(&f, drv + 0x90 * 2 + 0x48), 0x3b000);
    assert_true(u32(&f, drv + 0x88) != 0); /* ntoskrnl's TimeDateStamp */

    uint32_t unl = u32(&f, TR(0x18));
    assert_int_equal(u64(&f, unl), 2);
    assert_int_equal(le(&f, unl + 8, 2), 2 * strlen("dam.sys"));
    assert_int_equal(le(&f, unl + 8 + 0x10, 2), 'd');
    assert_int_equal(le(&f, unl + 8 + 0x10 + 2 * 7, 2), 0);
    assert_int_equal(u64(&f, unl + 8 + 0x28), 0xfffff80487de0000ull);
    assert_int_equal(u64(&f, unl + 8 + 0x30), 0xfffff80487dfc000ull);
    /* a long name keeps its full Length and its first 12 characters */
    assert_int_equal(le(&f, unl + 8 + 0x38, 2), 2 * strlen("averyveryverylongname.sys"));
    assert_int_equal(le(&f, unl + 8 + 0x38 + 0x10 + 2 * 11, 2), 'r');
    free(f.b);
}

/* The data block holding va (asserts there is one): its file offset for va. */
static uint32_t block_at(const file *f, uint64_t va, uint32_t len)
{
    uint32_t blocks = u32(f, TR(0x78)), nblocks = u32(f, TR(0x7C));
    for (uint32_t i = 0; i < nblocks; i++) {
        uint64_t bva = u64(f, blocks + 16 * i);
        uint32_t off = u32(f, blocks + 16 * i + 8), size = u32(f, blocks + 16 * i + 12);
        assert_true((uint64_t)off + size <= u32(f, TR(0x04)));
        if (va >= bva && va + len <= bva + size)
            return off + (uint32_t)(va - bva);
    }
    fail_msg("no data block holds 0x%llx (+0x%x)", (unsigned long long)va, len);
    return 0;
}

static void test_blocks_and_trailer(void **state)
{
    (void)state;
    file f = generate("triage-c");
    uint32_t prcb = u32(&f, TR(0x1C)), proc = u32(&f, TR(0x20)), thr = u32(&f, TR(0x24));
    /* The crashing processor is 1 (Worker holds the fault context): its KPRCB copy says so, and
     * its CurrentThread is the ETHREAD copy (whose empty MutantListHead points at itself). */
    assert_int_equal(le(&f, prcb + prof_off(NT_F_KPRCB_NUMBER), 1), 1);
    assert_int_equal(u64(&f, thr + prof_off(NT_F_ETHREAD_CID_UNIQUETHREAD)), 0x108);
    uint64_t cur = u64(&f, prcb + prof_off(NT_F_KPRCB_CURRENTTHREAD));
    assert_int_equal(u64(&f, thr + prof_off(NT_F_KTHREAD_MUTANTLISTHEAD)),
                     cur + prof_off(NT_F_KTHREAD_MUTANTLISTHEAD));
    /* KiProcessorBlock (named by the KDBG copy) and the KPRCB it points at are data blocks; the
     * KPRCB block holds the same bytes as the KPRCB copy. */
    uint32_t kdbg = u32(&f, TR(0x70));
    uint64_t kiprcb = u64(&f, kdbg + 0x218);
    uint64_t prcb_va = u64(&f, block_at(&f, kiprcb + 8, 8));
    uint32_t at = block_at(&f, prcb_va, proc - prcb);
    assert_memory_equal(f.b + at, f.b + prcb, proc - prcb);
    /* Arg3 = @exr lies in the saved stack; the record there is the fault's. */
    uint64_t top = u64(&f, TR(0x48)), exr = u64(&f, 0x50);
    uint32_t stk = u32(&f, TR(0x28)), stk_size = u32(&f, TR(0x2C));
    assert_true(exr >= top && exr + 0x98 <= top + stk_size);
    assert_int_equal(u32(&f, stk + (exr - top)), 0xC0000005u);
    assert_int_equal(u64(&f, stk + (exr - top) + 0x10), 0xfffff8048b58334cull);
    assert_int_equal(u64(&f, stk + (exr - top) + 0x28), 0x28);
    assert_int_equal(u64(&f, 0x348 + 0xF8), 0xfffff8048b58334cull); /* header CONTEXT = fault */
    assert_int_equal(u64(&f, 0x348 + 0x80), 0x1234);

    /* DumpBlob trailer: header, then blobs to exactly the end of the file */
    uint64_t p = u32(&f, TR(0x04));
    assert_memory_equal(f.b + p, "DumpBlob", 8);
    assert_int_equal(u32(&f, p + 8), 0x10);
    assert_int_equal(u32(&f, p + 12), 0xF0000000u | 19041u);
    p += 0x10;
    const char *texts[2] = {"AmdPPM", "Second"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(u32(&f, p), 0x20);
        uint32_t data = u32(&f, p + 0x14), pre = u32(&f, p + 0x18), post = u32(&f, p + 0x1C);
        assert_memory_equal(f.b + p + 0x20 + pre, texts[i], strlen(texts[i]) + 1);
        p += 0x20 + pre + data + post;
    }
    assert_int_equal(p, f.n);
    /* GUID 54c84888-01d1-4c1e-... is stored as the real file has it: 88 48 c8 54 d1 01 1e 4c */
    static const uint8_t guid[8] = {0x88, 0x48, 0xc8, 0x54, 0xd1, 0x01, 0x1e, 0x4c};
    assert_memory_equal(f.b + u32(&f, TR(0x04)) + 0x10 + 4, guid, 8);
    free(f.b);
}

static void test_same_bytes(void **state)
{
    (void)state;
    file a = generate("triage-d"), b = generate("triage-e");
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.b, b.b, a.n);
    free(a.b);
    free(b.b);
}

static void test_errors(void **state)
{
    (void)state;
    char err[512];
    assert_null(fg_scenario_build("type 4\nbugcheck 0xE2\n", "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "world"));
    const char *bad = "world ticks=10\nbugcheck 0x7E 0 0 @exr\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "exr"));
    /* a fault needs 0x1DA8 bytes of stack under KeBugCheckEx */
    bad = "world ticks=10\nprocess System pid=4\nthread T pid=4 tid=8 stack_pages=1\n"
          "processor 0 current=T\nfault rip=nt+0x100\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:5:"));
    /* frames past the stack top are refused, naming the line */
    char many[2048];
    int n = snprintf(many, sizeof many, "world ticks=10\nprocess System pid=4\n"
                                        "thread T pid=4 tid=8\nprocessor 0 current=T\n"
                                        "stack_frames T");
    for (int i = 0; i < 60; i++)
        n += snprintf(many + n, sizeof many - (size_t)n, " nt+0x%x", 0x100 + i);
    snprintf(many + n, sizeof many - (size_t)n, "\n");
    assert_null(fg_scenario_build(many, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:5:"));
    assert_non_null(strstr(err, "off thread T's stack"));
    bad = "world ticks=10\nfault rip=nt+0x100 records=exr+bogus\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:2:"));
    bad = "world ticks=10\nblob not-a-guid text\n";
    assert_null(fg_scenario_build(bad, "x.scn", NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.scn:2:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_drivers_and_unloaded),
        cmocka_unit_test(test_blocks_and_trailer),
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

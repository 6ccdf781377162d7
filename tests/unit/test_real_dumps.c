/* SPDX-License-Identifier: MIT */
/* The two real triage dumps in ../shared/data/real-dumps (rizin-testbins; see the README
 * there), checked against the facts an independent reader found in them: header, triage
 * sections, bugcheck, crashing thread, drivers, the faulting instruction and its registers,
 * the suspect, every return address of the x64 call stack among the scanned frames, the
 * secondary data, reads and translations, the ARM64 context, and the CLI's JSON.
 *
 * The files are never copied into the repository: the folder comes from CMake
 * (DI_SHARED_DIR, passed as an environment variable). Without it every test skips and the
 * program exits 77, which ctest counts as skipped (SKIP_RETURN_CODE). */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <cmocka.h>

#include "analysis/an_findings.h"
#include "dump/dmp_dump.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "nt/nt_model.h"
#include "support_dumps.h"
#include "support_os.h"
#include "util/le.h"

#define X64_NAME   "rizinorg_rizin-testbins_triage_x64.dmp"
#define ARM64_NAME "rizinorg_rizin-testbins_triage_arm64.dmp"
#define SKIP_CODE 77

/* One dump opened the way src/api/di_api.c's analyse_model() opens it, plus the public handle. */
typedef struct real_dump {
    char path[1024];
    dmp_dump *dmp;
    mm_space mm;
    nt_model model;
    di_strlist warnings;
    an_analysis an;
    uint32_t code;
    uint64_t params[4];
    di_dump *api;
} real_dump;

static int missing;

static const char *real_path(const char *name, char *buf, size_t cap)
{
    const char *shared = getenv("DI_SHARED_DIR");
    if (!shared || !*shared)
        return NULL;
    snprintf(buf, cap, "%s/data/real-dumps/%s", shared, name);
    FILE *f = fopen(buf, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return buf;
}

static int open_real(void **state, const char *name)
{
    real_dump *r = calloc(1, sizeof *r);
    assert_non_null(r);
    *state = r;
    if (!real_path(name, r->path, sizeof r->path)) {
        missing = 1;
        r->path[0] = '\0';
        return 0;
    }
    io_file *io;
    di_error err = {0};
    if (io_open(r->path, &io, &err) != DI_OK || dmp_open(io, &r->dmp, &err) != DI_OK ||
        mm_space_init(&r->mm, r->dmp, &err) != DI_OK) {
        print_error("%s: %s\n", r->path, err.message);
        return -1;
    }
    if (nt_model_build(&r->model, &r->mm, r->dmp, NULL, &r->warnings) != DI_OK)
        return -1;
    r->code = le32(r->dmp->hdr + DMP_HDR_BUGCHECK_CODE);
    for (int i = 0; i < 4; i++)
        r->params[i] = le64(r->dmp->hdr + DMP_HDR_BUGCHECK_PARAM1 + 8 * i);
    nt_model_sort_threads(&r->model);
    if (an_analyze(&r->model, r->code, r->params, &r->an) != 0)
        return -1;
    if (di_open(r->path, &r->api, &err) != DI_OK) {
        print_error("%s: %s\n", r->path, err.message);
        return -1;
    }
    return 0;
}

static int close_real(void **state)
{
    real_dump *r = *state;
    if (r->dmp) {
        an_analysis_free(&r->an);
        nt_model_free(&r->model);
        di_strlist_free(&r->warnings);
        mm_space_free(&r->mm);
        dmp_close(r->dmp);
    }
    di_close(r->api);
    free(r);
    return 0;
}

static int setup_x64(void **state) { return open_real(state, X64_NAME); }
static int setup_arm64(void **state) { return open_real(state, ARM64_NAME); }

/* The opened dump, or a skip when the shared folder is absent. */
#define REAL(state)                                                                               \
    real_dump *r = *(state);                                                                      \
    if (!r->path[0]) {                                                                            \
        print_message("skipped: the real dumps are not in $DI_SHARED_DIR/data/real-dumps\n");     \
        skip();                                                                                   \
    }

static const dmp_tdriver *driver(const dmp_triage *t, const char *name)
{
    for (size_t i = 0; i < t->ndrivers; i++)
        if (strcmp(t->drivers[i].name, name) == 0)
            return &t->drivers[i];
    return NULL;
}

static const dmp_tblob *blob_with_text(const dmp_triage *t, const char *prefix)
{
    for (size_t i = 0; i < t->nblobs; i++)
        if (strncmp(t->blobs[i].text, prefix, strlen(prefix)) == 0)
            return &t->blobs[i];
    return NULL;
}

static int has_warning(const di_strlist *l, const char *needle)
{
    for (size_t i = 0; i < l->count; i++)
        if (strstr(l->items[i], needle))
            return 1;
    return 0;
}

static void read_file(const char *path, uint64_t off, void *buf, size_t len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
    assert_int_equal(fread(buf, 1, len, f), len);
    fclose(f);
}

/* ---- x64 ---- */

static void test_x64_header(void **state)
{
    REAL(state);
    const uint8_t *h = r->dmp->hdr;
    assert_int_equal(r->dmp->dump_type, 4);
    assert_int_equal(r->dmp->machine, DMP_MACHINE_X64);
    assert_int_equal(le32(h + DMP_HDR_MAJOR_VERSION), 0xF);
    assert_int_equal(le32(h + DMP_HDR_MINOR_VERSION), 19041);
    assert_int_equal(le32(h + DMP_HDR_NUMBER_PROCESSORS), 16);
    assert_true(le64(h + DMP_HDR_DIRECTORY_TABLE_BASE) == 0x1AD000);
    assert_true(di_kernel_cr3(r->api) == 0x1AD000);
    assert_true(le64(h + DMP_HDR_KD_DEBUGGER_DATA) == 0xfffff8047c600b20ull);
    assert_true(le64(h + DMP_HDR_PS_LOADED_MODULES) == 0xfffff8047c62a390ull);
    assert_true(le64(h + DMP_HDR_PS_ACTIVE_PROCESSES) == 0xfffff8047c61e200ull);
    /* Attributes holds the "PAGE" fill, whose bit 8 would say "encrypted": it is unset, and
     * the file opened. */
    assert_int_equal(le32(h + DMP_HDR_ATTRIBUTES), DMP_FILL32);
    assert_false(di_is_damaged(r->api));
}

static void test_x64_triage_sections(void **state)
{
    REAL(state);
    const dmp_triage *t = r->dmp->triage;
    assert_non_null(t);
    assert_int_equal(t->size_of_dump, 0x13A28C);
    assert_int_equal(t->valid_offset, 0x13A288);
    assert_true(t->valid_tag);
    static const struct {
        dmp_tsec s;
        uint64_t offset;
    } want[] = {{DMP_TS_CONTEXT, 0x348},   {DMP_TS_EXCEPTION, 0xF00},  {DMP_TS_MM, 0x2080},
                {DMP_TS_UNLOADED, 0x20D0}, {DMP_TS_PRCB, 0x21B8},      {DMP_TS_PROCESS, 0xD0B8},
                {DMP_TS_THREAD, 0xDAF8},   {DMP_TS_STACK, 0xE390},     {DMP_TS_DRIVERS, 0x10828},
                {DMP_TS_STRINGS, 0x15D18}, {DMP_TS_DEBUGGER, 0x104A8}, {DMP_TS_BLOCKS, 0x19438}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const dmp_tsection *sec = &t->sec[want[i].s];
        if (sec->offset != want[i].offset || !sec->usable)
            fail_msg("section %s: offset 0x%llx usable %d, expected 0x%llx", dmp_tsec_name(want[i].s),
                     (unsigned long long)sec->offset, sec->usable, (unsigned long long)want[i].offset);
    }
    assert_int_equal(t->sec[DMP_TS_STACK].size, 0x2118);
    assert_true(t->top_of_stack == 0xFFFF850429890EE8ull);
    assert_int_equal(t->drivers_declared, 151);
    assert_int_equal(t->sec[DMP_TS_DRIVERS].size, 151 * 0x90);
    assert_int_equal(t->sec[DMP_TS_STRINGS].size, 0x3720);
    assert_int_equal(t->sec[DMP_TS_DEBUGGER].size, 0x380);
    assert_int_equal(t->blocks_declared, 1831);
    assert_int_equal(le32(t->hdr + DMP_TRI_BROKEN_OFFSET), 0);
    assert_int_equal(le32(t->hdr + DMP_TRI_OPTIONS), 0xFFFFFFFFu);
    /* The KDBG copy's tag. */
    uint8_t tag[4];
    read_file(r->path, 0x104A8 + 0x10, tag, 4);
    assert_memory_equal(tag, "KDBG", 4);
}

static void test_x64_bugcheck(void **state)
{
    REAL(state);
    assert_int_equal(r->code, 0x1000007Eu);
    assert_true(r->params[0] == 0xFFFFFFFFC0000005ull);
    assert_true(r->params[1] == 0xFFFFF8048B58334Cull);
    assert_true(r->params[2] == 0xFFFF850429891EE8ull);
    assert_true(r->params[3] == 0xFFFF850429891720ull);
}

static void test_x64_thread(void **state)
{
    REAL(state);
    const nt_model *m = &r->model;
    assert_false(m->profile_rejected);
    assert_non_null(m->ctx.prof);
    assert_int_equal(m->kdbg.state, NT_KDBG_OK);
    const nt_thread *th = NULL;
    for (size_t i = 0; i < m->nthreads; i++)
        if (m->threads[i].tid == 0x108)
            th = &m->threads[i];
    assert_non_null(th);
    assert_int_equal(th->pid, 4);
    assert_int_equal(th->state, nt_enum(&m->ctx, NT_E_KTHREAD_STATE_RUNNING));
    assert_true(th->start_address == 0xFFFFF8047BC25870ull);
    const nt_module *mod = nt_model_module_at(m, th->start_address);
    assert_non_null(mod);
    assert_string_equal(mod->name, "ntoskrnl.exe");
    assert_true(th->start_address - mod->base == 0x225870);
    const nt_process *p = nt_model_process_by_pid(m, 4);
    assert_non_null(p);
    assert_string_equal(p->short_name, "System");
    assert_true(p->dtb == 0x1AD000);
    assert_int_equal(m->nprocessors, 1);
    assert_true(m->processors[0].current_thread == th->va);
}

/* The kernel file, exactly: ntoskrnl's TimeDateStamp 0x0D8333E6 + SizeOfImage 0x1046000 in the
 * driver list name 10.0.19041.804 (../shared/data/ntoskrnl-versions/README.md). */
static void test_x64_kernel_identity(void **state)
{
    REAL(state);
    const nt_model *m = &r->model;
    assert_true(m->ident.have_stamp);
    assert_true(m->ident.timestamp == 0x0D8333E6u);
    assert_true(m->ident.size == 0x1046000u);
    assert_true(m->ident.known);
    assert_string_equal(m->ident.text, "10.0.19041.804");
    assert_non_null(m->ctx.prof);
    assert_true(m->profile.revision_known);
    assert_int_equal(m->ctx.prof->kernel, 19041);
}

static void test_x64_modules(void **state)
{
    REAL(state);
    const dmp_triage *t = r->dmp->triage;
    assert_int_equal(t->ndrivers, 151);
    assert_int_equal(r->model.nmodules, 151);
    assert_true(r->model.modules_complete);
    const dmp_tdriver *nt = driver(t, "ntoskrnl.exe");
    assert_non_null(nt);
    assert_true(nt->base == 0xFFFFF8047BA00000ull);
    assert_int_equal(nt->size, 0x1046000);
    assert_int_equal(nt->timestamp, 0x0D8333E6);
    const dmp_tdriver *amd = driver(t, "amdppm.sys");
    assert_non_null(amd);
    assert_true(amd->base == 0xFFFFF8048B580000ull);
    assert_int_equal(amd->size, 0x3B000);
    assert_int_equal(amd->timestamp, 0xC9C03000u);
    assert_true(r->model.kernel.base == 0xFFFFF8047BA00000ull);
    assert_int_equal(r->model.kernel.size, 0x1046000);
    assert_int_equal(r->model.kernel.timestamp, 0x0D8333E6);
}

static void test_x64_fault(void **state)
{
    REAL(state);
    const an_fault *f = &r->an.fault;
    assert_true(f->applies);
    assert_true(f->address == 0xfffff8048b58334cull);
    assert_non_null(f->module);
    assert_string_equal(f->module->name, "amdppm.sys");
    assert_true(f->address - f->module->base == 0x334c);
    assert_true(f->have_record);
    assert_true(f->record_va == 0xFFFF850429891EE8ull);
    assert_true(f->have_code);
    assert_int_equal(f->code, 0xC0000005u);
    assert_true(f->regs.present);
    assert_string_equal(f->regs.kind, "context");
    assert_true(f->regs.va == 0xFFFF850429891720ull);
    assert_true(f->regs.rip == 0xfffff8048b58334cull);
    assert_true(f->regs.gpr_known[4] && f->regs.gpr[4] == 0xffff850429892120ull); /* rsp */
    assert_true(f->regs.gpr_known[5] && f->regs.gpr[5] == 0xfffff8048b58f598ull); /* rbp */
    /* The header CONTEXT is the same record. */
    const uint8_t *ctx = r->dmp->hdr + DMP_HDR_CONTEXT;
    assert_true(le64(ctx + DMP_CTX_RIP) == 0xfffff8048b58334cull);
    assert_true(le64(ctx + DMP_CTX_RAX + 8 * 4) == 0xffff850429892120ull);
    assert_true(le64(ctx + DMP_CTX_RAX + 8 * 5) == 0xfffff8048b58f598ull);
}

static void test_x64_suspect(void **state)
{
    REAL(state);
    assert_non_null(r->an.suspect);
    assert_string_equal(r->an.suspect->name, "amdppm.sys");
    const an_finding *fm = NULL;
    for (size_t i = 0; i < r->an.nfindings; i++)
        if (r->an.findings[i].kind == AN_FAULTING_MODULE)
            fm = &r->an.findings[i];
    assert_non_null(fm);
    assert_non_null(fm->module);
    assert_string_equal(fm->module->name, "amdppm.sys");
}

/* Frames 1-35 of the README's table: every return address lies on the saved stack. */
static const struct {
    uint64_t address;
    const char *module;
} frames[] = {
    {0xfffff8047be0f4e1ull, "ntoskrnl.exe"}, {0xfffff8047bdcc052ull, "ntoskrnl.exe"},
    {0xfffff8047bdfe942ull, "ntoskrnl.exe"}, {0xfffff8047bd2bf97ull, "ntoskrnl.exe"},
    {0xfffff8047bd2ab86ull, "ntoskrnl.exe"}, {0xfffff8047be07bacull, "ntoskrnl.exe"},
    {0xfffff8047be031f5ull, "ntoskrnl.exe"}, {0xfffff8048b58334cull, "amdppm.sys"},
    {0xfffff8048b58313full, "amdppm.sys"},   {0xfffff8048b583234ull, "amdppm.sys"},
    {0xfffff8048b5a0e8full, "amdppm.sys"},   {0xfffff8048b5a83f6ull, "amdppm.sys"},
    {0xfffff8048b59f852ull, "amdppm.sys"},   {0xfffff804799cc027ull, "Wdf01000.sys"},
    {0xfffff80479966f81ull, "Wdf01000.sys"}, {0xfffff804799cb227ull, "Wdf01000.sys"},
    {0xfffff804799c9e21ull, "Wdf01000.sys"}, {0xfffff804799c99daull, "Wdf01000.sys"},
    {0xfffff804799cb6b1ull, "Wdf01000.sys"}, {0xfffff804799cb47aull, "Wdf01000.sys"},
    {0xfffff804799d299eull, "Wdf01000.sys"}, {0xfffff8047995cc5full, "Wdf01000.sys"},
    {0xfffff8047995a866ull, "Wdf01000.sys"}, {0xfffff8047bc52f55ull, "ntoskrnl.exe"},
    {0xfffff8047c1548a6ull, "ntoskrnl.exe"}, {0xfffff8047bce0d1eull, "ntoskrnl.exe"},
    {0xfffff8047bd6ab7cull, "ntoskrnl.exe"}, {0xfffff8047c123760ull, "ntoskrnl.exe"},
    {0xfffff8047c12362full, "ntoskrnl.exe"}, {0xfffff8047c126bddull, "ntoskrnl.exe"},
    {0xfffff8047c1bdf0cull, "ntoskrnl.exe"}, {0xfffff8047bd6c2ecull, "ntoskrnl.exe"},
    {0xfffff8047bc25975ull, "ntoskrnl.exe"}, {0xfffff8047bd17e25ull, "ntoskrnl.exe"},
    {0xfffff8047bdfd0d8ull, "ntoskrnl.exe"},
};

static void test_x64_stack_scan(void **state)
{
    REAL(state);
    assert_int_equal(sizeof frames / sizeof frames[0], 35);
    assert_true(r->model.saved_stack_va == 0xFFFF850429890EE8ull);
    assert_true(r->model.saved_stack_size == 0x2118);
    assert_true(r->an.nscan > 0);
    assert_false(r->an.scan_truncated);
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        int found = 0;
        for (size_t k = 0; k < r->an.nscan && !found; k++) {
            const an_frame *fr = &r->an.scan[k];
            found = fr->address == frames[i].address && fr->module && strcmp(fr->module->name, frames[i].module) == 0;
            if (found) {
                assert_true(fr->sp >= r->model.saved_stack_va);
                assert_true(fr->sp < r->model.saved_stack_va + r->model.saved_stack_size);
            }
        }
        if (!found)
            fail_msg("frame %zu (0x%016llx, %s) is not among the %zu scanned frames", i + 1,
                     (unsigned long long)frames[i].address, frames[i].module, r->an.nscan);
    }
}

/* The crashing thread's stack as the unwinder walks it: from the header CONTEXT (the fault's,
 * README frame 8); no module image is captured, so the walk ends pdata_missing and scans the
 * rest of the saved stack. Frames 9-35 are found at the README's sp values. */
static const uint64_t frame_sp[] = {
    0xffff850429892150ull, 0xffff850429892180ull, 0xffff8504298921b0ull, 0xffff850429892210ull,
    0xffff850429892340ull, 0xffff850429892380ull, 0xffff8504298923d0ull, 0xffff850429892410ull,
    0xffff850429892460ull, 0xffff8504298924a0ull, 0xffff850429892530ull, 0xffff8504298925a0ull,
    0xffff850429892630ull, 0xffff850429892660ull, 0xffff8504298926d0ull, 0xffff850429892730ull,
    0xffff850429892770ull, 0xffff8504298927b0ull, 0xffff850429892820ull, 0xffff8504298928b0ull,
    0xffff850429892940ull, 0xffff850429892990ull, 0xffff850429892a60ull, 0xffff850429892ab0ull,
    0xffff850429892b70ull, 0xffff850429892c10ull, 0xffff850429892c60ull,
};

static void test_x64_crash_stack(void **state)
{
    REAL(state);
    assert_non_null(r->an.stacker);
    const nt_thread *t = nt_model_thread(&r->model, r->an.stacker->crash_thread);
    assert_non_null(t);
    assert_true(t->tid == 0x108);
    an_thread_stacks *ts = malloc(sizeof *ts);
    assert_non_null(ts);
    an_walk_thread(r->an.stacker, t, ts);
    assert_int_equal(ts->n, 1); /* the header CONTEXT is the record Arg4 names: one walk */
    const uw_stack *s = &ts->walk[0].stack;
    assert_string_equal(ts->walk[0].start, "header_context");
    assert_int_equal(s->end, UW_END_PDATA_MISSING);
    assert_true(s->frames[0].ip == 0xfffff8048b58334cull && s->frames[0].sp == 0xffff850429892120ull);
    assert_int_equal(s->frames[0].trust, UW_TRUST_CONTEXT);
    for (size_t i = 0; i < sizeof frame_sp / sizeof frame_sp[0]; i++) {
        size_t readme = i + 9;
        int found = 0;
        for (size_t k = s->nunwound; k < s->n && !found; k++)
            found = s->frames[k].ip == frames[readme - 1].address && s->frames[k].sp == frame_sp[i] &&
                    s->frames[k].trust == UW_TRUST_SCAN;
        if (!found)
            fail_msg("frame %zu (0x%016llx at sp 0x%016llx) is not on the walked stack", readme,
                     (unsigned long long)frames[readme - 1].address, (unsigned long long)frame_sp[i]);
    }
    /* The suspect stays the faulting driver: a non-OS faulting module outranks stacks. */
    assert_non_null(r->an.suspect);
    assert_string_equal(r->an.suspect->name, "amdppm.sys");
    free(ts);
}

static void test_x64_secondary_data(void **state)
{
    REAL(state);
    const dmp_triage *t = r->dmp->triage;
    assert_true(t->have_blobs);
    assert_int_equal(t->blob_build, 0xF0004A61u);
    assert_true(t->nblobs > 0);
    const dmp_tblob *b = blob_with_text(t, "AmdPPM");
    if (!b)
        fail_msg("no blob starts with \"AmdPPM\" (%zu blobs, the first: \"%s\")", t->nblobs, t->blobs[0].text);
    assert_true(b->offset > t->size_of_dump);
}

static void test_x64_unloaded(void **state)
{
    REAL(state);
    const dmp_triage *t = r->dmp->triage;
    assert_true(t->unloaded_declared == 4);
    assert_int_equal(t->nunloaded, 4);
    assert_string_equal(t->unloaded[0].name, "dam.sys");
}

static void test_x64_reads(void **state)
{
    REAL(state);
    uint8_t got[0x200], want[0x200];
    di_error err = {0};
    assert_int_equal(di_read_virtual(r->api, DI_CR3_KERNEL, 0xFFFF850429890EE8ull, got, sizeof got, &err), DI_OK);
    read_file(r->path, 0xE390, want, sizeof want);
    assert_memory_equal(got, want, sizeof got);
    /* The last saved byte, and the first one past the stack. */
    assert_int_equal(di_read_virtual(r->api, DI_CR3_KERNEL, 0xFFFF850429890EE8ull + 0x2118 - 8, got, 8, &err), DI_OK);
    uint64_t uncaptured = 0xFFFFF80000000000ull;
    assert_null(dmp_triage_region_at(r->dmp->triage, uncaptured));
    assert_int_equal(di_read_virtual(r->api, DI_CR3_KERNEL, uncaptured, got, 8, &err), DI_E_NOT_CAPTURED);
    assert_int_equal(err.status, DI_E_NOT_CAPTURED);
    assert_non_null(strstr(err.message, "0xfffff80000000000"));
    di_translation tr;
    assert_int_equal(di_translate(r->api, DI_CR3_KERNEL, 0xFFFF850429890EE8ull, &tr, &err), DI_E_UNSUPPORTED);
    assert_int_equal(err.status, DI_E_UNSUPPORTED);
}

/* ---- ARM64 ---- */

static void test_arm64_header(void **state)
{
    REAL(state);
    const uint8_t *h = r->dmp->hdr;
    assert_int_equal(r->dmp->dump_type, 4);
    assert_int_equal(le32(h + DMP_HDR_MACHINE_IMAGE_TYPE), 0xAA64);
    assert_int_equal(r->dmp->machine, DMP_MACHINE_ARM64);
    assert_int_equal(le32(h + DMP_HDR_MINOR_VERSION), 22000);
    assert_int_equal(le32(h + DMP_HDR_NUMBER_PROCESSORS), 8);
    assert_int_equal(r->code, 0x1C8);
    assert_true(r->params[0] == 0x1B58);
    assert_true(r->params[1] == 0xFFFFF803F3A20860ull);
    assert_true(r->params[2] == 0);
    assert_true(r->params[3] == 0);
    const dmp_triage *t = r->dmp->triage;
    assert_int_equal(t->size_of_dump, 0xAC46C);
    assert_true(t->valid_tag);
    assert_true(t->top_of_stack == 0xFFFFE00E0E4BC4A0ull);
    assert_int_equal(t->ndrivers, 245);
    assert_int_equal(r->model.nmodules, 245);
    assert_non_null(driver(t, "ntoskrnl.exe"));
    assert_true(driver(t, "ntoskrnl.exe")->base == 0xFFFFF803F2E00000ull);
}

static void test_arm64_context(void **state)
{
    REAL(state);
    /* ARM64_NT_CONTEXT at 0x348 (dump-format.md 1.3). */
    const uint8_t *c = r->dmp->hdr + DMP_HDR_CONTEXT;
    assert_true(le64(c + DMP_A64_CTX_PC) == 0xFFFFF803F32DE014ull);
    assert_true(le64(c + DMP_A64_CTX_SP) == 0xFFFFE00E0E4BC4A0ull);
    assert_true(le64(c + DMP_A64_CTX_FP) == 0xFFFFE00E0E4BC4A0ull);
    assert_true(le64(c + DMP_A64_CTX_LR) == 0);
    assert_int_equal(le32(c + DMP_A64_CTX_CPSR), 0x80000144u);
    assert_true(le64(c + DMP_A64_CTX_X0 + 8 * 25) == 0x1B58);
    assert_true(le64(c + DMP_A64_CTX_X0 + 8 * 26) == 0xFFFFF803F3A20860ull);
    assert_int_equal(le32(c + DMP_A64_CTX_FPSR), 0x10);
}

static void test_arm64_no_x64_profile(void **state)
{
    REAL(state);
    assert_null(r->model.ctx.prof);
    if (!has_warning(&r->warnings, "ARM64"))
        fail_msg("no model warning names ARM64 (%zu warnings)", r->warnings.count);
    const dmp_triage *t = r->dmp->triage;
    assert_true(t->have_blobs);
    assert_non_null(blob_with_text(t, "win32kfull"));
}

/* ---- The CLI on both files ---- */

static void cli_json(const real_dump *r, const char *code)
{
    const char *cli = getenv("DI_CLI");
    if (!cli)
        fail_msg("DI_CLI is not set (run through ctest)");
    const char *out_path = t_path("real-cli-out"), *err_path = t_path("real-cli-err");
    const char *argv[] = {cli, r->path, NULL};
    int rc = t_spawn(argv, NULL, out_path, err_path);
    if (rc != 0) {
        char *e = t_slurp(err_path, NULL);
        fail_msg("dumpinspect %s: exit %d: %s", r->path, rc, e);
    }
    char *out = t_slurp(out_path, NULL);
    cJSON *doc = cJSON_Parse(out);
    assert_non_null(doc);
    const cJSON *bc = cJSON_GetObjectItemCaseSensitive(doc, "bugcheck");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(bc, "code");
    assert_true(cJSON_IsString(c));
    assert_string_equal(c->valuestring, code);
    cJSON_Delete(doc);
    free(out);
}

static void test_x64_cli(void **state)
{
    REAL(state);
    cli_json(r, "0x1000007e");
    /* and the report names the kernel file */
    const char *cli = getenv("DI_CLI");
    const char *out_path = t_path("real-cli-kfv");
    const char *argv[] = {cli, r->path, NULL};
    assert_int_equal(t_spawn(argv, NULL, out_path, t_path("real-cli-kfv-err")), 0);
    char *out = t_slurp(out_path, NULL);
    cJSON *doc = cJSON_Parse(out);
    assert_non_null(doc);
    const cJSON *kfv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "system"),
                                                       "kernel_file_version");
    assert_true(cJSON_IsString(kfv));
    assert_string_equal(kfv->valuestring, "10.0.19041.804");
    cJSON_Delete(doc);
    free(out);
}

static void test_arm64_cli(void **state)
{
    REAL(state);
    cli_json(r, "0x000001c8");
}

int main(void)
{
    const struct CMUnitTest x64[] = {
        cmocka_unit_test(test_x64_header),         cmocka_unit_test(test_x64_triage_sections),
        cmocka_unit_test(test_x64_bugcheck),       cmocka_unit_test(test_x64_thread),
        cmocka_unit_test(test_x64_kernel_identity),
        cmocka_unit_test(test_x64_modules),        cmocka_unit_test(test_x64_fault),
        cmocka_unit_test(test_x64_suspect),        cmocka_unit_test(test_x64_stack_scan),
        cmocka_unit_test(test_x64_crash_stack),
        cmocka_unit_test(test_x64_secondary_data), cmocka_unit_test(test_x64_unloaded),
        cmocka_unit_test(test_x64_reads),          cmocka_unit_test(test_x64_cli),
    };
    const struct CMUnitTest arm64[] = {
        cmocka_unit_test(test_arm64_header),
        cmocka_unit_test(test_arm64_context),
        cmocka_unit_test(test_arm64_no_x64_profile),
        cmocka_unit_test(test_arm64_cli),
    };
    int failed = cmocka_run_group_tests_name("real x64 triage dump", x64, setup_x64, close_real);
    failed += cmocka_run_group_tests_name("real ARM64 triage dump", arm64, setup_arm64, close_real);
    /* cmocka counts skipped tests as passed; ctest is told with SKIP_RETURN_CODE. */
    return failed ? failed : missing ? SKIP_CODE : 0;
}

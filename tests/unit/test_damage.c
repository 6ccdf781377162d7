/* SPDX-License-Identifier: MIT */
/* The damage corpus: the good lock-0x13c world (tests/scenarios/lock-0x13c.scn) damaged in
 * every way a crash, a disk or a copy can damage a dump -- zeroed pages in the middle of
 * lists, truncated files, torn page tables, bitflips in the header and in kernel objects,
 * lists that loop back, pointers into user space or off the canonical range -- each with the
 * outcome the reader must give: how di_open ends, the CLI's exit code (0, 4, 5 or 7: the
 * report is partial exactly when di_is_damaged), a text some warning must hold, which
 * findings must survive and which must not appear (the reader never guesses a fact).
 *
 * Every case also checks invariants no damage may break: the CLI prints the same bytes the
 * API builds (deterministic), no lock other than the world's one orphan is ever reported
 * orphaned (its other owners are live), no waiter ring lists one wait entry twice, and a
 * damaged report carries warnings. A watchdog turns a hang into a failure.
 *
 * A case with a `known` mask documents a reader bug that src/ must fix (its comment says what
 * happens, what should, and where to fix it). The case still runs in full; only the checks
 * in the mask are deferred, and the case then reports SKIPPED with the bug's one-line
 * description. DI_DAMAGE_KNOWN_BUGS=1 enforces those checks too (the cases fail, showing the
 * problem). A known bug that stops showing fails its case, so the mark is dropped once src/
 * is fixed and the case guards the fix. DI_DAMAGE_VERBOSE=1 prints each case's warnings and
 * findings; DI_DAMAGE_CASE=NAME runs one case. */
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

#include "dump/dmp_layout.h"
#include "fg_scenario.h"
#include "nt/nt_kdbg.h"
#include "nt/nt_profile.h"
#include "support_dumps.h"
#include "support_os.h"

/* ---- The world, as lock-0x13c.scn lays it out ---- */

#define SCENARIO DI_SOURCE_DIR "/tests/scenarios/lock-0x13c.scn"
#define OWNER 0xffff8b0351756040ull      /* Owner: terminated, still owns Orphaned (va= in the scenario) */
#define WAITER 0xffff8b03515d5040ull     /* Waiter: waits for Orphaned */
#define WAIT_ENTRY 0xffff82871d947348ull /* the Waiter's wait entry, on its own stack */
#define OWNER_TID 0x1070u
#define WAITER_TID 0x10a4u
#define BUCKET "0x13C_INVALID_IO_BOOST_STATE_orphaned_lock_baddrv.sys"
#define NPROCESSES 9 /* 8 on PsActiveProcessHead, and Idle (pid 0) from the idle threads */
#define NMODULES 6
#define NRESOURCES 3005 /* 5 declared + resources_unheld 3000 */
#define KUSER_SHARED_DATA 0xfffff78000000000ull
#define USER_VA 0x00007ff612340000ull     /* a user-mode address */
#define NONCANONICAL 0x0000800000000000ull /* the first non-canonical address */
#define PAGE 0x1000ull

/* The world's declared resources, by owner, found in the generator's memory. */
typedef struct world {
    uint64_t orphan;       /* Orphaned: Owner exclusive, Waiter waits */
    uint64_t ntfs_vcb;     /* FsWorker exclusive */
    uint64_t ntfs_fcb;     /* FsWorker and LazyWriter shared (an owner table) */
    uint64_t clfs_log;     /* ClfsFlush exclusive, count 2 */
    uint64_t fs_worker;    /* FsWorker's ETHREAD */
} world;

/* ---- Generator memory: reads, writes, bitflips, list and page-table walks ---- */

static const nt_profile *prof(void)
{
    const nt_profile *p = nt_profile_for_build(19041);
    assert_non_null(p);
    return p;
}

static uint32_t off_of(nt_field_id id)
{
    const nt_field *f = nt_field_get(prof(), id);
    if (!f)
        fail_msg("the 19041 profile lacks %s", nt_field_name(id));
    return f->offset;
}

static uint64_t le_bytes(const uint8_t *b, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint64_t g64(fg_dump *d, uint64_t va)
{
    uint8_t b[8];
    if (fg_read(d, va, b, 8) != FG_OK)
        fail_msg("generator read at 0x%016llx: %s", (unsigned long long)va, fg_error(d));
    return le_bytes(b, 8);
}

static uint64_t g_phys64(fg_dump *d, uint64_t pa)
{
    uint8_t b[8];
    if (fg_read_phys(d, pa, b, 8) != FG_OK)
        fail_msg("generator physical read at 0x%llx: %s", (unsigned long long)pa, fg_error(d));
    return le_bytes(b, 8);
}

static void p64(fg_dump *d, uint64_t va, uint64_t v)
{
    if (fg_write_u64(d, va, v) != FG_OK)
        fail_msg("generator write at 0x%016llx: %s", (unsigned long long)va, fg_error(d));
}

static void p_phys64(fg_dump *d, uint64_t pa, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    if (fg_write_phys(d, pa, b, 8) != FG_OK)
        fail_msg("generator physical write at 0x%llx: %s", (unsigned long long)pa, fg_error(d));
}

/* Flip bit `bit` counted from the byte at va. */
static void flip(fg_dump *d, uint64_t va, unsigned bit)
{
    uint8_t b;
    va += bit / 8;
    if (fg_read(d, va, &b, 1) != FG_OK)
        fail_msg("generator read at 0x%016llx: %s", (unsigned long long)va, fg_error(d));
    b ^= (uint8_t)(1u << (bit % 8));
    if (fg_write_u8(d, va, b) != FG_OK)
        fail_msg("generator write at 0x%016llx: %s", (unsigned long long)va, fg_error(d));
}

/* Flip bit k of a profile field of the object at base (k counts from the field's first bit). */
static void flip_field(fg_dump *d, uint64_t base, nt_field_id id, unsigned k)
{
    const nt_field *f = nt_field_get(prof(), id);
    assert_non_null(f);
    assert_true(f->bit_width == 0 ? k < 8u * f->size : k < f->bit_width);
    flip(d, base + f->offset, f->bit_pos + k);
}

/* The page holding va reads back as zeros (still mapped, still in the dump). */
static void zero_page(fg_dump *d, uint64_t va)
{
    if (fg_fill(d, va & ~(PAGE - 1), 0, PAGE) != FG_OK)
        fail_msg("zeroing the page at 0x%016llx: %s", (unsigned long long)va, fg_error(d));
}

/* The entry n steps after head (n = 0: the first entry). */
static uint64_t nth_entry(fg_dump *d, uint64_t head, unsigned n)
{
    uint64_t e = g64(d, head);
    while (n--) {
        assert_true(e != head);
        e = g64(d, e);
    }
    assert_true(e != head);
    return e;
}

/* The last entry of the list at head. */
static uint64_t last_entry(fg_dump *d, uint64_t head)
{
    return g64(d, head + 8);
}

static uint64_t process_head(fg_dump *d) { return fg_config_of(d)->ps_active_process_head; }
static uint64_t module_head(fg_dump *d) { return fg_config_of(d)->ps_loaded_module_list; }
static uint64_t resource_head(fg_dump *d) { return g64(d, fg_config_of(d)->kdbg_va + NT_KDBG_EXP_SYSTEM_RES); }

/* The ActiveProcessLinks of the n-th process (0 = System). */
static uint64_t process_links(fg_dump *d, unsigned n) { return nth_entry(d, process_head(d), n); }
static uint64_t process_va(fg_dump *d, unsigned n)
{
    return process_links(d, n) - off_of(NT_F_EPROCESS_ACTIVEPROCESSLINKS);
}
static uint64_t system_thread_head(fg_dump *d) { return process_va(d, 0) + off_of(NT_F_EPROCESS_THREADLISTHEAD); }
static uint64_t thread_links(uint64_t thread) { return thread + off_of(NT_F_ETHREAD_THREADLISTENTRY); }
static uint64_t resource_links(uint64_t res) { return res + off_of(NT_F_ERESOURCE_SYSTEMRESOURCESLIST); }
static uint64_t resource_of_links(uint64_t links) { return links - off_of(NT_F_ERESOURCE_SYSTEMRESOURCESLIST); }
static uint64_t owner_thread_va(uint64_t res)
{
    return res + off_of(NT_F_ERESOURCE_OWNERENTRY) + off_of(NT_F_OWNER_ENTRY_OWNERTHREAD);
}
static uint64_t module_links(fg_dump *d, unsigned n) { return nth_entry(d, module_head(d), n); }

/* The list position of resource res (0 = first after the head). */
static unsigned resource_index(fg_dump *d, uint64_t res)
{
    uint64_t head = resource_head(d), e = g64(d, head);
    for (unsigned i = 0; e != head; i++, e = g64(d, e))
        if (resource_of_links(e) == res)
            return i;
    fail_msg("resource 0x%016llx is not on the list", (unsigned long long)res);
    return 0;
}

/* Finds the declared resources by their owners: the held ones are on the list in the
 * scenario's order (Orphaned, NtfsVcb, NtfsFcb, ClfsLog, ExplorerKey). */
static world find_world(fg_dump *d)
{
    world w = {0};
    uint64_t head = resource_head(d), held[5] = {0}, owner[5] = {0};
    unsigned n = 0;
    for (uint64_t e = g64(d, head); e != head; e = g64(d, e)) {
        uint64_t r = resource_of_links(e), o = g64(d, owner_thread_va(r));
        if (o && n < 5) {
            held[n] = r;
            owner[n++] = o;
        }
    }
    assert_int_equal(n, 5);
    assert_true(owner[0] == OWNER);
    /* NtfsVcb and NtfsFcb have the same first owner: FsWorker. */
    assert_true(owner[1] == owner[2] && owner[1] != OWNER);
    w.orphan = held[0];
    w.ntfs_vcb = held[1];
    w.ntfs_fcb = held[2];
    w.clfs_log = held[3];
    w.fs_worker = owner[1];
    return w;
}

/* Physical address of the paging entry at `level` (0 PML4E, 1 PDPTE, 2 PDE, 3 PTE) that maps
 * va, found by walking the generator's own tables from fg_dtb. */
static uint64_t pt_entry_pa(fg_dump *d, uint64_t va, unsigned level)
{
    uint64_t table = fg_dtb(d);
    for (unsigned l = 0;; l++) {
        uint64_t epa = table + 8 * ((va >> (39 - 9 * l)) & 0x1FF);
        if (l == level)
            return epa;
        uint64_t e = g_phys64(d, epa);
        if (!(e & 1) || (e & 0x80))
            fail_msg("no table below level %u for 0x%016llx (entry 0x%016llx)", l, (unsigned long long)va,
                     (unsigned long long)e);
        table = e & 0x000FFFFFFFFFF000ull;
    }
}

/* ---- File surgery ---- */

static uint64_t file_u64(const char *path, uint64_t off)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t b[8];
    assert_int_equal(t_seek(f, off), 0);
    assert_int_equal(fread(b, 1, 8, f), 8);
    fclose(f);
    return le_bytes(b, 8);
}

static uint32_t file_u32(const char *path, uint64_t off) { return (uint32_t)file_u64(path, off); }

static void file_flip(const char *path, uint64_t off, unsigned bit)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    off += bit / 8;
    assert_int_equal(t_seek(f, off), 0);
    int c = fgetc(f);
    assert_true(c != EOF);
    uint8_t b = (uint8_t)(c ^ (1 << (bit % 8)));
    assert_int_equal(t_seek(f, off), 0);
    assert_int_equal(fwrite(&b, 1, 1, f), 1);
    assert_int_equal(fclose(f), 0);
}

/* File offset of the page holding va in a bitmap dump (types 5, 6): FirstPage plus the
 * number of captured pages below it. */
static uint64_t bitmap_file_offset(const char *path, fg_dump *d, uint64_t va)
{
    uint64_t pa;
    assert_int_equal(fg_translate(d, va, &pa), FG_OK);
    uint64_t rank = 0;
    for (uint64_t pfn = 0; pfn < pa / PAGE; pfn++)
        rank += fg_phys_in_dump(d, pfn * PAGE) ? 1 : 0;
    assert_true(fg_phys_in_dump(d, pa));
    return file_u64(path, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE) + rank * PAGE;
}

/* ---- Running the reader and the CLI ---- */

typedef struct outcome {
    di_status open_status;
    char open_message[DI_ERROR_MAX];
    int damaged;
    int cli_exit;
    char *cli_out;       /* the CLI's stdout */
    char *cli_err;       /* ... and stderr */
    char *json;          /* the API's report */
    cJSON *root;
    char **warnings;
    size_t nwarnings;
} outcome;

static const char *cli(void)
{
    const char *c = getenv("DI_CLI");
    if (!c)
        fail_msg("DI_CLI is not set (run through ctest, or set DI_CLI=../dumpinspect)");
    return c;
}

static void run_cli(const char *dump, outcome *o)
{
    char out[600], err[600];
    snprintf(out, sizeof out, "%s.out", dump);
    snprintf(err, sizeof err, "%s.err", dump);
    const char *argv[] = {cli(), dump, NULL};
    int rc = t_spawn(argv, NULL, out, err);
    if (rc < 0)
        fail_msg("dumpinspect %s did not exit normally", dump);
    o->cli_exit = rc;
    o->cli_out = t_slurp(out, NULL);
    o->cli_err = t_slurp(err, NULL);
    remove(out);
    remove(err);
}

static void read_dump(const char *path, outcome *o)
{
    memset(o, 0, sizeof *o);
    di_dump *dd = NULL;
    di_error err = {0};
    o->open_status = di_open(path, &dd, &err);
    snprintf(o->open_message, sizeof o->open_message, "%s", err.message);
    if (o->open_status == DI_OK) {
        di_error rerr = {0};
        if (di_report_json(dd, NULL, &o->json, &rerr) != DI_OK) {
            di_close(dd);
            fail_msg("di_report_json: %s", rerr.message);
        }
        o->damaged = di_is_damaged(dd);
        o->nwarnings = di_warning_count(dd);
        o->warnings = calloc(o->nwarnings + 1, sizeof *o->warnings);
        assert_non_null(o->warnings);
        for (size_t i = 0; i < o->nwarnings; i++) {
            const char *w = di_warning(dd, i);
            assert_non_null(w);
            o->warnings[i] = malloc(strlen(w) + 1);
            assert_non_null(o->warnings[i]);
            strcpy(o->warnings[i], w);
        }
        di_close(dd);
        o->root = cJSON_Parse(o->json);
        if (!o->root)
            fail_msg("the report is not JSON");
    } else {
        assert_null(dd);
    }
    run_cli(path, o);
}

static void outcome_free(outcome *o)
{
    for (size_t i = 0; i < o->nwarnings; i++)
        free(o->warnings[i]);
    free(o->warnings);
    free(o->cli_out);
    free(o->cli_err);
    di_free(o->json);
    cJSON_Delete(o->root);
    memset(o, 0, sizeof *o);
}

/* ---- Reading the report ---- */

/* The item at a dotted path ("locks.resources.0.address"), or NULL. */
static cJSON *get(cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = buf, *end; tok && o; tok = end ? end + 1 : NULL) {
        end = strchr(tok, '.');
        if (end)
            *end = '\0';
        o = (tok[0] >= '0' && tok[0] <= '9') ? cJSON_GetArrayItem(o, atoi(tok))
                                             : cJSON_GetObjectItemCaseSensitive(o, tok);
    }
    return o;
}

static cJSON *need(cJSON *o, const char *path)
{
    cJSON *r = get(o, path);
    if (!r)
        fail_msg("no %s in the report", path);
    return r;
}

static const char *str_at(cJSON *o, const char *path)
{
    cJSON *s = get(o, path);
    return cJSON_IsString(s) ? s->valuestring : NULL;
}

static int has_text(cJSON *o, const char *path, const char *needle)
{
    const char *s = str_at(o, path);
    return s && strstr(s, needle) != NULL;
}

static int str_is(cJSON *o, const char *path, const char *want)
{
    const char *s = str_at(o, path);
    return s && strcmp(s, want) == 0;
}

/* An address as the report writes it. */
static const char *hex(uint64_t v, char buf[24])
{
    snprintf(buf, 24, "0x%016llx", (unsigned long long)v);
    return buf;
}

static int addr_is(cJSON *o, const char *path, uint64_t va)
{
    char b[24];
    return str_is(o, path, hex(va, b));
}

static int array_size(cJSON *root, const char *path) { return cJSON_GetArraySize(need(root, path)); }

static int has_warning(const outcome *o, const char *needle)
{
    for (size_t i = 0; i < o->nwarnings; i++)
        if (strstr(o->warnings[i], needle))
            return 1;
    return 0;
}

static void dump_warnings(const outcome *o)
{
    for (size_t i = 0; i < o->nwarnings; i++)
        print_message("  warning: %s\n", o->warnings[i]);
}

/* The first finding of kind (optionally about resource res, 0 = any), or NULL. */
static cJSON *finding(cJSON *root, const char *kind, uint64_t res)
{
    cJSON *f;
    cJSON_ArrayForEach(f, need(root, "findings"))
    {
        if (!str_is(f, "kind", kind))
            continue;
        if (res && !addr_is(f, "evidence.resource_address", res))
            continue;
        return f;
    }
    return NULL;
}

static int count_findings(cJSON *root, const char *kind)
{
    int n = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, need(root, "findings")) n += str_is(f, "kind", kind);
    return n;
}

/* The process named name in the report, or NULL. */
static cJSON *process_named(cJSON *root, const char *name)
{
    cJSON *p;
    cJSON_ArrayForEach(p, need(root, "processes")) if (str_is(p, "name", name)) return p;
    return NULL;
}

/* The resource at res in the report's lock list, or NULL. */
static cJSON *resource_at(cJSON *root, uint64_t res)
{
    cJSON *r;
    cJSON_ArrayForEach(r, need(root, "locks.resources")) if (addr_is(r, "address", res)) return r;
    return NULL;
}

/* ---- What is checked ----
 *
 * Each case's outcome is judged by these checks. A check that fails is recorded (with why)
 * rather than asserted, so a case marked with a known reader bug still runs every other
 * check; only the checks named in its `known` mask are deferred. */

enum {
    C_OPEN = 1u << 0,      /* di_open's status and message */
    C_EXIT = 1u << 1,      /* the CLI's exit code, and di_is_damaged to match */
    C_WARN = 1u << 2,      /* warnings that must / must not be there */
    C_MUST = 1u << 3,      /* findings that must survive */
    C_MUST_NOT = 1u << 4,  /* things that must not appear */
    C_INVARIANT = 1u << 5, /* no invented orphan, no wait entry twice, the CLI prints the API's report */
    C_CLAIM = 1u << 6,     /* no "owns no listed resource" when the resources were not all listed */
    C_CHECK = 1u << 7      /* the case's own check function */
};

static const char *const check_names[] = {"open", "exit", "warnings", "must survive", "must not appear",
                                          "invariants", "resource claim", "case check"};

typedef struct verdict {
    unsigned failed;
    char why[4096];
} verdict;

static void note(verdict *v, unsigned check, const char *fmt, ...)
{
    v->failed |= check;
    size_t n = strlen(v->why);
    if (n + 8 >= sizeof v->why)
        return;
    unsigned k = 0;
    while (k < 8 && !(check >> k & 1))
        k++;
    n += (size_t)snprintf(v->why + n, sizeof v->why - n, "\n    [%s] ", k < 8 ? check_names[k] : "?");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->why + n, sizeof v->why - n, fmt, ap);
    va_end(ap);
}

/* What must survive. */
enum {
    /* The orphaned_lock on Orphaned: owner Owner (TID 0x1070), terminated, exclusive, count 1,
     * QoS-boosted, critical, blamed on baddrv.sys. */
    M_ORPHAN = 1u << 0,
    /* Its one waiter is Waiter (TID 0x10a4), 15 ms. */
    M_WAITER = 1u << 1,
    /* The 0x13C bugcheck_correlation: Arg1 read as Owner's ETHREAD (TID 0x1070), whose
     * IoQoSBoostCount confirms Arg2, still owning Orphaned. */
    M_CORRELATION = 1u << 2,
    /* The bucket names the orphaned lock and baddrv.sys. */
    M_BUCKET = 1u << 3,
    /* All 8 processes, 6 modules and 3005 resources, the resource list complete. */
    M_INVENTORY = 1u << 4,
    /* The 0x13C correlation names Arg1 (even when it cannot be read as a thread). */
    M_CORRELATION_ANY = 1u << 5,
    /* The 0x13C correlation reads Arg1 as Owner's ETHREAD (TID 0x1070, IoQoSBoostCount
     * confirming Arg2); what it owns is not checked. */
    M_CORRELATION_THREAD = 1u << 7,
    /* The Waiter is still listed as the orphan's waiter, with its wait age unknown. */
    M_WAITER_NO_TIME = 1u << 6
};
/* What must not appear. */
enum {
    /* No orphaned_lock at all (nothing left to base one on). */
    N_ORPHAN = 1u << 0,
    /* Nothing says the owner terminated: its ETHREAD cannot be read or trusted. */
    N_TERMINATED = 1u << 1
};

#define REQUIRE(cond, ...)                                                                                            \
    do {                                                                                                              \
        if (!(cond)) {                                                                                                \
            snprintf(msg, cap, __VA_ARGS__);                                                                          \
            return 0;                                                                                                 \
        }                                                                                                             \
    } while (0)

static int orphan_ok(cJSON *root, const world *w, char *msg, size_t cap)
{
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    REQUIRE(f, "no orphaned_lock finding on Orphaned");
    REQUIRE(addr_is(f, "evidence.owner.address", OWNER), "the orphan's owner is %s",
            str_at(f, "evidence.owner.address"));
    REQUIRE(str_is(f, "evidence.owner_state", "terminated"), "owner_state %s", str_at(f, "evidence.owner_state"));
    REQUIRE(str_is(f, "evidence.mode", "exclusive"), "mode %s", str_at(f, "evidence.mode"));
    REQUIRE(cJSON_IsNumber(get(f, "evidence.owner.tid")) && get(f, "evidence.owner.tid")->valueint == (int)OWNER_TID,
            "the owner's tid is not 0x1070");
    REQUIRE(cJSON_IsNumber(get(f, "evidence.owner_count")) && get(f, "evidence.owner_count")->valueint == 1,
            "owner_count is not 1");
    REQUIRE(cJSON_IsTrue(get(f, "evidence.owner_io_qos_priority_boosted")), "the QoS boost is lost");
    REQUIRE(str_is(f, "module", "baddrv.sys"), "module %s", str_at(f, "module"));
    REQUIRE(str_is(f, "severity", "critical"), "severity %s", str_at(f, "severity"));
    return 1;
}

static int waiter_ok(cJSON *root, const world *w, int timed, char *msg, size_t cap)
{
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    REQUIRE(f, "no orphaned_lock finding on Orphaned");
    cJSON *ws = get(f, "evidence.waiters");
    REQUIRE(cJSON_GetArraySize(ws) == 1, "%d waiters", cJSON_GetArraySize(ws));
    REQUIRE(addr_is(ws, "0.address", WAITER), "the waiter is %s", str_at(ws, "0.address"));
    REQUIRE(cJSON_IsNumber(get(ws, "0.tid")) && get(ws, "0.tid")->valueint == (int)WAITER_TID, "the waiter's tid");
    if (timed)
        REQUIRE(cJSON_IsNumber(get(ws, "0.wait_ms")) && get(ws, "0.wait_ms")->valueint == 15, "wait_ms is not 15");
    else
        REQUIRE(cJSON_IsNull(get(ws, "0.wait_ms")), "wait_ms is not null");
    return 1;
}

/* level 0: Arg1 named; 1: read as Owner's ETHREAD; 2: and still owning Orphaned. */
static int correlation_ok(cJSON *root, int level, char *msg, size_t cap)
{
    cJSON *f = finding(root, "bugcheck_correlation", 0);
    REQUIRE(f, "no bugcheck_correlation finding");
    REQUIRE(addr_is(f, "evidence.address", OWNER), "it names %s", str_at(f, "evidence.address"));
    if (level < 1)
        return 1;
    REQUIRE(cJSON_IsNumber(get(f, "evidence.thread.tid")) && get(f, "evidence.thread.tid")->valueint == (int)OWNER_TID,
            "Arg1 is not read as TID 0x1070");
    REQUIRE(has_text(f, "summary", "as its ETHREAD confirms"), "summary: %s", str_at(f, "summary"));
    if (level < 2)
        return 1;
    REQUIRE(has_text(f, "summary", "it still owns resource"), "summary: %s", str_at(f, "summary"));
    REQUIRE(cJSON_GetArraySize(get(f, "evidence.owned_resources")) == 1, "owned_resources");
    return 1;
}

static int inventory_ok(cJSON *root, char *msg, size_t cap)
{
    REQUIRE(cJSON_GetArraySize(get(root, "processes")) == NPROCESSES, "%d processes",
            cJSON_GetArraySize(get(root, "processes")));
    REQUIRE(cJSON_GetArraySize(get(root, "modules")) == NMODULES, "%d modules",
            cJSON_GetArraySize(get(root, "modules")));
    REQUIRE(cJSON_IsNumber(get(root, "locks.resources_total")) &&
                get(root, "locks.resources_total")->valueint == NRESOURCES,
            "resources_total");
    REQUIRE(cJSON_IsTrue(get(root, "locks.list_complete")), "the resource list is not complete");
    return 1;
}

/* True when some part of the report says the owner terminated. */
static int claims_owner_terminated(cJSON *root)
{
    cJSON *f;
    cJSON_ArrayForEach(f, need(root, "findings"))
    {
        if (str_is(f, "evidence.owner_state", "terminated"))
            return 1;
        if (addr_is(f, "evidence.owner.address", OWNER) && cJSON_IsTrue(get(f, "evidence.owner.terminated")))
            return 1;
        if (addr_is(f, "evidence.thread.address", OWNER) && cJSON_IsTrue(get(f, "evidence.thread.terminated")))
            return 1;
        if (has_text(f, "summary", "has terminated") || has_text(f, "summary", ", terminated)"))
            return 1;
    }
    cJSON *t;
    cJSON_ArrayForEach(t, need(root, "threads.list"))
    {
        if (addr_is(t, "address", OWNER) && cJSON_IsTrue(get(t, "terminated")))
            return 1;
    }
    return 0;
}

/* The invariants every report keeps, whatever the damage. */
static void check_invariants(verdict *v, const outcome *o, const world *w)
{
    cJSON *root = o->root;
    /* The CLI prints the very report the API builds (and so, the same bytes twice). */
    size_t jl = strlen(o->json);
    if (strncmp(o->cli_out, o->json, jl) != 0 || strcmp(o->cli_out + jl, "\n") != 0)
        note(v, C_INVARIANT, "the CLI's report differs from the API's");
    /* The only lock the world orphans is Orphaned: every other owner is a live thread. */
    int bad = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, need(root, "findings"))
    {
        if (str_is(f, "kind", "orphaned_lock") && !addr_is(f, "evidence.resource_address", w->orphan) && bad++ < 3)
            note(v, C_INVARIANT, "a lock whose owner is live is reported orphaned: %s", str_at(f, "summary"));
    }
    if (bad > 3)
        note(v, C_INVARIANT, "... %d such findings in all", bad);
    /* A waiter ring lists each wait entry once. */
    cJSON *r;
    cJSON_ArrayForEach(r, need(root, "locks.resources"))
    {
        cJSON *ws = need(r, "waiters");
        int n = cJSON_GetArraySize(ws), dup = 0;
        for (int i = 0; i < n && !dup; i++)
            for (int j = i + 1; j < n && !dup; j++) {
                const char *a = str_at(cJSON_GetArrayItem(ws, i), "wait_entry");
                const char *b = str_at(cJSON_GetArrayItem(ws, j), "wait_entry");
                if (a && b && strcmp(a, b) == 0) {
                    note(v, C_INVARIANT, "resource %s lists wait entry %s more than once (%d waiters)",
                         str_at(r, "address"), a, n);
                    dup = 1;
                }
            }
    }
    /* A partial report says why; the report's warnings are the API's. */
    if (o->damaged && o->nwarnings == 0)
        note(v, C_INVARIANT, "damaged, but no warning says why");
    if (cJSON_GetArraySize(need(root, "warnings")) != (int)o->nwarnings)
        note(v, C_INVARIANT, "the report holds %d warnings, the API %zu", cJSON_GetArraySize(need(root, "warnings")),
             o->nwarnings);
    /* "Owns no listed resource" is a fact only when every resource was listed. */
    cJSON *c = finding(root, "bugcheck_correlation", 0);
    if (c && has_text(c, "summary", "owns no listed resource") && !cJSON_IsTrue(get(root, "locks.list_complete")))
        note(v, C_CLAIM,
             "the correlation says Arg1 \"owns no listed resource\" but the resource list is incomplete: %s",
             str_at(c, "summary"));
}

/* ---- The cases ---- */

typedef void (*damage_fn)(fg_dump *d, const world *w);
typedef void (*patch_fn)(const char *path, fg_dump *d, const world *w);
typedef void (*check_fn)(cJSON *root, const world *w);

typedef struct dmg_case {
    const char *name;
    uint32_t dump_type;       /* 0: the scenario's (6) */
    damage_fn damage;         /* on the generator's memory, before the dump is written */
    patch_fn patch;           /* on the written file */
    di_status open;           /* what di_open returns */
    const char *open_message; /* ... and a text its message holds (when it fails) */
    int exit_code;            /* the CLI's: 0, 4, 5, or 7 (= di_is_damaged) */
    const char *warn[4];      /* texts that must each be in some warning */
    const char *warn_not;     /* a text no warning may hold */
    unsigned must;            /* M_*: what must survive */
    unsigned must_not;        /* N_*: what must not appear */
    check_fn check;           /* anything else the case must show (asserts) */
    unsigned known;           /* C_*: checks a known reader bug fails (see the case's comment) */
    const char *bug;          /* that bug, in one line */
} dmg_case;
/* ---- 0. The good world ---- */

static void check_intact(cJSON *root, const world *w)
{
    assert_int_equal(array_size(root, "warnings"), 0);
    assert_int_equal(count_findings(root, "orphaned_lock"), 1);
    assert_true(addr_is(root, "findings.0.evidence.resource_address", w->orphan));
    assert_true(str_is(root, "kernel.kdbg.state", "ok"));
    assert_true(cJSON_IsTrue(need(root, "kernel.clock.valid")));
}

/* ---- 1. A zeroed page in the middle of the process list ---- */

/* The page holding the 4th process's (wininit.exe) ActiveProcessLinks reads as zeros. The same
 * page holds the tail of csrss.exe's EPROCESS (its ImageFileName and thread list head) and the
 * head of services.exe's (its dispatcher header). */
static void zero_process_links_page(fg_dump *d, const world *w)
{
    (void)w;
    zero_page(d, process_links(d, 3));
}

static void check_process_page(cJSON *root, const world *w)
{
    (void)w;
    /* Three processes before the break (csrss.exe now nameless), four entries recovered walking
     * back, of which services.exe is no longer a process: six are listed, and Idle. */
    assert_int_equal(array_size(root, "processes"), NPROCESSES - 2);
    assert_null(process_named(root, "wininit.exe"));
    assert_null(process_named(root, "services.exe"));
    assert_non_null(process_named(root, "System"));
    assert_non_null(process_named(root, "smss.exe"));
    assert_non_null(process_named(root, "lsass.exe"));
    assert_non_null(process_named(root, "explorer.exe"));
    /* csrss.exe's name was on the page: it is empty, not guessed. */
    cJSON *p;
    int found = 0;
    cJSON_ArrayForEach(p, need(root, "processes")) if (need(p, "pid")->valueint == 520) found = str_is(p, "name", "");
    assert_true(found);
    /* Resources are not on that page: the lock list is whole. */
    assert_int_equal(need(root, "locks.resources_total")->valueint, NRESOURCES);
}

/* ---- 2. A zeroed page in the middle of ExpSystemResourcesList ---- */

/* A page of unheld resources after Orphaned and before NtfsVcb. */
static void zero_resource_page_after_orphan(fg_dump *d, const world *w)
{
    unsigned i = resource_index(d, w->orphan) + 250;
    assert_true(i < resource_index(d, w->ntfs_vcb));
    zero_page(d, nth_entry(d, resource_head(d), i));
}

/* A page of unheld resources before Orphaned. */
static void zero_resource_page_before_orphan(fg_dump *d, const world *w)
{
    unsigned i = resource_index(d, w->orphan) - 250;
    zero_page(d, nth_entry(d, resource_head(d), i));
}

static void check_resource_page(cJSON *root, const world *w)
{
    (void)w;
    /* The page's resources are lost, the rest recovered from both ends. */
    int total = need(root, "locks.resources_total")->valueint;
    assert_true(total < NRESOURCES && total > NRESOURCES - 40);
    assert_false(cJSON_IsTrue(need(root, "locks.list_complete")));
    /* Every held resource is still listed. */
    assert_int_equal(need(root, "locks.resources_held")->valueint, 5);
}

/* The page holding Orphaned itself reads as zeros: the resource is gone with its owner entry
 * and waiter ring pointer. No orphan can be claimed (nothing to base it on); the correlation
 * still reads Arg1 from its own ETHREAD. */
static void zero_orphan_page(fg_dump *d, const world *w)
{
    zero_page(d, w->orphan);
}

static void check_orphan_page(cJSON *root, const world *w)
{
    assert_null(resource_at(root, w->orphan));
    int total = need(root, "locks.resources_total")->valueint;
    assert_true(total < NRESOURCES && total > NRESOURCES - 40);
    assert_int_equal(need(root, "locks.resources_held")->valueint, 4);
}

/* ---- 3. A zeroed page holding a System thread (not the owner) ---- */

/* The crashing Reaper thread's ETHREAD lies wholly on one pool page, with the head (first
 * 0x380 bytes) of FsWorker's, which owns NtfsVcb and, shared, NtfsFcb. */
static uint64_t reaper_thread(fg_dump *d)
{
    /* Reaper is the thread that processor 0 runs (KiProcessorBlock[0]->CurrentThread). */
    uint64_t prcb_block = g64(d, fg_config_of(d)->kdbg_va + NT_KDBG_KI_PROCESSOR_BLOCK);
    uint64_t prcb0 = g64(d, prcb_block);
    return g64(d, prcb0 + off_of(NT_F_KPRCB_CURRENTTHREAD));
}

static void zero_system_thread_page(fg_dump *d, const world *w)
{
    uint64_t reaper = reaper_thread(d);
    /* The page is one that also holds FsWorker's head (see above). */
    assert_true((reaper & ~(PAGE - 1)) == (w->fs_worker & ~(PAGE - 1)));
    zero_page(d, reaper);
}

static void check_system_thread_page(cJSON *root, const world *w)
{
    (void)w;
    /* All processes are still listed; only System's thread list broke. */
    assert_int_equal(array_size(root, "processes"), NPROCESSES);
    /* Processor 0's current thread cannot be read: no tid is made up for it. */
    assert_true(cJSON_IsNull(need(root, "processors.0.current_thread.tid")));
}

/* ---- 4. Truncated files ---- */

static void truncate_in_header(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    t_truncate(path, DMP_HDR_SIZE / 2);
}

static void truncate_in_signature(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    t_truncate(path, 6);
}

static void truncate_in_bitmap(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    assert_true(file_u64(path, DMP_HDR_SIZE + DMP_BMP_BITS) > 64);
    t_truncate(path, DMP_HDR_SIZE + DMP_BMP_BITMAP + 8);
}

/* After the bitmap, before the first page: not one page of memory is left. */
static void truncate_before_pages(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    t_truncate(path, file_u64(path, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE));
}

static void check_no_memory(cJSON *root, const world *w)
{
    (void)w;
    /* The header still speaks: the bugcheck and its parameters. */
    assert_true(str_is(root, "bugcheck.code", "0x0000013c"));
    assert_true(str_is(root, "bugcheck.name", "INVALID_IO_BOOST_STATE"));
    assert_true(str_is(root, "kernel.kdbg.state", "unreadable"));
    assert_int_equal(array_size(root, "processes"), 0);
    assert_int_equal(need(root, "locks.resources_total")->valueint, 0);
}

/* Mid page data, inside the page that holds Orphaned: the pages before it are all there. */
static void truncate_at_orphan(const char *path, fg_dump *d, const world *w)
{
    t_truncate(path, bitmap_file_offset(path, d, w->orphan) + PAGE / 2);
}

static void check_truncated_at_orphan(cJSON *root, const world *w)
{
    assert_null(resource_at(root, w->orphan));
    /* The processes live on earlier pages; the KPCRs (and so the way to Idle) after the cut. */
    assert_int_equal(array_size(root, "processes"), NPROCESSES - 1);
}

/* Mid page data, inside the first page of ntoskrnl's image, the last page but one in the
 * file (the last one holds no kernel object). Every kernel object is still there. */
static void truncate_image_page(const char *path, fg_dump *d, const world *w)
{
    (void)w;
    uint64_t image = bitmap_file_offset(path, d, 0xfffff80512000000ull);
    assert_int_equal(image, t_file_size(path) - 2 * PAGE);
    t_truncate(path, image + PAGE / 2);
}

static void check_truncated_image_page(cJSON *root, const world *w)
{
    (void)w;
    assert_true(cJSON_IsNull(need(root, "kernel.image.pdb_name")));
}

/* Mid page data, at the page holding the 2800th resource (after every held one): the
 * pages from there on are gone, the tail of ExpSystemResourcesList with them. */
static void truncate_mid_resources(const char *path, fg_dump *d, const world *w)
{
    uint64_t cut = bitmap_file_offset(path, d, nth_entry(d, resource_head(d), 2800));
    /* Every page the orphan's story needs comes earlier in the file. */
    assert_true(bitmap_file_offset(path, d, w->orphan) < cut);
    assert_true(bitmap_file_offset(path, d, OWNER) < cut);
    assert_true(bitmap_file_offset(path, d, WAITER) < cut);
    assert_true(bitmap_file_offset(path, d, WAIT_ENTRY) < cut);
    t_truncate(path, cut + 100);
}

static void check_truncated_mid_resources(cJSON *root, const world *w)
{
    (void)w;
    int total = need(root, "locks.resources_total")->valueint;
    assert_true(total >= 2504 && total < NRESOURCES);
    assert_int_equal(need(root, "locks.resources_held")->valueint, 5);
    assert_false(cJSON_IsTrue(need(root, "locks.list_complete")));
}

static void check_truncated_type1(cJSON *root, const world *w)
{
    (void)w;
    /* KUSER_SHARED_DATA is past the cut: no clock, no wait times. */
    assert_false(cJSON_IsTrue(need(root, "kernel.clock.valid")));
    assert_false(cJSON_IsTrue(need(root, "locks.list_complete")));
}

/* Type 1: the run list's pages end early. */
static void truncate_runs_half(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint64_t size = t_file_size(path);
    t_truncate(path, DMP_HDR_SIZE + (size - DMP_HDR_SIZE) / PAGE / 2 * PAGE + 123);
}

/* ---- 5. Torn page tables ---- */

/* The PDE that maps the first 2 MiB of pool (every process, pool thread and resource). */
static void zero_pool_pde(fg_dump *d, const world *w)
{
    p_phys64(d, pt_entry_pa(d, w->orphan, 2), 0);
}

static void check_pool_gone(cJSON *root, const world *w)
{
    (void)w;
    /* Processes, pool threads, module records and resources all lived in that pool. */
    assert_int_equal(array_size(root, "processes"), 0);
    assert_int_equal(array_size(root, "modules"), 0);
    assert_int_equal(need(root, "locks.resources_total")->valueint, 0);
}

/* The PDPTE that maps the Waiter's kernel stack (its wait entry lives there). */
static void zero_stack_pdpte(fg_dump *d, const world *w)
{
    (void)w;
    p_phys64(d, pt_entry_pa(d, WAIT_ENTRY, 1), 0);
}

static void check_stack_gone(cJSON *root, const world *w)
{
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    assert_non_null(f);
    /* The ring cannot be read, but the resource's own counter still speaks for one waiter. */
    assert_int_equal(array_size(f, "evidence.waiters"), 0);
    assert_true(has_text(f, "summary", "counts 1 waiter"));
    assert_true(cJSON_IsTrue(need(resource_at(root, w->orphan), "damaged")));
}

/* The PTE of the page holding Orphaned names a frame far beyond physical memory. */
static void orphan_pte_huge_frame(fg_dump *d, const world *w)
{
    uint64_t pa = pt_entry_pa(d, w->orphan, 3);
    p_phys64(d, pa, g_phys64(d, pa) | 0x000FF00000000000ull);
}

/* The PTE of Owner's ETHREAD page names a frame beyond physical memory: the owner cannot
 * be read, so nothing may be said about it (no orphan, no "terminated"). */
static void owner_pte_huge_frame(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t pa = pt_entry_pa(d, OWNER, 3);
    p_phys64(d, pa, g_phys64(d, pa) | 0x0008000000000000ull);
}

static void check_owner_unreadable(cJSON *root, const world *w)
{
    /* The resource is still listed with its raw owner pointer, its state unknown. */
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_true(addr_is(r, "owners.0.address", OWNER));
    assert_true(cJSON_IsNull(need(r, "owners.0.tid")));
    assert_true(str_is(r, "owners.0.owner_state", "unknown"));
    cJSON *c = finding(root, "bugcheck_correlation", 0);
    assert_non_null(c);
    assert_true(has_text(c, "summary", "no valid thread can be read there"));
}

/* The PDE over the pool gets the page-size bit: the table pointer becomes a 2 MiB mapping of
 * whatever physical memory its frame names, so every pool object reads foreign bytes. */
static void pool_pde_becomes_large(fg_dump *d, const world *w)
{
    uint64_t pa = pt_entry_pa(d, w->orphan, 2);
    p_phys64(d, pa, g_phys64(d, pa) | 0x80);
}

/* The same PDE becomes a 2 MiB page at physical 0x200000, where KUSER_SHARED_DATA,
 * ntoskrnl's PE header and a page table live: the pool reads as those foreign bytes. */
static void pool_pde_large_foreign(fg_dump *d, const world *w)
{
    uint64_t pa = pt_entry_pa(d, w->orphan, 2);
    uint64_t e = g_phys64(d, pa);
    p_phys64(d, pa, (e & ~0x000FFFFFFFFFF000ull) | 0x200000ull | 0x80);
}

/* The PTE of System's EPROCESS page is not present: every System thread's process pointer
 * leads nowhere. The threads themselves are intact. */
static void system_process_pte_cleared(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t pa = pt_entry_pa(d, process_va(d, 0), 3);
    p_phys64(d, pa, 0);
}

static void check_system_process_unmapped(cJSON *root, const world *w)
{
    (void)w;
    assert_null(process_named(root, "System"));
    assert_int_equal(array_size(root, "processes"), NPROCESSES - 1);
    /* The module records shared that page. */
    assert_int_equal(array_size(root, "modules"), 0);
}

/* The page holding Owner's ETHREAD reads as zeros: nothing can be said about the owner. */
static void zero_owner_page(fg_dump *d, const world *w)
{
    (void)w;
    zero_page(d, OWNER);
}

/* ---- 6. Bitflips in the header ---- */

static void hdr_flip_dump_type(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_DUMP_TYPE, 4); /* 6 -> 0x16 */
}

static void hdr_flip_dump_type_to_summary(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_DUMP_TYPE, 2); /* 6 -> 2 */
}

static void hdr_flip_machine(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_MACHINE_IMAGE_TYPE, 8); /* 0x8664 -> 0x8764 */
}

static void bmp_flip_signature(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_SIGNATURE, 0);
}

static void bmp_flip_present_pages(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_PRESENT_PAGES, 20);
}

/* The bit count loses its second-highest set bit (0x240 -> 0x200): the top PFNs fall out of
 * the bitmap, the pages stay in the file. */
static void bmp_flip_bits_down(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint64_t bits = file_u64(path, DMP_HDR_SIZE + DMP_BMP_BITS);
    unsigned top = 63;
    while (!(bits >> top & 1))
        top--;
    unsigned next = top - 1;
    while (!(bits >> next & 1))
        next--;
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_BITS, next);
}

static void bmp_flip_bits_up(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_BITS, 40);
}

static void bmp_flip_first_page_down(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    assert_true(file_u64(path, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE) & 0x1000);
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE, 12);
}

static void bmp_flip_first_page_up(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE, 30);
}

/* NumberOfRuns gains bit 6: more runs than the header has room for. */
static void runs_flip_count_absurd(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint32_t n = file_u32(path, DMP_HDR_PHYS_NUMBER_OF_RUNS);
    assert_true(n >= 2 && n < 32);
    file_flip(path, DMP_HDR_PHYS_NUMBER_OF_RUNS, 6);
}

/* NumberOfRuns gains bit 5: still within the header, but the runs past the real ones are
 * the header's "PAGE" fill. */
static void runs_flip_count_plus_32(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint32_t n = file_u32(path, DMP_HDR_PHYS_NUMBER_OF_RUNS);
    assert_true(n >= 2 && n < 32);
    file_flip(path, DMP_HDR_PHYS_NUMBER_OF_RUNS, 5);
}

/* One fewer run bit: the runs the count no longer covers are lost, the pages stay in the
 * file, NumberOfPages no longer adds up. */
static void runs_flip_count_down(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint32_t n = file_u32(path, DMP_HDR_PHYS_NUMBER_OF_RUNS);
    unsigned low = 0;
    while (!(n >> low & 1))
        low++;
    assert_true((n & ~(1u << low)) != 0);
    file_flip(path, DMP_HDR_PHYS_NUMBER_OF_RUNS, low);
}

/* The extra run read past the count is the header's "PAGE" fill. */
static void runs_flip_count_plus_one(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    uint32_t n = file_u32(path, DMP_HDR_PHYS_NUMBER_OF_RUNS);
    assert_true((n & 1) == 0);
    file_flip(path, DMP_HDR_PHYS_NUMBER_OF_RUNS, 0);
}

/* KdDebuggerDataBlock loses bit 4: it names the 16 bytes before the block, which hold no
 * "KDBG" tag -- indistinguishable from an encoded block. */
static void hdr_flip_kdbg_low(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_KD_DEBUGGER_DATA, 4);
}

/* KdDebuggerDataBlock gains bit 20: it names an unmapped page. */
static void hdr_flip_kdbg_high(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_KD_DEBUGGER_DATA, 20);
}

/* KdDebuggerDataBlock loses bit 63: a user address. */
static void hdr_flip_kdbg_top(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_KD_DEBUGGER_DATA, 63);
}

static void check_no_kdbg(cJSON *root, const world *w)
{
    (void)w;
    /* The header's lists stand in: processes and modules; resources need the KDBG, and so do
     * the processors, whose idle threads lead to Idle. */
    assert_int_equal(array_size(root, "processes"), NPROCESSES - 1);
    assert_int_equal(array_size(root, "modules"), NMODULES);
    assert_int_equal(need(root, "locks.resources_total")->valueint, 0);
}

static void check_kdbg_encoded(cJSON *root, const world *w)
{
    check_no_kdbg(root, w);
    assert_true(str_is(root, "kernel.kdbg.state", "encoded"));
}

static void check_kdbg_unreadable(cJSON *root, const world *w)
{
    check_no_kdbg(root, w);
    assert_true(str_is(root, "kernel.kdbg.state", "unreadable"));
}

static void check_kdbg_absent(cJSON *root, const world *w)
{
    check_no_kdbg(root, w);
    assert_true(str_is(root, "kernel.kdbg.state", "absent"));
}

/* PsActiveProcessHead in the header flips a bit while the KDBG is good: the KDBG's wins. */
static void hdr_flip_process_head(const char *path, fg_dump *d, const world *w)
{
    (void)d, (void)w;
    file_flip(path, DMP_HDR_PS_ACTIVE_PROCESSES, 12);
}

/* Both: the KDBG is unreadable and the header's PsActiveProcessHead names an unmapped page. */
static void hdr_flip_process_head_and_kdbg(const char *path, fg_dump *d, const world *w)
{
    hdr_flip_kdbg_high(path, d, w);
    file_flip(path, DMP_HDR_PS_ACTIVE_PROCESSES, 24);
}

static void check_no_process_list(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(array_size(root, "processes"), 0);
    assert_int_equal(array_size(root, "modules"), NMODULES);
    /* Arg1 is still read as a thread; its process is not known by name. */
    assert_true(has_text(finding(root, "bugcheck_correlation", 0), "summary", "thread 0x1070 of ? (4)"));
}

/* ---- 7. Bitflips in kernel objects ---- */

/* Orphaned's Flag gains bit 0 (ResourceFastResource / legacy FAST_ERESOURCE). */
static void res_flag_fast(fg_dump *d, const world *w)
{
    flip_field(d, w->orphan, NT_F_ERESOURCE_FLAG, 0);
}

/* Orphaned's ActiveEntries gains bit 30: a count no single owner entry explains, on a
 * resource owned exclusive. It is reported as stored, and as damage. */
static void res_active_entries_high(fg_dump *d, const world *w)
{
    flip_field(d, w->orphan, NT_F_ERESOURCE_ACTIVEENTRIES, 30);
}

static void check_active_entries(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_int_equal((uint64_t)need(r, "active_entries")->valuedouble, 0x40000001ull);
}

/* NtfsFcb's OwnerTable pointer gains bit 40: a kernel address with nothing behind it. */
static void res_owner_table_pointer(fg_dump *d, const world *w)
{
    assert_true(g64(d, w->ntfs_fcb + off_of(NT_F_ERESOURCE_OWNERTABLE)) != 0);
    flip_field(d, w->ntfs_fcb, NT_F_ERESOURCE_OWNERTABLE, 40);
}

static void check_owner_table_unreadable(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->ntfs_fcb);
    assert_non_null(r);
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    /* The inline owner is still read. */
    assert_true(addr_is(r, "owners.0.address", w->fs_worker));
}

/* NtfsFcb's owner table's TableSize (slot 0) gains bit 24: a table of 16 million slots. */
static void owner_table_size(fg_dump *d, const world *w)
{
    uint64_t table = g64(d, w->ntfs_fcb + off_of(NT_F_ERESOURCE_OWNERTABLE));
    flip_field(d, table, NT_F_OWNER_ENTRY_TABLESIZE, 24);
}

/* Orphaned's owner entry count gains bit 20. An undetectable flip: the count is reported as
 * stored, and nothing else changes. */
static void owner_count_high(fg_dump *d, const world *w)
{
    flip_field(d, w->orphan + off_of(NT_F_ERESOURCE_OWNERENTRY), NT_F_OWNER_ENTRY_OWNERCOUNT, 20);
}

static void check_owner_count_high(cJSON *root, const world *w)
{
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    assert_non_null(f);
    assert_int_equal(need(f, "evidence.owner_count")->valueint, 1 + (1 << 20));
}

/* Owner's Cid.UniqueThread gains bit 33: out of range for a TID. */
static void owner_cid(fg_dump *d, const world *w)
{
    (void)w;
    flip_field(d, OWNER, NT_F_ETHREAD_CID_UNIQUETHREAD, 33);
}

/* Owner's State gains bit 5: 4 (Terminated) becomes 36, no KTHREAD_STATE. */
static void owner_state(fg_dump *d, const world *w)
{
    (void)w;
    flip_field(d, OWNER, NT_F_KTHREAD_STATE, 5);
}

static void check_owner_not_trusted(cJSON *root, const world *w)
{
    /* The lock is still listed; the owner is not trusted as a thread. */
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_true(addr_is(r, "owners.0.address", OWNER));
    assert_true(cJSON_IsNull(need(r, "owners.0.tid")));
    assert_string_equal(need(r, "owners.0.owner_state")->valuestring, "unknown");
    /* The waiter still waits: the lock is reported as contention, with it. */
    int contention = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, need(root, "findings"))
    {
        cJSON *kind = cJSON_GetObjectItemCaseSensitive(f, "kind");
        if (kind && strcmp(kind->valuestring, "contention") == 0 && addr_is(f, "evidence.resource.address", w->orphan))
            contention = addr_is(f, "evidence.resource.waiters.0.address", WAITER);
    }
    assert_true(contention);
}

/* Waiter's WaitReason gains bit 6: 18 (WrResource) becomes 82, no KWAIT_REASON. */
static void waiter_wait_reason(fg_dump *d, const world *w)
{
    (void)w;
    flip_field(d, WAITER, NT_F_KTHREAD_WAITREASON, 6);
}

static void check_waiter_untrusted(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_int_equal(array_size(r, "waiters"), 1);
    assert_true(addr_is(r, "waiters.0.address", WAITER));
    assert_true(cJSON_IsNull(need(r, "waiters.0.tid")));
    assert_false(cJSON_IsTrue(need(r, "waiters.0.confirmed")));
}

/* TcpTimer's State (not an owner, not a waiter) gains bit 6: it is skipped with a warning. */
static void bystander_state(fg_dump *d, const world *w)
{
    (void)w;
    /* TcpTimer is the last thread on System's list. */
    uint64_t t = last_entry(d, system_thread_head(d)) - off_of(NT_F_ETHREAD_THREADLISTENTRY);
    flip_field(d, t, NT_F_KTHREAD_STATE, 6);
}

static void check_bystander(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "threads.total")->valueint, 18); /* 19 with TcpTimer; 4 are idle threads */
}

/* The Waiter's wait entry's event type byte gains bit 3: 1 (SynchronizationEvent) becomes 9. */
static void wait_entry_event_type(fg_dump *d, const world *w)
{
    (void)w;
    flip_field(d, WAIT_ENTRY, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE, 3);
}

static void check_ring_untrusted(cJSON *root, const world *w)
{
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    assert_non_null(f);
    assert_int_equal(array_size(f, "evidence.waiters"), 0);
    assert_true(has_text(f, "summary", "counts 1 waiter"));
    assert_true(str_is(f, "severity", "critical"));
}

/* KUSER_SHARED_DATA.TickCountMultiplier zeroed. */
static void tick_multiplier_zero(fg_dump *d, const world *w)
{
    (void)w;
    assert_int_equal(fg_write_u32(d, KUSER_SHARED_DATA + off_of(NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER), 0),
                     FG_OK);
}

/* KUSER_SHARED_DATA.TickCountMultiplier gains bit 30: 0x0FA00000 becomes 0x4FA00000, a
 * 79.6 ms tick, which no x64 Windows uses and which disagrees with TickCount against
 * InterruptTime by a factor of five. */
static void tick_multiplier_flip(fg_dump *d, const world *w)
{
    (void)w;
    flip_field(d, KUSER_SHARED_DATA, NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER, 30);
}

static void check_no_wait_times(cJSON *root, const world *w)
{
    assert_false(cJSON_IsTrue(need(root, "kernel.clock.valid")));
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    assert_non_null(f);
    assert_true(cJSON_IsNull(need(f, "evidence.waiters.0.wait_ms")));
    assert_true(has_text(f, "summary", "an unknown time"));
}

/* ---- 8. Lists that loop back ---- */

/* The last process's Flink names itself. */
static void process_loop_self(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t last = last_entry(d, process_head(d));
    p64(d, last, last);
}

/* lsass.exe's Flink names smss.exe, an earlier entry. */
static void process_loop_back(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_links(d, 5), process_links(d, 1));
}

static void check_all_processes(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(array_size(root, "processes"), NPROCESSES);
}

/* The third System thread's Flink names the first. */
static void thread_loop_back(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t head = system_thread_head(d);
    p64(d, nth_entry(d, head, 2), nth_entry(d, head, 0));
}

/* Owner's ThreadListEntry.Flink names itself. */
static void thread_loop_self(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, thread_links(OWNER), thread_links(OWNER));
}

static void check_all_threads(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "threads.total")->valueint, 19); /* 4 are idle threads */
}

/* hal.dll's Flink names ntoskrnl.exe's entry. */
static void module_loop_back(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, module_links(d, 1), module_links(d, 0));
}

/* The last module's Flink names itself. */
static void module_loop_self(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t last = last_entry(d, module_head(d));
    p64(d, last, last);
}

static void check_all_modules(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(array_size(root, "modules"), NMODULES);
}

/* The last resource's Flink names Orphaned (an earlier entry). */
static void resource_loop_back(fg_dump *d, const world *w)
{
    p64(d, last_entry(d, resource_head(d)), resource_links(w->orphan));
}

/* Orphaned's Flink names itself. */
static void resource_loop_self(fg_dump *d, const world *w)
{
    p64(d, resource_links(w->orphan), resource_links(w->orphan));
}

static void check_all_resources(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "locks.resources_total")->valueint, NRESOURCES);
    assert_int_equal(need(root, "locks.resources_held")->valueint, 5);
}

/* Two more wait entries on the Waiter's stack, below its real one, for rings with more
 * than one entry. They name the Waiter as their thread and hold unsignalled
 * SynchronizationEvents, so each looks like a real entry. Returns their addresses. */
static void add_wait_entries(fg_dump *d, uint64_t out[2])
{
    uint32_t esize = nt_struct_size(prof(), NT_S_KWAIT_CHAIN_ENTRY);
    assert_true(esize > 0 && esize <= 0x40);
    uint8_t e[0x40];
    assert_int_equal(fg_read(d, WAIT_ENTRY, e, esize), FG_OK);
    for (int i = 0; i < 2; i++) {
        out[i] = WAIT_ENTRY - 0x100 * (uint64_t)(i + 1);
        assert_int_equal(fg_write(d, out[i], e, esize), FG_OK);
        /* The copied event's wait list head must name its own copy. */
        uint64_t ev = out[i] + off_of(NT_F_KWAIT_CHAIN_ENTRY_EVENT) + off_of(NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
        p64(d, ev, ev);
        p64(d, ev + 8, ev);
    }
}

/* Waiter's entry -> A -> A: the ring never returns to its first entry. */
static void waiter_ring_self(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t x[2];
    add_wait_entries(d, x);
    p64(d, WAIT_ENTRY, x[0]);
    p64(d, x[0], x[0]);
    p64(d, x[0] + 8, WAIT_ENTRY);
}

/* Waiter's entry -> A -> B -> A: a loop back to an earlier entry that is not the first. */
static void waiter_ring_back(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t x[2];
    add_wait_entries(d, x);
    p64(d, WAIT_ENTRY, x[0]);
    p64(d, x[0], x[1]);
    p64(d, x[0] + 8, WAIT_ENTRY);
    p64(d, x[1], x[0]);
    p64(d, x[1] + 8, x[0]);
}

static void check_ring_loop(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    /* The real entry first; at most the entries really on the ring, each once. */
    assert_true(str_is(r, "waiters.0.wait_entry", "0xffff82871d947348"));
    assert_true(array_size(r, "waiters") <= 3);
}

/* ---- 9. Pointers into user space, off the canonical range, or null ---- */

static void process_flink_user(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_links(d, 3), USER_VA);
}

static void process_flink_noncanonical(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_links(d, 3), NONCANONICAL);
}

static void process_flink_null(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_links(d, 3), 0);
}

/* The 4th process's Flink is bad: four are walked (the 4th's own record is fine), the other
 * four recovered walking back: all 8 are listed (and Idle). */
static void check_process_flink(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(array_size(root, "processes"), NPROCESSES);
}

/* Waiter's ThreadListEntry.Flink is a user address. */
static void thread_flink_user(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, thread_links(WAITER), USER_VA);
}

/* A resource in the middle of the list has a non-canonical Flink. */
static void resource_flink_noncanonical(fg_dump *d, const world *w)
{
    p64(d, resource_links(w->ntfs_vcb), NONCANONICAL);
}

/* ntoskrnl.exe's module entry has a null Flink. */
static void module_flink_null(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, module_links(d, 0), 0);
}

/* Orphaned's OwnerThread is a user address: not a thread, and not a freed one either. */
static void owner_thread_user(fg_dump *d, const world *w)
{
    p64(d, owner_thread_va(w->orphan), USER_VA);
}

/* Orphaned's OwnerThread is not canonical. */
static void owner_thread_noncanonical(fg_dump *d, const world *w)
{
    p64(d, owner_thread_va(w->orphan), 0xffff0b0351756040ull);
}

/* Orphaned's ExclusiveWaiters is not canonical. */
static void exclusive_waiters_noncanonical(fg_dump *d, const world *w)
{
    p64(d, w->orphan + off_of(NT_F_ERESOURCE_EXCLUSIVEWAITERS), 0x0000ff8287000000ull);
}

/* baddrv.sys's BaseDllName.Buffer is a user address; its FullDllName still names it. */
static void module_name_user(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t rec = last_entry(d, module_head(d)) - off_of(NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    p64(d, rec + off_of(NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME) + off_of(NT_F_UNICODE_STRING_BUFFER), USER_VA);
}

static void check_module_name_from_path(cJSON *root, const world *w)
{
    (void)w;
    assert_true(str_is(root, "modules.5.name", "baddrv.sys"));
    assert_true(str_is(root, "modules.5.path", "\\SystemRoot\\System32\\drivers\\baddrv.sys"));
}

static void check_module_unnamed(cJSON *root, const world *w)
{
    assert_true(str_is(root, "modules.5.name", "module_fffff80533300000"));
    /* The orphan is still found and blamed on the module, by the only name left. */
    cJSON *f = finding(root, "orphaned_lock", w->orphan);
    assert_non_null(f);
    assert_true(str_is(f, "module", "module_fffff80533300000"));
}

/* Both of baddrv.sys's name Buffers are user addresses. */
static void module_names_user(fg_dump *d, const world *w)
{
    module_name_user(d, w);
    uint64_t rec = last_entry(d, module_head(d)) - off_of(NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    p64(d, rec + off_of(NT_F_KLDR_DATA_TABLE_ENTRY_FULLDLLNAME) + off_of(NT_F_UNICODE_STRING_BUFFER), USER_VA);
}

/* ---- 10. Model consistency: one pointer or field that makes the model believe bad data ---- */

/* A Flink redirected to its list's head ends a forward walk early: the head's Blink still
 * names the real last entry, so the walk is damaged, and the entries after the break are
 * recovered walking back from the head. */
static void resource_flink_to_head(fg_dump *d, const world *w)
{
    /* An unheld resource 250 entries before Orphaned: Orphaned and the rest lie past the cut. */
    p64(d, nth_entry(d, resource_head(d), resource_index(d, w->orphan) - 250), resource_head(d));
}

static void resource_head_flink_to_head(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, resource_head(d), resource_head(d));
}

static void process_flink_to_head(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_links(d, 3), process_head(d));
}

static void thread_flink_to_head(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, nth_entry(d, system_thread_head(d), 0), system_thread_head(d));
}

static void module_flink_to_head(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, module_links(d, 1), module_head(d));
}

static void check_resources_recovered(cJSON *root, const world *w)
{
    check_all_resources(root, w);
    assert_false(cJSON_IsTrue(need(root, "locks.list_complete")));
}

/* The KDBG's ExpSystemResourcesList names PsLoadedModuleList (or PsActiveProcessHead): the
 * walk meets module (process) records, which must not become executive resources. */
static void resource_list_is_module_list(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, fg_config_of(d)->kdbg_va + NT_KDBG_EXP_SYSTEM_RES, module_head(d));
}

static void resource_list_is_process_list(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, fg_config_of(d)->kdbg_va + NT_KDBG_EXP_SYSTEM_RES, process_head(d));
}

/* The process records on the list: in this world an EPROCESS read as an ERESOURCE is all
 * zeros but for one word (CreateTime, where SharedWaiters would be), which one damaged word of
 * an unheld resource would explain too. They may be listed as damaged, never as held locks. */
static void check_no_held_locks(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "locks.resources_held")->valueint, 0);
    cJSON *r;
    cJSON_ArrayForEach(r, need(root, "locks.resources")) assert_true(cJSON_IsTrue(need(r, "damaged")));
    assert_int_equal(count_findings(root, "orphaned_lock"), 0);
    assert_int_equal(count_findings(root, "deadlock"), 0);
    assert_int_equal(count_findings(root, "contention"), 0);
}

/* No lock is listed, so no finding can be about one: no orphan, deadlock or contention. */
static void check_no_locks(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "locks.resources_total")->valueint, 0);
    assert_int_equal(array_size(root, "locks.resources"), 0);
    assert_int_equal(count_findings(root, "orphaned_lock"), 0);
    assert_int_equal(count_findings(root, "deadlock"), 0);
    assert_int_equal(count_findings(root, "contention"), 0);
    /* The modules themselves are intact. */
    assert_int_equal(array_size(root, "modules"), NMODULES);
}

/* NtfsFcb's OwnerTable names the KDBG, or a module record: the table holds no owners. */
static void owner_table_at_kdbg(fg_dump *d, const world *w)
{
    p64(d, w->ntfs_fcb + off_of(NT_F_ERESOURCE_OWNERTABLE), fg_config_of(d)->kdbg_va);
}

static void owner_table_at_module(fg_dump *d, const world *w)
{
    uint64_t rec = last_entry(d, module_head(d)) - off_of(NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    p64(d, w->ntfs_fcb + off_of(NT_F_ERESOURCE_OWNERTABLE), rec);
}

static void check_owner_table_garbage(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->ntfs_fcb);
    assert_non_null(r);
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    assert_true(addr_is(r, "owners.0.address", w->fs_worker));
    /* No owner beyond the inline one and LazyWriter's slot: nothing from the foreign table
     * is believed to be a live thread. */
    assert_true(array_size(r, "owners") <= 2);
    assert_null(finding(root, "orphaned_lock", w->ntfs_fcb));
}

/* Orphaned's OwnerThread is zeroed: ActiveEntries says held, no owner entry is in use. */
static void owner_thread_zero(fg_dump *d, const world *w)
{
    p64(d, owner_thread_va(w->orphan), 0);
}

static void check_held_no_owner(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    assert_int_equal(array_size(r, "owners"), 0);
}

/* A stray FAST bit (Orphaned's Flag 0x80 -> 0x81): its OwnerEntry holds a thread and a count,
 * not a FAST_ERESOURCE's owner list, so it is read as the classic resource it is, damaged. */
static void check_stray_fast(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_false(cJSON_IsTrue(need(r, "fast_resource")));
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    assert_true(addr_is(r, "owners.0.address", OWNER));
}

/* The first unheld resource becomes a real FAST_ERESOURCE usable through the legacy API:
 * Flag 0x41 and an empty (self-linked) OwnerEntryListHead. Not damage. */
static void genuine_fast_resource(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t r = resource_of_links(nth_entry(d, resource_head(d), 0));
    assert_int_equal(fg_write_u8(d, r + off_of(NT_F_ERESOURCE_FLAG), 0x41), FG_OK);
    uint64_t head = r + off_of(NT_F_FAST_ERESOURCE_INTERNAL_OWNERENTRYLISTHEAD);
    p64(d, head, head);
    p64(d, head + 8, head);
}

static void check_genuine_fast(cJSON *root, const world *w)
{
    (void)w;
    assert_int_equal(need(root, "locks.resources_total")->valueint, NRESOURCES);
    int fast = 0;
    cJSON *r;
    cJSON_ArrayForEach(r, need(root, "locks.resources"))
    {
        assert_false(cJSON_IsTrue(need(r, "damaged")));
        fast += cJSON_IsTrue(need(r, "fast_resource"));
    }
    assert_true(fast <= 1); /* the report may list only held resources */
}

/* The KDBG's Size becomes 0xffffffff: its tag says KDBG, its size no KDBG has. */
static void kdbg_size_all_ones(fg_dump *d, const world *w)
{
    (void)w;
    assert_int_equal(fg_write_u32(d, fg_config_of(d)->kdbg_va + NT_KDBG_SIZE, 0xffffffffu), FG_OK);
}

static void check_kdbg_bad_size(cJSON *root, const world *w)
{
    check_no_kdbg(root, w);
    assert_true(str_is(root, "kernel.kdbg.state", "bad_size"));
}

/* Orphaned's ExclusiveWaiters is cleared: the Waiter's WrResource wait is in no ring. */
static void exclusive_waiters_null(fg_dump *d, const world *w)
{
    p64(d, w->orphan + off_of(NT_F_ERESOURCE_EXCLUSIVEWAITERS), 0);
}

/* Orphaned's NumberOfExclusiveWaiters becomes 0xfffffff8: the ring is still read. */
static void exclusive_waiter_count_wraps(fg_dump *d, const world *w)
{
    assert_int_equal(fg_write_u32(d, w->orphan + off_of(NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS), 0xfffffff8u),
                     FG_OK);
}

static void check_ring_read_despite_count(cJSON *root, const world *w)
{
    cJSON *r = resource_at(root, w->orphan);
    assert_non_null(r);
    assert_true(cJSON_IsTrue(need(r, "damaged")));
    assert_int_equal(array_size(r, "waiters"), 1);
    assert_true(addr_is(r, "waiters.0.address", WAITER));
}

/* baddrv.sys's BaseDllName.Length becomes 0xfffe, above its MaximumLength. */
static void module_name_length(fg_dump *d, const world *w)
{
    (void)w;
    uint64_t rec = last_entry(d, module_head(d)) - off_of(NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    uint8_t len[2] = {0xfe, 0xff};
    assert_int_equal(
        fg_write(d, rec + off_of(NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME) + off_of(NT_F_UNICODE_STRING_LENGTH), len, 2),
        FG_OK);
}

/* Owner's dispatcher WaitListHead.Flink is a user address: the thread type byte alone is
 * not enough to believe it. */
static void owner_wait_list_user(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, OWNER + off_of(NT_F_KTHREAD_HEADER) + off_of(NT_F_DISPATCHER_HEADER_WAITLISTHEAD), USER_VA);
}

/* lsass.exe's dispatcher WaitListHead.Blink is zeroed. */
static void process_wait_list_zero(fg_dump *d, const world *w)
{
    (void)w;
    p64(d, process_va(d, 5) + off_of(NT_F_KPROCESS_HEADER) + off_of(NT_F_DISPATCHER_HEADER_WAITLISTHEAD) + 8, 0);
}

static void check_lsass_skipped(cJSON *root, const world *w)
{
    (void)w;
    assert_null(process_named(root, "lsass.exe"));
    assert_int_equal(array_size(root, "processes"), NPROCESSES - 1);
}

/* ---- The table ---- */

#define ALL_SURVIVE (M_ORPHAN | M_WAITER | M_CORRELATION | M_BUCKET)
#define NO_WARN {NULL}

/* A case may mark checks a known reader bug breaks (`known`, with the bug's description in
 * `bug`): they are skipped until the bug is fixed, then the case fails until the mark goes.
 * None is marked now: the bugs this corpus found were fixed in src/nt and src/analysis. */

static dmg_case cases[] = {
    /* 0. The good world: no warning, everything found. */
    {"intact", 0, NULL, NULL, DI_OK, NULL, 0, NO_WARN, NULL, ALL_SURVIVE | M_INVENTORY, 0, check_intact, 0, NULL},

    /* 1. Zeroed page in the middle of the process list: the walk recovers backwards; the
     *    orphan (its objects are elsewhere) survives whole. */
    {"zeroed_process_links_page", 0, zero_process_links_page, NULL, DI_OK, NULL, 7,
     {"the process list stops after 3 entries at 0xffffc50f00002958: a link is corrupt; 4 more found walking back",
      "0xffffc50f00002f80 on the process list is not a process (header type 0); skipped",
      "the thread list of process 520 () stops after 0 entries"},
     NULL, ALL_SURVIVE, 0, check_process_page, 0, NULL},

    /* 2. Zeroed page in the middle of ExpSystemResourcesList, before or after the orphan's
     *    resource: the forward walk stops at the page, the backward walk recovers the rest,
     *    the orphan survives whole. */
    {"zeroed_resource_page_after_orphan", 0, zero_resource_page_after_orphan, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 747 entries", "2221 more found walking back from the head"}, NULL,
     ALL_SURVIVE, 0, check_resource_page, 0, NULL},
    {"zeroed_resource_page_before_orphan", 0, zero_resource_page_before_orphan, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 235 entries", "2733 more found walking back from the head"}, NULL,
     ALL_SURVIVE, 0, check_resource_page, 0, NULL},
    /* ... and when the zeroed page holds the orphan's resource itself: the resource, its owner
     * entry and waiter pointer are gone; no orphan can be claimed (nothing to base it on); the
     * correlation still reads Arg1 as Owner (terminated: its own ETHREAD says so).
     * Regression guard, was a bug (C_CLAIM): the correlation then says Arg1 "owns no listed resource", though the
     * resource it owns is exactly the one the broken walk lost. Fix in
     * src/analysis/an_bugcheck_join.c (describe_0x13c, the `owned[0] ? ... : "it owns no listed
     * resource"` branch): when !m->resources_complete (or no resource list was walked, see
     * the KDBG cases) say "no resource it owns was found (the resource list is incomplete)". */
    {"zeroed_orphan_resource_page", 0, zero_orphan_page, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 491 entries", "2477 more found walking back from the head"}, NULL,
     M_CORRELATION_THREAD, N_ORPHAN, check_orphan_page, 0, NULL},

    /* 3. Zeroed page holding a System thread that is neither owner nor waiter (Reaper, the
     *    crashing thread): the thread list recovers backwards, the orphan survives whole, the
     *    processor's current thread is left without a tid.
     * Regression guard, was a bug (C_INVARIANT): the same page holds the first 0x380 bytes of FsWorker's ETHREAD
     * (alive; it owns NtfsVcb and, shared, NtfsFcb). Its zeroed header makes nt_read_thread
     * (src/nt/nt_threads.c, the Type check) return -2 "not a thread", an_owner_state_of gives
     * AN_OWNER_NOT_A_THREAD and an_find_orphans (src/analysis/an_orphans.c) reports both locks
     * orphaned, "no longer a thread (its memory was reused)": a guess, zeros are damage. Fix:
     * nt_read_thread returns -1 (unreadable -> AN_OWNER_UNKNOWN, nothing claimed) when the
     * dispatcher header is all zeros (Type 0 is no thread and no reuse either). */
    {"zeroed_system_thread_page", 0, zero_system_thread_page, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 2 entries", "4 more found walking back from the head",
      "thread 0xffffc50f00006c80 of process 4 (System) cannot be read or is not a thread"},
     NULL, ALL_SURVIVE, 0, check_system_thread_page, 0, NULL},
    /* ... and the page holding Owner's own ETHREAD: nothing may be claimed about the owner, no
     * "terminated" and no orphan; the lock lists the owner pointer with state "unknown".
     * Regression guard, was a bug (C_MUST_NOT, C_CHECK): same cause as above; Orphaned is reported orphaned by
     * an owner that "is no longer a thread (its memory was reused)". */
    {"zeroed_owner_page", 0, zero_owner_page, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 0 entries at 0xffff8b0351756528"}, NULL, M_CORRELATION_ANY,
     N_ORPHAN | N_TERMINATED, check_owner_unreadable, 0, NULL},

    /* 4. Truncated files. Inside the header or the bitmap: the dump cannot be used (exit 4).
     *    Inside the page data: a partial report, warnings say the dump is truncated, what is
     *    still in the file is reported. */
    {"truncated_in_signature", 0, NULL, truncate_in_signature, DI_E_FORMAT,
     "truncated header: the file holds only 6 bytes", 4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"truncated_in_header", 0, NULL, truncate_in_header, DI_E_FORMAT,
     "truncated header: the file holds 4096 bytes, the header needs 8192", 4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"truncated_in_bitmap", 0, NULL, truncate_in_bitmap, DI_E_FORMAT,
     "the bitmap of 576 bits needs 72 bytes but the file holds 8", 4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"truncated_before_pages", 0, NULL, truncate_before_pages, DI_OK, NULL, 7,
     {"the bitmap claims 223 pages but the file holds 0: the dump is truncated",
      "KdDebuggerDataBlock at 0xfffff80512823010 cannot be read", "KUSER_SHARED_DATA"},
     NULL, M_CORRELATION_ANY, N_ORPHAN | N_TERMINATED, check_no_memory, 0, NULL},
    /* Cut inside the page of the orphan's resource: the resource list stops there and
     * nothing after it is in the file; no orphan.
     * Regression guard, was a bug (C_CLAIM): "owns no listed resource", as in zeroed_orphan_resource_page. */
    {"truncated_mid_orphan_page", 0, NULL, truncate_at_orphan, DI_OK, NULL, 7,
     {"the file holds 100: the dump is truncated", "ExpSystemResourcesList stops after 491 entries"}, NULL,
     M_CORRELATION_THREAD, N_ORPHAN, check_truncated_at_orphan, 0, NULL},
    /* Cut inside the resource list's last pages: the orphan, its owner and waiter are earlier
     * in the file and survive; KUSER_SHARED_DATA is later, so wait ages are unknown. */
    {"truncated_mid_resources", 0, NULL, truncate_mid_resources, DI_OK, NULL, 7,
     {"the file holds 163: the dump is truncated", "ExpSystemResourcesList stops after 2795 entries",
      "KUSER_SHARED_DATA"},
     NULL, M_ORPHAN | M_WAITER_NO_TIME | M_CORRELATION | M_BUCKET, 0,
     check_truncated_mid_resources, 0, NULL},
    /* Cut inside ntoskrnl's PE header page: only the kernel's PDB identity is lost.
     * Regression guard, was a bug (C_WARN): the warning says "no PE image (MZ) at the kernel base", a statement
     * about bytes that were never read. Fix in src/nt/nt_kernel_image.c nt_read_kernel_image:
     * a failed nt_read gets its own warning ("the kernel image's first page at 0x... cannot
     * be read: <status>"); "no PE image (MZ)" only when the bytes were read and are not MZ. */
    {"truncated_mid_image_page", 0, NULL, truncate_image_page, DI_OK, NULL, 7,
     {"the file holds 221: the dump is truncated", "0xfffff80512000000"}, "no PE image (MZ)",
     ALL_SURVIVE, 0, check_truncated_image_page, 0, NULL},
    /* A type 1 (run list) dump cut in half: KUSER_SHARED_DATA and the resource list's tail are
     * gone; the orphan survives, its wait age unknown. */
    {"truncated_type1_half", 1, NULL, truncate_runs_half, DI_OK, NULL, 7,
     {"the run list claims 223 pages but the file holds 111: the dump is truncated",
      "ExpSystemResourcesList stops after 893 entries", "KUSER_SHARED_DATA"},
     NULL, M_ORPHAN | M_WAITER_NO_TIME | M_CORRELATION | M_BUCKET, 0, check_truncated_type1, 0, NULL},

    /* 5. Torn page tables: the objects behind the torn entry become warnings, the rest survives. */
    /* The PDE over the first 2 MiB of pool: processes, pool threads, module records and
     * resources are all gone. Arg1 (on its own page) must still be named; today it is not
     * read as a thread because its process is in the lost pool (pte_system_process_cleared);
     * either reading is accepted here. */
    {"pde_pool_zeroed", 0, zero_pool_pde, NULL, DI_OK, NULL, 7,
     {"the loaded-module list stops after 0 entries", "the process list stops after 0 entries",
      "ExpSystemResourcesList stops after 0 entries"},
     NULL, M_CORRELATION_ANY, N_ORPHAN, check_pool_gone, 0, NULL},
    /* The PDPTE over the kernel stacks: the Waiter's wait entry is gone; the orphan survives
     * with the resource's own waiter counter, the Waiter's WrResource wait left unexplained. */
    {"pdpte_stacks_zeroed", 0, zero_stack_pdpte, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: exclusive waiter entry 0xffff82871d947348 cannot be read",
      "thread 0xffff8b03515d5040 (TID 4260) waits (WrResource) on 0xffff82871d947360"},
     NULL, M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_stack_gone, 0, NULL},
    /* A PTE whose frame bits reach beyond physical memory, over the orphan's resource.
     * Regression guard, was a bug (C_CLAIM): "owns no listed resource", as in zeroed_orphan_resource_page. */
    {"pte_orphan_huge_frame", 0, orphan_pte_huge_frame, NULL, DI_OK, NULL, 7,
     {"executive resource 0xffffc50f0001cfb0 cannot be read", "ExpSystemResourcesList stops after 491 entries",
      "2477 more found walking back from the head"},
     NULL, M_CORRELATION_THREAD, N_ORPHAN, check_orphan_page, 0, NULL},
    /* The same over Owner's ETHREAD: the owner cannot be read; nothing is said about it. */
    {"pte_owner_huge_frame", 0, owner_pte_huge_frame, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 0 entries at 0xffff8b0351756528: a link could not be read"},
     NULL, M_CORRELATION_ANY, N_ORPHAN | N_TERMINATED, check_owner_unreadable, 0, NULL},
    /* The pool PDE gains the page-size bit: it now maps physical 0-2 MiB as one large page,
     * which the dump does not hold. Everything there is unreadable; nothing is made up. */
    {"pde_pool_large_bit", 0, pool_pde_becomes_large, NULL, DI_OK, NULL, 7,
     {"the process list stops after 0 entries", "ExpSystemResourcesList stops after 0 entries"}, NULL,
     M_CORRELATION_ANY, N_ORPHAN, check_pool_gone, 0, NULL},
    /* ... with its frame also moved to 0x200000: pool reads KUSER_SHARED_DATA and ntoskrnl's
     * header; every link there is rejected as corrupt. */
    {"pde_pool_large_foreign", 0, pool_pde_large_foreign, NULL, DI_OK, NULL, 7, {"the process list"}, NULL,
     M_CORRELATION_ANY, N_ORPHAN, check_pool_gone, 0, NULL},
    /* The PTE of System's EPROCESS page (which also holds the module records) cleared: every
     * System thread is intact, only its Process pointer leads nowhere.
     * Regression guard, was a bug (C_MUST, C_INVARIANT): nt_read_thread (src/nt/nt_threads.c, the check
     * `nt_read_field(c, t->process_va + ...) != DI_OK || ...` that returns -2) takes a READ
     * FAILURE of KTHREAD.Process's header as proof the thread is fake. Owner becomes
     * "not_a_thread" (its Terminated state is lost, the correlation cannot read Arg1) and the
     * live owners of NtfsVcb, NtfsFcb and ClfsLog make four false orphaned_lock findings.
     * Fix: tell "unreadable" from "wrong type" there: when the process header cannot be read,
     * keep the thread on its own evidence (type, ids, enums) with its process unknown (or at
     * the very least return -1 -> AN_OWNER_UNKNOWN, so nothing is claimed). */
    /* The same page holds the first loaded-module entries: with no module list the orphan
     * and its waiter survive, but no module can be named (bucket "..._unknown"). */
    {"pte_system_process_cleared", 0, system_process_pte_cleared, NULL, DI_OK, NULL, 7,
     {"the process list stops after 0 entries", "7 more found walking back from the head",
      "the loaded-module list stops after 0 entries"},
     NULL, M_WAITER | M_CORRELATION_ANY, 0, check_system_process_unmapped, 0, NULL},

    /* 6. Bitflips in the header. */
    {"hdr_dump_type_0x16", 0, NULL, hdr_flip_dump_type, DI_E_UNSUPPORTED, "unknown DumpType 22 (0x16)", 5, NO_WARN,
     NULL, 0, 0, NULL, 0, NULL},
    {"hdr_dump_type_2", 0, NULL, hdr_flip_dump_type_to_summary, DI_E_UNSUPPORTED, "summary dumps (DumpType 2)", 5,
     NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"hdr_machine_type", 0, NULL, hdr_flip_machine, DI_E_UNSUPPORTED, "machine type 0x8764 is not supported", 5,
     NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"bmp_signature", 0, NULL, bmp_flip_signature, DI_E_FORMAT, "needs a bitmap header", 4, NO_WARN, NULL, 0, 0,
     NULL, 0, NULL},
    /* PresentPages disagrees with the bits: the bits win, everything is read. */
    {"bmp_present_pages", 0, NULL, bmp_flip_present_pages, DI_OK, NULL, 7,
     {"the bitmap header claims 1048799 present pages but 223 bits are set; using the bits"}, NULL,
     ALL_SURVIVE | M_INVENTORY, 0, NULL, 0, NULL},
    /* The bit count shrinks from 0x240 to 0x200: PFNs 0x200-0x202 (KUSER_SHARED_DATA,
     * ntoskrnl's PE header, a page table) fall out; the orphan's pages are lower and survive,
     * its wait age unknown. */
    {"bmp_bits_down", 0, NULL, bmp_flip_bits_down, DI_OK, NULL, 7,
     {"the bitmap header claims 223 present pages but 220 bits are set", "KUSER_SHARED_DATA",
      "0xfffff80512000000"},
     NULL, M_ORPHAN | M_WAITER_NO_TIME | M_CORRELATION | M_BUCKET, 0, NULL, 0, NULL},
    {"bmp_bits_up", 0, NULL, bmp_flip_bits_up, DI_E_FORMAT, "more than x64 can address", 4, NO_WARN, NULL, 0, 0, NULL,
     0, NULL},
    {"bmp_first_page_down", 0, NULL, bmp_flip_first_page_down, DI_E_FORMAT, "FirstPage 0x2000 lies inside the bitmap",
     4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    /* FirstPage far past the end: every page is "out of the file", like a truncation. */
    {"bmp_first_page_up", 0, NULL, bmp_flip_first_page_up, DI_OK, NULL, 7,
     {"the bitmap claims 223 pages but the file holds 0: the dump is truncated"}, NULL, M_CORRELATION_ANY,
     N_ORPHAN | N_TERMINATED, check_no_memory, 0, NULL},
    /* Type 1: NumberOfRuns 6 becomes 70, 38, 7 or 4. */
    {"runs_count_absurd", 1, NULL, runs_flip_count_absurd, DI_E_FORMAT, "NumberOfRuns 70 is absurd", 4, NO_WARN, NULL,
     0, 0, NULL, 0, NULL},
    {"runs_count_plus_32", 1, NULL, runs_flip_count_plus_32, DI_E_FORMAT,
     "run 6 claims 0x4547415045474150 pages, more than x64 can address", 4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    {"runs_count_plus_one", 1, NULL, runs_flip_count_plus_one, DI_E_FORMAT,
     "run 6 claims 0x4547415045474150 pages, more than x64 can address", 4, NO_WARN, NULL, 0, 0, NULL, 0, NULL},
    /* Two runs fewer: the pages of the lost runs (the pool's later pages) are not found.
     * Regression guard, was a bug (C_CLAIM): "owns no listed resource" on a resource list of 0 entries. */
    {"runs_count_fewer", 1, NULL, runs_flip_count_down, DI_OK, NULL, 7,
     {"NumberOfPages is 223 but the runs add up to 60 pages", "ExpSystemResourcesList stops after 0 entries"}, NULL,
     M_CORRELATION_THREAD, N_ORPHAN, NULL, 0, NULL},
    /* KdDebuggerDataBlock flips: an "encoded"-looking block, an unmapped one, a user address.
     * The header's lists stand in for processes and modules; resources need the KDBG's
     * ExpSystemResourcesList, so none are listed and no orphan can be found. Not damage: a
     * KDBG that cannot be used is routine (encoded blocks), the warning says what is missing.
     * Regression guard, was a bug (C_CLAIM): "owns no listed resource" when no resource list was walked at all. */
    {"hdr_kdbg_encoded", 0, NULL, hdr_flip_kdbg_low, DI_OK, NULL, 0,
     {"KdDebuggerDataBlock at 0xfffff80512823000 has no 'KDBG' tag",
      "without a KDBG the ExpSystemResourcesList head is unknown"},
     NULL, M_CORRELATION_THREAD, N_ORPHAN, check_kdbg_encoded, 0, NULL},
    {"hdr_kdbg_unreadable", 0, NULL, hdr_flip_kdbg_high, DI_OK, NULL, 0,
     {"KdDebuggerDataBlock at 0xfffff80512923010 cannot be read from the dump",
      "without a KDBG the ExpSystemResourcesList head is unknown"},
     NULL, M_CORRELATION_THREAD, N_ORPHAN, check_kdbg_unreadable, 0, NULL},
    {"hdr_kdbg_user_address", 0, NULL, hdr_flip_kdbg_top, DI_OK, NULL, 0,
     {"KdDebuggerDataBlock 0x7ffff80512823010 is not a kernel address",
      "without a KDBG the ExpSystemResourcesList head is unknown"},
     NULL, M_CORRELATION_THREAD, N_ORPHAN, check_kdbg_absent, 0, NULL},
    /* PsActiveProcessHead flips while the KDBG is good: the KDBG's head is used. */
    {"hdr_process_head", 0, NULL, hdr_flip_process_head, DI_OK, NULL, 0,
     {"the header's PsActiveProcessHead/PsLoadedModuleList differ from the KDBG's; using the KDBG's"}, NULL,
     ALL_SURVIVE | M_INVENTORY, 0, NULL, 0, NULL},
    /* ... and with the KDBG unreadable too: no process list at all.
     * Regression guard, was a bug (C_CLAIM): "owns no listed resource", as above. */
    {"hdr_process_head_no_kdbg", 0, NULL, hdr_flip_process_head_and_kdbg, DI_OK, NULL, 7,
     {"the process list stops after 0 entries at 0xfffff805138233a0: a link could not be read"}, NULL,
     M_CORRELATION_THREAD, N_ORPHAN, check_no_process_list, 0, NULL},

    /* 7. Bitflips in kernel objects. */
    /* Orphaned's Flag gains ResourceFastResource (0x01). */
    /* Was: read as a FAST_ERESOURCE, owners not decoded, the orphan lost with exit 0. Now the
     * OwnerEntry is checked for a FAST_ERESOURCE's owner list; it holds a thread and a count,
     * so the bit is stray: damage, and the resource is read as the classic one it is. */
    {"res_flag_fast", 0, res_flag_fast, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: Flag 0x0c83 has the FAST_ERESOURCE bit 0x01, but its OwnerEntryListHead"},
     "FAST_ERESOURCEs driven", ALL_SURVIVE, 0, check_stray_fast, 0, NULL},
    /* ActiveEntries 0x40000001 on a resource owned exclusive (one owner entry): the counter
     * disagrees with the Flag and the owner found -- damage, the resource still listed. */
    {"res_active_entries", 0, res_active_entries_high, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: Flag 0x0c82 says owned exclusive (one owner entry), but ActiveEntries is "
      "1073741825"},
     NULL, ALL_SURVIVE, 0, check_active_entries, 0, NULL},
    /* An undetectable flip is reported as stored, nothing else changes. */
    {"owner_count_bits", 0, owner_count_high, NULL, DI_OK, NULL, 0, NO_WARN, NULL,
     M_WAITER | M_CORRELATION | M_BUCKET, 0, check_owner_count_high, 0, NULL},
    /* NtfsFcb's OwnerTable pointer flips: the table cannot be read, the resource is damaged,
     * its inline owner is still read. */
    {"res_owner_table_pointer", 0, res_owner_table_pointer, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f00038a70: its owner table 0xffffc40f00038ae0 cannot be read"}, NULL, ALL_SURVIVE, 0,
     check_owner_table_unreadable, 0, NULL},
    /* NtfsFcb's owner table's TableSize flips to 16 million slots.
     * Regression guard, was a bug (C_INVARIANT): read_owner_table (src/nt/nt_resources.c) warns and then reads
     * 4096 slots anyway -- 64 KiB of pool past a 3-slot table. Every nonzero aligned word there
     * becomes an "owner", none is a thread, so an_find_orphans reports ~580 orphaned locks
     * "(its memory was reused)". Fix: a table size out of bounds is damage, not a bound to
     * read up to: stop at the slots the resource accounts for (ActiveEntries owners found,
     * or a TableSize consistent with the pool block), mark the resource damaged, and give
     * owners read from a damaged table AN_OWNER_UNKNOWN rather than not_a_thread. */
    {"owner_table_size", 0, owner_table_size, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f00038a70: owner table claims 16777219 slots"}, NULL, ALL_SURVIVE, 0, NULL, 0, NULL},
    /* Owner's Cid or State out of range: the ETHREAD no longer validates as a thread. It is
     * skipped with a warning; nothing says it terminated. (The orphan is still reported, its
     * owner "not_a_thread" -- the reader's documented reading of an invalid owner.) */
    /* The owner's ETHREAD is damaged: nothing is claimed about it (no orphan, no
     * "terminated"); the resource with its waiter is still reported, as contention. */
    {"owner_cid_out_of_range", 0, owner_cid, NULL, DI_OK, NULL, 7,
     {"thread 0xffff8b0351756040 of process 4 (System) cannot be read or is not a thread; skipped"}, NULL,
     M_CORRELATION_ANY, N_TERMINATED | N_ORPHAN, check_owner_not_trusted, 0, NULL},
    {"owner_state_out_of_range", 0, owner_state, NULL, DI_OK, NULL, 7,
     {"thread 0xffff8b0351756040 of process 4 (System) cannot be read or is not a thread; skipped"}, NULL,
     M_CORRELATION_ANY, N_TERMINATED | N_ORPHAN, check_owner_not_trusted, 0, NULL},
    /* The Waiter's WaitReason out of range: listed as a waiter, unconfirmed, no tid. */
    {"waiter_wait_reason_out_of_range", 0, waiter_wait_reason, NULL, DI_OK, NULL, 7,
     {"thread 0xffff8b03515d5040 of process 4 (System) cannot be read or is not a thread; skipped",
      "waiter 0xffff8b03515d5040 in the ring entry 0xffff82871d947348 is not waiting on that entry's event"},
     NULL, M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_waiter_untrusted, 0, NULL},
    /* A bystander's State out of range: skipped with a warning; nothing else changes. */
    {"bystander_state_out_of_range", 0, bystander_state, NULL, DI_OK, NULL, 7,
     {"thread 0xffffc50f000086f0 of process 4 (System) cannot be read or is not a thread; skipped"}, NULL,
     ALL_SURVIVE, 0, check_bystander, 0, NULL},
    /* The wait entry's event type flips: the ring is not trusted, the counter still speaks. */
    {"wait_entry_event_type", 0, wait_entry_event_type, NULL, DI_OK, NULL, 7,
     {"exclusive waiter entry 0xffff82871d947348 is not a wait entry (event type 9, size 6",
      "thread 0xffff8b03515d5040 (TID 4260) waits (WrResource)"},
     NULL, M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_ring_untrusted, 0, NULL},
    /* TickCountMultiplier zeroed or flipped: no clock, wait times null, a warning. */
    {"tick_multiplier_zero", 0, tick_multiplier_zero, NULL, DI_OK, NULL, 7,
     {"KUSER_SHARED_DATA.TickCountMultiplier 0x00000000 is not a tick of 0.5 to 15.625 ms"}, NULL,
     M_ORPHAN | M_WAITER_NO_TIME | M_CORRELATION | M_BUCKET, 0, check_no_wait_times, 0, NULL},
    /* Regression guard, was a bug (C_WARN, C_MUST, C_CHECK): nt_read_clock (src/nt/nt_clock.c) rejects only a
     * zero multiplier; 0x4FA00000 (79.6 ms ticks) is used as is: "longest 79 ms", tick_us
     * 79625, all reported as facts. Fix: check the tick it implies (multiplier * 1000 >> 24
     * us) lies in Windows' range (500..15625 us) and that TickCount x tick agrees with the
     * InterruptTime beside it within a few ticks; otherwise warn and leave the clock invalid. */
    {"tick_multiplier_bitflip", 0, tick_multiplier_flip, NULL, DI_OK, NULL, 7, {"TickCountMultiplier"}, NULL,
     M_ORPHAN | M_WAITER_NO_TIME | M_CORRELATION | M_BUCKET, 0, check_no_wait_times, 0, NULL},

    /* 8. Lists that loop back (to an earlier entry, to itself): the walk says "loops back",
     *    recovers backwards where it can, lists every object once. */
    {"process_loop_self", 0, process_loop_self, NULL, DI_OK, NULL, 7,
     {"the process list stops after 8 entries at 0xffffc50f00005318: the list loops back on itself"}, NULL,
     ALL_SURVIVE, 0, check_all_processes, 0, NULL},
    {"process_loop_back", 0, process_loop_back, NULL, DI_OK, NULL, 7,
     {"the process list stops after 6 entries at 0xffffc50f00001478: the list loops back on itself; 2 more found"},
     NULL, ALL_SURVIVE, 0, check_all_processes, 0, NULL},
    {"thread_loop_back", 0, thread_loop_back, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 3 entries at 0xffff8b0351756528: the list loops back"}, NULL,
     ALL_SURVIVE, 0, check_all_threads, 0, NULL},
    {"thread_loop_self", 0, thread_loop_self, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 1 entries at 0xffff8b0351756528: the list loops back"}, NULL,
     ALL_SURVIVE, 0, check_all_threads, 0, NULL},
    {"module_loop_back", 0, module_loop_back, NULL, DI_OK, NULL, 7,
     {"the loaded-module list stops after 2 entries at 0xffffc50f00000000: the list loops back on itself; 4 more"},
     NULL, ALL_SURVIVE, 0, check_all_modules, 0, NULL},
    {"module_loop_self", 0, module_loop_self, NULL, DI_OK, NULL, 7,
     {"the loaded-module list stops after 6 entries at 0xffffc50f000004a0: the list loops back on itself"}, NULL,
     ALL_SURVIVE, 0, check_all_modules, 0, NULL},
    {"resource_loop_back", 0, resource_loop_back, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 3005 entries at 0xffffc50f0001d410: the list loops back on itself"}, NULL,
     ALL_SURVIVE, 0, check_all_resources, 0, NULL},
    {"resource_loop_self", 0, resource_loop_self, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 501 entries at 0xffffc50f0001d410: the list loops back on itself; 2504 more"},
     NULL, ALL_SURVIVE, 0, check_all_resources, 0, NULL},
    /* Waiter rings with more than one entry that loop: Waiter -> A -> A, Waiter -> A -> B -> A
     * (A and B: well-formed entries for the same thread, on its stack).
     * Regression guard, was a bug (C_INVARIANT, C_CHECK): read_waiter_ring (src/nt/nt_resources.c) follows the
     * ring until it returns to its first entry or passes counter + 8 entries, adding every
     * entry it meets: A (and B) are listed again and again, the finding says "9 threads wait
     * for it" where at most 3 entries exist, and 8 "not waiting on that entry's event"
     * warnings repeat. Fix: stop at an entry already seen on this ring (compare with
     * m->waiters[r->first_waiter ..]), mark the resource damaged and warn that the ring loops
     * back. */
    {"waiter_ring_self", 0, waiter_ring_self, NULL, DI_OK, NULL, 7, {"resource 0xffffc50f0001d410"}, NULL,
     M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_ring_loop, 0, NULL},
    {"waiter_ring_back", 0, waiter_ring_back, NULL, DI_OK, NULL, 7, {"resource 0xffffc50f0001d410"}, NULL,
     M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_ring_loop, 0, NULL},

    /* 9. Pointers into user space, off the canonical range, or null. A bad Flink is a corrupt
     *    link; the walk recovers backwards and the entry before it is still listed. */
    {"process_flink_user", 0, process_flink_user, NULL, DI_OK, NULL, 7,
     {"the process list stops after 4 entries at 0x00007ff612340000: a link is corrupt; 4 more found"}, NULL,
     ALL_SURVIVE, 0, check_process_flink, 0, NULL},
    {"process_flink_noncanonical", 0, process_flink_noncanonical, NULL, DI_OK, NULL, 7,
     {"the process list stops after 4 entries at 0x0000800000000000: a link is corrupt; 4 more found"}, NULL,
     ALL_SURVIVE, 0, check_process_flink, 0, NULL},
    {"process_flink_null", 0, process_flink_null, NULL, DI_OK, NULL, 7,
     {"the process list stops after 4 entries at 0x0000000000000000: a link is corrupt; 4 more found"}, NULL,
     ALL_SURVIVE, 0, check_process_flink, 0, NULL},
    {"thread_flink_user", 0, thread_flink_user, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 2 entries at 0x00007ff612340000: a link is corrupt"}, NULL,
     ALL_SURVIVE, 0, check_all_threads, 0, NULL},
    {"resource_flink_noncanonical", 0, resource_flink_noncanonical, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 1002 entries at 0x0000800000000000: a link is corrupt; 2003 more"}, NULL,
     ALL_SURVIVE, 0, check_all_resources, 0, NULL},
    {"module_flink_null", 0, module_flink_null, NULL, DI_OK, NULL, 7,
     {"the loaded-module list stops after 1 entries at 0x0000000000000000: a link is corrupt; 5 more"}, NULL,
     ALL_SURVIVE, 0, check_all_modules, 0, NULL},
    /* Orphaned's OwnerThread in user space / off the canonical range: the pointer is corrupt,
     * it names no thread, freed or alive. Expected: a damage warning naming it, the owner
     * "unknown", no orphan (exit 7). (Owner itself is intact: the correlation may still say
     * it terminated.)
     * Regression guard, was a bug (C_EXIT, C_WARN, C_MUST_NOT): nt_read_thread (src/nt/nt_threads.c) returns -2
     * for a non-kernel address, so an_find_orphans reports the lock orphaned by an owner that
     * "is no longer a thread (its memory was reused)", and nothing warns (exit 0). Fix: -1 (or
     * a distinct probe) for a non-kernel VA, so the owner is AN_OWNER_UNKNOWN, and an
     * nt_damage in src/nt/nt_resources.c add_owner: "resource 0x...: owner pointer 0x... is
     * not a kernel address". */
    {"owner_thread_user", 0, owner_thread_user, NULL, DI_OK, NULL, 7, {"0x00007ff612340000"}, NULL,
     M_CORRELATION_ANY, N_ORPHAN, NULL, 0, NULL},
    {"owner_thread_noncanonical", 0, owner_thread_noncanonical, NULL, DI_OK, NULL, 7, {"0xffff0b0351756040"}, NULL,
     M_CORRELATION_ANY, N_ORPHAN, NULL, 0, NULL},
    /* Orphaned's ExclusiveWaiters off the canonical range: the ring cannot be read, the
     * counter still speaks for one waiter. */
    {"exclusive_waiters_noncanonical", 0, exclusive_waiters_noncanonical, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: exclusive waiter entry 0x0000ff8287000000 cannot be read",
      "thread 0xffff8b03515d5040 (TID 4260) waits (WrResource)"},
     NULL, M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_stack_gone, 0, NULL},
    /* baddrv.sys's BaseDllName.Buffer (then also FullDllName.Buffer) in user space: the name
     * falls back to the path's last component (then to module_<base>) -- a damaged entry the
     * report must mention (exit 7).
     * Regression guard, was a bug (C_EXIT, C_WARN): no warning at all, exit 0. Fix in src/nt/nt_modules.c
     * visit_module: when nt_read_unicode fails (a bad Buffer, as opposed to an empty
     * string), nt_damage("loaded-module entry 0x...: its BaseDllName/FullDllName cannot be
     * read; named from ..."). */
    {"module_base_name_user", 0, module_name_user, NULL, DI_OK, NULL, 7, {"0xffffc50f000004a0"}, NULL, ALL_SURVIVE, 0,
     check_module_name_from_path, 0, NULL},
    {"module_names_user", 0, module_names_user, NULL, DI_OK, NULL, 7, {"0xffffc50f000004a0"}, NULL,
     M_WAITER | M_CORRELATION, 0, check_module_unnamed, 0, NULL},

    /* 10. Model consistency. A Flink redirected to the head cuts a walk short while looking
     *     complete: the head's Blink disagrees, the walk is damaged and recovered backwards. */
    {"resource_flink_to_head", 0, resource_flink_to_head, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 251 entries at 0xffffc50f000166b0: its Flink returns to the head, but "
      "the head's Blink is 0xffffc50f00061bc0; 2754 more found walking back from the head"},
     NULL, ALL_SURVIVE, 0, check_resources_recovered, 0, NULL},
    {"resource_head_flink_to_head", 0, resource_head_flink_to_head, NULL, DI_OK, NULL, 7,
     {"ExpSystemResourcesList stops after 0 entries", "its Flink returns to the head, but the head's Blink is",
      "3005 more found walking back from the head"},
     NULL, ALL_SURVIVE, 0, check_resources_recovered, 0, NULL},
    {"process_flink_to_head", 0, process_flink_to_head, NULL, DI_OK, NULL, 7,
     {"the process list stops after 4 entries", "its Flink returns to the head, but the head's Blink is",
      "4 more found walking back from the head"},
     NULL, ALL_SURVIVE, 0, check_all_processes, 0, NULL},
    {"thread_flink_to_head", 0, thread_flink_to_head, NULL, DI_OK, NULL, 7,
     {"the thread list of process 4 (System) stops after 1 entries",
      "its Flink returns to the head, but the head's Blink is"},
     NULL, ALL_SURVIVE, 0, check_all_threads, 0, NULL},
    {"module_flink_to_head", 0, module_flink_to_head, NULL, DI_OK, NULL, 7,
     {"the loaded-module list stops after 2 entries", "its Flink returns to the head, but the head's Blink is",
      "4 more found walking back from the head"},
     NULL, ALL_SURVIVE, 0, check_all_modules, 0, NULL},
    /* Type confusion: the resource list head names the module list or the process list. No
     * module or process record becomes a lock: one warning counts the entries refused. */
    {"resource_list_is_module_list", 0, resource_list_is_module_list, NULL, DI_OK, NULL, 7,
     {"6 entries on ExpSystemResourcesList are not executive resources (first at 0xffffc50f00000000: ActiveCount 0 "
      "and ActiveEntries 17063936 disagree"},
     "resource 0xffffc50f00000000", M_CORRELATION_ANY, N_ORPHAN, check_no_locks, 0, NULL},
    {"resource_list_is_process_list", 0, resource_list_is_process_list, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f00000a08: shared waiter entry 0x01d6a338b46fb6d7 cannot be read"}, NULL,
     M_CORRELATION_ANY, N_ORPHAN, check_no_held_locks, 0, NULL},
    /* An owner table that is another object: the resource is listed, damaged. */
    {"owner_table_at_kdbg", 0, owner_table_at_kdbg, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f00038a70: its owner table 0xfffff80512823010 is not one: the header slot names",
      "resource 0xffffc50f00038a70: ActiveEntries 2, but 1 owner entries are in use"},
     NULL, ALL_SURVIVE, 0, check_owner_table_garbage, 0, NULL},
    {"owner_table_at_module", 0, owner_table_at_module, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f00038a70: its owner table 0xffffc50f000004a0 is not one: the header slot names"}, NULL, ALL_SURVIVE, 0, check_owner_table_garbage, 0, NULL},
    /* Held (ActiveEntries 1) with no owner entry in use: damage naming the resource. */
    {"held_without_owner", 0, owner_thread_zero, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: ActiveCount 1 / ActiveEntries 1 say it is held, but no owner entry is in use"},
     NULL, M_CORRELATION_THREAD, N_ORPHAN, check_held_no_owner, 0, NULL},
    /* A real FAST_ERESOURCE (0x41, owner list empty) is not damage. */
    {"res_fast_genuine", 0, genuine_fast_resource, NULL, DI_OK, NULL, 0, {"1 resources are FAST_ERESOURCEs"}, NULL,
     ALL_SURVIVE | M_INVENTORY, 0, check_genuine_fast, 0, NULL},
    /* KDBG Size 0xffffffff: the block is damaged (exit 7), not silently unused. */
    {"kdbg_size_all_ones", 0, kdbg_size_all_ones, NULL, DI_OK, NULL, 7,
     {"KdDebuggerDataBlock at 0xfffff80512823010 is damaged: it claims size 0xffffffff"}, NULL,
     M_CORRELATION_THREAD, N_ORPHAN, check_kdbg_bad_size, 0, NULL},
    /* The ring pointer is cleared: the counter disagrees, and the Waiter's WrResource wait is
     * in no ring -- both damage. The orphan stands on its counter. */
    {"exclusive_waiters_null", 0, exclusive_waiters_null, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: NumberOfExclusiveWaiters is 1, but the exclusive waiter ring holds 0 entries",
      "thread 0xffff8b03515d5040 (TID 4260) waits (WrResource) on 0xffff82871d947360, which no resource's waiter "
      "ring lists"},
     NULL, M_ORPHAN | M_CORRELATION | M_BUCKET, 0, check_stack_gone, 0, NULL},
    /* A counter of 0xfffffff8 must not wrap the ring's bound: the ring is read, its one
     * entry found, the counter reported as damage. */
    {"exclusive_waiter_count_wraps", 0, exclusive_waiter_count_wraps, NULL, DI_OK, NULL, 7,
     {"resource 0xffffc50f0001d410: NumberOfExclusiveWaiters is 4294967288, but the exclusive waiter ring holds 1 "
      "entries"},
     NULL, ALL_SURVIVE, 0, check_ring_read_despite_count, 0, NULL},
    /* A module name's Length 0xfffe above its MaximumLength: refused, named from the path. */
    {"module_name_length", 0, module_name_length, NULL, DI_OK, NULL, 7,
     {"loaded-module entry 0xffffc50f000004a0 (base 0xfffff80533300000): its base name cannot be read: not a valid "
      "UNICODE_STRING"},
     NULL, ALL_SURVIVE, 0, check_module_name_from_path, 0, NULL},
    /* A thread or process whose header has the right type but no dispatcher wait list. */
    {"owner_wait_list_user", 0, owner_wait_list_user, NULL, DI_OK, NULL, 7,
     {"thread 0xffff8b0351756040 of process 4 (System) cannot be read or is not a thread; skipped"}, NULL,
     M_CORRELATION_ANY, N_TERMINATED | N_ORPHAN, check_owner_not_trusted, 0, NULL},
    {"process_wait_list_zero", 0, process_wait_list_zero, NULL, DI_OK, NULL, 7,
     {"has a damaged dispatcher header (its WaitListHead is not a list); skipped"}, NULL, ALL_SURVIVE, 0,
     check_lsass_skipped, 0, NULL},
};

#define NCASES (sizeof cases / sizeof cases[0])

/* ---- The runner ---- */

static void verbose_report(const dmg_case *c, const outcome *o)
{
    print_message("[%s] open %s%s%s, damaged %d, cli exit %d\n", c->name, di_status_name(o->open_status),
                  o->open_status ? ": " : "", o->open_status ? o->open_message : "", o->damaged, o->cli_exit);
    dump_warnings(o);
    if (!o->root)
        return;
    int n = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, need(o->root, "findings"))
    {
        if (n++ < 8)
            print_message("  finding: %s\n", str_at(f, "summary"));
    }
    if (n > 8)
        print_message("  ... %d findings in all\n", n);
}

/* Every check but the case's own function, recorded in v. */
static void judge(verdict *v, const dmg_case *c, const outcome *o, const world *w, const char *path)
{
    char msg[512];
    if (o->open_status != c->open) {
        note(v, C_OPEN, "di_open gave %s (%s), expected %s", di_status_name(o->open_status), o->open_message,
             di_status_name(c->open));
        return;
    }
    if (o->cli_exit != c->exit_code)
        note(v, C_EXIT, "the CLI exits %d, expected %d", o->cli_exit, c->exit_code);
    if (c->open != DI_OK) {
        if (!strstr(o->open_message, c->open_message))
            note(v, C_OPEN, "the message \"%s\" lacks \"%s\"", o->open_message, c->open_message);
        if (!strstr(o->open_message, path))
            note(v, C_OPEN, "the message \"%s\" does not name the file", o->open_message);
        if (!strstr(o->cli_err, o->open_message))
            note(v, C_OPEN, "the CLI does not print the message; its stderr: %s", o->cli_err);
        return;
    }
    if (o->damaged != (c->exit_code == 7))
        note(v, C_EXIT, "di_is_damaged is %d, expected %d", o->damaged, c->exit_code == 7);
    for (int i = 0; i < 4 && c->warn[i]; i++)
        if (!has_warning(o, c->warn[i]))
            note(v, C_WARN, "no warning holds \"%s\"", c->warn[i]);
    if (c->warn_not && has_warning(o, c->warn_not))
        note(v, C_WARN, "a warning holds \"%s\"", c->warn_not);

    cJSON *root = o->root;
    if ((c->must & M_ORPHAN) && !orphan_ok(root, w, msg, sizeof msg))
        note(v, C_MUST, "the orphan: %s", msg);
    if ((c->must & M_WAITER) && !waiter_ok(root, w, 1, msg, sizeof msg))
        note(v, C_MUST, "the orphan's waiter: %s", msg);
    if ((c->must & M_WAITER_NO_TIME) && !waiter_ok(root, w, 0, msg, sizeof msg))
        note(v, C_MUST, "the orphan's waiter: %s", msg);
    if ((c->must & M_CORRELATION) && !correlation_ok(root, 2, msg, sizeof msg))
        note(v, C_MUST, "the correlation: %s", msg);
    if ((c->must & M_CORRELATION_THREAD) && !correlation_ok(root, 1, msg, sizeof msg))
        note(v, C_MUST, "the correlation: %s", msg);
    if ((c->must & M_CORRELATION_ANY) && !correlation_ok(root, 0, msg, sizeof msg))
        note(v, C_MUST, "the correlation: %s", msg);
    if ((c->must & M_BUCKET) && !str_is(root, "analysis.bucket_id", BUCKET))
        note(v, C_MUST, "bucket_id %s", str_at(root, "analysis.bucket_id"));
    if ((c->must & M_INVENTORY) && !inventory_ok(root, msg, sizeof msg))
        note(v, C_MUST, "the inventory: %s", msg);
    if ((c->must_not & N_ORPHAN) && count_findings(root, "orphaned_lock"))
        note(v, C_MUST_NOT, "%d orphaned_lock findings, the first: %s", count_findings(root, "orphaned_lock"),
             str_at(finding(root, "orphaned_lock", 0), "summary"));
    if ((c->must_not & N_TERMINATED) && claims_owner_terminated(root))
        note(v, C_MUST_NOT, "the report says the owner terminated, which it cannot know");
    check_invariants(v, o, w);
}

static int enforce_known(void)
{
    const char *e = getenv("DI_DAMAGE_KNOWN_BUGS");
    return e && strcmp(e, "1") == 0;
}

/* What a case holds, released by the teardown however the case ends (pass, fail, skip). */
static fg_dump *case_dump;
static outcome case_outcome;

static int release_case(void **state)
{
    (void)state;
    outcome_free(&case_outcome);
    fg_free(case_dump);
    case_dump = NULL;
    t_watchdog(0);
    return 0;
}

static void run_case(void **state)
{
    const dmg_case *c = *state;
    t_watchdog(120);
    char err[512];
    fg_scenario_opts opts = {.dump_type = c->dump_type};
    fg_dump *d = case_dump = fg_scenario_build_file(SCENARIO, &opts, err, sizeof err);
    if (!d)
        fail_msg("scenario: %s", err);
    world w = find_world(d);
    if (c->damage)
        c->damage(d, &w);
    const char *path = t_emit(d, c->name);
    if (c->patch)
        c->patch(path, d, &w);

    outcome *o = &case_outcome;
    read_dump(path, o);
    if (getenv("DI_DAMAGE_VERBOSE"))
        verbose_report(c, o);
    verdict v = {0};
    judge(&v, c, o, &w, path);

    int enforce = enforce_known();
    unsigned deferred = enforce ? 0 : c->known;
    unsigned unexpected = v.failed & ~deferred;
    if (unexpected) {
        dump_warnings(o);
        fail_msg("%s:%s", c->name, v.why);
    }
    /* A known bug that no longer shows must lose its mark, so the case guards the fix. */
    unsigned gone = deferred & ~C_CHECK & ~v.failed;
    if (gone) {
        char names[128] = "";
        for (unsigned k = 0; k < 8; k++)
            if (gone >> k & 1)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
                         check_names[k]);
        fail_msg("%s: the known bug \"%s\" no longer shows in: %s. Drop those checks from the case's `known` mask.",
                 c->name, c->bug, names);
    }
    if (o->root && c->check && !(deferred & C_CHECK))
        c->check(o->root, &w);
    if (deferred) {
        print_message("[  KNOWN   ] %s: %s\n", c->name, c->bug);
        skip();
    }
}

int main(void)
{
    const char *only = getenv("DI_DAMAGE_CASE");
    struct CMUnitTest tests[NCASES];
    size_t n = 0;
    for (size_t i = 0; i < NCASES; i++) {
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        tests[n].name = cases[i].name;
        tests[n].test_func = run_case;
        tests[n].setup_func = NULL;
        tests[n].teardown_func = release_case;
        tests[n].initial_state = &cases[i];
        n++;
    }
    return _cmocka_run_group_tests("test_damage", tests, n, NULL, NULL);
}

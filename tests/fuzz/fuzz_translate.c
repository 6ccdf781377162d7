/* SPDX-License-Identifier: MIT */
/* fuzz_translate: x64 page walks and virtual reads. Addresses come from the header (the
 * kernel pointers, bugcheck parameters and registers a real dump carries, so walks reach the
 * page tables) and from the input's tail; page tables are tried under the header's CR3,
 * under a CR3 near it and under a CR3 taken from the input. Translation, physical reads and
 * virtual reads must tell the same story. */
#include <string.h>

#include "dump/dmp_layout.h"
#include "dumpinspect/dumpinspect.h"
#include "fuzz_common.h"
#include "util/le.h"

#define MAX_VREAD (3 * DMP_PAGE_SIZE)

static void check_translation(di_dump *d, uint64_t cr3, uint64_t va)
{
    di_translation t;
    di_error err;
    di_status st = di_translate(d, cr3, va, &t, &err);
    FZ_CHECK(t.status == st, "the translation records its status");
    FZ_CHECK(t.nsteps <= 4, "at most four levels");
    uint8_t v = 0, p = 0;
    if (st == DI_E_UNSUPPORTED) {
        /* A triage dump: no page tables and no physical memory; its virtual reads are
         * served from captured ranges instead (fuzz_triage checks those). */
        FZ_CHECK(di_read_physical(d, 0, &p, 1, &err) == DI_E_UNSUPPORTED, "no page tables, no physical memory");
        return;
    }
    di_status sv = di_read_virtual(d, cr3, va, &v, 1, &err);
    if (st != DI_OK) {
        FZ_CHECK(sv == st, "a virtual read fails the way its translation does");
    } else {
        FZ_CHECK(t.page_size == 0x1000 || t.page_size == 0x200000 || t.page_size == 0x40000000,
                 "a known page size");
        FZ_CHECK((t.pa & (t.page_size - 1)) == (va & (t.page_size - 1)), "the offset survives translation");
        FZ_CHECK(t.in_dump, "a successful translation lands in the dump");
        di_status sp = di_read_physical(d, t.pa, &p, 1, &err);
        FZ_CHECK(sv == sp, "virtual and physical reads of one byte agree on success");
        if (sp == DI_OK)
            FZ_CHECK(v == p, "virtual and physical reads return the same byte");
    }
    char *json = NULL;
    if (di_translation_json(&t, 1, &json, &err) == DI_OK)
        di_free(json);
}

/* A read that may cross pages: all-or-nothing, and its bytes are the pages' bytes. */
static void check_long_read(di_dump *d, uint64_t cr3, uint64_t va, size_t len)
{
    static uint8_t buf[MAX_VREAD];
    uint8_t one;
    di_error err;
    di_status st = di_read_virtual(d, cr3, va, buf, len, &err);
    if (st != DI_OK)
        return;
    for (size_t done = 0; done < len;) {
        size_t n = DMP_PAGE_SIZE - (size_t)((va + done) & (DMP_PAGE_SIZE - 1));
        if (n > len - done)
            n = len - done;
        di_translation t;
        di_status ts = di_translate(d, cr3, va + done, &t, &err);
        if (ts == DI_E_UNSUPPORTED)
            return; /* a triage dump: nothing to translate */
        FZ_CHECK(ts == DI_OK, "every page of a good read translates");
        FZ_CHECK(di_read_physical(d, t.pa, &one, 1, &err) == DI_OK && one == buf[done],
                 "a long read returns each page's bytes");
        done += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    di_dump *d;
    di_error err;
    if (di_open_memory(data, size, "fuzz.dmp", &d, &err) != DI_OK)
        return 0;
    /* di_open_memory succeeded, so the input holds the whole header. */
    static const unsigned hdr_vas[] = {
        DMP_HDR_PFN_DATABASE, DMP_HDR_PS_LOADED_MODULES, DMP_HDR_PS_ACTIVE_PROCESSES,
        DMP_HDR_KD_DEBUGGER_DATA, DMP_HDR_BUGCHECK_PARAM1, DMP_HDR_BUGCHECK_PARAM1 + 8,
        DMP_HDR_BUGCHECK_PARAM1 + 16, DMP_HDR_BUGCHECK_PARAM1 + 24,
        DMP_HDR_CONTEXT + DMP_CTX_RIP, DMP_HDR_CONTEXT + DMP_CTX_RAX + 4 * 8 /* rsp */,
    };
    uint64_t t0 = fz_tail_u64(data, size, 0), t1 = fz_tail_u64(data, size, 1);
    uint64_t t2 = fz_tail_u64(data, size, 2), t3 = fz_tail_u64(data, size, 3);
    uint64_t cr3s[3] = {
        DI_CR3_KERNEL,
        di_kernel_cr3(d) + (uint64_t)(int64_t)(int8_t)(t0 & 0xFF) * DMP_PAGE_SIZE,
        t1,
    };
    for (size_t i = 0; i < sizeof hdr_vas / sizeof hdr_vas[0]; i++) {
        uint64_t va = le64(data + hdr_vas[i]);
        check_translation(d, cr3s[0], va);
        /* Near the header's pointer: neighbouring entries of the same tables. */
        check_translation(d, cr3s[i % 2 + 1], va + ((t2 >> (4 * i)) & 0xF) * 0x1000);
    }
    uint64_t tail_vas[2] = {fz_canonical(t2), fz_canonical(t3)};
    for (size_t i = 0; i < 2; i++)
        for (size_t c = 0; c < 3; c++)
            check_translation(d, cr3s[c], tail_vas[i]);
    /* A read crossing pages from the context's RIP or a tail address. */
    uint64_t va = (t3 & 1) ? le64(data + DMP_HDR_CONTEXT + DMP_CTX_RIP) : tail_vas[0];
    check_long_read(d, DI_CR3_KERNEL, va, (size_t)(1 + (t3 >> 48) % MAX_VREAD));
    di_close(d);
    return 0;
}

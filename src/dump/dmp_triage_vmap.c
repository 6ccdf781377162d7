/* SPDX-License-Identifier: MIT */
/* The triage dump's virtual memory: TRIAGE_DATA_BLOCKs (VA -> file range), the saved stack
 * at TopOfStack, the KDBG copy at the header's KdDebuggerDataBlock, the data page, and the
 * KPRCB/ETHREAD/EPROCESS copies at the VAs the KDBG copy's published offsets lead to.
 * There are no page tables: an address outside every range was simply not captured. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "dump/dmp_triage.h"
#include "util/error.h"
#include "util/le.h"

/* More blocks than a triage writer emits (real files hold ~700-1900); bounds memory. */
#define TRI_MAX_BLOCKS  (1u << 20)
#define TRI_BLOCK_BATCH 256u
/* The KDBG fields read here all lie below this. */
#define TRI_KDBG_NEEDED 0x2C0u

static int region_cmp(const void *a, const void *b)
{
    const dmp_vregion *x = a, *y = b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    return x->file_off < y->file_off ? -1 : x->file_off > y->file_off;
}

const dmp_vregion *dmp_triage_region_at(const dmp_triage *t, uint64_t va)
{
    size_t lo = 0, hi = t->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->blocks[mid].va <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo && va - t->blocks[lo - 1].va < t->blocks[lo - 1].size)
        return &t->blocks[lo - 1];
    for (size_t i = 0; i < t->nextra; i++)
        if (va >= t->extra[i].va && va - t->extra[i].va < t->extra[i].size)
            return &t->extra[i];
    return NULL;
}

di_status dmp_triage_read_va(dmp_dump *d, uint64_t va, void *buf, size_t len, di_error *err)
{
    uint8_t *out = buf;
    while (len > 0) {
        const dmp_vregion *r = dmp_triage_region_at(d->triage, va);
        if (!r)
            return di_fail(err, DI_E_NOT_CAPTURED,
                           "%s: 0x%016llx is not captured in this triage dump (a small memory dump keeps only its "
                           "data blocks, the saved stack and copies of the crashing thread, process and processor)",
                           dmp_path(d), (unsigned long long)va);
        uint64_t room = r->size - (va - r->va);
        size_t n = room < len ? (size_t)room : len;
        di_status st = io_pread(d->io, r->file_off + (va - r->va), out, n, err);
        if (st != DI_OK)
            return st;
        out += n;
        len -= n;
        va += n;
        if (len && va == 0)
            return di_fail(err, DI_E_NONCANONICAL, "%s: read wraps past the top of the address space", dmp_path(d));
    }
    return DI_OK;
}

/* Read the TRIAGE_DATA_BLOCK table; keep blocks inside the triage data, sorted and disjoint. */
static void read_block_table(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    const dmp_tsection *sec = &t->sec[DMP_TS_BLOCKS];
    t->blocks_declared = le32(t->hdr + DMP_TRI_BLOCKS_COUNT);
    if (!sec->usable || !t->blocks_declared)
        return;
    uint32_t n = t->blocks_declared < TRI_MAX_BLOCKS ? t->blocks_declared : TRI_MAX_BLOCKS;
    if (n < t->blocks_declared)
        dmp_warn_damage(d, "%s: the triage dump claims %u data blocks; reading the first %u", dmp_path(d),
                        t->blocks_declared, n);
    t->blocks = calloc(n, sizeof *t->blocks);
    if (!t->blocks) {
        dmp_warn_damage(d, "%s: out of memory reading the triage data blocks", dmp_path(d));
        return;
    }
    uint64_t lo = DMP_TRI_HDR + DMP_TRI_HDR_SIZE, hi = t->data_end;
    uint32_t outside = 0;
    uint8_t buf[TRI_BLOCK_BATCH * DMP_TRI_BLOCK_SIZE];
    for (uint32_t i = 0; i < n; i += TRI_BLOCK_BATCH) {
        uint32_t k = n - i < TRI_BLOCK_BATCH ? n - i : TRI_BLOCK_BATCH;
        if (io_pread(d->io, sec->offset + (uint64_t)i * DMP_TRI_BLOCK_SIZE, buf, (size_t)k * DMP_TRI_BLOCK_SIZE,
                     NULL) != DI_OK)
            break;
        for (uint32_t j = 0; j < k; j++) {
            const uint8_t *e = buf + (size_t)j * DMP_TRI_BLOCK_SIZE;
            dmp_vregion r = {.va = le64(e), .file_off = le32(e + 8), .size = le32(e + 12), .source = DMP_VS_BLOCK};
            if (!r.size)
                continue;
            if (r.file_off < lo || r.file_off >= hi || r.size > hi - r.file_off || r.va + r.size < r.va) {
                outside++;
                continue;
            }
            t->blocks[t->nblocks++] = r;
        }
    }
    if (outside)
        dmp_warn_damage(d, "%s: %u triage data blocks point outside the triage data or wrap the address space; "
                           "they are ignored",
                        dmp_path(d), outside);
    if (t->nblocks)
        qsort(t->blocks, t->nblocks, sizeof *t->blocks, region_cmp);
    /* Blocks that overlap an earlier one cannot both be the memory at that address. */
    size_t k = 0, overlapping = 0;
    for (size_t i = 0; i < t->nblocks; i++) {
        if (k && t->blocks[i].va - t->blocks[k - 1].va < t->blocks[k - 1].size) {
            overlapping++;
            continue;
        }
        t->blocks[k++] = t->blocks[i];
    }
    t->nblocks = k;
    if (overlapping)
        dmp_warn_damage(d, "%s: %zu triage data blocks overlap others at the same addresses; the first of each is kept",
                        dmp_path(d), overlapping);
}

static void add_extra(dmp_triage *t, uint64_t va, uint64_t size, uint64_t file_off, dmp_vsource src)
{
    if (!size || va + size < va || t->nextra >= sizeof t->extra / sizeof t->extra[0])
        return;
    t->extra[t->nextra++] = (dmp_vregion){.va = va, .size = size, .file_off = file_off, .source = src};
}

static int kernel_va(uint64_t va) { return (va >> 47) == 0x1FFFF; }

/* The copies' VAs: KPRCB.CurrentThread gives the thread, KTHREAD.ApcState.Process the
 * process, KiProcessorBlock[Number] the KPRCB; the offsets are the ones the KDBG publishes
 * for this very kernel, so no offset table is needed (ARM64 included). */
static void place_copies(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    const dmp_tsection *kd = &t->sec[DMP_TS_DEBUGGER], *prcb = &t->sec[DMP_TS_PRCB];
    const dmp_tsection *thread = &t->sec[DMP_TS_THREAD], *process = &t->sec[DMP_TS_PROCESS];
    uint8_t k[TRI_KDBG_NEEDED];
    if (!kd->usable || kd->size < sizeof k || io_pread(d->io, kd->offset, k, sizeof k, NULL) != DI_OK)
        return;
    if (le32(k + DMP_KDBG_OWNER_TAG) != DMP_KDBG_TAG) {
        dmp_warn_damage(d, "%s: the triage KDBG copy at 0x%llx has no \"KDBG\" tag", dmp_path(d),
                        (unsigned long long)kd->offset);
        return;
    }
    uint16_t off_cur = le16(k + DMP_KDBG_OFFSET_PRCB_CURRENT_THREAD), off_num = le16(k + DMP_KDBG_OFFSET_PRCB_NUMBER);
    uint16_t off_proc = le16(k + DMP_KDBG_OFFSET_KTHREAD_APC_PROCESS);
    uint8_t b[8];
    if (prcb->usable && off_cur + 8u <= prcb->size && io_pread(d->io, prcb->offset + off_cur, b, 8, NULL) == DI_OK &&
        kernel_va(le64(b)))
        t->thread_va = le64(b);
    if (prcb->usable && off_num + 4u <= prcb->size && io_pread(d->io, prcb->offset + off_num, b, 4, NULL) == DI_OK) {
        t->processor = le32(b);
        uint64_t kpb = le64(k + DMP_KDBG_KI_PROCESSOR_BLOCK);
        if (t->processor < 4096 && dmp_triage_read_va(d, kpb + 8ull * t->processor, b, 8, NULL) == DI_OK &&
            kernel_va(le64(b)))
            t->prcb_va = le64(b);
    }
    if (thread->usable && off_proc + 8u <= thread->size &&
        io_pread(d->io, thread->offset + off_proc, b, 8, NULL) == DI_OK && kernel_va(le64(b)))
        t->process_va = le64(b);
    if (t->prcb_va)
        add_extra(t, t->prcb_va, prcb->size, prcb->offset, DMP_VS_PRCB);
    if (t->thread_va && thread->usable)
        add_extra(t, t->thread_va, thread->size, thread->offset, DMP_VS_THREAD);
    if (t->process_va && process->usable)
        add_extra(t, t->process_va, process->size, process->offset, DMP_VS_PROCESS);
}

void dmp_triage_read_blocks(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    read_block_table(d);
    const dmp_tsection *st = &t->sec[DMP_TS_STACK], *kd = &t->sec[DMP_TS_DEBUGGER], *dp = &t->sec[DMP_TS_DATAPAGE];
    if (st->usable)
        add_extra(t, t->top_of_stack, st->size, st->offset, DMP_VS_STACK);
    if (kd->usable)
        add_extra(t, le64(d->hdr + DMP_HDR_KD_DEBUGGER_DATA), kd->size, kd->offset, DMP_VS_DEBUGGER);
    if (dp->usable)
        add_extra(t, le64(t->hdr + DMP_TRI_DATAPAGE_ADDRESS), dp->size, dp->offset, DMP_VS_DATAPAGE);
    place_copies(d);
}

/* SPDX-License-Identifier: MIT */
/* The KDBG publishes, for its own kernel, the offsets and sizes a debugger needs most
 * (KDDEBUGGER_DATA64 Offset* / Size* fields, dump-format.md 4.2). Checking the chosen
 * offset profile against them catches a wrong profile before it decodes anything: a
 * disagreement is a warning naming the field, and the model is not built on it. */
#include "nt/nt_kdbg.h"
#include "util/le.h"

typedef struct kdbg_published {
    uint16_t kdbg_off;      /* where the KDBG holds it */
    uint8_t width;          /* 2 or 4 bytes */
    uint8_t is_size;        /* a structure size, not a field offset */
    int id;                 /* nt_field_id or nt_struct_id */
    const char *name;       /* the KDBG field */
} kdbg_published;

#define KDBG_PUBLISHED_FIRST 0x298u
#define KDBG_PUBLISHED_END   0x360u

static const kdbg_published published[] = {
    {0x29A, 2, 0, NT_F_KTHREAD_TEB, "OffsetKThreadTeb"},
    {0x29C, 2, 0, NT_F_KTHREAD_KERNELSTACK, "OffsetKThreadKernelStack"},
    {0x29E, 2, 0, NT_F_KTHREAD_INITIALSTACK, "OffsetKThreadInitialStack"},
    {0x2A0, 2, 0, NT_F_KTHREAD_APCSTATE_PROCESS, "OffsetKThreadApcProcess"},
    {0x2A2, 2, 0, NT_F_KTHREAD_STATE, "OffsetKThreadState"},
    {0x2A8, 2, 1, NT_S_EPROCESS, "SizeEProcess"},
    {0x2AA, 2, 0, NT_F_EPROCESS_PEB, "OffsetEprocessPeb"},
    {0x2AC, 2, 0, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID, "OffsetEprocessParentCID"},
    {0x2AE, 2, 0, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE, "OffsetEprocessDirectoryTableBase"},
    {0x2B0, 2, 1, NT_S_KPRCB, "SizePrcb"},
    {0x2B4, 2, 0, NT_F_KPRCB_CURRENTTHREAD, "OffsetPrcbCurrentThread"},
    {0x2BE, 2, 0, NT_F_KPRCB_NUMBER, "OffsetPrcbNumber"},
    {0x2C0, 2, 1, NT_S_ETHREAD, "SizeEThread"},
    {0x2E0, 2, 1, NT_S_KPCR, "SizePcr"},
    {0x2E2, 2, 0, NT_F_KPCR_SELF, "OffsetPcrSelfPcr"},
    {0x2E4, 2, 0, NT_F_KPCR_CURRENTPRCB, "OffsetPcrCurrentPrcb"},
    {0x2E6, 2, 0, NT_F_KPCR_PRCB, "OffsetPcrContainedPrcb"},
    {0x340, 4, 0, NT_F_KTHREAD_STACKLIMIT, "OffsetKThreadStackLimit"},
    {0x344, 4, 0, NT_F_KTHREAD_STACKBASE, "OffsetKThreadStackBase"},
    {0x350, 2, 0, NT_F_KPRCB_IDLETHREAD, "OffsetPrcbIdleThread"},
    {0x35C, 2, 0, NT_F_KTHREAD_WAITREASON, "OffsetKThreadWaitReason"},
};

int nt_kdbg_check_profile(nt_ctx *c, const nt_kdbg *k, unsigned *checked)
{
    uint8_t b[KDBG_PUBLISHED_END - KDBG_PUBLISHED_FIRST];
    *checked = 0;
    if (k->state != NT_KDBG_OK || k->size <= KDBG_PUBLISHED_FIRST)
        return 0;
    uint32_t avail = k->size < KDBG_PUBLISHED_END ? k->size - KDBG_PUBLISHED_FIRST : (uint32_t)sizeof b;
    if (nt_read(c, k->va + KDBG_PUBLISHED_FIRST, b, avail) != DI_OK)
        return 0;
    int mismatches = 0;
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        const kdbg_published *p = &published[i];
        uint32_t at = p->kdbg_off - KDBG_PUBLISHED_FIRST;
        if (at + p->width > avail)
            continue;
        uint32_t v = p->width == 2 ? le16(b + at) : le32(b + at);
        /* No real layout puts these at 0: a zero is a field this KDBG does not fill in. */
        if (!v)
            continue;
        uint32_t want;
        if (p->is_size) {
            want = nt_size(c, (nt_struct_id)p->id);
        } else {
            const nt_field *f = nt_field_get(c->prof, (nt_field_id)p->id);
            if (!f)
                continue;
            want = f->offset;
        }
        if (!want)
            continue;
        ++*checked;
        if (v != want) {
            nt_warn_code(c, DI_W_PROFILE_MISMATCH, "the KDBG publishes %s = 0x%x but offset profile %s has 0x%x", p->name, v, c->prof->version,
                    want);
            mismatches++;
        }
    }
    return mismatches;
}

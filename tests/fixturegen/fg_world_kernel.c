/* SPDX-License-Identifier: MIT */
/* The kernel's own data: KDDEBUGGER_DATA64 and the global variables it points at (list heads,
 * KeTimeIncrement, MmPfnDatabase, NtBuildLab, KiProcessorBlock) inside ntoskrnl's image, the
 * image's PE header with its CodeView record, and KUSER_SHARED_DATA. */
#include "fg_world_int.h"
#include "fg_le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KDDEBUGGER_DATA64 (dump-format.md 4.2): offsets fixed by the public declaration. */
#define KDBG_SIZE FGW_KDBG_SIZE
#define KDBG_LIST 0x000
#define KDBG_OWNER_TAG 0x010
#define KDBG_SIZE_FIELD 0x014
#define KDBG_KERN_BASE 0x018
#define KDBG_PS_LOADED_MODULE_LIST 0x048
#define KDBG_PS_ACTIVE_PROCESS_HEAD 0x050
#define KDBG_EXP_SYSTEM_RESOURCES_LIST 0x060
#define KDBG_KE_TIME_INCREMENT 0x078
#define KDBG_MM_PFN_DATABASE 0x0C0
#define KDBG_NT_BUILD_LAB 0x208
#define KDBG_KI_PROCESSOR_BLOCK 0x218
#define KDBG_OFF_KTHREAD_TEB 0x29A
#define KDBG_OFF_KTHREAD_KERNEL_STACK 0x29C
#define KDBG_OFF_KTHREAD_INITIAL_STACK 0x29E
#define KDBG_OFF_KTHREAD_APC_PROCESS 0x2A0
#define KDBG_OFF_KTHREAD_STATE 0x2A2
#define KDBG_SIZE_EPROCESS 0x2A8
#define KDBG_OFF_EPROCESS_PEB 0x2AA
#define KDBG_OFF_EPROCESS_PARENT_CID 0x2AC
#define KDBG_OFF_EPROCESS_DTB 0x2AE
#define KDBG_SIZE_PRCB 0x2B0
#define KDBG_OFF_PRCB_CURRENT_THREAD 0x2B4
#define KDBG_OFF_PRCB_NUMBER 0x2BE
#define KDBG_SIZE_ETHREAD 0x2C0
#define KDBG_SIZE_PCR 0x2E0
#define KDBG_OFF_PCR_SELF 0x2E2
#define KDBG_OFF_PCR_CURRENT_PRCB 0x2E4
#define KDBG_OFF_PCR_CONTAINED_PRCB 0x2E6
#define KDBG_OFF_KTHREAD_STACK_LIMIT 0x340 /* u32 */
#define KDBG_OFF_KTHREAD_STACK_BASE 0x344  /* u32 */
#define KDBG_OFF_PRCB_IDLE_THREAD 0x350
#define KDBG_TAG 0x4742444Bu /* "KDBG" */

/* PE/COFF offsets (fixed by the format). */
#define PE_LFANEW 0x108u
#define PE_MACHINE_AMD64 0x8664u
#define PE_OPT 0x18u
#define PE_OPT_SIZE 0xF0u
#define PE_CHARACTERISTICS 0x0022u /* executable, large-address aware */
#define PE_MAGIC_64 0x20Bu
#define PE_SUBSYSTEM_NATIVE 1u
#define PE_NUM_DIRS 16u
#define PE_DIR_DEBUG 6u
#define PE_DEBUG_DIR_RVA 0x400u
#define PE_DEBUG_ENTRY 28u
#define PE_DEBUG_CODEVIEW 2u
#define PE_RSDS_RVA 0x420u
#define KERNEL_PDB_NAME "ntkrnlmp.pdb"

#define KUSER_SHARED_DATA_VA 0xFFFFF78000000000ull
#define KUSD_NT_MAJOR 10u
#define KUSD_ARCH_AMD64 9u
#define KUSD_QPC_FREQUENCY 10000000u
#define NT_BUILD_NUMBER_FREE 0xF0000000u /* high nibble of NtBuildNumber on a free build */

int fgw_kernel_layout(fg_world *w)
{
    const fgw_module *nt = &w->mods[w->nt];
    /* The "data section": the second half of the image, past the pages the PE header uses. */
    uint64_t data = nt->base + ((nt->size / 2) & ~(FGW_PAGE - 1));
    if (data < nt->base + FGW_PAGE)
        data = nt->base + FGW_PAGE;
    w->data = (fgw_region){data, data, FG_4K};
    uint32_t le = fgw_size(w, NT_S_LIST_ENTRY);
    fgw_region *r = &w->data;
    char lab[64];
    snprintf(lab, sizeof(lab), "%u.1.amd64fre.vb_release.191206-1406", w->p->build);
    if ((w->kd_list_head = fgw_region_alloc(w, r, le, 16)) == 0 ||
        (w->kdbg = fgw_region_alloc(w, r, KDBG_SIZE, 16)) == 0 ||
        (w->mod_head = fgw_region_alloc(w, r, le, 16)) == 0 ||
        (w->proc_head = fgw_region_alloc(w, r, le, 16)) == 0 ||
        (w->res_head = fgw_region_alloc(w, r, le, 16)) == 0 ||
        (w->time_inc_var = fgw_region_alloc(w, r, 8, 8)) == 0 ||
        (w->pfn_var = fgw_region_alloc(w, r, 8, 8)) == 0 ||
        (w->build_lab = fgw_region_alloc(w, r, strlen(lab) + 1, 8)) == 0 ||
        (w->prcb_block = fgw_region_alloc(w, r, 8ull * (w->nprocessors + 1), 16)) == 0 ||
        (w->idle_event = fgw_region_alloc(w, r, fgw_size(w, NT_S_KEVENT), 16)) == 0)
        return fgw_fail_dump(w, w->line, "mapping ntoskrnl's data pages");
    if (r->next > nt->base + nt->size)
        return fgw_fail(w, nt->line, "ntoskrnl.exe (size 0x%llx) is too small for its data",
                        (unsigned long long)nt->size);
    if (fgw_write(w, w->build_lab, lab, strlen(lab) + 1) != FG_OK)
        return fgw_fail_dump(w, w->line, "writing NtBuildLab");
    return 0;
}

static void ksystem_time(fgw_buf *o, nt_field_id field, uint64_t v)
{
    const nt_field *f = nt_field_get(o->p, field);
    size_t base = f ? f->offset : 0;
    fgw_set(o, base, NT_F_KSYSTEM_TIME_LOWPART, (uint32_t)v);
    fgw_set(o, base, NT_F_KSYSTEM_TIME_HIGH1TIME, v >> 32);
    fgw_set(o, base, NT_F_KSYSTEM_TIME_HIGH2TIME, v >> 32);
}

static int write_kuser(fg_world *w)
{
    const fg_config *cfg = fg_config_of(w->d);
    if (fg_map(w->d, KUSER_SHARED_DATA_VA, 1, FG_4K) != FG_OK)
        return fgw_fail_dump(w, w->line, "mapping KUSER_SHARED_DATA");
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KUSER_SHARED_DATA)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER, FGW_TICK_MULTIPLIER);
    ksystem_time(&o, NT_F_KUSER_SHARED_DATA_INTERRUPTTIME, w->uptime);
    ksystem_time(&o, NT_F_KUSER_SHARED_DATA_SYSTEMTIME, cfg->system_time);
    ksystem_time(&o, NT_F_KUSER_SHARED_DATA_TIMEZONEBIAS, w->tz_minutes * 600000000ull);
    ksystem_time(&o, NT_F_KUSER_SHARED_DATA_TICKCOUNT, w->ticks);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NTBUILDNUMBER, NT_BUILD_NUMBER_FREE | w->p->build);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NTPRODUCTTYPE, cfg->product_type);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_PRODUCTTYPEISVALID, 1);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NATIVEPROCESSORARCHITECTURE, KUSD_ARCH_AMD64);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NTMAJORVERSION, KUSD_NT_MAJOR);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NTMINORVERSION, 0);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_BOOTID, cfg->boot_id);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_SUITEMASK, cfg->suite_mask);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_NUMBEROFPHYSICALPAGES,
            cfg->sparse_phys_bytes / FGW_PAGE);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_QPCFREQUENCY, KUSD_QPC_FREQUENCY);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_ACTIVEPROCESSORCOUNT, cfg->processors);
    fgw_set(&o, 0, NT_F_KUSER_SHARED_DATA_ACTIVEGROUPCOUNT, 1);
    int rc = fgw_put(w, w->line, KUSER_SHARED_DATA_VA, &o);
    fgw_buf_free(&o);
    return rc;
}

/* One page at the image base: DOS header, PE header, one debug directory entry naming the RSDS
 * record of ntkrnlmp.pdb. Everything else in the page is zero. */
static int write_pe_image(fg_world *w)
{
    const fgw_module *nt = &w->mods[w->nt];
    uint8_t pg[FGW_PAGE];
    memset(pg, 0, sizeof(pg));
    pg[0] = 'M';
    pg[1] = 'Z';
    fg_put32(pg + 0x3C, PE_LFANEW);
    uint8_t *pe = pg + PE_LFANEW, *opt = pe + PE_OPT;
    memcpy(pe, "PE\0\0", 4);
    fg_put16(pe + 4, PE_MACHINE_AMD64);
    fg_put32(pe + 8, nt->timestamp);
    fg_put16(pe + 0x14, PE_OPT_SIZE);
    fg_put16(pe + 0x16, PE_CHARACTERISTICS);
    fg_put16(opt, PE_MAGIC_64);
    fg_put32(opt + 0x10, (uint32_t)nt->entry_off);
    fg_put64(opt + 0x18, nt->base);
    fg_put32(opt + 0x20, 0x1000);       /* SectionAlignment */
    fg_put32(opt + 0x24, 0x200);        /* FileAlignment */
    fg_put16(opt + 0x28, KUSD_NT_MAJOR); /* MajorOperatingSystemVersion */
    fg_put16(opt + 0x30, KUSD_NT_MAJOR); /* MajorSubsystemVersion */
    fg_put32(opt + 0x38, (uint32_t)nt->size);
    fg_put32(opt + 0x3C, 0x600); /* SizeOfHeaders */
    fg_put32(opt + 0x40, nt->checksum);
    fg_put16(opt + 0x44, PE_SUBSYSTEM_NATIVE);
    fg_put32(opt + 0x6C, PE_NUM_DIRS);
    fg_put32(opt + 0x70 + 8 * PE_DIR_DEBUG, PE_DEBUG_DIR_RVA);
    fg_put32(opt + 0x70 + 8 * PE_DIR_DEBUG + 4, PE_DEBUG_ENTRY);
    uint8_t *dbg = pg + PE_DEBUG_DIR_RVA, *cv = pg + PE_RSDS_RVA;
    uint32_t cv_size = 24 + (uint32_t)sizeof(KERNEL_PDB_NAME);
    fg_put32(dbg + 4, nt->timestamp);
    fg_put32(dbg + 0x0C, PE_DEBUG_CODEVIEW);
    fg_put32(dbg + 0x10, cv_size);
    fg_put32(dbg + 0x14, PE_RSDS_RVA); /* AddressOfRawData */
    fg_put32(dbg + 0x18, PE_RSDS_RVA); /* PointerToRawData */
    memcpy(cv, "RSDS", 4);
    memcpy(cv + 4, nt->guid, 16);
    fg_put32(cv + 20, nt->age);
    memcpy(cv + 24, KERNEL_PDB_NAME, sizeof(KERNEL_PDB_NAME));
    if (fg_map(w->d, nt->base, 1, FG_4K) != FG_OK)
        return fgw_fail_dump(w, nt->line, "mapping ntoskrnl's header page");
    if (fgw_write(w, nt->base, pg, sizeof(pg)) != FG_OK)
        return fgw_fail_dump(w, nt->line, "writing ntoskrnl's PE header");
    return 0;
}

static uint16_t off16(const fg_world *w, nt_field_id id)
{
    return (uint16_t)fgw_off(w, id);
}

/* The published fields by their KDDEBUGGER_DATA64 names, for kdbg_publish=. */
static const struct {
    const char *name;
    uint16_t at, width;
} kdbg_fields[] = {
    {"OffsetKThreadTeb", KDBG_OFF_KTHREAD_TEB, 2},
    {"OffsetKThreadKernelStack", KDBG_OFF_KTHREAD_KERNEL_STACK, 2},
    {"OffsetKThreadInitialStack", KDBG_OFF_KTHREAD_INITIAL_STACK, 2},
    {"OffsetKThreadApcProcess", KDBG_OFF_KTHREAD_APC_PROCESS, 2},
    {"OffsetKThreadState", KDBG_OFF_KTHREAD_STATE, 2},
    {"SizeEProcess", KDBG_SIZE_EPROCESS, 2},
    {"OffsetEprocessPeb", KDBG_OFF_EPROCESS_PEB, 2},
    {"OffsetEprocessParentCID", KDBG_OFF_EPROCESS_PARENT_CID, 2},
    {"OffsetEprocessDirectoryTableBase", KDBG_OFF_EPROCESS_DTB, 2},
    {"SizePrcb", KDBG_SIZE_PRCB, 2},
    {"OffsetPrcbCurrentThread", KDBG_OFF_PRCB_CURRENT_THREAD, 2},
    {"OffsetPrcbNumber", KDBG_OFF_PRCB_NUMBER, 2},
    {"SizeEThread", KDBG_SIZE_ETHREAD, 2},
    {"SizePcr", KDBG_SIZE_PCR, 2},
    {"OffsetPcrSelfPcr", KDBG_OFF_PCR_SELF, 2},
    {"OffsetPcrCurrentPrcb", KDBG_OFF_PCR_CURRENT_PRCB, 2},
    {"OffsetPcrContainedPrcb", KDBG_OFF_PCR_CONTAINED_PRCB, 2},
    {"OffsetKThreadStackLimit", KDBG_OFF_KTHREAD_STACK_LIMIT, 4},
    {"OffsetKThreadStackBase", KDBG_OFF_KTHREAD_STACK_BASE, 4},
    {"OffsetPrcbIdleThread", KDBG_OFF_PRCB_IDLE_THREAD, 2},
};

int fgw_kdbg_published_field(const char *name, uint16_t *at, uint16_t *width)
{
    for (size_t i = 0; i < sizeof(kdbg_fields) / sizeof(kdbg_fields[0]); i++)
        if (strcmp(kdbg_fields[i].name, name) == 0) {
            *at = kdbg_fields[i].at;
            *width = kdbg_fields[i].width;
            return 0;
        }
    return -1;
}

static int write_kdbg(fg_world *w)
{
    uint8_t b[KDBG_SIZE];
    memset(b, 0, sizeof(b));
    fg_put64(b + KDBG_LIST, w->kd_list_head);
    fg_put64(b + KDBG_LIST + 8, w->kd_list_head);
    fg_put32(b + KDBG_OWNER_TAG, KDBG_TAG);
    fg_put32(b + KDBG_SIZE_FIELD, KDBG_SIZE);
    fg_put64(b + KDBG_KERN_BASE, w->mods[w->nt].base);
    fg_put64(b + KDBG_PS_LOADED_MODULE_LIST, w->mod_head);
    fg_put64(b + KDBG_PS_ACTIVE_PROCESS_HEAD, w->proc_head);
    fg_put64(b + KDBG_EXP_SYSTEM_RESOURCES_LIST, w->res_head);
    fg_put64(b + KDBG_KE_TIME_INCREMENT, w->time_inc_var);
    fg_put64(b + KDBG_MM_PFN_DATABASE, w->pfn_var);
    fg_put64(b + KDBG_NT_BUILD_LAB, w->build_lab);
    fg_put64(b + KDBG_KI_PROCESSOR_BLOCK, w->prcb_block);
    uint16_t prcb = off16(w, NT_F_KPCR_PRCB);
    fg_put16(b + KDBG_OFF_KTHREAD_TEB, off16(w, NT_F_KTHREAD_TEB));
    fg_put16(b + KDBG_OFF_KTHREAD_KERNEL_STACK, off16(w, NT_F_KTHREAD_KERNELSTACK));
    fg_put16(b + KDBG_OFF_KTHREAD_INITIAL_STACK, off16(w, NT_F_KTHREAD_INITIALSTACK));
    fg_put16(b + KDBG_OFF_KTHREAD_APC_PROCESS, off16(w, NT_F_KTHREAD_APCSTATE_PROCESS));
    fg_put16(b + KDBG_OFF_KTHREAD_STATE, off16(w, NT_F_KTHREAD_STATE));
    fg_put16(b + KDBG_SIZE_EPROCESS, (uint16_t)fgw_size(w, NT_S_EPROCESS));
    fg_put16(b + KDBG_OFF_EPROCESS_PEB, off16(w, NT_F_EPROCESS_PEB));
    fg_put16(b + KDBG_OFF_EPROCESS_PARENT_CID, off16(w, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID));
    fg_put16(b + KDBG_OFF_EPROCESS_DTB, off16(w, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE));
    fg_put16(b + KDBG_SIZE_PRCB, (uint16_t)fgw_size(w, NT_S_KPRCB));
    fg_put16(b + KDBG_OFF_PRCB_CURRENT_THREAD, off16(w, NT_F_KPRCB_CURRENTTHREAD));
    fg_put16(b + KDBG_OFF_PRCB_NUMBER, off16(w, NT_F_KPRCB_NUMBER));
    fg_put16(b + KDBG_SIZE_ETHREAD, (uint16_t)fgw_size(w, NT_S_ETHREAD));
    fg_put16(b + KDBG_SIZE_PCR, (uint16_t)fgw_size(w, NT_S_KPCR));
    fg_put16(b + KDBG_OFF_PCR_SELF, off16(w, NT_F_KPCR_SELF));
    fg_put16(b + KDBG_OFF_PCR_CURRENT_PRCB, off16(w, NT_F_KPCR_CURRENTPRCB));
    fg_put16(b + KDBG_OFF_PCR_CONTAINED_PRCB, prcb);
    fg_put32(b + KDBG_OFF_KTHREAD_STACK_LIMIT, fgw_off(w, NT_F_KTHREAD_STACKLIMIT));
    fg_put32(b + KDBG_OFF_KTHREAD_STACK_BASE, fgw_off(w, NT_F_KTHREAD_STACKBASE));
    fg_put16(b + KDBG_OFF_PRCB_IDLE_THREAD, off16(w, NT_F_KPRCB_IDLETHREAD));
    if (w->kdbg_publish) {
        if (w->kdbg_publish_width == 4)
            fg_put32(b + w->kdbg_publish_at, w->kdbg_publish_value);
        else
            fg_put16(b + w->kdbg_publish_at, (uint16_t)w->kdbg_publish_value);
    }
    if (fgw_write(w, w->kdbg, b, sizeof(b)) != FG_OK)
        return fgw_fail_dump(w, w->line, "writing the KDBG");
    /* KdpDebuggerDataListHead: the block is the only entry of the kernel's debugger-data list. */
    return fgw_write_list(w, w->line, w->kd_list_head, w->kdbg, w->kdbg);
}

int fgw_kernel_write(fg_world *w)
{
    uint8_t inc[8];
    memset(inc, 0, sizeof(inc));
    fg_put32(inc, (uint32_t)w->time_increment);
    if (write_kuser(w) != 0 || write_pe_image(w) != 0 || (!w->kdbg_none && write_kdbg(w) != 0))
        return -1;
    if (fgw_write(w, w->time_inc_var, inc, sizeof(inc)) != FG_OK ||
        fgw_write_u64(w, w->pfn_var, fg_config_of(w->d)->pfn_database) != FG_OK)
        return fgw_fail_dump(w, w->line, "writing kernel variables");
    return 0;
}

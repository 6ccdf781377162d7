/* SPDX-License-Identifier: MIT */
/* ntoskrnl's in-memory PE image: size, timestamp, checksum and the CodeView (RSDS) record
 * that names the PDB (name, GUID, age) a debugger would load. PE offsets are fixed by the
 * PE/COFF format. */
#include <string.h>

#include "nt/nt_model.h"
#include "util/le.h"

#define PE_DOS_LFANEW        0x3C
#define PE_MAX_LFANEW        0x1000u
#define PE_FILE_TIMESTAMP    0x08   /* from "PE\0\0" */
#define PE_OPT_HEADER        0x18
#define PE_OPT_MAGIC_64      0x20B
#define PE_OPT_SIZE_OF_IMAGE 0x38
#define PE_OPT_CHECKSUM      0x40
#define PE_OPT_NUM_DIRS      0x6C
#define PE_OPT_DIRS          0x70
#define PE_DIR_DEBUG         6
#define PE_DEBUG_ENTRY_SIZE  28
#define PE_DEBUG_TYPE        0x0C
#define PE_DEBUG_SIZE        0x10
#define PE_DEBUG_RVA         0x14
#define PE_DEBUG_CODEVIEW    2
#define PE_MAX_DEBUG_ENTRIES 16

static void read_codeview(nt_model *m, uint64_t base, uint32_t rva, uint32_t size)
{
    nt_ctx *c = &m->ctx;
    uint8_t e[PE_DEBUG_ENTRY_SIZE];
    uint32_t n = size / PE_DEBUG_ENTRY_SIZE;
    for (uint32_t i = 0; i < n && i < PE_MAX_DEBUG_ENTRIES; i++) {
        if (nt_read(c, base + rva + (uint64_t)i * PE_DEBUG_ENTRY_SIZE, e, sizeof e) != DI_OK)
            return;
        if (le32(e + PE_DEBUG_TYPE) != PE_DEBUG_CODEVIEW)
            continue;
        uint32_t cv_rva = le32(e + PE_DEBUG_RVA), cv_size = le32(e + PE_DEBUG_SIZE);
        uint8_t cv[24 + NT_PATH_MAX];
        if (cv_size < 25 || cv_rva >= m->kernel.size)
            return;
        uint32_t want = cv_size < sizeof cv ? cv_size : (uint32_t)sizeof cv;
        if (nt_read(c, base + cv_rva, cv, want) != DI_OK || memcmp(cv, "RSDS", 4) != 0)
            return;
        memcpy(m->kernel.guid, cv + 4, 16);
        m->kernel.age = le32(cv + 20);
        size_t k = 0;
        for (uint32_t j = 24; j < want && cv[j] && k + 1 < sizeof m->kernel.pdb_name; j++)
            m->kernel.pdb_name[k++] = cv[j] >= 0x20 && cv[j] < 0x7f ? (char)cv[j] : '?';
        m->kernel.pdb_name[k] = '\0';
        m->kernel.have_codeview = 1;
        return;
    }
}

void nt_read_kernel_image(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    uint64_t base = m->kdbg.state == NT_KDBG_OK ? m->kdbg.kern_base : 0;
    m->kernel.base = base;
    if (!base)
        return;
    uint8_t dos[0x40], pe[PE_OPT_HEADER + PE_OPT_DIRS + 8 * (PE_DIR_DEBUG + 1)];
    if (nt_read(c, base, dos, sizeof dos) != DI_OK) {
        nt_warn_code(c, DI_W_MISSING_DATA, "the kernel image at 0x%016llx is not in the dump: the kernel's PDB identity is unknown",
                (unsigned long long)base);
        return;
    }
    if (dos[0] != 'M' || dos[1] != 'Z') {
        nt_warn_code(c, DI_W_MISSING_DATA, "no PE image (MZ) at the kernel base 0x%016llx: the kernel's PDB identity is unknown",
                (unsigned long long)base);
        return;
    }
    uint32_t lfanew = le32(dos + PE_DOS_LFANEW);
    if (lfanew > PE_MAX_LFANEW || nt_read(c, base + lfanew, pe, sizeof pe) != DI_OK || memcmp(pe, "PE\0\0", 4) != 0 ||
        le16(pe + PE_OPT_HEADER) != PE_OPT_MAGIC_64) {
        nt_warn_code(c, DI_W_MISSING_DATA, "the kernel image at 0x%016llx has no readable PE32+ header", (unsigned long long)base);
        return;
    }
    const uint8_t *opt = pe + PE_OPT_HEADER;
    m->kernel.have_image = 1;
    m->kernel.timestamp = le32(pe + PE_FILE_TIMESTAMP);
    m->kernel.size = le32(opt + PE_OPT_SIZE_OF_IMAGE);
    m->kernel.checksum = le32(opt + PE_OPT_CHECKSUM);
    /* The directory table must be inside what we read: PE_OPT_DIRS + 8 * 7 bytes. */
    if (le32(opt + PE_OPT_NUM_DIRS) <= PE_DIR_DEBUG)
        return;
    const uint8_t *dir = opt + PE_OPT_DIRS + 8 * PE_DIR_DEBUG;
    uint32_t rva = le32(dir), size = le32(dir + 4);
    if (rva && rva < m->kernel.size)
        read_codeview(m, base, rva, size);
}

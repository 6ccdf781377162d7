/* SPDX-License-Identifier: MIT */
#include "dump/dmp_dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/le.h"

void dmp_warn_damage(dmp_dump *d, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    di_strlist_add_code(&d->warnings, DI_W_FILE_DAMAGE, "%s", buf);
    d->damaged = 1;
}

const char *dmp_path(const dmp_dump *d) { return io_path(d->io); }

int dmp_signature_known(const uint8_t *head, size_t n)
{
    if (n >= 8 && (memcmp(head, "PAGEDU64", 8) == 0 || memcmp(head, "PAGEDUMP", 8) == 0))
        return 1;
    if (n >= 4 && (memcmp(head, "MDMP", 4) == 0 || memcmp(head, "MSCF", 4) == 0))
        return 1;
    /* Empty or a truncated header: check_signature says so by name. */
    return n < 8 && memcmp(head, "PAGEDU64", n) == 0;
}

/* Recognise the file kind from its first bytes; refuse everything but PAGEDU64 by name. */
static di_status check_signature(io_file *io, di_error *err)
{
    const char *path = io_path(io);
    uint64_t size = io_size(io);
    if (size == 0)
        return di_fail(err, DI_E_FORMAT, "%s: the file is empty", path);
    uint8_t sig[8] = {0};
    size_t n = size < 8 ? (size_t)size : 8;
    di_status st = io_pread(io, 0, sig, n, err);
    if (st != DI_OK)
        return st;
    if (!dmp_signature_known(sig, n)) {
        char shown[8 * 2 + 1];
        di_hex_bytes(shown, sizeof shown, sig, n);
        return di_fail(err, DI_E_FORMAT,
                       "%s: not a Windows kernel crash dump (first bytes %s, expected \"PAGEDU64\")", path, shown);
    }
    if (n == 8 && memcmp(sig, "PAGEDU64", 8) == 0)
        return DI_OK;
    if (n == 8 && memcmp(sig, "PAGEDUMP", 8) == 0)
        return di_fail(err, DI_E_UNSUPPORTED, "%s: 32-bit (PAGEDUMP) kernel dumps are not supported", path);
    if (n >= 4 && memcmp(sig, "MDMP", 4) == 0)
        return di_fail(err, DI_E_UNSUPPORTED, "%s: user-mode minidumps (MDMP) are not supported", path);
    if (n >= 4 && memcmp(sig, "MSCF", 4) == 0)
        return di_fail(err, DI_E_UNSUPPORTED, "%s: CAB-packaged dumps are not supported yet; extract the dump first",
                       path);
    return di_fail(err, DI_E_FORMAT, "%s: truncated header: the file holds only %llu bytes", path,
                   (unsigned long long)size);
}

static di_status check_header(dmp_dump *d, di_error *err)
{
    const char *path = io_path(d->io);
    const uint8_t *h = d->hdr;
    d->dump_type = le32(h + DMP_HDR_DUMP_TYPE);
    uint32_t machine = le32(h + DMP_HDR_MACHINE_IMAGE_TYPE);
    d->machine = machine;
    switch (d->dump_type) {
    case 1: case 4: case 5: case 6: case 8: case 9: case 10:
        break;
    case 2:
        return di_fail(err, DI_E_UNSUPPORTED, "%s: legacy summary dumps (DumpType 2) are not supported", path);
    case 3:
        return di_fail(err, DI_E_UNSUPPORTED, "%s: header-only dumps (DumpType 3) hold no memory to read", path);
    default:
        return di_fail(err, DI_E_UNSUPPORTED, "%s: unknown DumpType %u (0x%x)", path, d->dump_type,
                       d->dump_type);
    }
    /* ARM64 kernels are read only from triage dumps: their page tables are not x64's. */
    if (machine == DMP_MACHINE_ARM64 && d->dump_type != 4)
        return di_fail(err, DI_E_UNSUPPORTED,
                       "%s: ARM64 %s dumps are not supported (of ARM64 dumps only triage dumps are read)", path,
                       dmp_type_description(d->dump_type));
    if (machine != DMP_MACHINE_X64 && machine != DMP_MACHINE_ARM64)
        return di_fail(err, DI_E_UNSUPPORTED, "%s: machine type 0x%04x is not supported (only x64 0x8664, and ARM64 "
                                              "0xaa64 triage dumps)",
                       path, machine);
    uint32_t attrs = le32(h + DMP_HDR_ATTRIBUTES);
    if (attrs != DMP_FILL32 && (attrs & DMP_ATTR_ENCRYPTED_DATA))
        return di_fail(err, DI_E_UNSUPPORTED, "%s: the dump's page data is encrypted (Attributes 0x%x)", path,
                       attrs);
    return DI_OK;
}

void dmp_limits_default(dmp_limits *l)
{
    l->bitmap_bytes = DMP_BITMAP_MAX_BYTES;
    l->ranges = DMP_RDMP_MAX_RANGES;
}

di_status dmp_open(io_file *io, dmp_dump **out, di_error *err)
{
    return dmp_open_limited(io, NULL, out, err);
}

di_status dmp_open_limited(io_file *io, const dmp_limits *limits, dmp_dump **out, di_error *err)
{
    *out = NULL;
    di_status st = check_signature(io, err);
    if (st != DI_OK) {
        io_close(io);
        return st;
    }
    if (io_size(io) < DMP_HDR_SIZE) {
        st = di_fail(err, DI_E_FORMAT, "%s: truncated header: the file holds %llu bytes, the header needs %u",
                     io_path(io), (unsigned long long)io_size(io), DMP_HDR_SIZE);
        io_close(io);
        return st;
    }
    dmp_dump *d = calloc(1, sizeof *d);
    if (!d) {
        io_close(io);
        return di_fail(err, DI_E_NOMEM, "out of memory");
    }
    d->io = io;
    if (limits)
        d->limits = *limits;
    else
        dmp_limits_default(&d->limits);
    st = io_pread(io, 0, d->hdr, DMP_HDR_SIZE, err);
    if (st == DI_OK)
        st = check_header(d, err);
    if (st == DI_OK) {
        if (d->dump_type == 1)
            st = dmp_parse_runs(d, err);
        else if (d->dump_type == 4)
            st = dmp_parse_triage(d, err);
        else if (d->dump_type == 5 || d->dump_type == 6)
            st = dmp_parse_bitmap(d, err);
        else
            st = dmp_parse_rdmp(d, err);
    }
    if (st != DI_OK) {
        dmp_close(d);
        return st;
    }
    *out = d;
    return DI_OK;
}

void dmp_close(dmp_dump *d)
{
    if (!d)
        return;
    dmp_physmap_free(&d->pm);
    dmp_triage_free(d->triage);
    di_strlist_free(&d->warnings);
    io_close(d->io);
    free(d);
}

int dmp_page_present(const dmp_dump *d, uint64_t pfn)
{
    uint64_t off;
    return dmp_physmap_locate(&d->pm, pfn, &off) == DI_OK;
}

di_status dmp_read_phys(dmp_dump *d, uint64_t pa, void *buf, size_t len, di_error *err)
{
    if (d->triage)
        return di_fail(err, DI_E_UNSUPPORTED,
                       "%s: a triage (small memory) dump holds no physical memory: read kernel virtual addresses "
                       "instead (physical address 0x%llx)",
                       dmp_path(d), (unsigned long long)pa);
    uint8_t *out = buf;
    while (len > 0) {
        uint64_t pfn = pa >> DMP_PAGE_SHIFT;
        size_t in_page = DMP_PAGE_SIZE - (size_t)(pa & (DMP_PAGE_SIZE - 1));
        size_t n = len < in_page ? len : in_page;
        uint64_t off;
        if (pfn >= DMP_MAX_PFN)
            return di_fail(err, DI_E_BAD_PTE, "%s: physical address 0x%llx lies beyond the 52-bit physical address space",
                           dmp_path(d), (unsigned long long)pa);
        if (dmp_physmap_locate(&d->pm, pfn, &off) != DI_OK)
            return di_fail(err, DI_E_NOT_IN_DUMP, "%s: physical page 0x%llx (address 0x%llx) is not in the dump",
                           dmp_path(d), (unsigned long long)pfn, (unsigned long long)pa);
        off += pa & (DMP_PAGE_SIZE - 1);
        uint64_t fsize = io_size(d->io);
        if (off > fsize || n > fsize - off)
            return di_fail(err, DI_E_OUT_OF_FILE,
                           "%s: physical page 0x%llx is stored at file offset 0x%llx, past the end of the file "
                           "(%llu bytes): the dump is truncated",
                           dmp_path(d), (unsigned long long)pfn,
                           (unsigned long long)(off & ~(uint64_t)(DMP_PAGE_SIZE - 1)), (unsigned long long)fsize);
        di_status st = io_pread(d->io, off, out, n, err);
        if (st != DI_OK)
            return st;
        out += n;
        pa += n;
        len -= n;
    }
    return DI_OK;
}

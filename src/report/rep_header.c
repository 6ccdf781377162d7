/* SPDX-License-Identifier: MIT */
#include "report/rep_header.h"

#include <stdio.h>
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "report/rep_json.h"
#include "util/le.h"
#include "util/timefmt.h"

/* The marketing release, only when the header's build tells it: 20H2..22H2 run kernel build
 * 19041 and a header saying 19041 may be any of them (likewise 22621 for 22H2 and 23H2, and
 * 18362 for 1903 and 1909); 19042..19045, 22631 and 18363 name one release. */
static const char *windows_version(uint32_t build, uint32_t product)
{
    int server = product == 2 || product == 3;
    switch (build) {
    case 10240: return "Windows 10 1507";
    case 10586: return "Windows 10 1511";
    case 14393: return server ? "Windows Server 2016" : "Windows 10 1607";
    case 15063: return "Windows 10 1703";
    case 16299: return "Windows 10 1709";
    case 17134: return "Windows 10 1803";
    case 17763: return server ? "Windows Server 2019" : "Windows 10 1809";
    case 18362: return "Windows 10 1903\u20131909";
    case 18363: return "Windows 10 1909";
    case 19041: return "Windows 10 2004\u201322H2";
    case 19042: return "Windows 10 20H2";
    case 19043: return "Windows 10 21H1";
    case 19044: return "Windows 10 21H2";
    case 19045: return "Windows 10 22H2";
    case 20348: return server ? "Windows Server 2022" : NULL;
    case 22000: return "Windows 11 21H2";
    case 22621: return "Windows 11 22H2\u201323H2";
    case 22631: return "Windows 11 23H2";
    case 26100: return "Windows 11 24H2";
    default: return NULL;
    }
}

static const char *product_type_name(uint32_t t)
{
    switch (t) {
    case 1: return "workstation";
    case 2: return "domain_controller";
    case 3: return "server";
    default: return NULL;
    }
}

/* What the dump holds, in the words of the Windows settings that write it. */
static const char *dump_kind(uint32_t type)
{
    switch (type) {
    case 1: case 5: case 10: return "complete";
    case 4: return "triage";
    case 6: case 8: return "kernel";
    case 9: return "kernel_and_user";
    default: return NULL;
    }
}

static int add_dump(cJSON *root, const dmp_dump *d)
{
    cJSON *o = cJSON_AddObjectToObject(root, "dump");
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "signature", "PAGEDU64");
    rep_add_uint(o, "type", d->dump_type);
    cJSON_AddStringToObject(o, "type_name", dmp_type_name(d->dump_type));
    rep_add_str_or_null(o, "kind", dump_kind(d->dump_type));
    cJSON_AddStringToObject(o, "description", dmp_type_description(d->dump_type));
    rep_add_str_or_null(o, "layout_signature", d->layout_signature[0] ? d->layout_signature : NULL);
    cJSON_AddStringToObject(o, "physical_map", d->triage ? "none" : d->pm.kind == DMP_PM_BITMAP ? "bitmap" : "ranges");
    if (d->pm.kind == DMP_PM_RANGES && !d->triage)
        rep_add_uint(o, "ranges", d->pm.nranges);
    else
        cJSON_AddNullToObject(o, "ranges");
    rep_add_uint(o, "pages_present", d->pm.present_pages);
    rep_add_uint(o, "pages_in_file", d->stored_pages_in_file);
    rep_add_hex64(o, "highest_physical_address", d->pm.pfn_limit ? (d->pm.pfn_limit << 12) - 1 : 0);
    rep_add_uint(o, "file_size", io_size(d->io));
    cJSON_AddStringToObject(o, "compression", io_compression(d->io));
    rep_add_str_or_null(o, "member", io_member(d->io));
    const uint8_t *h = d->hdr;
    int64_t required = (int64_t)le64(h + DMP_HDR_REQUIRED_DUMP_SPACE);
    if ((uint64_t)required == DMP_FILL64 || required <= 0)
        cJSON_AddNullToObject(o, "required_dump_space");
    else
        rep_add_uint(o, "required_dump_space", (uint64_t)required);
    uint32_t attrs = le32(h + DMP_HDR_ATTRIBUTES);
    if (attrs == DMP_FILL32)
        cJSON_AddNullToObject(o, "attributes");
    else
        rep_add_hex32(o, "attributes", attrs);
    char comment[DMP_HDR_COMMENT_SIZE + 1];
    memcpy(comment, h + DMP_HDR_COMMENT, DMP_HDR_COMMENT_SIZE);
    comment[DMP_HDR_COMMENT_SIZE] = '\0';
    int printable = comment[0] != '\0' && strncmp(comment, "PAGEPAGE", 8) != 0;
    for (const char *c = comment; printable && *c; c++)
        printable = (unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f;
    rep_add_str_or_null(o, "comment", printable ? comment : NULL);
    return 0;
}

static int add_system(cJSON *root, const dmp_dump *d, const char *kernel_file_version)
{
    const uint8_t *h = d->hdr;
    cJSON *o = cJSON_AddObjectToObject(root, "system");
    if (!o)
        return -1;
    uint32_t major = le32(h + DMP_HDR_MAJOR_VERSION), build = le32(h + DMP_HDR_MINOR_VERSION);
    rep_add_uint(o, "build", build);
    uint32_t product_hdr = le32(h + DMP_HDR_PRODUCT_TYPE);
    rep_add_str_or_null(o, "windows_version", windows_version(build, product_hdr));
    rep_add_str_or_null(o, "kernel_file_version", kernel_file_version);
    rep_add_hex32(o, "major_version", major);
    rep_add_str_or_null(o, "build_kind", major == 0xF ? "free" : major == 0xC ? "checked" : NULL);
    cJSON_AddStringToObject(o, "machine", d->machine == DMP_MACHINE_ARM64 ? "arm64" : "x64");
    rep_add_hex32(o, "machine_image_type", le32(h + DMP_HDR_MACHINE_IMAGE_TYPE));
    rep_add_uint(o, "processor_count", le32(h + DMP_HDR_NUMBER_PROCESSORS));
    uint32_t product = le32(h + DMP_HDR_PRODUCT_TYPE), suite = le32(h + DMP_HDR_SUITE_MASK);
    if (product == DMP_FILL32)
        cJSON_AddNullToObject(o, "product_type");
    else
        rep_add_uint(o, "product_type", product);
    rep_add_str_or_null(o, "product_type_name", product_type_name(product));
    if (suite == DMP_FILL32)
        cJSON_AddNullToObject(o, "suite_mask");
    else
        rep_add_hex32(o, "suite_mask", suite);
    char t[40];
    uint64_t ft = le64(h + DMP_HDR_SYSTEM_TIME);
    rep_add_str_or_null(o, "crash_time", ft != DMP_FILL64 && di_filetime_iso8601(ft, t, sizeof t) == 0 ? t : NULL);
    uint64_t up = le64(h + DMP_HDR_SYSTEM_UP_TIME);
    if (up == DMP_FILL64) {
        cJSON_AddNullToObject(o, "uptime_seconds");
        cJSON_AddNullToObject(o, "uptime");
    } else {
        rep_add_uint(o, "uptime_seconds", up / 10000000u);
        di_duration_text(up, t, sizeof t);
        cJSON_AddStringToObject(o, "uptime", t);
    }
    return 0;
}

static int add_bugcheck(cJSON *root, const dmp_dump *d)
{
    const uint8_t *h = d->hdr;
    uint32_t code = le32(h + DMP_HDR_BUGCHECK_CODE);
    const an_bugcheck_info *info = an_bugcheck_info(code);
    cJSON *o = cJSON_AddObjectToObject(root, "bugcheck");
    if (!o)
        return -1;
    rep_add_hex32(o, "code", code);
    rep_add_str_or_null(o, "name", an_bugcheck_name(code));
    rep_add_str_or_null(o, "meaning", info ? info->meaning : NULL);
    cJSON *params = cJSON_AddArrayToObject(o, "parameters");
    if (!params)
        return -1;
    for (int i = 0; i < 4; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p || !cJSON_AddItemToArray(params, p))
            return -1;
        rep_add_uint(p, "index", (uint64_t)i + 1);
        rep_add_hex64(p, "value", le64(h + DMP_HDR_BUGCHECK_PARAM1 + 8 * i));
        rep_add_str_or_null(p, "label", info ? info->labels[i] : NULL);
        rep_add_str_or_null(p, "description", info ? info->descriptions[i] : NULL);
    }
    return 0;
}

/* ARM64_NT_CONTEXT (dump-format.md 1.3). */
/* ARM64_NT_CONTEXT (dump-format.md 1.3). */
static int add_context_arm64(cJSON *ctx, const uint8_t *c)
{
    cJSON *o = cJSON_AddObjectToObject(ctx, "arm64");
    if (!o)
        return -1;
    rep_add_hex32(o, "context_flags", le32(c + DMP_A64_CTX_FLAGS));
    rep_add_hex32(o, "cpsr", le32(c + DMP_A64_CTX_CPSR));
    for (int i = 0; i <= 28; i++) {
        char name[4];
        snprintf(name, sizeof name, "x%d", i);
        rep_add_hex64(o, name, le64(c + DMP_A64_CTX_X0 + 8 * i));
    }
    rep_add_hex64(o, "fp", le64(c + DMP_A64_CTX_FP));
    rep_add_hex64(o, "lr", le64(c + DMP_A64_CTX_LR));
    rep_add_hex64(o, "sp", le64(c + DMP_A64_CTX_SP));
    rep_add_hex64(o, "pc", le64(c + DMP_A64_CTX_PC));
    rep_add_hex32(o, "fpcr", le32(c + DMP_A64_CTX_FPCR));
    rep_add_hex32(o, "fpsr", le32(c + DMP_A64_CTX_FPSR));
    return 0;
}

/* x64 CONTEXT (dump-format.md 3.1). */
static int add_context_x64(cJSON *ctx, const uint8_t *c)
{
    static const char *const gprs[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                         "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    static const char *const segs[6] = {"cs", "ds", "es", "fs", "gs", "ss"};
    static const char *const drs[6] = {"dr0", "dr1", "dr2", "dr3", "dr6", "dr7"};
    cJSON *o = cJSON_AddObjectToObject(ctx, "x64");
    if (!o)
        return -1;
    rep_add_hex32(o, "context_flags", le32(c + DMP_CTX_FLAGS));
    rep_add_hex64(o, "rip", le64(c + DMP_CTX_RIP));
    for (int i = 0; i < 16; i++)
        rep_add_hex64(o, gprs[i], le64(c + DMP_CTX_RAX + 8 * i));
    rep_add_hex32(o, "eflags", le32(c + DMP_CTX_EFLAGS));
    for (int i = 0; i < 6; i++)
        rep_add_hex16(o, segs[i], le16(c + DMP_CTX_SEG_CS + 2 * i));
    for (int i = 0; i < 6; i++)
        rep_add_hex64(o, drs[i], le64(c + DMP_CTX_DR0 + 8 * i));
    rep_add_hex32(o, "mxcsr", le32(c + DMP_CTX_MXCSR));
    return 0;
}

/* The same keys for every machine: the other architecture's registers are null. */
static int add_context(cJSON *root, const dmp_dump *d)
{
    const uint8_t *c = d->hdr + DMP_HDR_CONTEXT;
    cJSON *o = cJSON_AddObjectToObject(root, "context");
    if (!o)
        return -1;
    int arm = d->machine == DMP_MACHINE_ARM64;
    cJSON_AddStringToObject(o, "architecture", arm ? "arm64" : "x64");
    if (arm)
        return cJSON_AddNullToObject(o, "x64") && !add_context_arm64(o, c) ? 0 : -1;
    return !add_context_x64(o, c) && cJSON_AddNullToObject(o, "arm64") ? 0 : -1;
}

static int add_exception(cJSON *root, const dmp_dump *d)
{
    const uint8_t *e = d->hdr + DMP_HDR_EXCEPTION;
    cJSON *o = cJSON_AddObjectToObject(root, "exception");
    if (!o)
        return -1;
    uint32_t n = le32(e + DMP_EXC_NUM_PARAMS);
    rep_add_hex32(o, "code", le32(e + DMP_EXC_CODE));
    rep_add_hex32(o, "flags", le32(e + DMP_EXC_FLAGS));
    rep_add_hex64(o, "chained_record", le64(e + DMP_EXC_RECORD));
    rep_add_hex64(o, "address", le64(e + DMP_EXC_ADDRESS));
    rep_add_uint(o, "number_parameters", n);
    cJSON *params = cJSON_AddArrayToObject(o, "parameters");
    if (!params)
        return -1;
    /* The count is hostile: show at most the 15 slots the record has. */
    for (uint32_t i = 0; i < n && i < DMP_EXC_MAX_PARAMS; i++) {
        char b[24];
        snprintf(b, sizeof b, "0x%016llx", (unsigned long long)le64(e + DMP_EXC_INFORMATION + 8 * i));
        cJSON *s = cJSON_CreateString(b);
        if (!s || !cJSON_AddItemToArray(params, s))
            return -1;
    }
    return 0;
}

static int add_kernel(cJSON *root, const dmp_dump *d)
{
    const uint8_t *h = d->hdr;
    cJSON *o = cJSON_AddObjectToObject(root, "kernel");
    if (!o)
        return -1;
    uint64_t dtb = le64(h + DMP_HDR_DIRECTORY_TABLE_BASE);
    rep_add_hex64(o, "directory_table_base", dtb & ~0xFFFull);
    rep_add_hex64(o, "kd_debugger_data_block", le64(h + DMP_HDR_KD_DEBUGGER_DATA));
    rep_add_hex64(o, "ps_loaded_module_list", le64(h + DMP_HDR_PS_LOADED_MODULES));
    rep_add_hex64(o, "ps_active_process_head", le64(h + DMP_HDR_PS_ACTIVE_PROCESSES));
    rep_add_hex64(o, "pfn_database", le64(h + DMP_HDR_PFN_DATABASE));
    return 0;
}

int rep_add_header_sections(cJSON *root, const dmp_dump *d, const char *kernel_file_version)
{
    if (add_dump(root, d) || add_system(root, d, kernel_file_version) || add_bugcheck(root, d) || add_context(root, d) ||
        add_exception(root, d) || add_kernel(root, d))
        return -1;
    return 0;
}

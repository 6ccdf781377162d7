/* Function boundaries from a module's in-memory exception directory (.pdata): sorted
 * RUNTIME_FUNCTION {BeginAddress, EndAddress, UnwindData} RVAs, found by binary search.
 * PE offsets are fixed by the PE/COFF format; every value read is checked against the
 * image size before it is used. */
#include "analysis/an_fault.h"
#include "util/le.h"

#define PE_DOS_LFANEW     0x3C
#define PE_MAX_LFANEW     0x1000u
#define PE_OPT_HEADER     0x18
#define PE_OPT_MAGIC_64   0x20B
#define PE_OPT_NUM_DIRS   0x6C
#define PE_OPT_DIRS       0x70
#define PE_DIR_EXCEPTION  3
#define RUNTIME_FUNCTION_SIZE 12u
#define MAX_FUNCTIONS     (1u << 22)

uint64_t an_function_start(nt_model *m, const nt_module *mod, uint64_t addr)
{
    nt_ctx *c = &m->ctx;
    uint8_t b[8];
    if (!mod || addr < mod->base || addr - mod->base >= mod->size || nt_read(c, mod->base + PE_DOS_LFANEW, b, 4) != DI_OK)
        return 0;
    uint32_t lfanew = le32(b);
    uint8_t opt[PE_OPT_DIRS + 8 * (PE_DIR_EXCEPTION + 1)];
    if (lfanew > PE_MAX_LFANEW || nt_read(c, mod->base + lfanew, b, 4) != DI_OK || le32(b) != 0x00004550u ||
        nt_read(c, mod->base + lfanew + PE_OPT_HEADER, opt, sizeof opt) != DI_OK || le16(opt) != PE_OPT_MAGIC_64 ||
        le32(opt + PE_OPT_NUM_DIRS) <= PE_DIR_EXCEPTION)
        return 0;
    uint32_t rva = le32(opt + PE_OPT_DIRS + 8 * PE_DIR_EXCEPTION);
    uint32_t size = le32(opt + PE_OPT_DIRS + 8 * PE_DIR_EXCEPTION + 4);
    uint32_t n = size / RUNTIME_FUNCTION_SIZE;
    if (!rva || rva >= mod->size || size > mod->size - rva || n == 0 || n > MAX_FUNCTIONS)
        return 0;
    uint32_t target = (uint32_t)(addr - mod->base), lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint8_t e[RUNTIME_FUNCTION_SIZE];
        if (nt_read(c, mod->base + rva + (uint64_t)mid * RUNTIME_FUNCTION_SIZE, e, sizeof e) != DI_OK)
            return 0;
        uint32_t begin = le32(e), end = le32(e + 4);
        if (target < begin)
            hi = mid;
        else if (target >= end)
            lo = mid + 1;
        else
            return begin < end && end <= mod->size ? mod->base + begin : 0;
    }
    return 0;
}

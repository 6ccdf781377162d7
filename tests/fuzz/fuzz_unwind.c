/* SPDX-License-Identifier: MIT */
/* fuzz_unwind: the x64 unwinder (src/unwind) on hostile images and stacks. The input is not a
 * dump: its first IMAGE_BYTES are a module image mapped at IMG (PE header, .pdata, UNWIND_INFO,
 * exports: whatever the bytes say), a second module aliases its upper half at IMG2, and the
 * rest up to the last 32 bytes is a stack at STK. The last four u64s give rip (an offset into
 * the image), rsp (an offset into the stack), rbp and options (bit 0: scan; bit 1: a known
 * stack range; bit 2: start as a return address). Nothing outside these regions can be read.
 * Beyond "no crash and no hang", it checks the walk's shape: at most UW_MAX_FRAMES frames,
 * unwound frames before scanned ones, every Child-SP inside the stack range and growing along
 * the unwound part, modules and function starts consistent with the addresses. */
#include <string.h>

#include "fuzz_common.h"
#include "nt/nt_model.h"
#include "unwind/uw_unwind.h"

#define IMG 0xfffff80000100000ull
#define IMG2 0xfffff80000200000ull
#define STK 0xffff800000010000ull
#define IMAGE_BYTES 0x4000u
#define TAIL 32u

typedef struct region {
    uint64_t va;
    const uint8_t *b;
    size_t len;
} region;

typedef struct fuzz_mem {
    region r[3];
} fuzz_mem;

static di_status mem_read(void *ctx, uint64_t va, void *buf, size_t len)
{
    const fuzz_mem *m = ctx;
    for (int i = 0; i < 3; i++) {
        const region *r = &m->r[i];
        if (va >= r->va && va - r->va <= r->len && len <= r->len - (va - r->va)) {
            memcpy(buf, r->b + (va - r->va), len);
            return DI_OK;
        }
    }
    return DI_E_NOT_IN_DUMP;
}

static uw_stack stack_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < IMAGE_BYTES + TAIL + 16)
        return 0;
    size_t stack_len = size - IMAGE_BYTES - TAIL;
    fuzz_mem mem = {{{IMG, data, IMAGE_BYTES},
                     {IMG2, data + IMAGE_BYTES / 2, IMAGE_BYTES / 2},
                     {STK, data + IMAGE_BYTES, stack_len}}};
    nt_module mods[2] = {{.base = IMG, .size = IMAGE_BYTES, .name = "img.sys"},
                         {.base = IMG2, .size = IMAGE_BYTES / 2, .name = "alias.sys"}};
    nt_model m;
    memset(&m, 0, sizeof m);
    m.modules = mods;
    m.nmodules = 2;
    uw_unwinder u;
    if (uw_init(&u, &m, mem_read, &mem))
        return 0;
    uint64_t opts = fz_tail_u64(data, size, 0);
    uw_regs r = {.rip = IMG + fz_tail_u64(data, size, 3) % (IMAGE_BYTES + 0x100)};
    r.gpr[UW_RSP] = STK + fz_tail_u64(data, size, 2) % (stack_len + 0x40);
    r.gpr[UW_RBP] = fz_tail_u64(data, size, 1);
    r.known = 1u << UW_RSP | ((opts & 8) ? 1u << UW_RBP : 0);
    uint64_t limit = (opts & 2) ? STK : 0, base = (opts & 2) ? STK + stack_len : 0;
    uw_walk(&u, &r, limit, base, (opts & 4) ? UW_TRUST_CFI : UW_TRUST_CONTEXT, (int)(opts & 1), &stack_out);

    const uw_stack *s = &stack_out;
    FZ_CHECK(s->n <= UW_MAX_FRAMES, "at most UW_MAX_FRAMES frames");
    FZ_CHECK(s->nunwound <= s->n, "unwound frames come first");
    FZ_CHECK(strcmp(uw_end_name(s->end), "?") != 0, "the walk ends with a named reason");
    for (size_t i = 0; i < s->n; i++) {
        const uw_frame *f = &s->frames[i];
        FZ_CHECK(f->sp >= s->limit && f->sp <= s->base, "Child-SP inside the stack range");
        if (i > 0 && i < s->nunwound)
            FZ_CHECK(f->sp > s->frames[i - 1].sp, "unwound frames' Child-SP grows");
        if (i >= s->nunwound)
            FZ_CHECK(f->trust == UW_TRUST_SCAN, "frames after the unwound ones are scanned");
        if (i + 1 < s->nunwound)
            FZ_CHECK(f->ret == s->frames[i + 1].ip, "a frame returns to the next frame's address");
        if (f->module) {
            FZ_CHECK(f->module == &mods[0] || f->module == &mods[1], "frames name a loaded module");
            FZ_CHECK(f->function == 0 || (f->function >= f->module->base &&
                                          f->function - f->module->base < f->module->size),
                     "a function start lies in its module");
        } else {
            FZ_CHECK(f->function == 0 && f->name[0] == '\0', "no function outside modules");
        }
        FZ_CHECK(memchr(f->name, '\0', sizeof f->name) != NULL, "export names terminated");
    }
    uw_free(&u);
    return 0;
}

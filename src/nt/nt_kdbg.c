/* SPDX-License-Identifier: MIT */
#include "nt/nt_kdbg.h"

#include <string.h>

#include "util/le.h"

const char *nt_kdbg_state_name(int state)
{
    switch (state) {
    case NT_KDBG_ABSENT: return "absent";
    case NT_KDBG_UNREADABLE: return "unreadable";
    case NT_KDBG_ENCODED: return "encoded";
    case NT_KDBG_BAD_SIZE: return "bad_size";
    case NT_KDBG_OK: return "ok";
    }
    return "?";
}

void nt_kdbg_read(nt_ctx *c, uint64_t va, nt_kdbg *k)
{
    memset(k, 0, sizeof *k);
    k->va = va;
    if (va == 0 || !nt_is_kernel_va(va)) {
        k->state = NT_KDBG_ABSENT;
        nt_warn_code(c, DI_W_KDBG, "the header's KdDebuggerDataBlock 0x%016llx is not a kernel address; using the header's lists",
                (unsigned long long)va);
        return;
    }
    uint8_t b[NT_KDBG_MIN_SIZE];
    if (nt_read(c, va, b, sizeof b) != DI_OK) {
        k->state = NT_KDBG_UNREADABLE;
        nt_warn_code(c, DI_W_KDBG, "KdDebuggerDataBlock at 0x%016llx cannot be read from the dump; using the header's lists",
                (unsigned long long)va);
        return;
    }
    if (le32(b + NT_KDBG_OWNER_TAG) != NT_KDBG_TAG_VALUE) {
        k->state = NT_KDBG_ENCODED;
        nt_warn_code(c, DI_W_KDBG, "KdDebuggerDataBlock at 0x%016llx has no 'KDBG' tag: it is encoded (decoding needs "
                   "KiWaitNever/KiWaitAlways from symbols) or the address is wrong; using the header's lists",
                (unsigned long long)va);
        return;
    }
    k->size = le32(b + NT_KDBG_SIZE);
    if (k->size < NT_KDBG_MIN_SIZE || k->size > NT_KDBG_MAX_SIZE) {
        /* The tag says this is the KDBG; a size no KDBG has means the block is damaged, and with
         * it the list heads it holds (unlike an encoded block, which is routine). */
        k->state = NT_KDBG_BAD_SIZE;
        nt_damage(c, "KdDebuggerDataBlock at 0x%016llx is damaged: it claims size 0x%x, outside 0x%x..0x%x; "
                     "not trusted, using the header's lists",
                  (unsigned long long)va, k->size, NT_KDBG_MIN_SIZE, NT_KDBG_MAX_SIZE);
        return;
    }
    k->state = NT_KDBG_OK;
    k->kern_base = le64(b + NT_KDBG_KERN_BASE);
    k->ps_loaded_module_list = le64(b + NT_KDBG_PS_LOADED_MODULES);
    k->ps_active_process_head = le64(b + NT_KDBG_PS_ACTIVE_PROCESS);
    k->exp_system_resources_list = le64(b + NT_KDBG_EXP_SYSTEM_RES);
    k->ki_processor_block = le64(b + NT_KDBG_KI_PROCESSOR_BLOCK);
    k->ke_time_increment = le64(b + NT_KDBG_KE_TIME_INCREMENT);
    k->off_prcb_current_thread = le16(b + NT_KDBG_OFF_PRCB_CURTHREAD);
}

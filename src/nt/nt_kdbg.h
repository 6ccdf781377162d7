/* SPDX-License-Identifier: MIT */
/* KDDEBUGGER_DATA64 ("KDBG"): the kernel's own table of global addresses and structure
 * offsets (dump-format.md section 4). Offsets here are fixed by the public declaration,
 * not by build. */
#ifndef DI_NT_KDBG_H
#define DI_NT_KDBG_H

#include "nt/nt_ctx.h"

#define NT_KDBG_OWNER_TAG          0x10
#define NT_KDBG_SIZE               0x14
#define NT_KDBG_KERN_BASE          0x18
#define NT_KDBG_PS_LOADED_MODULES  0x48
#define NT_KDBG_PS_ACTIVE_PROCESS  0x50
#define NT_KDBG_PSP_CID_TABLE      0x58
#define NT_KDBG_EXP_SYSTEM_RES     0x60
#define NT_KDBG_KE_TIME_INCREMENT  0x78
#define NT_KDBG_MM_PFN_DATABASE    0xC0
#define NT_KDBG_NT_BUILD_LAB       0x208
#define NT_KDBG_KI_PROCESSOR_BLOCK 0x218
#define NT_KDBG_OFF_PRCB_CURTHREAD 0x2B4  /* u16 */
#define NT_KDBG_OFF_PRCB_NUMBER    0x2BE  /* u16 */
#define NT_KDBG_OFF_PRCB_CONTEXT   0x338  /* u16 */
#define NT_KDBG_TAG_VALUE          0x4742444Bu /* "KDBG" */
#define NT_KDBG_MIN_SIZE           0x340u
#define NT_KDBG_MAX_SIZE           0x1000u

typedef struct nt_kdbg {
    uint64_t va;
    int state;               /* NT_KDBG_* below */
    uint32_t size;
    uint64_t kern_base;
    uint64_t ps_loaded_module_list;
    uint64_t ps_active_process_head;
    uint64_t exp_system_resources_list;
    uint64_t ki_processor_block;
    uint64_t ke_time_increment;  /* address of the variable */
    uint16_t off_prcb_current_thread;
} nt_kdbg;

enum { NT_KDBG_ABSENT, NT_KDBG_UNREADABLE, NT_KDBG_ENCODED, NT_KDBG_BAD_SIZE, NT_KDBG_OK };

const char *nt_kdbg_state_name(int state);

/* Read and validate the block at va; never fails hard: state says what was found and a
 * warning explains anything but NT_KDBG_OK. */
void nt_kdbg_read(nt_ctx *c, uint64_t va, nt_kdbg *k);

/* Compare the offsets and sizes a valid KDBG publishes with the context's profile: each
 * disagreement is a warning naming the field. Returns the number of disagreements;
 * *checked counts the fields compared. */
int nt_kdbg_check_profile(nt_ctx *c, const nt_kdbg *k, unsigned *checked);

#endif

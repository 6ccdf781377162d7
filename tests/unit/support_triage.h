/* SPDX-License-Identifier: MIT */
/* Test support: an independent writer of a minimal x64 triage ("small memory", DumpType 4)
 * dump. It follows shared/reference/dump-format.md (sections 1 and 2.3) with its own offsets
 * and byte stores and never calls the reader, so a misreading of the format cannot hide on
 * both sides. Plain C (no cmocka): the fuzz seed step uses it too.
 *
 * The file it writes (absolute file offsets):
 *   0x0000  DUMP_HEADER64, "PAGE"-filled, CONTEXT at 0x348, EXCEPTION_RECORD64 at 0xF00
 *   0x2000  TRIAGE_DUMP64
 *   0x2080  DUMP_MM_STORAGE64 (Version 1, Size 0x50)
 *   0x20D0  unloaded drivers: u64 count 2, two 0x38-byte entries
 *   0x2200  saved stack (0x1000 bytes at TW_TOP_OF_STACK; holds an EXCEPTION_RECORD64 and
 *           a CONTEXT that bugcheck parameters 3 and 4 point at, and return addresses)
 *   0x3200  driver list: 2 DUMP_DRIVER_ENTRY64 (ntoskrnl.exe, faulty.sys)
 *   0x3400  string pool (0x200 bytes): the drivers' DUMP_STRINGs
 *   0x3600  KDDEBUGGER_DATA64 copy (0x380 bytes, "KDBG")
 *   0x3A00  3 TRIAGE_DATA_BLOCKs; their data at 0x4000, 0x5000, 0x6000 (0x1000 each)
 *   0x7000  "TRGD" (ValidOffset; SizeOfDump 0x7004)
 *   0x7004  secondary data: "DumpBlob" file header and one blob ("TestBlob") */
#ifndef DI_TEST_SUPPORT_TRIAGE_H
#define DI_TEST_SUPPORT_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

/* DUMP_HEADER64 fields the tests touch. */
#define TW_H_MACHINE      0x030u
#define TW_H_BUGCHECK     0x038u
#define TW_H_CONTEXT      0x348u
#define TW_H_EXCEPTION    0xF00u
#define TW_H_DUMP_TYPE    0xF98u
#define TW_H_FIELDS       0x1038u
#define TW_H_ATTRIBUTES   0x1050u

/* TRIAGE_DUMP64 field offsets (relative to TW_TRIAGE). */
#define TW_TRIAGE            0x2000u
#define TW_T_SIZE_OF_DUMP    0x04u
#define TW_T_VALID_OFFSET    0x08u
#define TW_T_CONTEXT         0x0Cu
#define TW_T_EXCEPTION       0x10u
#define TW_T_MM              0x14u
#define TW_T_UNLOADED        0x18u
#define TW_T_PRCB            0x1Cu
#define TW_T_PROCESS         0x20u
#define TW_T_THREAD          0x24u
#define TW_T_CALLSTACK       0x28u
#define TW_T_CALLSTACK_SIZE  0x2Cu
#define TW_T_DRIVERLIST      0x30u
#define TW_T_DRIVER_COUNT    0x34u
#define TW_T_STRINGPOOL      0x38u
#define TW_T_STRINGPOOL_SIZE 0x3Cu
#define TW_T_OPTIONS         0x44u
#define TW_T_TOP_OF_STACK    0x48u
#define TW_T_DEBUGGER        0x70u
#define TW_T_DEBUGGER_SIZE   0x74u
#define TW_T_BLOCKS          0x78u
#define TW_T_BLOCKS_COUNT    0x7Cu

/* Where the sections lie. */
#define TW_MM            0x2080u
#define TW_MM_SIZE       0x50u
#define TW_UNLOADED      0x20D0u
#define TW_UNL_ENTRY     0x38u
#define TW_STACK         0x2200u
#define TW_STACK_SIZE    0x1000u
#define TW_DRIVERS       0x3200u
#define TW_DRV_ENTRY     0x90u
#define TW_POOL          0x3400u
#define TW_POOL_SIZE     0x200u
#define TW_KDBG          0x3600u
#define TW_KDBG_SIZE     0x380u
#define TW_BLOCKS        0x3A00u
#define TW_BLOCK_ENTRY   16u
#define TW_NBLOCKS       3u
#define TW_BLOCK_DATA    0x4000u   /* block i's data at TW_BLOCK_DATA + i * TW_BLOCK_SIZE */
#define TW_BLOCK_SIZE    0x1000u
#define TW_VALID         0x7000u
#define TW_SIZE_OF_DUMP  0x7004u
#define TW_BLOB_FILE     TW_SIZE_OF_DUMP           /* "DumpBlob", u32 0x10, u32 build */
#define TW_BLOB          (TW_BLOB_FILE + 0x10u)    /* u32 0x20, GUID, DataSize, PrePad, PostPad */
#define TW_BLOB_DATA_SIZE_AT (TW_BLOB + 0x14u)
#define TW_FILE_SIZE     (TW_BLOB + 0x20u + 0x10u)

/* DUMP_DRIVER_ENTRY64 fields. */
#define TW_DRV_NAME_OFFSET 0x00u
#define TW_DRV_BASE        0x38u
#define TW_DRV_SIZE        0x48u
#define TW_DRV_TIMESTAMP   0x88u

/* Virtual addresses. */
#define TW_TOP_OF_STACK 0xFFFF850400001000ull
#define TW_EXR_VA       (TW_TOP_OF_STACK + 0x300u)  /* bugcheck parameter 3 */
#define TW_CXR_VA       (TW_TOP_OF_STACK + 0x400u)  /* bugcheck parameter 4 */
#define TW_KDBG_VA      0xFFFFF80400600000ull
/* Blocks 0 and 1 are adjacent in VA; block 2 stands alone. */
#define TW_BLOCK0_VA    0xFFFFF80500000000ull
#define TW_BLOCK1_VA    (TW_BLOCK0_VA + TW_BLOCK_SIZE)
#define TW_BLOCK2_VA    (TW_BLOCK0_VA + 0x10000u)
#define TW_NT_BASE      0xFFFFF80400000000ull
#define TW_NT_SIZE      0x01000000u
#define TW_NT_STAMP     0x5F1E2D3Cu
#define TW_DRV_BASE_VA  0xFFFFF80480000000ull
#define TW_DRV_SIZE_VAL 0x20000u
#define TW_DRV_STAMP    0x61626364u
#define TW_FAULT_IP     (TW_DRV_BASE_VA + 0x1234u)  /* in faulty.sys */
#define TW_BUGCHECK     0x1000007Eu

/* The byte every data block i is filled with. */
#define TW_BLOCK_FILL(i) ((uint8_t)(0xA0u + (i)))

/* The minimal valid triage file: TW_FILE_SIZE bytes of heap memory (NULL when out of
 * memory); *len receives the size. */
uint8_t *tw_build(size_t *len);

/* Little-endian stores into a file image. */
void tw_put16(uint8_t *b, size_t off, uint16_t v);
void tw_put32(uint8_t *b, size_t off, uint32_t v);
void tw_put64(uint8_t *b, size_t off, uint64_t v);

#endif

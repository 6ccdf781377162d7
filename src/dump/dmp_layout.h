/* SPDX-License-Identifier: MIT */
/*
 * On-disk layout of the 64-bit kernel dump header (DUMP_HEADER64, 0x2000 bytes at file
 * offset 0) and the type-specific headers that follow it. Offsets are bytes from the
 * start of the named structure; see shared/reference/dump-format.md sections 1 and 2.
 */
#ifndef DI_DUMP_LAYOUT_H
#define DI_DUMP_LAYOUT_H

/* DUMP_HEADER64 */
#define DMP_HDR_SIZE                 0x2000u
#define DMP_HDR_SIGNATURE            0x000  /* "PAGE" */
#define DMP_HDR_VALID_DUMP           0x004  /* "DU64" ("DUMP" in 32-bit headers) */
#define DMP_HDR_MAJOR_VERSION        0x008  /* 0xF free build, 0xC checked build */
#define DMP_HDR_MINOR_VERSION        0x00C  /* NT build number */
#define DMP_HDR_DIRECTORY_TABLE_BASE 0x010  /* kernel CR3; low 12 bits may hold a PCID */
#define DMP_HDR_PFN_DATABASE         0x018
#define DMP_HDR_PS_LOADED_MODULES    0x020
#define DMP_HDR_PS_ACTIVE_PROCESSES  0x028
#define DMP_HDR_MACHINE_IMAGE_TYPE   0x030
#define DMP_HDR_NUMBER_PROCESSORS    0x034
#define DMP_HDR_BUGCHECK_CODE        0x038
#define DMP_HDR_BUGCHECK_PARAM1      0x040  /* four u64 parameters, 8 bytes apart */
#define DMP_HDR_VERSION_USER         0x060  /* char[32] */
#define DMP_HDR_KD_DEBUGGER_DATA     0x080
#define DMP_HDR_PHYS_NUMBER_OF_RUNS  0x088  /* PHYSICAL_MEMORY_DESCRIPTOR64 */
#define DMP_HDR_PHYS_NUMBER_OF_PAGES 0x090
#define DMP_HDR_PHYS_RUNS            0x098  /* {u64 BasePage, u64 PageCount}[] */
#define DMP_HDR_PHYS_RUN_SIZE        16u
#define DMP_HDR_PHYS_MAX_RUNS        42u    /* (700 - 16) / 16 */
#define DMP_HDR_CONTEXT              0x348  /* CONTEXT of the crashing processor */
#define DMP_HDR_EXCEPTION            0xF00  /* EXCEPTION_RECORD64 */
#define DMP_HDR_DUMP_TYPE            0xF98
#define DMP_HDR_REQUIRED_DUMP_SPACE  0xFA0
#define DMP_HDR_SYSTEM_TIME          0xFA8  /* FILETIME */
#define DMP_HDR_COMMENT              0xFB0  /* char[128] */
#define DMP_HDR_COMMENT_SIZE         128u
#define DMP_HDR_SYSTEM_UP_TIME       0x1030 /* 100 ns units */
#define DMP_HDR_MINI_DUMP_FIELDS     0x1038
#define DMP_HDR_SECONDARY_DATA_STATE 0x103C
#define DMP_HDR_PRODUCT_TYPE         0x1040
#define DMP_HDR_SUITE_MASK           0x1044
#define DMP_HDR_WRITER_STATUS        0x1048
#define DMP_HDR_KD_SECONDARY_VERSION 0x104D
#define DMP_HDR_ATTRIBUTES           0x1050
#define DMP_HDR_BOOT_ID              0x1054

/* Windows pre-fills unused header bytes with "PAGE"; a field holding it is "not set". */
#define DMP_FILL32 0x45474150u
#define DMP_FILL64 0x4547415045474150ull

#define DMP_ATTR_ENCRYPTED_DATA      (1u << 8)

/* x64 CONTEXT (0x4D0 bytes) inside the header's ContextRecord. */
#define DMP_CTX_SIZE          0x4D0u
#define DMP_CTX_FLAGS         0x030
#define DMP_CTX_MXCSR         0x034
#define DMP_CTX_SEG_CS        0x038  /* then Ds Es Fs Gs Ss, u16 each */
#define DMP_CTX_EFLAGS        0x044
#define DMP_CTX_DR0           0x048  /* Dr0 Dr1 Dr2 Dr3 Dr6 Dr7, u64 each */
#define DMP_CTX_RAX           0x078  /* Rax Rcx Rdx Rbx Rsp Rbp Rsi Rdi R8..R15, u64 each */
#define DMP_CTX_RIP           0x0F8
#define DMP_CTX_FLTSAVE_MXCSR 0x118

/* EXCEPTION_RECORD64 (0x98 bytes). */
#define DMP_EXC_CODE          0x00
#define DMP_EXC_FLAGS         0x04
#define DMP_EXC_RECORD        0x08
#define DMP_EXC_ADDRESS       0x10
#define DMP_EXC_NUM_PARAMS    0x18
#define DMP_EXC_INFORMATION   0x20   /* u64[15] */
#define DMP_EXC_MAX_PARAMS    15u

/* Bitmap header (types 5 and 6) at file 0x2000. */
#define DMP_BMP_SIGNATURE     0x00   /* "SDMP" or "FDMP" */
#define DMP_BMP_VALID_DUMP    0x04   /* "DUMP" */
#define DMP_BMP_FIRST_PAGE    0x20   /* absolute file offset of the first stored page */
#define DMP_BMP_PRESENT_PAGES 0x28   /* number of set bits */
#define DMP_BMP_BITS          0x30   /* number of bits = PFN span covered */
#define DMP_BMP_BITMAP        0x38   /* bit i (LSB first) <-> PFN i */

/* RDMP header (types 8, 9, 10) at file 0x2000. */
#define DMP_RDMP_MARKER        0x00  /* 0x40 */
#define DMP_RDMP_SIGNATURE     0x04  /* "RDMP" */
#define DMP_RDMP_VALID_DUMP    0x08  /* "DUMP" */
#define DMP_RDMP_METADATA_SIZE 0x10
#define DMP_RDMP_FIRST_PAGE    0x18
#define DMP_RDMP_NUM_RANGES    0x20  /* type 10 only: u32 */
#define DMP_RDMP_TOTAL_PAGES   0x28  /* type 10 only */
#define DMP_RDMP_RANGES        0x30  /* {u64 BasePfn, u64 PageCount}[] */
#define DMP_RDMP_MARKER_VALUE  0x40u
#define DMP_RDMP_TABLE_BASE    0x2020u /* FirstPageOffset = this + MetadataSize */

/* TRIAGE_DUMP64 (small memory dump, DumpType 4) at file 0x2000: every *Offset is an
 * absolute file offset (dump-format.md 2.3, checked on the real x64 and ARM64 files). */
#define DMP_TRI_HDR                0x2000u
#define DMP_TRI_HDR_SIZE           0x80u
#define DMP_TRI_SIZE_OF_DUMP       0x04
#define DMP_TRI_VALID_OFFSET       0x08  /* file offset of the u32 tag "TRGD" */
#define DMP_TRI_CONTEXT_OFFSET     0x0C
#define DMP_TRI_EXCEPTION_OFFSET   0x10
#define DMP_TRI_MM_OFFSET          0x14
#define DMP_TRI_UNLOADED_OFFSET    0x18
#define DMP_TRI_PRCB_OFFSET        0x1C
#define DMP_TRI_PROCESS_OFFSET     0x20
#define DMP_TRI_THREAD_OFFSET      0x24
#define DMP_TRI_CALLSTACK_OFFSET   0x28
#define DMP_TRI_CALLSTACK_SIZE     0x2C
#define DMP_TRI_DRIVERLIST_OFFSET  0x30
#define DMP_TRI_DRIVER_COUNT       0x34
#define DMP_TRI_STRINGPOOL_OFFSET  0x38
#define DMP_TRI_STRINGPOOL_SIZE    0x3C
#define DMP_TRI_BROKEN_OFFSET      0x40
#define DMP_TRI_OPTIONS            0x44
#define DMP_TRI_TOP_OF_STACK       0x48  /* u64: lowest VA of the saved stack */
#define DMP_TRI_DATAPAGE_ADDRESS   0x60  /* u64 */
#define DMP_TRI_DATAPAGE_OFFSET    0x68
#define DMP_TRI_DATAPAGE_SIZE      0x6C
#define DMP_TRI_DEBUGGER_OFFSET    0x70
#define DMP_TRI_DEBUGGER_SIZE      0x74
#define DMP_TRI_BLOCKS_OFFSET      0x78
#define DMP_TRI_BLOCKS_COUNT       0x7C
#define DMP_TRI_VALID_TAG          0x44475254u /* "TRGD" */

/* MiniDumpFields bits: which sections the writer filled in. */
#define DMP_TRI_F_CONTEXT       0x001u
#define DMP_TRI_F_EXCEPTION     0x002u
#define DMP_TRI_F_PRCB          0x004u
#define DMP_TRI_F_PROCESS       0x008u
#define DMP_TRI_F_THREAD        0x010u
#define DMP_TRI_F_STACK         0x020u
#define DMP_TRI_F_DRIVER_LIST   0x040u
#define DMP_TRI_F_BROKEN_DRIVER 0x080u
#define DMP_TRI_F_MMINFO        0x100u
#define DMP_TRI_F_DATAPAGE      0x200u
#define DMP_TRI_F_DEBUGGER_DATA 0x400u
#define DMP_TRI_F_DATA_BLOCKS   0x800u

/* TRIAGE_DATA_BLOCK: u64 VirtualAddress, u32 file Offset, u32 Size. */
#define DMP_TRI_BLOCK_SIZE      16u
/* DUMP_DRIVER_ENTRY64: u32 DriverNameOffset (a DUMP_STRING), pad, then a copy of the
 * driver's loader entry; the fields a reader needs, as seen on real files. */
#define DMP_TRI_DRV_SIZE        0x90u
#define DMP_TRI_DRV_NAME_OFFSET 0x00
#define DMP_TRI_DRV_DLL_BASE    0x38
#define DMP_TRI_DRV_SIZE_OF_IMAGE 0x48
#define DMP_TRI_DRV_CHECKSUM    0x80
#define DMP_TRI_DRV_TIMESTAMP   0x88
/* Unloaded drivers: u64 count, then {UNICODE_STRING64 Name, WCHAR[12], u64 Start, u64 End}. */
#define DMP_TRI_UNL_ENTRY_SIZE  0x38u
#define DMP_TRI_UNL_LENGTH      0x00  /* u16, bytes */
#define DMP_TRI_UNL_CHARS       0x10  /* WCHAR[12]: the name's first characters */
#define DMP_TRI_UNL_NCHARS      12u
#define DMP_TRI_UNL_START       0x28
#define DMP_TRI_UNL_END         0x30
/* DUMP_MM_STORAGE64 starts with u32 Version, u32 Size. */
#define DMP_TRI_MM_VERSION      0x00
#define DMP_TRI_MM_SIZE         0x04

/* Secondary data after SizeOfDump: "DumpBlob", u32 HeaderSize, u32 0xF000|build, then blobs
 * {u32 HeaderSize (0x20), GUID Tag, u32 DataSize, u32 PrePad, u32 PostPad} + pads + data. */
#define DMP_BLOB_MAGIC          "DumpBlob"
#define DMP_BLOB_FILE_HDR_SIZE  0x10u
#define DMP_BLOB_BUILD          0x0C
#define DMP_BLOB_HDR_SIZE       0x20u
#define DMP_BLOB_TAG            0x04
#define DMP_BLOB_DATA_SIZE      0x14
#define DMP_BLOB_PREPAD         0x18
#define DMP_BLOB_POSTPAD        0x1C

/* KDDEBUGGER_DATA64 fields the triage reader uses to place its copies at their VAs. */
#define DMP_KDBG_OWNER_TAG                0x10
#define DMP_KDBG_SIZE                     0x14
#define DMP_KDBG_KI_PROCESSOR_BLOCK       0x218
#define DMP_KDBG_OFFSET_KTHREAD_APC_PROCESS 0x2A0 /* u16: KTHREAD.ApcState.Process */
#define DMP_KDBG_OFFSET_PRCB_CURRENT_THREAD 0x2B4 /* u16 */
#define DMP_KDBG_OFFSET_PRCB_NUMBER       0x2BE   /* u16 */
#define DMP_KDBG_TAG                      0x4742444Bu /* "KDBG" */

/* ARM64_NT_CONTEXT (0x390 bytes) inside the header's ContextRecord. */
#define DMP_A64_CTX_SIZE   0x390u
#define DMP_A64_CTX_FLAGS  0x000
#define DMP_A64_CTX_CPSR   0x004
#define DMP_A64_CTX_X0     0x008  /* X0..X28, u64 each */
#define DMP_A64_CTX_FP     0x0F0
#define DMP_A64_CTX_LR     0x0F8
#define DMP_A64_CTX_SP     0x100
#define DMP_A64_CTX_PC     0x108
#define DMP_A64_CTX_FPCR   0x310
#define DMP_A64_CTX_FPSR   0x314

#define DMP_MACHINE_X64   0x8664u
#define DMP_MACHINE_ARM64 0xAA64u

#define DMP_PAGE_SIZE  0x1000u
#define DMP_PAGE_SHIFT 12
/* Default bounds on metadata held in memory: a bitmap covering 8 TiB of physical memory,
 * and RDMP range tables (a hostile MetadataSize must not size an allocation). */
#define DMP_BITMAP_MAX_BYTES ((uint64_t)256 << 20)
#define DMP_RDMP_MAX_RANGES (1u << 20)
/* x64 physical addresses have at most 52 bits. */
#define DMP_MAX_PFN    ((uint64_t)1 << 40)

#endif

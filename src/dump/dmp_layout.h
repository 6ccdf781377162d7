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

#define DMP_PAGE_SIZE  0x1000u
#define DMP_PAGE_SHIFT 12
/* Default bounds on metadata held in memory: a bitmap covering 8 TiB of physical memory,
 * and RDMP range tables (a hostile MetadataSize must not size an allocation). */
#define DMP_BITMAP_MAX_BYTES ((uint64_t)256 << 20)
#define DMP_RDMP_MAX_RANGES (1u << 20)
/* x64 physical addresses have at most 52 bits. */
#define DMP_MAX_PFN    ((uint64_t)1 << 40)

#endif

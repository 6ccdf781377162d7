/* SPDX-License-Identifier: MIT */
/* gen_profiles: turns the PDB-derived kernel type data in ../shared/data/vergilius (one YAML
 * file per build) into the offset tables dumpinspect ships, src/nt/nt_profile_table.c.
 *
 *   gen_profiles OUT.c YML...
 *
 * The program never reads the YAML at run time; this generator is the only place that does.
 * What the model needs is listed below (want_fields, want_structs, want_enums). The id enums
 * in src/nt/nt_profile.h are written by hand in the same order; the generated file carries a
 * _Static_assert per id so the two can never drift apart silently.
 *
 * Every wanted item must exist in every build, or the generator stops with exit status 1 and
 * names the file and the item. Only fields marked OPT (and the structs in optional_structs)
 * may be missing; the table then says "absent" (present = 0, size 0). An enum member a build
 * lacks gets INT32_MIN (NT_ENUM_INVALID). Nothing is ever guessed or defaulted.
 *
 * The YAML layout (Vergilius kernels-data): a top-level "types:" sequence; each item is one
 * type with name (optional), id, kind, sizeof and a "data:" sequence of members (name, id,
 * offset, ordinal). Nested anonymous structs/unions are flattened into their parent. A
 * member's type is the item whose id equals the member's id. Bitfields are encoded only as
 * "name: Field:WIDTH"; their bit positions are not stored and are reconstructed here (see
 * bit_position). Enum members store their value in "offset".
 *
 * Standard C only (stdio, stdlib, string): it must build anywhere the project builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------
 * What the model reads. Order here = order of the ids in nt_profile.h.
 * Id names are derived mechanically: "_ETHREAD" + "Cid.UniqueThread" -> NT_F_ETHREAD_CID_UNIQUETHREAD.
 * ---------------------------------------------------------------------------------------- */

#define OPT 1 /* may be absent in a build: the table then says absent instead of failing */

typedef struct want_field {
    const char *type; /* top-level struct name as in the data */
    const char *path; /* member path; '.' descends into embedded structs/unions */
    int flags;
} want_field;

static const want_field want_fields[] = {
    /* _KTHREAD: scheduler view of a thread; embedded at offset 0 of _ETHREAD. */
    { "_KTHREAD", "Header", 0 },
    { "_KTHREAD", "Header.Type", 0 },
    { "_KTHREAD", "InitialStack", 0 },
    { "_KTHREAD", "StackLimit", 0 },
    { "_KTHREAD", "StackBase", 0 },
    { "_KTHREAD", "KernelStack", 0 },
    { "_KTHREAD", "MiscFlags", 0 },
    { "_KTHREAD", "AutoBoostActive", 0 },
    { "_KTHREAD", "Alertable", 0 },
    { "_KTHREAD", "SystemThread", 0 },
    { "_KTHREAD", "ThreadFlags", 0 },
    { "_KTHREAD", "DisableBoost", 0 },
    { "_KTHREAD", "KernelStackResident", 0 },
    { "_KTHREAD", "TrapFrame", 0 },
    { "_KTHREAD", "ApcState", 0 },
    { "_KTHREAD", "ApcState.Process", 0 },
    { "_KTHREAD", "Priority", 0 },
    { "_KTHREAD", "WaitStatus", 0 },
    { "_KTHREAD", "WaitBlockList", 0 },
    { "_KTHREAD", "Teb", 0 },
    { "_KTHREAD", "WaitBlock", 0 },
    { "_KTHREAD", "ContextSwitches", 0 },
    { "_KTHREAD", "State", 0 },
    { "_KTHREAD", "WaitIrql", 0 },
    { "_KTHREAD", "WaitMode", 0 },
    { "_KTHREAD", "WaitTime", 0 },
    { "_KTHREAD", "KernelApcDisable", 0 },
    { "_KTHREAD", "SpecialApcDisable", 0 },
    { "_KTHREAD", "Process", 0 },
    { "_KTHREAD", "PreviousMode", 0 },
    { "_KTHREAD", "BasePriority", 0 },
    { "_KTHREAD", "WaitBlockCount", 0 },
    { "_KTHREAD", "WaitReason", 0 },
    { "_KTHREAD", "ResourceIndex", 0 },
    { "_KTHREAD", "KernelTime", 0 },
    { "_KTHREAD", "UserTime", 0 },
    { "_KTHREAD", "ThreadListEntry", 0 },
    { "_KTHREAD", "MutantListHead", 0 },
    { "_KTHREAD", "PropagateBoostsEntry", 0 },
    { "_KTHREAD", "IoSelfBoostsEntry", 0 },
    { "_KTHREAD", "AbCompletedIoBoostCount", 0 },
    { "_KTHREAD", "AbCompletedIoQoSBoostCount", OPT },
    /* Auto-boost bookkeeping: only used for push-lock owner guesses (INFERRED semantics) and
     * reshaped in later kernels (LockEntries is gone in Windows 11), so the model must cope
     * without it. */
    { "_KTHREAD", "AbEntrySummary", OPT },
    { "_KTHREAD", "AbWaitEntryCount", OPT },
    { "_KTHREAD", "LockEntries", OPT },
    { "_KTHREAD", "AbOrphanedEntrySummary", OPT },
    { "_KTHREAD", "AbOwnedEntryCount", OPT },
    { "_KTHREAD", "AbWaitObject", OPT },

    /* _ETHREAD: executive view of a thread. */
    { "_ETHREAD", "Tcb", 0 },
    { "_ETHREAD", "CreateTime", 0 },
    { "_ETHREAD", "ExitTime", 0 },
    { "_ETHREAD", "StartAddress", 0 },
    { "_ETHREAD", "Cid", 0 },
    { "_ETHREAD", "Cid.UniqueProcess", 0 },
    { "_ETHREAD", "Cid.UniqueThread", 0 },
    { "_ETHREAD", "Win32StartAddress", 0 },
    { "_ETHREAD", "ThreadListEntry", 0 },
    { "_ETHREAD", "CrossThreadFlags", 0 },
    { "_ETHREAD", "Terminated", 0 },
    { "_ETHREAD", "ThreadIoPriority", 0 },
    { "_ETHREAD", "SameThreadPassiveFlags", 0 },
    { "_ETHREAD", "ActiveExWorker", 0 },
    { "_ETHREAD", "ExitStatus", 0 },
    { "_ETHREAD", "IoBoostCount", 0 },
    { "_ETHREAD", "IoQoSBoostCount", OPT },
    { "_ETHREAD", "IoQoSThrottleCount", OPT },
    { "_ETHREAD", "KernelStackReference", 0 },
    { "_ETHREAD", "BoostList", 0 },
    { "_ETHREAD", "DeboostList", 0 },
    { "_ETHREAD", "ThreadName", OPT },
    { "_ETHREAD", "OwnerEntryListHead", OPT },
    { "_ETHREAD", "DisownedOwnerEntryListHead", OPT },
    { "_ETHREAD", "LockEntries", OPT },

    /* _KPROCESS / _EPROCESS */
    { "_KPROCESS", "Header", 0 },
    { "_KPROCESS", "DirectoryTableBase", 0 },
    { "_KPROCESS", "ThreadListHead", 0 },
    { "_KPROCESS", "ProcessListEntry", 0 },
    { "_KPROCESS", "UserDirectoryTableBase", OPT },
    { "_EPROCESS", "Pcb", 0 },
    { "_EPROCESS", "Pcb.DirectoryTableBase", 0 },
    { "_EPROCESS", "Pcb.ThreadListHead", 0 },
    { "_EPROCESS", "UniqueProcessId", 0 },
    { "_EPROCESS", "ActiveProcessLinks", 0 },
    { "_EPROCESS", "Flags", 0 },
    { "_EPROCESS", "ProcessExiting", 0 },
    { "_EPROCESS", "ProcessDelete", 0 },
    { "_EPROCESS", "CreateTime", 0 },
    { "_EPROCESS", "InheritedFromUniqueProcessId", 0 },
    { "_EPROCESS", "SectionBaseAddress", 0 },
    { "_EPROCESS", "Peb", 0 },
    { "_EPROCESS", "ObjectTable", 0 },
    { "_EPROCESS", "Token", 0 },
    { "_EPROCESS", "ImageFileName", 0 },
    { "_EPROCESS", "SeAuditProcessCreationInfo", 0 },
    { "_EPROCESS", "ThreadListHead", 0 },
    { "_EPROCESS", "ActiveThreads", 0 },
    { "_EPROCESS", "ExitStatus", 0 },
    { "_EPROCESS", "ExitTime", 0 },
    { "_EPROCESS", "Flags3", 0 },
    { "_EPROCESS", "SystemProcess", OPT },
    /* The full image path behind SeAuditProcessCreationInfo (ImageFileName keeps 15 bytes). */
    { "_SE_AUDIT_PROCESS_CREATION_INFO", "ImageFileName", 0 },
    { "_OBJECT_NAME_INFORMATION", "Name", 0 },

    /* Lists and strings */
    { "_LIST_ENTRY", "Flink", 0 },
    { "_LIST_ENTRY", "Blink", 0 },
    { "_UNICODE_STRING", "Length", 0 },
    { "_UNICODE_STRING", "MaximumLength", 0 },
    { "_UNICODE_STRING", "Buffer", 0 },

    /* Dispatcher objects and waits */
    { "_DISPATCHER_HEADER", "Type", 0 },
    { "_DISPATCHER_HEADER", "Size", 0 },
    { "_DISPATCHER_HEADER", "SignalState", 0 },
    { "_DISPATCHER_HEADER", "WaitListHead", 0 },
    { "_KEVENT", "Header", 0 },
    { "_KWAIT_BLOCK", "WaitListEntry", 0 },
    { "_KWAIT_BLOCK", "WaitType", 0 },
    { "_KWAIT_BLOCK", "BlockState", 0 },
    { "_KWAIT_BLOCK", "WaitKey", 0 },
    { "_KWAIT_BLOCK", "Thread", 0 },
    { "_KWAIT_BLOCK", "Object", 0 },
    { "_KMUTANT", "Header", 0 },
    { "_KMUTANT", "MutantListEntry", 0 },
    { "_KMUTANT", "OwnerThread", 0 },
    { "_KMUTANT", "MutantFlags", OPT },
    { "_KMUTANT", "Abandoned", 0 },
    { "_KMUTANT", "ApcDisable", 0 },
    { "_FAST_MUTEX", "Count", 0 },
    { "_FAST_MUTEX", "Owner", 0 },
    { "_FAST_MUTEX", "Contention", 0 },
    { "_FAST_MUTEX", "Event", 0 },
    { "_FAST_MUTEX", "OldIrql", 0 },
    { "_EX_PUSH_LOCK", "Locked", 0 },
    { "_EX_PUSH_LOCK", "Waiting", 0 },
    { "_EX_PUSH_LOCK", "Waking", 0 },
    { "_EX_PUSH_LOCK", "MultipleShared", 0 },
    { "_EX_PUSH_LOCK", "Shared", 0 },
    { "_EX_PUSH_LOCK", "Value", 0 },
    { "_EX_FAST_REF", "Object", 0 },
    { "_EX_FAST_REF", "RefCnt", 0 },

    /* Executive resources, their owners and their waiter rings */
    { "_ERESOURCE", "SystemResourcesList", 0 },
    { "_ERESOURCE", "OwnerTable", 0 },
    { "_ERESOURCE", "ActiveCount", 0 },
    { "_ERESOURCE", "Flag", 0 },
    { "_ERESOURCE", "ReservedLowFlags", 0 },
    { "_ERESOURCE", "WaiterPriority", 0 },
    { "_ERESOURCE", "SharedWaiters", 0 },
    { "_ERESOURCE", "ExclusiveWaiters", 0 },
    { "_ERESOURCE", "OwnerEntry", 0 },
    { "_ERESOURCE", "ActiveEntries", 0 },
    { "_ERESOURCE", "ContentionCount", 0 },
    { "_ERESOURCE", "NumberOfSharedWaiters", 0 },
    { "_ERESOURCE", "NumberOfExclusiveWaiters", 0 },
    { "_ERESOURCE", "Reserved2", OPT },
    { "_ERESOURCE", "Address", 0 },
    { "_ERESOURCE", "CreatorBackTraceIndex", 0 },
    { "_ERESOURCE", "SpinLock", 0 },
    { "_OWNER_ENTRY", "OwnerThread", 0 },
    { "_OWNER_ENTRY", "IoPriorityBoosted", 0 },
    { "_OWNER_ENTRY", "OwnerReferenced", 0 },
    { "_OWNER_ENTRY", "IoQoSPriorityBoosted", OPT },
    { "_OWNER_ENTRY", "OwnerCount", 0 },
    { "_OWNER_ENTRY", "TableSize", 0 },
    /* Same 0x68 layout as _ERESOURCE but with the waiter slots typed: each is a _KWAIT_CHAIN
     * whose Head is the pointer to the first on-stack _KWAIT_CHAIN_ENTRY of the ring. */
    { "_FAST_ERESOURCE_INTERNAL", "Flag", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "SharedWaiters", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "SharedWaiters.Head", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "ExclusiveWaiters", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "ExclusiveWaiters.Head", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "OwnerEntryListHead", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "NumberOfSharedWaiters", OPT },
    { "_FAST_ERESOURCE_INTERNAL", "NumberOfExclusiveWaiters", OPT },
    { "_KWAIT_CHAIN", "Head", 0 },
    { "_KWAIT_CHAIN_ENTRY", "ListEntry", OPT },
    { "_KWAIT_CHAIN_ENTRY", "Thread", OPT },
    { "_KWAIT_CHAIN_ENTRY", "Event", OPT },
    { "_KWAIT_CHAIN_ENTRY", "Event.Header.Type", OPT },
    { "_KWAIT_CHAIN_ENTRY", "Event.Header.Size", OPT },
    { "_KWAIT_CHAIN_ENTRY", "Event.Header.SignalState", OPT },
    /* Auto-boost lock entries: INFERRED use only (push-lock owner candidates). */
    { "_KLOCK_ENTRY", "WaitingBit", OPT },
    { "_KLOCK_ENTRY", "AcquiredBit", OPT },
    { "_KLOCK_ENTRY", "LockUnsafe", OPT },

    /* Loaded modules */
    { "_KLDR_DATA_TABLE_ENTRY", "InLoadOrderLinks", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "DllBase", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "EntryPoint", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "SizeOfImage", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "FullDllName", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "BaseDllName", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "Flags", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "CheckSum", 0 },
    { "_KLDR_DATA_TABLE_ENTRY", "TimeDateStamp", 0 },

    /* Processors */
    { "_KPCR", "Self", 0 },
    { "_KPCR", "CurrentPrcb", 0 },
    { "_KPCR", "Irql", 0 },
    { "_KPCR", "Prcb", 0 },
    { "_KPCR", "Prcb.CurrentThread", 0 },
    { "_KPRCB", "CurrentThread", 0 },
    { "_KPRCB", "NextThread", 0 },
    { "_KPRCB", "IdleThread", 0 },
    { "_KPRCB", "Number", 0 },
    { "_KPRCB", "CoresPerPhysicalProcessor", 0 },
    { "_KPRCB", "LogicalProcessorsPerCore", 0 },
    { "_KPRCB", "ProcessorState", 0 },
    { "_KPRCB", "ProcessorState.SpecialRegisters.Cr3", 0 },
    { "_KPRCB", "ProcessorState.ContextFrame", 0 },
    { "_KPRCB", "KernelDirectoryTableBase", OPT },
    { "_KPROCESSOR_STATE", "SpecialRegisters", 0 },
    { "_KPROCESSOR_STATE", "ContextFrame", 0 },

    /* Register state for stack walks: saved CPU context, trap and exception frames */
    { "_CONTEXT", "ContextFlags", 0 },
    { "_CONTEXT", "SegCs", 0 },
    { "_CONTEXT", "SegSs", 0 },
    { "_CONTEXT", "EFlags", 0 },
    { "_CONTEXT", "Rax", 0 },
    { "_CONTEXT", "Rcx", 0 },
    { "_CONTEXT", "Rdx", 0 },
    { "_CONTEXT", "Rbx", 0 },
    { "_CONTEXT", "Rsp", 0 },
    { "_CONTEXT", "Rbp", 0 },
    { "_CONTEXT", "Rsi", 0 },
    { "_CONTEXT", "Rdi", 0 },
    { "_CONTEXT", "R8", 0 },
    { "_CONTEXT", "R9", 0 },
    { "_CONTEXT", "R10", 0 },
    { "_CONTEXT", "R11", 0 },
    { "_CONTEXT", "R12", 0 },
    { "_CONTEXT", "R13", 0 },
    { "_CONTEXT", "R14", 0 },
    { "_CONTEXT", "R15", 0 },
    { "_CONTEXT", "Rip", 0 },
    { "_KTRAP_FRAME", "PreviousMode", 0 },
    { "_KTRAP_FRAME", "Rax", 0 },
    { "_KTRAP_FRAME", "Rcx", 0 },
    { "_KTRAP_FRAME", "Rdx", 0 },
    { "_KTRAP_FRAME", "R8", 0 },
    { "_KTRAP_FRAME", "R9", 0 },
    { "_KTRAP_FRAME", "R10", 0 },
    { "_KTRAP_FRAME", "R11", 0 },
    { "_KTRAP_FRAME", "TrapFrame", 0 },
    { "_KTRAP_FRAME", "Rbx", 0 },
    { "_KTRAP_FRAME", "Rdi", 0 },
    { "_KTRAP_FRAME", "Rsi", 0 },
    { "_KTRAP_FRAME", "Rbp", 0 },
    { "_KTRAP_FRAME", "Rip", 0 },
    { "_KTRAP_FRAME", "SegCs", 0 },
    { "_KTRAP_FRAME", "EFlags", 0 },
    { "_KTRAP_FRAME", "Rsp", 0 },
    { "_KTRAP_FRAME", "SegSs", 0 },
    { "_KEXCEPTION_FRAME", "TrapFrame", 0 },
    { "_KEXCEPTION_FRAME", "Rbp", 0 },
    { "_KEXCEPTION_FRAME", "Rbx", 0 },
    { "_KEXCEPTION_FRAME", "Rdi", 0 },
    { "_KEXCEPTION_FRAME", "Rsi", 0 },
    { "_KEXCEPTION_FRAME", "R12", 0 },
    { "_KEXCEPTION_FRAME", "R13", 0 },
    { "_KEXCEPTION_FRAME", "R14", 0 },
    { "_KEXCEPTION_FRAME", "R15", 0 },
    { "_KEXCEPTION_FRAME", "Return", 0 },

    /* System facts and clocks */
    { "_KUSER_SHARED_DATA", "TickCountMultiplier", 0 },
    { "_KUSER_SHARED_DATA", "InterruptTime", 0 },
    { "_KUSER_SHARED_DATA", "SystemTime", 0 },
    { "_KUSER_SHARED_DATA", "TimeZoneBias", 0 },
    { "_KUSER_SHARED_DATA", "NtBuildNumber", 0 },
    { "_KUSER_SHARED_DATA", "NtProductType", 0 },
    { "_KUSER_SHARED_DATA", "ProductTypeIsValid", 0 },
    { "_KUSER_SHARED_DATA", "NativeProcessorArchitecture", 0 },
    { "_KUSER_SHARED_DATA", "NtMajorVersion", 0 },
    { "_KUSER_SHARED_DATA", "NtMinorVersion", 0 },
    { "_KUSER_SHARED_DATA", "BootId", 0 },
    { "_KUSER_SHARED_DATA", "SuiteMask", 0 },
    { "_KUSER_SHARED_DATA", "KdDebuggerEnabled", 0 },
    { "_KUSER_SHARED_DATA", "NumberOfPhysicalPages", 0 },
    { "_KUSER_SHARED_DATA", "SafeBootMode", 0 },
    { "_KUSER_SHARED_DATA", "QpcFrequency", 0 },
    { "_KUSER_SHARED_DATA", "TickCount", 0 },
    { "_KUSER_SHARED_DATA", "TickCount.LowPart", 0 },
    { "_KUSER_SHARED_DATA", "TickCountQuad", 0 },
    { "_KUSER_SHARED_DATA", "InterruptTimeBias", 0 },
    { "_KUSER_SHARED_DATA", "ActiveProcessorCount", 0 },
    { "_KUSER_SHARED_DATA", "ActiveGroupCount", 0 },
    { "_KSYSTEM_TIME", "LowPart", 0 },
    { "_KSYSTEM_TIME", "High1Time", 0 },
    { "_KSYSTEM_TIME", "High2Time", 0 },

    /* Object manager */
    { "_OBJECT_HEADER", "PointerCount", 0 },
    { "_OBJECT_HEADER", "HandleCount", 0 },
    { "_OBJECT_HEADER", "TypeIndex", 0 },
    { "_OBJECT_HEADER", "InfoMask", 0 },
    { "_OBJECT_HEADER", "Flags", 0 },
    { "_OBJECT_HEADER", "Body", 0 },
    { "_OBJECT_HEADER_NAME_INFO", "Directory", 0 },
    { "_OBJECT_HEADER_NAME_INFO", "Name", 0 },
    { "_OBJECT_TYPE", "Name", 0 },
    { "_OBJECT_TYPE", "Index", 0 },
};

/* Struct sizes: array strides, list-walk sanity bounds, and how far back the optional object
 * headers sit (the _OBJECT_HEADER_*_INFO sizes, in InfoMask bit order). */
static const char *const want_structs[] = {
    "_KTHREAD",
    "_ETHREAD",
    "_KPROCESS",
    "_EPROCESS",
    "_CLIENT_ID",
    "_KAPC_STATE",
    "_LIST_ENTRY",
    "_UNICODE_STRING",
    "_OBJECT_NAME_INFORMATION",
    "_DISPATCHER_HEADER",
    "_KEVENT",
    "_KSEMAPHORE",
    "_KMUTANT",
    "_KTIMER",
    "_KWAIT_BLOCK",
    "_FAST_MUTEX",
    "_EX_PUSH_LOCK",
    "_EX_FAST_REF",
    "_ERESOURCE",
    "_OWNER_ENTRY",
    "_FAST_ERESOURCE_INTERNAL",
    "_KWAIT_CHAIN",
    "_KWAIT_CHAIN_ENTRY",
    "_KLOCK_ENTRY",
    "_KLDR_DATA_TABLE_ENTRY",
    "_KPCR",
    "_KPRCB",
    "_KPROCESSOR_STATE",
    "_KSPECIAL_REGISTERS",
    "_CONTEXT",
    "_KTRAP_FRAME",
    "_KEXCEPTION_FRAME",
    "_KUSER_SHARED_DATA",
    "_KSYSTEM_TIME",
    "_OBJECT_HEADER",
    "_OBJECT_HEADER_CREATOR_INFO",
    "_OBJECT_HEADER_NAME_INFO",
    "_OBJECT_HEADER_HANDLE_INFO",
    "_OBJECT_HEADER_QUOTA_INFO",
    "_OBJECT_HEADER_PROCESS_INFO",
    "_OBJECT_HEADER_AUDIT_INFO",
    "_OBJECT_HEADER_EXTENDED_INFO",
    "_OBJECT_HEADER_PADDING_INFO",
    "_OBJECT_TYPE",
};

/* Structs that some builds do not have (size 0 = unknown in the table): the fast-resource
 * internals and the waiter-chain entry arrived in later kernels, the extended object header
 * info in 1607. */
static const char *const optional_structs[] = {
    "_FAST_ERESOURCE_INTERNAL",
    "_KWAIT_CHAIN_ENTRY",
    "_OBJECT_HEADER_EXTENDED_INFO",
};

/* Kernel file build behind each release build with its own data file: 20H2..22H2 (19042..19045)
 * run ntoskrnl 10.0.19041.x, 1909 (18363, no data file of its own) runs 10.0.18362.x, 23H2
 * (22631) runs 10.0.22621.x (../shared/data/vergilius/README.md). A build not listed is its
 * own kernel file build. */
typedef struct build_alias {
    unsigned long release, kernel;
} build_alias;

static const build_alias build_aliases[] = {
    { 18363, 18362 }, { 19042, 19041 }, { 19043, 19041 }, { 19044, 19041 }, { 19045, 19041 }, { 22631, 22621 },
};

/* Fields and sizes that move between cumulative updates of one kernel file build (facts from
 * ../shared/data/vergilius/README.md, which cites JPCERTCC/Windows-Symbol-Tables). From
 * revision from_rev on, the field has the layout of the data file `from_data` (when the data
 * has a file at or after the move), or the stated offset/size, or is unknown (absent). Before
 * it, the layout is the family's earliest data file, which must predate the move. */
enum { MOVE_FROM_DATA, MOVE_OFFSET, MOVE_UNKNOWN, MOVE_SIZE };

typedef struct known_move {
    unsigned long kernel, from_rev;
    const char *type, *path; /* path NULL: the struct size of type */
    int how;
    const char *from_data;   /* MOVE_FROM_DATA: the data file version */
    unsigned long value;     /* MOVE_OFFSET: new offset (same size); MOVE_SIZE: new size */
} known_move;

static const known_move known_moves[] = {
    { 14393, 1, "_EPROCESS", "ExitStatus", MOVE_UNKNOWN, NULL, 0 },
    { 14393, 1, "_EPROCESS", "ExitTime", MOVE_UNKNOWN, NULL, 0 },
    { 14393, 1, "_KPRCB", NULL, MOVE_SIZE, NULL, 0x7EC0 },
    { 19041, 2130, "_KPRCB", "CoresPerPhysicalProcessor", MOVE_FROM_DATA, "10.0.19045.2965", 0 },
    { 19041, 2130, "_KPRCB", "LogicalProcessorsPerCore", MOVE_FROM_DATA, "10.0.19045.2965", 0 },
    { 19041, 3324, "_KTHREAD", "ResourceIndex", MOVE_OFFSET, NULL, 0x408 },
    { 22000, 1880, "_KPRCB", "CoresPerPhysicalProcessor", MOVE_UNKNOWN, NULL, 0 },
    { 22000, 1880, "_KPRCB", "LogicalProcessorsPerCore", MOVE_UNKNOWN, NULL, 0 },
    { 22000, 2003, "_KTHREAD", "ResourceIndex", MOVE_OFFSET, NULL, 0x408 },
};

/* Enumerations: every member, so the report can name any value the dump holds. A data enum
 * with a member missing here is an error too: the header would silently lack a value. */
static const char *const want_enum_kinds[] = {
    "_KTHREAD_STATE", "_KWAIT_REASON", "_KOBJECTS", "_MODE", "_KWAIT_BLOCK_STATE", "_NT_PRODUCT_TYPE",
};

typedef struct want_enum {
    const char *type;
    const char *name;
} want_enum;

static const want_enum want_enums[] = {
    { "_KTHREAD_STATE", "Initialized" },
    { "_KTHREAD_STATE", "Ready" },
    { "_KTHREAD_STATE", "Running" },
    { "_KTHREAD_STATE", "Standby" },
    { "_KTHREAD_STATE", "Terminated" },
    { "_KTHREAD_STATE", "Waiting" },
    { "_KTHREAD_STATE", "Transition" },
    { "_KTHREAD_STATE", "DeferredReady" },
    { "_KTHREAD_STATE", "GateWaitObsolete" },
    { "_KTHREAD_STATE", "WaitingForProcessInSwap" },

    { "_KWAIT_REASON", "Executive" },
    { "_KWAIT_REASON", "FreePage" },
    { "_KWAIT_REASON", "PageIn" },
    { "_KWAIT_REASON", "PoolAllocation" },
    { "_KWAIT_REASON", "DelayExecution" },
    { "_KWAIT_REASON", "Suspended" },
    { "_KWAIT_REASON", "UserRequest" },
    { "_KWAIT_REASON", "WrExecutive" },
    { "_KWAIT_REASON", "WrFreePage" },
    { "_KWAIT_REASON", "WrPageIn" },
    { "_KWAIT_REASON", "WrPoolAllocation" },
    { "_KWAIT_REASON", "WrDelayExecution" },
    { "_KWAIT_REASON", "WrSuspended" },
    { "_KWAIT_REASON", "WrUserRequest" },
    { "_KWAIT_REASON", "WrSpare0" },
    { "_KWAIT_REASON", "WrQueue" },
    { "_KWAIT_REASON", "WrLpcReceive" },
    { "_KWAIT_REASON", "WrLpcReply" },
    { "_KWAIT_REASON", "WrVirtualMemory" },
    { "_KWAIT_REASON", "WrPageOut" },
    { "_KWAIT_REASON", "WrRendezvous" },
    { "_KWAIT_REASON", "WrKeyedEvent" },
    { "_KWAIT_REASON", "WrTerminated" },
    { "_KWAIT_REASON", "WrProcessInSwap" },
    { "_KWAIT_REASON", "WrCpuRateControl" },
    { "_KWAIT_REASON", "WrCalloutStack" },
    { "_KWAIT_REASON", "WrKernel" },
    { "_KWAIT_REASON", "WrResource" },
    { "_KWAIT_REASON", "WrPushLock" },
    { "_KWAIT_REASON", "WrMutex" },
    { "_KWAIT_REASON", "WrQuantumEnd" },
    { "_KWAIT_REASON", "WrDispatchInt" },
    { "_KWAIT_REASON", "WrPreempted" },
    { "_KWAIT_REASON", "WrYieldExecution" },
    { "_KWAIT_REASON", "WrFastMutex" },
    { "_KWAIT_REASON", "WrGuardedMutex" },
    { "_KWAIT_REASON", "WrRundown" },
    { "_KWAIT_REASON", "WrAlertByThreadId" },
    { "_KWAIT_REASON", "WrDeferredPreempt" },
    { "_KWAIT_REASON", "WrPhysicalFault" },
    { "_KWAIT_REASON", "WrIoRing" },
    { "_KWAIT_REASON", "WrMdlCache" },
    { "_KWAIT_REASON", "WrRcu" },
    { "_KWAIT_REASON", "MaximumWaitReason" },

    { "_KOBJECTS", "EventNotificationObject" },
    { "_KOBJECTS", "EventSynchronizationObject" },
    { "_KOBJECTS", "MutantObject" },
    { "_KOBJECTS", "ProcessObject" },
    { "_KOBJECTS", "QueueObject" },
    { "_KOBJECTS", "SemaphoreObject" },
    { "_KOBJECTS", "ThreadObject" },
    { "_KOBJECTS", "GateObject" },
    { "_KOBJECTS", "TimerNotificationObject" },
    { "_KOBJECTS", "TimerSynchronizationObject" },
    { "_KOBJECTS", "Spare2Object" },
    { "_KOBJECTS", "Spare3Object" },
    { "_KOBJECTS", "Spare4Object" },
    { "_KOBJECTS", "Spare5Object" },
    { "_KOBJECTS", "Spare6Object" },
    { "_KOBJECTS", "Spare7Object" },
    { "_KOBJECTS", "Spare8Object" },
    { "_KOBJECTS", "ProfileCallbackObject" },
    { "_KOBJECTS", "ApcObject" },
    { "_KOBJECTS", "DpcObject" },
    { "_KOBJECTS", "DeviceQueueObject" },
    { "_KOBJECTS", "PriQueueObject" },
    { "_KOBJECTS", "InterruptObject" },
    { "_KOBJECTS", "ProfileObject" },
    { "_KOBJECTS", "Timer2NotificationObject" },
    { "_KOBJECTS", "Timer2SynchronizationObject" },
    { "_KOBJECTS", "ThreadedDpcObject" },
    { "_KOBJECTS", "MaximumKernelObject" },

    { "_MODE", "KernelMode" },
    { "_MODE", "UserMode" },
    { "_MODE", "MaximumMode" },

    { "_KWAIT_BLOCK_STATE", "WaitBlockBypassStart" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockBypassComplete" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockSuspendBypassStart" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockSuspendBypassComplete" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockActive" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockInactive" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockSuspended" },
    { "_KWAIT_BLOCK_STATE", "WaitBlockAllStates" },

    { "_NT_PRODUCT_TYPE", "NtProductWinNt" },
    { "_NT_PRODUCT_TYPE", "NtProductLanManNt" },
    { "_NT_PRODUCT_TYPE", "NtProductServer" },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define N_FIELDS COUNT_OF(want_fields)
#define N_STRUCTS COUNT_OF(want_structs)
#define N_KINDS COUNT_OF(want_enum_kinds)
#define N_ENUMS COUNT_OF(want_enums)
#define N_MOVES COUNT_OF(known_moves)

/* ------------------------------------------------------------------------------------------
 * Errors: every failure names the file and what was wrong, then exits 1.
 * ---------------------------------------------------------------------------------------- */

static _Noreturn void die(const char *file, const char *what)
{
    fprintf(stderr, "gen_profiles: %s: %s\n", file, what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("(memory)", "out of memory");
    return q;
}

/* ------------------------------------------------------------------------------------------
 * The parsed YAML of one build. Strings point into the file text (NUL-terminated in place).
 * ---------------------------------------------------------------------------------------- */

typedef struct ymember {
    const char *name;    /* "" when the item has no name line */
    size_t name_len;     /* without a ":WIDTH" bitfield suffix */
    unsigned bit_width;  /* 0 = not a bitfield */
    long id;             /* type of the member */
    long long offset;    /* byte offset; for enum members the value */
    int has_id, has_offset;
    int line;
} ymember;

typedef struct ytype {
    const char *name; /* NULL when the item has no name line (pointers, arrays, ...) */
    const char *kind;
    long id;
    long long size;
    int has_id, has_size, has_data;
    size_t first, count; /* members[first .. first+count) */
    int line;
} ytype;

typedef struct ydoc {
    const char *path;
    char *text;
    const char *version; /* "10.0.19041.264" */
    const char *arch;
    ytype *types;
    size_t ntypes, captypes;
    ymember *members;
    size_t nmembers, capmembers;
    long *by_id; /* id -> index into types, -1 when unused */
    long max_id;
} ydoc;

static char *read_whole_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (!f)
        die(path, "cannot open");
    for (;;) {
        size_t got;
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            buf = xrealloc(buf, cap + 1);
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die(path, "read error");
    fclose(f);
    buf[len] = '\0';
    if (strlen(buf) != len)
        die(path, "contains a NUL byte; not a YAML text file");
    return buf;
}

/* Parse state: the indentation of each level is learned from the first line at that level
 * and then enforced, so a file with a different shape fails instead of being misread. */
typedef struct yparser {
    ydoc *d;
    int line;
    int in_types, in_data;
    long cur_type;   /* index into d->types, -1 = none */
    long cur_member; /* index into d->members, -1 = none */
    int type_item_indent, type_key_indent, member_item_indent, member_key_indent;
} yparser;

static void parse_fail(const yparser *ps, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "line %d: %s", ps->line, what);
    die(ps->d->path, msg);
}

static int parse_long_long(const char *s, long long *out)
{
    char *end;
    long long v;
    if (*s == '\0')
        return -1;
    v = strtoll(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

static void new_type(yparser *ps)
{
    ydoc *d = ps->d;
    ytype *t;
    if (d->ntypes == d->captypes) {
        d->captypes = d->captypes ? d->captypes * 2 : 4096;
        d->types = xrealloc(d->types, d->captypes * sizeof *d->types);
    }
    t = &d->types[d->ntypes];
    memset(t, 0, sizeof *t);
    t->first = d->nmembers;
    t->line = ps->line;
    ps->cur_type = (long)d->ntypes++;
    ps->cur_member = -1;
    ps->in_data = 0;
}

static void new_member(yparser *ps)
{
    ydoc *d = ps->d;
    ymember *m;
    if (d->nmembers == d->capmembers) {
        d->capmembers = d->capmembers ? d->capmembers * 2 : 32768;
        d->members = xrealloc(d->members, d->capmembers * sizeof *d->members);
    }
    m = &d->members[d->nmembers];
    memset(m, 0, sizeof *m);
    m->name = "";
    m->line = ps->line;
    ps->cur_member = (long)d->nmembers++;
    d->types[ps->cur_type].count++;
}

/* "Terminated:1" -> name "Terminated", width 1. A suffix that is not all digits is kept as
 * part of the name, so an unusual name is never mistaken for a bitfield. */
static void split_bitfield(yparser *ps, ymember *m)
{
    const char *colon = strrchr(m->name, ':');
    const char *p;
    long long w;
    m->name_len = strlen(m->name);
    if (!colon || colon == m->name || colon[1] == '\0')
        return;
    for (p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return;
    if (parse_long_long(colon + 1, &w) != 0 || w < 1 || w > 64)
        parse_fail(ps, "bitfield width out of range 1..64");
    m->name_len = (size_t)(colon - m->name);
    m->bit_width = (unsigned)w;
}

static void set_type_key(yparser *ps, const char *key, const char *val)
{
    ytype *t = &ps->d->types[ps->cur_type];
    long long v;
    ps->cur_member = -1; /* a type key after members ends the member list */
    if (strcmp(key, "name") == 0) {
        t->name = val;
    } else if (strcmp(key, "kind") == 0) {
        t->kind = val;
    } else if (strcmp(key, "id") == 0) {
        if (parse_long_long(val, &v) != 0 || v < 0 || v > 100000000)
            parse_fail(ps, "bad type id");
        t->id = (long)v;
        t->has_id = 1;
    } else if (strcmp(key, "sizeof") == 0) {
        if (parse_long_long(val, &v) != 0 || v < 0)
            parse_fail(ps, "bad sizeof");
        t->size = v;
        t->has_size = 1;
    } else if (strcmp(key, "data") == 0) {
        if (*val != '\0')
            parse_fail(ps, "data: must start a sequence");
        if (t->has_data)
            parse_fail(ps, "second data: in one type");
        t->has_data = 1;
        ps->in_data = 1;
    }
    /* isConst, isVolatile and future keys do not affect layout. */
}

static void set_member_key(yparser *ps, const char *key, const char *val)
{
    ymember *m = &ps->d->members[ps->cur_member];
    long long v;
    if (strcmp(key, "name") == 0) {
        m->name = val;
        split_bitfield(ps, m);
    } else if (strcmp(key, "id") == 0) {
        if (parse_long_long(val, &v) != 0 || v < 0 || v > 100000000)
            parse_fail(ps, "bad member id");
        m->id = (long)v;
        m->has_id = 1;
    } else if (strcmp(key, "offset") == 0) {
        if (parse_long_long(val, &v) != 0)
            parse_fail(ps, "bad member offset");
        m->offset = v;
        m->has_offset = 1;
    }
}

static char *unquote(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && ((v[0] == '\'' && v[n - 1] == '\'') || (v[0] == '"' && v[n - 1] == '"'))) {
        v[n - 1] = '\0';
        return v + 1;
    }
    return v;
}

/* One "key: value" at column `indent`; decides by column which object it belongs to. */
static void on_key(yparser *ps, char *s, int indent)
{
    char *colon = strchr(s, ':');
    char *val;
    if (!colon)
        parse_fail(ps, "expected 'key: value'");
    *colon = '\0';
    val = colon + 1;
    while (*val == ' ')
        val++;
    val = unquote(val);

    if (indent == 0) {
        ps->cur_type = -1;
        ps->cur_member = -1;
        ps->in_data = 0;
        ps->in_types = strcmp(s, "types") == 0;
        if (strcmp(s, "buildnumber") == 0)
            ps->d->version = val;
        else if (strcmp(s, "arch") == 0)
            ps->d->arch = val;
        return;
    }
    if (ps->cur_type < 0)
        parse_fail(ps, "indented key outside a type item");
    if (ps->type_key_indent < 0 && ps->cur_member < 0 && indent > ps->type_item_indent)
        ps->type_key_indent = indent;
    if (indent == ps->type_key_indent) {
        set_type_key(ps, s, val);
        return;
    }
    if (ps->cur_member >= 0) {
        if (ps->member_key_indent < 0 && indent > ps->member_item_indent)
            ps->member_key_indent = indent;
        if (indent == ps->member_key_indent) {
            set_member_key(ps, s, val);
            return;
        }
    }
    parse_fail(ps, "unexpected indentation");
}

/* A "-" line starts a type item (under types:) or a member item (under a type's data:). */
static void on_item(yparser *ps, char *s, int indent)
{
    char *rest = s + 1;
    while (*rest == ' ')
        rest++;
    if (!ps->in_types)
        parse_fail(ps, "sequence item outside 'types:'");
    if (ps->type_item_indent < 0)
        ps->type_item_indent = indent;
    if (indent == ps->type_item_indent) {
        new_type(ps);
    } else if (ps->cur_type >= 0 && ps->in_data && indent > ps->type_item_indent &&
               (ps->member_item_indent < 0 || indent == ps->member_item_indent)) {
        ps->member_item_indent = indent;
        new_member(ps);
    } else {
        parse_fail(ps, "unexpected '-' item");
    }
    if (*rest)
        on_key(ps, rest, (int)(rest - s) + indent);
}

static void parse_yaml(ydoc *d)
{
    yparser ps;
    char *p = d->text;
    memset(&ps, 0, sizeof ps);
    ps.d = d;
    ps.cur_type = ps.cur_member = -1;
    ps.type_item_indent = ps.type_key_indent = -1;
    ps.member_item_indent = ps.member_key_indent = -1;
    while (*p) {
        char *line = p, *nl = strchr(p, '\n'), *s, *end;
        int indent;
        if (nl) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p += strlen(p);
        }
        ps.line++;
        end = line + strlen(line);
        while (end > line && (end[-1] == '\r' || end[-1] == ' '))
            *--end = '\0';
        for (s = line; *s == ' '; s++)
            ;
        indent = (int)(s - line);
        if (*s == '\0' || *s == '#')
            continue;
        if (*s == '\t')
            parse_fail(&ps, "tab in indentation");
        if (s[0] == '-' && (s[1] == '\0' || s[1] == ' '))
            on_item(&ps, s, indent);
        else
            on_key(&ps, s, indent);
    }
}

/* Every item must be complete before anything is resolved through it. */
static void index_types(ydoc *d)
{
    size_t i;
    char msg[256];
    d->max_id = 0;
    for (i = 0; i < d->ntypes; i++) {
        const ytype *t = &d->types[i];
        if (!t->has_id || !t->kind || !t->has_size) {
            snprintf(msg, sizeof msg, "line %d: type item without id, kind or sizeof", t->line);
            die(d->path, msg);
        }
        if (t->id > d->max_id)
            d->max_id = t->id;
    }
    for (i = 0; i < d->nmembers; i++) {
        const ymember *m = &d->members[i];
        if (!m->has_id || !m->has_offset) {
            snprintf(msg, sizeof msg, "line %d: member item without id or offset", m->line);
            die(d->path, msg);
        }
    }
    d->by_id = xrealloc(NULL, (size_t)(d->max_id + 1) * sizeof *d->by_id);
    for (i = 0; i <= (size_t)d->max_id; i++)
        d->by_id[i] = -1;
    for (i = 0; i < d->ntypes; i++) {
        long id = d->types[i].id;
        if (d->by_id[id] >= 0) {
            snprintf(msg, sizeof msg, "line %d: type id %ld used twice", d->types[i].line, id);
            die(d->path, msg);
        }
        d->by_id[id] = (long)i;
    }
}

static const ytype *type_by_id(const ydoc *d, long id, int line)
{
    char msg[128];
    if (id < 0 || id > d->max_id || d->by_id[id] < 0) {
        snprintf(msg, sizeof msg, "line %d: member refers to unknown type id %ld", line, id);
        die(d->path, msg);
    }
    return &d->types[d->by_id[id]];
}

static int is_aggregate(const ytype *t)
{
    return strcmp(t->kind, "STRUCT") == 0 || strcmp(t->kind, "UNION") == 0;
}

/* A name may occur several times (const/volatile copies; _KPCR once without Prcb at 0x178
 * bytes and once with it at 0xB080; _KPRCB at 0x700 and 0xAF00). Take the largest entry,
 * then the one with most members, then the first: the complete definition, deterministically.
 * Nested members never go through names, only through ids. */
static const ytype *find_named(const ydoc *d, const char *name, int is_enum)
{
    const ytype *best = NULL;
    size_t i;
    for (i = 0; i < d->ntypes; i++) {
        const ytype *t = &d->types[i];
        int kind_ok = is_enum ? strcmp(t->kind, "ENUM") == 0 : is_aggregate(t);
        if (!t->name || !kind_ok || strcmp(t->name, name) != 0)
            continue;
        if (!best || t->size > best->size || (t->size == best->size && t->count > best->count))
            best = t;
    }
    return best;
}

/* Bit position of bitfield member k of type t. The data stores only widths, so positions are
 * rebuilt the way the compiler (MSVC) allocates them: consecutive bitfields share a storage
 * unit while they sit at the same offset in a unit of the same size and still fit; a plain
 * member, a different offset or unit size, or overflow starts a new unit at bit 0. Overflow
 * is how the flattened data shows alternative bit views of one unit inside a union
 * (_KMUTANT.MutantFlags: Abandoned/Spare1, then Abandoned2/AbEnabled/Spare2 from bit 0).
 * Different type ids of equal size continue a unit (UCHAR vs volatile UCHAR in
 * _DISPATCHER_HEADER byte 3, _ETHREAD.SameThreadApcFlags). */
static unsigned bit_position(const ydoc *d, const ytype *t, size_t k)
{
    unsigned pos = 0;
    long long run_off = -1, run_size = 0;
    size_t i;
    for (i = t->first; i <= k; i++) {
        const ymember *m = &d->members[i];
        long long usize;
        if (m->bit_width == 0) {
            run_off = -1;
            pos = 0;
            continue;
        }
        usize = type_by_id(d, m->id, m->line)->size;
        if (m->offset != run_off || usize != run_size || pos + m->bit_width > usize * 8) {
            run_off = m->offset;
            run_size = usize;
            pos = 0;
        }
        if (i == k)
            return pos;
        pos += m->bit_width;
    }
    return 0; /* not reached: k is within t's members */
}

/* Member of t named name[0..len). Flattened unions could repeat a name; identical repeats
 * are harmless, different ones make the path ambiguous and stop the generator. */
static long find_member(const ydoc *d, const ytype *t, const char *name, size_t len, int *ambiguous)
{
    long found = -1;
    size_t i;
    *ambiguous = 0;
    for (i = t->first; i < t->first + t->count; i++) {
        const ymember *m = &d->members[i];
        if (m->name_len != len || strncmp(m->name, name, len) != 0)
            continue;
        if (found < 0) {
            found = (long)i;
        } else {
            const ymember *f = &d->members[found];
            if (f->offset != m->offset || f->id != m->id || f->bit_width != m->bit_width)
                *ambiguous = 1;
        }
    }
    return found;
}

/* Where one wanted field lives in one build. */
typedef struct field_loc {
    int present;
    unsigned long long offset, size;
    unsigned bit_pos, bit_width;
} field_loc;

/* Resolve "A.B.C" below top-level type t. Returns NULL on success, else what went wrong. */
static const char *resolve_path(const ydoc *d, const ytype *t, const char *path, field_loc *out,
                                char *why, size_t whylen)
{
    const char *comp = path;
    unsigned long long off = 0;
    for (;;) {
        const char *dot = strchr(comp, '.');
        size_t len = dot ? (size_t)(dot - comp) : strlen(comp);
        int ambiguous;
        long k = find_member(d, t, comp, len, &ambiguous);
        const ymember *m;
        const ytype *mt;
        if (k < 0) {
            snprintf(why, whylen, "no member '%.*s' in %s", (int)len, comp, t->name ? t->name : "(unnamed)");
            return why;
        }
        if (ambiguous) {
            snprintf(why, whylen, "member '%.*s' occurs with different layouts in %s", (int)len, comp,
                     t->name ? t->name : "(unnamed)");
            return why;
        }
        m = &d->members[k];
        mt = type_by_id(d, m->id, m->line);
        if (m->offset < 0) {
            snprintf(why, whylen, "member '%.*s' has a negative offset", (int)len, comp);
            return why;
        }
        off += (unsigned long long)m->offset;
        if (!dot) {
            out->present = 1;
            out->offset = off;
            out->size = (unsigned long long)mt->size;
            out->bit_width = m->bit_width;
            out->bit_pos = m->bit_width ? bit_position(d, t, (size_t)k) : 0;
            return NULL;
        }
        if (m->bit_width || !is_aggregate(mt)) {
            snprintf(why, whylen, "member '%.*s' is not an embedded struct or union", (int)len, comp);
            return why;
        }
        t = mt;
        comp = dot + 1;
    }
}

/* ------------------------------------------------------------------------------------------
 * One build's results.
 * ---------------------------------------------------------------------------------------- */

typedef struct profile {
    char base[256];   /* file basename, for the header comment */
    char version[64]; /* "10.0.19041.264" */
    unsigned long build;    /* the release build of the data file: 19045 */
    unsigned long kernel;   /* the kernel file build it runs: 19041 */
    unsigned long revision; /* the update level: 2965 */
    int dup_fields, dup_sizes, dup_enums; /* index of an earlier profile with equal rows, or -1 */
    field_loc fields[N_FIELDS];
    unsigned long long sizes[N_STRUCTS];
    long long enums[N_ENUMS];
} profile;

static const char *basename_of(const char *path)
{
    const char *b = path, *p;
    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

/* "10.0.19041.264" -> 19041 (and *revision 264); anything else is not a kernel build string. */
static unsigned long build_of(const ydoc *d, unsigned long *revision)
{
    unsigned long part[4];
    const char *s = d->version;
    char *end;
    int i;
    if (!s)
        die(d->path, "no 'buildnumber:' line");
    for (i = 0; i < 4; i++) {
        if (*s < '0' || *s > '9')
            break;
        part[i] = strtoul(s, &end, 10);
        s = end;
        if (i < 3 && *s++ != '.')
            break;
    }
    if (i != 4 || *s != '\0' || part[2] == 0 || part[2] > 0xFFFFFFFFUL)
        die(d->path, "buildnumber is not of the form MAJOR.MINOR.BUILD.REVISION");
    if (part[3] > 0xFFFFUL)
        die(d->path, "revision does not fit 16 bits");
    *revision = part[3];
    return part[2];
}

static unsigned long kernel_build_of(unsigned long release)
{
    size_t i;
    for (i = 0; i < COUNT_OF(build_aliases); i++)
        if (build_aliases[i].release == release)
            return build_aliases[i].kernel;
    return release;
}

static void resolve_fields(const ydoc *d, profile *pr)
{
    char why[256], msg[512];
    size_t i;
    for (i = 0; i < N_FIELDS; i++) {
        const want_field *w = &want_fields[i];
        const ytype *t = find_named(d, w->type, 0);
        const char *err;
        field_loc *loc = &pr->fields[i];
        memset(loc, 0, sizeof *loc);
        if (!t) {
            snprintf(why, sizeof why, "no struct or union named %s", w->type);
            err = why;
        } else {
            err = resolve_path(d, t, w->path, loc, why, sizeof why);
        }
        if (err && (w->flags & OPT)) {
            memset(loc, 0, sizeof *loc); /* optional: recorded as absent */
            continue;
        }
        if (err) {
            snprintf(msg, sizeof msg, "wanted field %s.%s: %s", w->type, w->path, err);
            die(d->path, msg);
        }
        /* The table stores offset as 32 bits and size as 16 bits; say so rather than truncate. */
        if (loc->offset > 0xFFFFFFFFULL || loc->size > 0xFFFFULL || loc->bit_pos + loc->bit_width > loc->size * 8) {
            snprintf(msg, sizeof msg, "wanted field %s.%s: offset/size/bits do not fit the table", w->type,
                     w->path);
            die(d->path, msg);
        }
    }
}

static void resolve_structs(const ydoc *d, profile *pr)
{
    char msg[256];
    size_t i;
    for (i = 0; i < N_STRUCTS; i++) {
        const ytype *t = find_named(d, want_structs[i], 0);
        size_t k;
        for (k = 0; !t && k < COUNT_OF(optional_structs); k++)
            if (strcmp(optional_structs[k], want_structs[i]) == 0)
                break;
        if (!t && k < COUNT_OF(optional_structs)) {
            pr->sizes[i] = 0; /* this build has no such struct */
            continue;
        }
        if (!t) {
            snprintf(msg, sizeof msg, "wanted struct %s: not in the data", want_structs[i]);
            die(d->path, msg);
        }
        if (t->size <= 0 || t->size > 0xFFFFFFFFLL) {
            snprintf(msg, sizeof msg, "wanted struct %s: size out of range", want_structs[i]);
            die(d->path, msg);
        }
        pr->sizes[i] = (unsigned long long)t->size;
    }
}

static int is_wanted_enum_member(const char *type, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < N_ENUMS; i++)
        if (strcmp(want_enums[i].type, type) == 0 && strlen(want_enums[i].name) == len &&
            strncmp(want_enums[i].name, name, len) == 0)
            return 1;
    return 0;
}

static void resolve_enums(const ydoc *d, profile *pr)
{
    char msg[256];
    size_t i, j;
    for (i = 0; i < N_KINDS; i++) {
        const ytype *t = find_named(d, want_enum_kinds[i], 1);
        if (!t) {
            snprintf(msg, sizeof msg, "wanted enum %s: not in the data", want_enum_kinds[i]);
            die(d->path, msg);
        }
        for (j = t->first; j < t->first + t->count; j++) {
            const ymember *m = &d->members[j];
            if (!is_wanted_enum_member(want_enum_kinds[i], m->name, m->name_len)) {
                snprintf(msg, sizeof msg, "enum %s has member %.*s that gen_profiles does not list",
                         want_enum_kinds[i], (int)m->name_len, m->name);
                die(d->path, msg);
            }
        }
    }
    for (i = 0; i < N_ENUMS; i++) {
        const ytype *t = find_named(d, want_enums[i].type, 1);
        int ambiguous;
        long k = find_member(d, t, want_enums[i].name, strlen(want_enums[i].name), &ambiguous);
        if (k < 0 && !ambiguous) {
            pr->enums[i] = -2147483647LL - 1; /* not in this build: NT_ENUM_INVALID */
            continue;
        }
        if (k < 0 || ambiguous) {
            snprintf(msg, sizeof msg, "wanted enum value %s.%s: %s", want_enums[i].type, want_enums[i].name,
                     k < 0 ? "not in the data" : "defined twice");
            die(d->path, msg);
        }
        if (d->members[k].offset < -2147483647LL - 1 || d->members[k].offset > 2147483647LL) {
            snprintf(msg, sizeof msg, "enum value %s.%s does not fit 32 bits", want_enums[i].type,
                     want_enums[i].name);
            die(d->path, msg);
        }
        pr->enums[i] = d->members[k].offset;
    }
}

static void load_profile(const char *path, profile *pr)
{
    ydoc d;
    const char *base = basename_of(path);
    memset(&d, 0, sizeof d);
    memset(pr, 0, sizeof *pr);
    d.path = path;
    d.text = read_whole_file(path);
    parse_yaml(&d);
    if (d.ntypes == 0)
        die(path, "no 'types:' items");
    if (!d.arch || strcmp(d.arch, "x64") != 0)
        die(path, "arch is not x64; the tables describe x64 kernels only");
    index_types(&d);
    pr->build = build_of(&d, &pr->revision);
    pr->kernel = kernel_build_of(pr->build);
    if (strlen(d.version) >= sizeof pr->version || strlen(base) >= sizeof pr->base)
        die(path, "build string or file name too long");
    strcpy(pr->version, d.version);
    strcpy(pr->base, base);
    resolve_fields(&d, pr);
    resolve_structs(&d, pr);
    resolve_enums(&d, pr);
    free(d.by_id);
    free(d.members);
    free(d.types);
    free(d.text);
}

/* ------------------------------------------------------------------------------------------
 * Output.
 * ---------------------------------------------------------------------------------------- */

/* Identifier part from a data name: "_KUSER_SHARED_DATA" -> "KUSER_SHARED_DATA",
 * "Cid.UniqueThread" -> "CID_UNIQUETHREAD". */
static void ident_part(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    if (*src == '_')
        src++;
    for (; *src; src++) {
        char c = *src;
        if (c == '.')
            c = '_';
        else if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            die("(wanted list)", "name does not make a C identifier");
        if (n + 1 >= cap)
            die("(wanted list)", "name too long");
        dst[n++] = c;
    }
    dst[n] = '\0';
}

static void field_id(char *dst, size_t cap, size_t i)
{
    char a[96], b[96];
    ident_part(a, sizeof a, want_fields[i].type);
    ident_part(b, sizeof b, want_fields[i].path);
    snprintf(dst, cap, "NT_F_%s_%s", a, b);
}

static void struct_id(char *dst, size_t cap, size_t i)
{
    char a[96];
    ident_part(a, sizeof a, want_structs[i]);
    snprintf(dst, cap, "NT_S_%s", a);
}

static void kind_id(char *dst, size_t cap, const char *kind)
{
    char a[96];
    ident_part(a, sizeof a, kind);
    snprintf(dst, cap, "NT_EK_%s", a);
}

static void enum_id(char *dst, size_t cap, size_t i)
{
    char a[96], b[96];
    ident_part(a, sizeof a, want_enums[i].type);
    ident_part(b, sizeof b, want_enums[i].name);
    snprintf(dst, cap, "NT_E_%s_%s", a, b);
}

/* Two wanted entries mapping to one id would make the header ambiguous. */
static void check_unique_ids(void)
{
    char a[256], b[256];
    size_t i, j;
    for (i = 0; i < N_FIELDS; i++)
        for (j = i + 1; j < N_FIELDS; j++) {
            field_id(a, sizeof a, i);
            field_id(b, sizeof b, j);
            if (strcmp(a, b) == 0)
                die("(wanted list)", a);
        }
    for (i = 0; i < N_ENUMS; i++)
        for (j = i + 1; j < N_ENUMS; j++) {
            enum_id(a, sizeof a, i);
            enum_id(b, sizeof b, j);
            if (strcmp(a, b) == 0)
                die("(wanted list)", a);
        }
    for (i = 0; i < N_ENUMS; i++) {
        for (j = 0; j < N_KINDS; j++)
            if (strcmp(want_enums[i].type, want_enum_kinds[j]) == 0)
                break;
        if (j == N_KINDS)
            die("(wanted list)", "enum member of a kind not in want_enum_kinds");
    }
}

static void emit_header_comment(FILE *out, profile *const *prs, size_t n)
{
    size_t i;
    fputs("/* SPDX-License-Identifier: MIT */\n", out);
    fprintf(out, "/* GENERATED FILE - DO NOT EDIT.\n");
    fprintf(out, " * Generated by gen_profiles (src/gen/gen_profiles.c) from:\n");
    for (i = 0; i < n; i++)
        fprintf(out, " *   %s\n", prs[i]->base);
    fprintf(out, " * Data: Vergilius Project kernels-data (github.com/VergiliusProject/kernels-data),\n");
    fprintf(out, " * MIT licence, see third_party/vergilius-kernels-data/LICENSE. Update-level moves: facts\n");
    fprintf(out, " * from ../shared/data/vergilius/README.md (JPCERTCC/Windows-Symbol-Tables, BSD-3-Clause).\n");
    fprintf(out, " * To change what is listed, edit the wanted lists in src/gen/gen_profiles.c and the\n");
    fprintf(out, " * id enums in src/nt/nt_profile.h, then regenerate:\n");
    fprintf(out, " *   gen_profiles src/nt/nt_profile_table.c YML...\n");
    fprintf(out, " * with the x64 .yml files of ../shared/data/vergilius sorted by name (the ctest\n");
    fprintf(out, " * gen_profiles_matches_shared does exactly this and fails when this file is stale).\n");
    fprintf(out, " */\n");
    fprintf(out, "#include \"nt_profile.h\"\n\n");
}

/* The id enums in nt_profile.h are hand-written: these checks make any drift a build error. */
static void emit_id_checks(FILE *out)
{
    char id[256];
    size_t i;
    fprintf(out, "/* nt_profile.h must list the ids in gen_profiles' order. */\n");
    fprintf(out, "_Static_assert(NT_F__COUNT == %u, \"nt_profile.h: field id count differs from gen_profiles\");\n",
            (unsigned)N_FIELDS);
    fprintf(out, "_Static_assert(NT_S__COUNT == %u, \"nt_profile.h: struct id count differs from gen_profiles\");\n",
            (unsigned)N_STRUCTS);
    fprintf(out, "_Static_assert(NT_EK__COUNT == %u, \"nt_profile.h: enum kind count differs from gen_profiles\");\n",
            (unsigned)N_KINDS);
    fprintf(out, "_Static_assert(NT_E__COUNT == %u, \"nt_profile.h: enum id count differs from gen_profiles\");\n",
            (unsigned)N_ENUMS);
    fprintf(out, "_Static_assert(offsetof(nt_field, offset) == 0 && offsetof(nt_field, size) == 4 &&\n"
                 "               offsetof(nt_field, bit_pos) == 6 && offsetof(nt_field, bit_width) == 7 &&\n"
                 "               offsetof(nt_field, present) == 8,\n"
                 "               \"nt_field member order differs from the initialisers below\");\n");
    for (i = 0; i < N_FIELDS; i++) {
        field_id(id, sizeof id, i);
        fprintf(out, "_Static_assert(%s == %u, \"nt_profile.h: %s out of order\");\n", id, (unsigned)i, id);
    }
    for (i = 0; i < N_STRUCTS; i++) {
        struct_id(id, sizeof id, i);
        fprintf(out, "_Static_assert(%s == %u, \"nt_profile.h: %s out of order\");\n", id, (unsigned)i, id);
    }
    for (i = 0; i < N_KINDS; i++) {
        kind_id(id, sizeof id, want_enum_kinds[i]);
        fprintf(out, "_Static_assert(%s == %u, \"nt_profile.h: %s out of order\");\n", id, (unsigned)i, id);
    }
    for (i = 0; i < N_ENUMS; i++) {
        enum_id(id, sizeof id, i);
        fprintf(out, "_Static_assert(%s == %u, \"nt_profile.h: %s out of order\");\n", id, (unsigned)i, id);
    }
    fprintf(out, "\n");
}

/* Build-independent tables: names for messages, optional flags, enum kinds. */
static void emit_name_tables(FILE *out)
{
    char id[256];
    size_t i;
    fprintf(out, "const char *const nt_field_names[NT_F__COUNT] = {\n");
    for (i = 0; i < N_FIELDS; i++) {
        field_id(id, sizeof id, i);
        fprintf(out, "    [%s] = \"%s.%s\",\n", id, want_fields[i].type, want_fields[i].path);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "/* 1 = may be absent in a build (the model must cope); 0 = present in every profile. */\n");
    fprintf(out, "const uint8_t nt_field_optional[NT_F__COUNT] = {\n");
    for (i = 0; i < N_FIELDS; i++) {
        field_id(id, sizeof id, i);
        fprintf(out, "    [%s] = %d,\n", id, (want_fields[i].flags & OPT) ? 1 : 0);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const char *const nt_struct_names[NT_S__COUNT] = {\n");
    for (i = 0; i < N_STRUCTS; i++) {
        struct_id(id, sizeof id, i);
        fprintf(out, "    [%s] = \"%s\",\n", id, want_structs[i]);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const char *const nt_enum_kind_names[NT_EK__COUNT] = {\n");
    for (i = 0; i < N_KINDS; i++) {
        kind_id(id, sizeof id, want_enum_kinds[i]);
        fprintf(out, "    [%s] = \"%s\",\n", id, want_enum_kinds[i]);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const char *const nt_enum_names[NT_E__COUNT] = {\n");
    for (i = 0; i < N_ENUMS; i++) {
        enum_id(id, sizeof id, i);
        fprintf(out, "    [%s] = \"%s\",\n", id, want_enums[i].name);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const uint8_t nt_enum_kind_of[NT_E__COUNT] = {\n");
    for (i = 0; i < N_ENUMS; i++) {
        char kid[256];
        enum_id(id, sizeof id, i);
        kind_id(kid, sizeof kid, want_enums[i].type);
        fprintf(out, "    [%s] = %s,\n", id, kid);
    }
    fprintf(out, "};\n\n");
}

/* Array names carry the first data file that has those rows: fields_19041_264. */
static void emit_profile(FILE *out, const profile *pr)
{
    char id[256];
    size_t i;
    if (pr->dup_fields < 0) {
    fprintf(out, "/* %s */\n", pr->version);
    fprintf(out, "static const nt_field fields_%lu_%lu[NT_F__COUNT] = {\n", pr->build, pr->revision);
    fprintf(out, "    /*                                   offset  size  bit  width  present */\n");
    for (i = 0; i < N_FIELDS; i++) {
        const field_loc *f = &pr->fields[i];
        field_id(id, sizeof id, i);
        /* Ranges were checked in resolve_fields, so unsigned long holds them on every host
         * (and no "ll" printf format is needed, which old Windows C runtimes lack). */
        if (f->present)
            fprintf(out, "    [%s] = { 0x%lx, %lu, %u, %u, 1 },\n", id, (unsigned long)f->offset,
                    (unsigned long)f->size, f->bit_pos, f->bit_width);
        else
            fprintf(out, "    [%s] = { 0, 0, 0, 0, 0 }, /* absent */\n", id);
    }
    fprintf(out, "};\n\n");
    }
    if (pr->dup_sizes < 0) {
    fprintf(out, "static const uint32_t struct_sizes_%lu_%lu[NT_S__COUNT] = {\n", pr->build, pr->revision);
    for (i = 0; i < N_STRUCTS; i++) {
        struct_id(id, sizeof id, i);
        fprintf(out, "    [%s] = 0x%lx,\n", id, (unsigned long)pr->sizes[i]);
    }
    fprintf(out, "};\n\n");
    }
    if (pr->dup_enums >= 0)
        return;
    fprintf(out, "static const int32_t enum_values_%lu_%lu[NT_E__COUNT] = {\n", pr->build, pr->revision);
    for (i = 0; i < N_ENUMS; i++) {
        enum_id(id, sizeof id, i);
        /* INT32_MIN cannot be written as a plain literal; every other value can. */
        if (pr->enums[i] == -2147483647LL - 1)
            fprintf(out, "    [%s] = INT32_MIN,\n", id);
        else
            fprintf(out, "    [%s] = %ld,\n", id, (long)pr->enums[i]);
    }
    fprintf(out, "};\n\n");
}

static const profile *row_owner(profile *const *prs, size_t i, int dup)
{
    return dup >= 0 ? prs[dup] : prs[i];
}

static long field_index(const char *type, const char *path)
{
    size_t i;
    for (i = 0; i < N_FIELDS; i++)
        if (strcmp(want_fields[i].type, type) == 0 && strcmp(want_fields[i].path, path) == 0)
            return (long)i;
    return -1;
}

static long struct_index(const char *type)
{
    size_t i;
    for (i = 0; i < N_STRUCTS; i++)
        if (strcmp(want_structs[i], type) == 0)
            return (long)i;
    return -1;
}

static void emit_moves(FILE *out, profile *const *prs, size_t n)
{
    char id[256];
    size_t i, j, count = 0;
    fprintf(out, "/* Update-level moves inside a kernel file build (see gen_profiles.c known_moves). Before\n"
                 " * from_rev a moved item has the layout of the build's earliest profile. */\n");
    fprintf(out, "const nt_update_move nt_update_moves[] = {\n");
    for (i = 0; i < N_MOVES; i++) {
        const known_move *mv = &known_moves[i];
        const profile *first = NULL, *src = NULL;
        for (j = 0; j < n; j++) {
            if (prs[j]->kernel == mv->kernel && (!first || prs[j]->revision < first->revision))
                first = prs[j];
            if (mv->from_data && strcmp(prs[j]->version, mv->from_data) == 0)
                src = prs[j];
        }
        if (!first)
            continue; /* no data for that kernel build: nothing to adjust */
        if (first->revision >= mv->from_rev)
            die(first->base, "earliest data file of a build is not older than a known move");
        if (mv->path) {
            long k = field_index(mv->type, mv->path);
            if (k < 0)
                die("(known_moves)", "moved field is not in want_fields");
            field_id(id, sizeof id, (size_t)k);
            if (mv->how == MOVE_FROM_DATA) {
                const field_loc *f;
                if (!src)
                    die("(known_moves)", "move names a data file that was not given");
                f = &src->fields[k];
                fprintf(out, "    { %lu, %lu, 0, %s, { 0x%lx, %lu, %u, %u, %d } },\n", mv->kernel, mv->from_rev, id,
                        (unsigned long)f->offset, (unsigned long)f->size, f->bit_pos, f->bit_width, f->present);
            } else if (mv->how == MOVE_OFFSET) {
                const field_loc *f = &first->fields[k];
                fprintf(out, "    { %lu, %lu, 0, %s, { 0x%lx, %lu, %u, %u, 1 } },\n", mv->kernel, mv->from_rev, id,
                        mv->value, (unsigned long)f->size, f->bit_pos, f->bit_width);
            } else {
                fprintf(out, "    { %lu, %lu, 0, %s, { 0, 0, 0, 0, 0 } }, /* unknown */\n", mv->kernel, mv->from_rev, id);
            }
        } else {
            long k = struct_index(mv->type);
            if (k < 0 || mv->how != MOVE_SIZE)
                die("(known_moves)", "moved struct size is not in want_structs");
            struct_id(id, sizeof id, (size_t)k);
            fprintf(out, "    { %lu, %lu, 1, %s, { 0x%lx, 0, 0, 0, 1 } }, /* size */\n", mv->kernel, mv->from_rev, id,
                    mv->value);
        }
        count++;
    }
    if (!count)
        fprintf(out, "    { 0, 0, 0, 0, { 0, 0, 0, 0, 0 } },\n");
    fprintf(out, "};\n\n");
    fprintf(out, "const size_t nt_update_move_count = %lu;\n\n", (unsigned long)count);
}

static void emit_profile_list(FILE *out, profile *const *prs, size_t n)
{
    size_t i;
    fprintf(out, "/* Release builds whose kernel file has another build number. */\n");
    fprintf(out, "const nt_build_alias nt_build_aliases[] = {\n");
    for (i = 0; i < COUNT_OF(build_aliases); i++)
        fprintf(out, "    { %lu, %lu },\n", build_aliases[i].release, build_aliases[i].kernel);
    fprintf(out, "};\n\n");
    fprintf(out, "const size_t nt_build_alias_count = %lu;\n\n", (unsigned long)COUNT_OF(build_aliases));
    emit_moves(out, prs, n);
    fprintf(out, "/* One per data file, sorted by release build and update level; rows shared where equal. */\n");
    fprintf(out, "const nt_profile nt_profile_table[] = {\n");
    for (i = 0; i < n; i++) {
        const profile *f = row_owner(prs, i, prs[i]->dup_fields), *z = row_owner(prs, i, prs[i]->dup_sizes),
                      *e = row_owner(prs, i, prs[i]->dup_enums);
        fprintf(out, "    { %lu, %lu, %lu, \"%s\", fields_%lu_%lu, struct_sizes_%lu_%lu, enum_values_%lu_%lu },\n",
                prs[i]->build, prs[i]->kernel, prs[i]->revision, prs[i]->version, f->build, f->revision, z->build,
                z->revision, e->build, e->revision);
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const size_t nt_profile_table_count = sizeof nt_profile_table / sizeof nt_profile_table[0];\n");
}

static int same_fields(const profile *a, const profile *b)
{
    size_t i;
    for (i = 0; i < N_FIELDS; i++) {
        const field_loc *x = &a->fields[i], *y = &b->fields[i];
        if (x->present != y->present || x->offset != y->offset || x->size != y->size || x->bit_pos != y->bit_pos ||
            x->bit_width != y->bit_width)
            return 0;
    }
    return 1;
}

/* Equal rows are emitted once and shared: most builds differ from a neighbour in a few rows. */
static void find_duplicates(profile **prs, size_t n)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        prs[i]->dup_fields = prs[i]->dup_sizes = prs[i]->dup_enums = -1;
        for (j = 0; j < i; j++) {
            if (prs[i]->dup_fields < 0 && prs[j]->dup_fields < 0 && same_fields(prs[i], prs[j]))
                prs[i]->dup_fields = (int)j;
            if (prs[i]->dup_sizes < 0 && prs[j]->dup_sizes < 0 &&
                memcmp(prs[i]->sizes, prs[j]->sizes, sizeof prs[i]->sizes) == 0)
                prs[i]->dup_sizes = (int)j;
            if (prs[i]->dup_enums < 0 && prs[j]->dup_enums < 0 &&
                memcmp(prs[i]->enums, prs[j]->enums, sizeof prs[i]->enums) == 0)
                prs[i]->dup_enums = (int)j;
        }
    }
}

static void write_output(const char *path, profile *const *prs, size_t n)
{
    FILE *out = fopen(path, "wb"); /* "b": the same bytes (LF) on every host */
    size_t i;
    if (!out)
        die(path, "cannot create");
    emit_header_comment(out, prs, n);
    emit_id_checks(out);
    emit_name_tables(out);
    for (i = 0; i < n; i++)
        emit_profile(out, prs[i]);
    emit_profile_list(out, prs, n);
    if (ferror(out) || fclose(out) != 0) {
        remove(path);
        die(path, "write error");
    }
}

/* Profiles are emitted by build number whatever the argument order, so output depends only
 * on the data. One build may appear once: two files for one build would make the choice
 * of profile arbitrary. */
static void sort_profiles(profile **prs, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++) {
        profile *p = prs[i];
        for (j = i; j > 0 && (prs[j - 1]->build > p->build ||
                              (prs[j - 1]->build == p->build && prs[j - 1]->revision > p->revision));
             j--)
            prs[j] = prs[j - 1];
        prs[j] = p;
    }
    for (i = 1; i < n; i++)
        if (prs[i]->build == prs[i - 1]->build && prs[i]->revision == prs[i - 1]->revision) {
            char msg[640];
            snprintf(msg, sizeof msg, "build %lu given twice (%s and %s)", prs[i]->build, prs[i - 1]->base,
                     prs[i]->base);
            die("(arguments)", msg);
        }
}

/* Whether path names a C source (the only thing a generator may write). */
static int ends_with_c(const char *path)
{
    size_t n = strlen(path);
    return n > 2 && path[n - 2] == '.' && path[n - 1] == 'c';
}

int main(int argc, char **argv)
{
    profile **prs;
    size_t n, i;
    if (argc < 3) {
        fprintf(stderr, "usage: gen_profiles OUT.c KERNEL-TYPES.yml...\n");
        return 2;
    }
    /* The output comes first: a data file given there would be overwritten. */
    if (!ends_with_c(argv[1])) {
        fprintf(stderr, "%s: the first argument is the OUTPUT .c file, not '%s'\n", argv[0], argv[1]);
        return 2;
    }
    check_unique_ids();
    n = (size_t)(argc - 2);
    prs = xrealloc(NULL, n * sizeof *prs);
    for (i = 0; i < n; i++) {
        prs[i] = xrealloc(NULL, sizeof **prs);
        load_profile(argv[i + 2], prs[i]);
    }
    sort_profiles(prs, n);
    find_duplicates(prs, n);
    write_output(argv[1], prs, n);
    for (i = 0; i < n; i++)
        free(prs[i]);
    free(prs);
    return 0;
}

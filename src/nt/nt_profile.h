/* SPDX-License-Identifier: MIT */
/* Offset profiles: where the kernel fields the model reads live in each supported Windows
 * build, plus struct sizes and enum values. The numbers come from PDB-derived type data and
 * are generated into nt_profile_table.c by src/gen/gen_profiles.c; nothing here is guessed.
 *
 * Supported: every x64 Windows 10 and 11 kernel in the data (10240 .. 26100), one profile per
 * data file. nt_profile_choose picks one by the header's build (its kernel file build) and
 * the kernel's update level, applying the moves known between cumulative updates; any other
 * build gets no profile, and the report must say so rather than fall back to another build.
 *
 * Self-contained on purpose (only <stddef.h>/<stdint.h>): the test fixture generator includes
 * it to lay out synthetic kernel structures from the same data the reader uses.
 *
 * The id enums below are hand-written in the order of the generator's wanted lists; the
 * generated table asserts every id's value, so adding a field means editing both files.
 * Ids name the data: NT_F_<STRUCT>_<MEMBER PATH>, e.g. NT_F_ETHREAD_CID_UNIQUETHREAD is
 * _ETHREAD.Cid.UniqueThread, an offset from the start of the _ETHREAD.
 */
#ifndef DI_NT_PROFILE_H
#define DI_NT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/* Fields. Offsets are from the start of the named top-level struct (nested paths already
 * summed). Bitfields give the storage unit in offset/size and the bits in bit_pos/bit_width. */
typedef enum nt_field_id {
    /* _KTHREAD (at offset 0 of _ETHREAD) */
    NT_F_KTHREAD_HEADER,
    NT_F_KTHREAD_HEADER_TYPE,
    NT_F_KTHREAD_INITIALSTACK,
    NT_F_KTHREAD_STACKLIMIT,
    NT_F_KTHREAD_STACKBASE,
    NT_F_KTHREAD_KERNELSTACK,
    NT_F_KTHREAD_MISCFLAGS,
    NT_F_KTHREAD_AUTOBOOSTACTIVE,
    NT_F_KTHREAD_ALERTABLE,
    NT_F_KTHREAD_SYSTEMTHREAD,
    NT_F_KTHREAD_THREADFLAGS,
    NT_F_KTHREAD_DISABLEBOOST,
    NT_F_KTHREAD_KERNELSTACKRESIDENT,
    NT_F_KTHREAD_TRAPFRAME,
    NT_F_KTHREAD_APCSTATE,
    NT_F_KTHREAD_APCSTATE_PROCESS,
    NT_F_KTHREAD_PRIORITY,
    NT_F_KTHREAD_WAITSTATUS,
    NT_F_KTHREAD_WAITBLOCKLIST,
    NT_F_KTHREAD_TEB,
    NT_F_KTHREAD_WAITBLOCK,
    NT_F_KTHREAD_CONTEXTSWITCHES,
    NT_F_KTHREAD_STATE,
    NT_F_KTHREAD_WAITIRQL,
    NT_F_KTHREAD_WAITMODE,
    NT_F_KTHREAD_WAITTIME,
    NT_F_KTHREAD_KERNELAPCDISABLE,
    NT_F_KTHREAD_SPECIALAPCDISABLE,
    NT_F_KTHREAD_PROCESS,
    NT_F_KTHREAD_PREVIOUSMODE,
    NT_F_KTHREAD_BASEPRIORITY,
    NT_F_KTHREAD_WAITBLOCKCOUNT,
    NT_F_KTHREAD_WAITREASON,
    NT_F_KTHREAD_RESOURCEINDEX,
    NT_F_KTHREAD_KERNELTIME,
    NT_F_KTHREAD_USERTIME,
    NT_F_KTHREAD_THREADLISTENTRY,
    NT_F_KTHREAD_MUTANTLISTHEAD,
    NT_F_KTHREAD_PROPAGATEBOOSTSENTRY,
    NT_F_KTHREAD_IOSELFBOOSTSENTRY,
    NT_F_KTHREAD_ABCOMPLETEDIOBOOSTCOUNT,
    NT_F_KTHREAD_ABCOMPLETEDIOQOSBOOSTCOUNT,
    NT_F_KTHREAD_ABENTRYSUMMARY,         /* optional */
    NT_F_KTHREAD_ABWAITENTRYCOUNT,       /* optional */
    NT_F_KTHREAD_LOCKENTRIES,            /* optional */
    NT_F_KTHREAD_ABORPHANEDENTRYSUMMARY, /* optional */
    NT_F_KTHREAD_ABOWNEDENTRYCOUNT,      /* optional */
    NT_F_KTHREAD_ABWAITOBJECT,           /* optional */

    /* _ETHREAD */
    NT_F_ETHREAD_TCB,
    NT_F_ETHREAD_CREATETIME,
    NT_F_ETHREAD_EXITTIME,
    NT_F_ETHREAD_STARTADDRESS,
    NT_F_ETHREAD_CID,
    NT_F_ETHREAD_CID_UNIQUEPROCESS,
    NT_F_ETHREAD_CID_UNIQUETHREAD,
    NT_F_ETHREAD_WIN32STARTADDRESS,
    NT_F_ETHREAD_THREADLISTENTRY,
    NT_F_ETHREAD_CROSSTHREADFLAGS,
    NT_F_ETHREAD_TERMINATED,
    NT_F_ETHREAD_THREADIOPRIORITY,
    NT_F_ETHREAD_SAMETHREADPASSIVEFLAGS,
    NT_F_ETHREAD_ACTIVEEXWORKER,
    NT_F_ETHREAD_EXITSTATUS,
    NT_F_ETHREAD_IOBOOSTCOUNT,
    NT_F_ETHREAD_IOQOSBOOSTCOUNT,
    NT_F_ETHREAD_IOQOSTHROTTLECOUNT,
    NT_F_ETHREAD_KERNELSTACKREFERENCE,
    NT_F_ETHREAD_BOOSTLIST,
    NT_F_ETHREAD_DEBOOSTLIST,
    NT_F_ETHREAD_THREADNAME,
    NT_F_ETHREAD_OWNERENTRYLISTHEAD,
    NT_F_ETHREAD_DISOWNEDOWNERENTRYLISTHEAD,
    NT_F_ETHREAD_LOCKENTRIES, /* optional */

    /* _KPROCESS (at offset 0 of _EPROCESS) and _EPROCESS */
    NT_F_KPROCESS_HEADER,
    NT_F_KPROCESS_DIRECTORYTABLEBASE,
    NT_F_KPROCESS_THREADLISTHEAD,
    NT_F_KPROCESS_PROCESSLISTENTRY,
    NT_F_KPROCESS_USERDIRECTORYTABLEBASE,
    NT_F_EPROCESS_PCB,
    NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE,
    NT_F_EPROCESS_PCB_THREADLISTHEAD,
    NT_F_EPROCESS_UNIQUEPROCESSID,
    NT_F_EPROCESS_ACTIVEPROCESSLINKS,
    NT_F_EPROCESS_FLAGS,
    NT_F_EPROCESS_PROCESSEXITING,
    NT_F_EPROCESS_PROCESSDELETE,
    NT_F_EPROCESS_CREATETIME,
    NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID,
    NT_F_EPROCESS_SECTIONBASEADDRESS,
    NT_F_EPROCESS_PEB,
    NT_F_EPROCESS_OBJECTTABLE,
    NT_F_EPROCESS_TOKEN,
    NT_F_EPROCESS_IMAGEFILENAME,
    NT_F_EPROCESS_SEAUDITPROCESSCREATIONINFO,
    NT_F_EPROCESS_THREADLISTHEAD,
    NT_F_EPROCESS_ACTIVETHREADS,
    NT_F_EPROCESS_EXITSTATUS,
    NT_F_EPROCESS_EXITTIME,
    NT_F_EPROCESS_FLAGS3,
    NT_F_EPROCESS_SYSTEMPROCESS,
    NT_F_SE_AUDIT_PROCESS_CREATION_INFO_IMAGEFILENAME,
    NT_F_OBJECT_NAME_INFORMATION_NAME,

    /* Lists and strings */
    NT_F_LIST_ENTRY_FLINK,
    NT_F_LIST_ENTRY_BLINK,
    NT_F_UNICODE_STRING_LENGTH,
    NT_F_UNICODE_STRING_MAXIMUMLENGTH,
    NT_F_UNICODE_STRING_BUFFER,

    /* Dispatcher objects and waits */
    NT_F_DISPATCHER_HEADER_TYPE,
    NT_F_DISPATCHER_HEADER_SIZE,
    NT_F_DISPATCHER_HEADER_SIGNALSTATE,
    NT_F_DISPATCHER_HEADER_WAITLISTHEAD,
    NT_F_KEVENT_HEADER,
    NT_F_KWAIT_BLOCK_WAITLISTENTRY,
    NT_F_KWAIT_BLOCK_WAITTYPE,
    NT_F_KWAIT_BLOCK_BLOCKSTATE,
    NT_F_KWAIT_BLOCK_WAITKEY,
    NT_F_KWAIT_BLOCK_THREAD,
    NT_F_KWAIT_BLOCK_OBJECT,
    NT_F_KMUTANT_HEADER,
    NT_F_KMUTANT_MUTANTLISTENTRY,
    NT_F_KMUTANT_OWNERTHREAD,
    NT_F_KMUTANT_MUTANTFLAGS,
    NT_F_KMUTANT_ABANDONED,
    NT_F_KMUTANT_APCDISABLE,
    NT_F_FAST_MUTEX_COUNT,
    NT_F_FAST_MUTEX_OWNER,
    NT_F_FAST_MUTEX_CONTENTION,
    NT_F_FAST_MUTEX_EVENT,
    NT_F_FAST_MUTEX_OLDIRQL,
    NT_F_EX_PUSH_LOCK_LOCKED,
    NT_F_EX_PUSH_LOCK_WAITING,
    NT_F_EX_PUSH_LOCK_WAKING,
    NT_F_EX_PUSH_LOCK_MULTIPLESHARED,
    NT_F_EX_PUSH_LOCK_SHARED,
    NT_F_EX_PUSH_LOCK_VALUE,
    NT_F_EX_FAST_REF_OBJECT,
    NT_F_EX_FAST_REF_REFCNT,

    /* Executive resources, owners and waiter rings */
    NT_F_ERESOURCE_SYSTEMRESOURCESLIST,
    NT_F_ERESOURCE_OWNERTABLE,
    NT_F_ERESOURCE_ACTIVECOUNT,
    NT_F_ERESOURCE_FLAG,
    NT_F_ERESOURCE_RESERVEDLOWFLAGS,
    NT_F_ERESOURCE_WAITERPRIORITY,
    NT_F_ERESOURCE_SHAREDWAITERS,
    NT_F_ERESOURCE_EXCLUSIVEWAITERS,
    NT_F_ERESOURCE_OWNERENTRY,
    NT_F_ERESOURCE_ACTIVEENTRIES,
    NT_F_ERESOURCE_CONTENTIONCOUNT,
    NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS,
    NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS,
    NT_F_ERESOURCE_RESERVED2,
    NT_F_ERESOURCE_ADDRESS,
    NT_F_ERESOURCE_CREATORBACKTRACEINDEX,
    NT_F_ERESOURCE_SPINLOCK,
    NT_F_OWNER_ENTRY_OWNERTHREAD,
    NT_F_OWNER_ENTRY_IOPRIORITYBOOSTED,
    NT_F_OWNER_ENTRY_OWNERREFERENCED,
    NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED,
    NT_F_OWNER_ENTRY_OWNERCOUNT,
    NT_F_OWNER_ENTRY_TABLESIZE,
    NT_F_FAST_ERESOURCE_INTERNAL_FLAG,
    NT_F_FAST_ERESOURCE_INTERNAL_SHAREDWAITERS,
    NT_F_FAST_ERESOURCE_INTERNAL_SHAREDWAITERS_HEAD,
    NT_F_FAST_ERESOURCE_INTERNAL_EXCLUSIVEWAITERS,
    NT_F_FAST_ERESOURCE_INTERNAL_EXCLUSIVEWAITERS_HEAD,
    NT_F_FAST_ERESOURCE_INTERNAL_OWNERENTRYLISTHEAD,
    NT_F_FAST_ERESOURCE_INTERNAL_NUMBEROFSHAREDWAITERS,
    NT_F_FAST_ERESOURCE_INTERNAL_NUMBEROFEXCLUSIVEWAITERS,
    NT_F_KWAIT_CHAIN_HEAD,
    NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY,
    NT_F_KWAIT_CHAIN_ENTRY_THREAD,
    NT_F_KWAIT_CHAIN_ENTRY_EVENT,
    NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE,
    NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE,
    NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIGNALSTATE,
    NT_F_KLOCK_ENTRY_WAITINGBIT,  /* optional */
    NT_F_KLOCK_ENTRY_ACQUIREDBIT, /* optional */
    NT_F_KLOCK_ENTRY_LOCKUNSAFE,  /* optional */

    /* Loaded modules */
    NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS,
    NT_F_KLDR_DATA_TABLE_ENTRY_DLLBASE,
    NT_F_KLDR_DATA_TABLE_ENTRY_ENTRYPOINT,
    NT_F_KLDR_DATA_TABLE_ENTRY_SIZEOFIMAGE,
    NT_F_KLDR_DATA_TABLE_ENTRY_FULLDLLNAME,
    NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME,
    NT_F_KLDR_DATA_TABLE_ENTRY_FLAGS,
    NT_F_KLDR_DATA_TABLE_ENTRY_CHECKSUM,
    NT_F_KLDR_DATA_TABLE_ENTRY_TIMEDATESTAMP,

    /* Processors */
    NT_F_KPCR_SELF,
    NT_F_KPCR_CURRENTPRCB,
    NT_F_KPCR_IRQL,
    NT_F_KPCR_PRCB,
    NT_F_KPCR_PRCB_CURRENTTHREAD,
    NT_F_KPRCB_CURRENTTHREAD,
    NT_F_KPRCB_NEXTTHREAD,
    NT_F_KPRCB_IDLETHREAD,
    NT_F_KPRCB_NUMBER,
    NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, /* moves and widens in 19045 */
    NT_F_KPRCB_LOGICALPROCESSORSPERCORE,  /* moves and widens in 19045 */
    NT_F_KPRCB_PROCESSORSTATE,
    NT_F_KPRCB_PROCESSORSTATE_SPECIALREGISTERS_CR3,
    NT_F_KPRCB_PROCESSORSTATE_CONTEXTFRAME,
    NT_F_KPRCB_KERNELDIRECTORYTABLEBASE,
    NT_F_KPROCESSOR_STATE_SPECIALREGISTERS,
    NT_F_KPROCESSOR_STATE_CONTEXTFRAME,

    /* Register state: saved CPU context, trap frames, exception frames */
    NT_F_CONTEXT_CONTEXTFLAGS,
    NT_F_CONTEXT_SEGCS,
    NT_F_CONTEXT_SEGSS,
    NT_F_CONTEXT_EFLAGS,
    NT_F_CONTEXT_RAX,
    NT_F_CONTEXT_RCX,
    NT_F_CONTEXT_RDX,
    NT_F_CONTEXT_RBX,
    NT_F_CONTEXT_RSP,
    NT_F_CONTEXT_RBP,
    NT_F_CONTEXT_RSI,
    NT_F_CONTEXT_RDI,
    NT_F_CONTEXT_R8,
    NT_F_CONTEXT_R9,
    NT_F_CONTEXT_R10,
    NT_F_CONTEXT_R11,
    NT_F_CONTEXT_R12,
    NT_F_CONTEXT_R13,
    NT_F_CONTEXT_R14,
    NT_F_CONTEXT_R15,
    NT_F_CONTEXT_RIP,
    NT_F_KTRAP_FRAME_PREVIOUSMODE,
    NT_F_KTRAP_FRAME_RAX,
    NT_F_KTRAP_FRAME_RCX,
    NT_F_KTRAP_FRAME_RDX,
    NT_F_KTRAP_FRAME_R8,
    NT_F_KTRAP_FRAME_R9,
    NT_F_KTRAP_FRAME_R10,
    NT_F_KTRAP_FRAME_R11,
    NT_F_KTRAP_FRAME_TRAPFRAME,
    NT_F_KTRAP_FRAME_RBX,
    NT_F_KTRAP_FRAME_RDI,
    NT_F_KTRAP_FRAME_RSI,
    NT_F_KTRAP_FRAME_RBP,
    NT_F_KTRAP_FRAME_RIP,
    NT_F_KTRAP_FRAME_SEGCS,
    NT_F_KTRAP_FRAME_EFLAGS,
    NT_F_KTRAP_FRAME_RSP,
    NT_F_KTRAP_FRAME_SEGSS,
    NT_F_KEXCEPTION_FRAME_TRAPFRAME,
    NT_F_KEXCEPTION_FRAME_RBP,
    NT_F_KEXCEPTION_FRAME_RBX,
    NT_F_KEXCEPTION_FRAME_RDI,
    NT_F_KEXCEPTION_FRAME_RSI,
    NT_F_KEXCEPTION_FRAME_R12,
    NT_F_KEXCEPTION_FRAME_R13,
    NT_F_KEXCEPTION_FRAME_R14,
    NT_F_KEXCEPTION_FRAME_R15,
    NT_F_KEXCEPTION_FRAME_RETURN,

    /* System facts and clocks */
    NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER,
    NT_F_KUSER_SHARED_DATA_INTERRUPTTIME,
    NT_F_KUSER_SHARED_DATA_SYSTEMTIME,
    NT_F_KUSER_SHARED_DATA_TIMEZONEBIAS,
    NT_F_KUSER_SHARED_DATA_NTBUILDNUMBER,
    NT_F_KUSER_SHARED_DATA_NTPRODUCTTYPE,
    NT_F_KUSER_SHARED_DATA_PRODUCTTYPEISVALID,
    NT_F_KUSER_SHARED_DATA_NATIVEPROCESSORARCHITECTURE,
    NT_F_KUSER_SHARED_DATA_NTMAJORVERSION,
    NT_F_KUSER_SHARED_DATA_NTMINORVERSION,
    NT_F_KUSER_SHARED_DATA_BOOTID,
    NT_F_KUSER_SHARED_DATA_SUITEMASK,
    NT_F_KUSER_SHARED_DATA_KDDEBUGGERENABLED,
    NT_F_KUSER_SHARED_DATA_NUMBEROFPHYSICALPAGES,
    NT_F_KUSER_SHARED_DATA_SAFEBOOTMODE,
    NT_F_KUSER_SHARED_DATA_QPCFREQUENCY,
    NT_F_KUSER_SHARED_DATA_TICKCOUNT,
    NT_F_KUSER_SHARED_DATA_TICKCOUNT_LOWPART,
    NT_F_KUSER_SHARED_DATA_TICKCOUNTQUAD,
    NT_F_KUSER_SHARED_DATA_INTERRUPTTIMEBIAS,
    NT_F_KUSER_SHARED_DATA_ACTIVEPROCESSORCOUNT,
    NT_F_KUSER_SHARED_DATA_ACTIVEGROUPCOUNT,
    NT_F_KSYSTEM_TIME_LOWPART,
    NT_F_KSYSTEM_TIME_HIGH1TIME,
    NT_F_KSYSTEM_TIME_HIGH2TIME,

    /* Object manager */
    NT_F_OBJECT_HEADER_POINTERCOUNT,
    NT_F_OBJECT_HEADER_HANDLECOUNT,
    NT_F_OBJECT_HEADER_TYPEINDEX,
    NT_F_OBJECT_HEADER_INFOMASK,
    NT_F_OBJECT_HEADER_FLAGS,
    NT_F_OBJECT_HEADER_BODY,
    NT_F_OBJECT_HEADER_NAME_INFO_DIRECTORY,
    NT_F_OBJECT_HEADER_NAME_INFO_NAME,
    NT_F_OBJECT_TYPE_NAME,
    NT_F_OBJECT_TYPE_INDEX,

    NT_F__COUNT
} nt_field_id;

/* Struct sizes (array strides, bounds for sanity checks, optional object header sizes). */
typedef enum nt_struct_id {
    NT_S_KTHREAD,
    NT_S_ETHREAD,
    NT_S_KPROCESS,
    NT_S_EPROCESS,
    NT_S_CLIENT_ID,
    NT_S_KAPC_STATE,
    NT_S_LIST_ENTRY,
    NT_S_UNICODE_STRING,
    NT_S_OBJECT_NAME_INFORMATION,
    NT_S_DISPATCHER_HEADER,
    NT_S_KEVENT,
    NT_S_KSEMAPHORE,
    NT_S_KMUTANT,
    NT_S_KTIMER,
    NT_S_KWAIT_BLOCK,
    NT_S_FAST_MUTEX,
    NT_S_EX_PUSH_LOCK,
    NT_S_EX_FAST_REF,
    NT_S_ERESOURCE,
    NT_S_OWNER_ENTRY,
    NT_S_FAST_ERESOURCE_INTERNAL,
    NT_S_KWAIT_CHAIN,
    NT_S_KWAIT_CHAIN_ENTRY,
    NT_S_KLOCK_ENTRY,
    NT_S_KLDR_DATA_TABLE_ENTRY,
    NT_S_KPCR,
    NT_S_KPRCB,
    NT_S_KPROCESSOR_STATE,
    NT_S_KSPECIAL_REGISTERS,
    NT_S_CONTEXT,
    NT_S_KTRAP_FRAME,
    NT_S_KEXCEPTION_FRAME,
    NT_S_KUSER_SHARED_DATA,
    NT_S_KSYSTEM_TIME,
    NT_S_OBJECT_HEADER,
    NT_S_OBJECT_HEADER_CREATOR_INFO,
    NT_S_OBJECT_HEADER_NAME_INFO,
    NT_S_OBJECT_HEADER_HANDLE_INFO,
    NT_S_OBJECT_HEADER_QUOTA_INFO,
    NT_S_OBJECT_HEADER_PROCESS_INFO,
    NT_S_OBJECT_HEADER_AUDIT_INFO,
    NT_S_OBJECT_HEADER_EXTENDED_INFO,
    NT_S_OBJECT_HEADER_PADDING_INFO,
    NT_S_OBJECT_TYPE,
    NT_S__COUNT
} nt_struct_id;

/* The kernel enumerations the model interprets. */
typedef enum nt_enum_kind {
    NT_EK_KTHREAD_STATE,     /* KTHREAD.State */
    NT_EK_KWAIT_REASON,      /* KTHREAD.WaitReason */
    NT_EK_KOBJECTS,          /* DISPATCHER_HEADER.Type */
    NT_EK_MODE,              /* KTHREAD.WaitMode / PreviousMode */
    NT_EK_KWAIT_BLOCK_STATE, /* KWAIT_BLOCK.BlockState */
    NT_EK_NT_PRODUCT_TYPE,   /* KUSER_SHARED_DATA.NtProductType */
    NT_EK__COUNT
} nt_enum_kind;

/* Every member of those enumerations, named as in the data; values come from the profile. */
typedef enum nt_enum_id {
    NT_E_KTHREAD_STATE_INITIALIZED,
    NT_E_KTHREAD_STATE_READY,
    NT_E_KTHREAD_STATE_RUNNING,
    NT_E_KTHREAD_STATE_STANDBY,
    NT_E_KTHREAD_STATE_TERMINATED,
    NT_E_KTHREAD_STATE_WAITING,
    NT_E_KTHREAD_STATE_TRANSITION,
    NT_E_KTHREAD_STATE_DEFERREDREADY,
    NT_E_KTHREAD_STATE_GATEWAITOBSOLETE,
    NT_E_KTHREAD_STATE_WAITINGFORPROCESSINSWAP,

    NT_E_KWAIT_REASON_EXECUTIVE,
    NT_E_KWAIT_REASON_FREEPAGE,
    NT_E_KWAIT_REASON_PAGEIN,
    NT_E_KWAIT_REASON_POOLALLOCATION,
    NT_E_KWAIT_REASON_DELAYEXECUTION,
    NT_E_KWAIT_REASON_SUSPENDED,
    NT_E_KWAIT_REASON_USERREQUEST,
    NT_E_KWAIT_REASON_WREXECUTIVE,
    NT_E_KWAIT_REASON_WRFREEPAGE,
    NT_E_KWAIT_REASON_WRPAGEIN,
    NT_E_KWAIT_REASON_WRPOOLALLOCATION,
    NT_E_KWAIT_REASON_WRDELAYEXECUTION,
    NT_E_KWAIT_REASON_WRSUSPENDED,
    NT_E_KWAIT_REASON_WRUSERREQUEST,
    NT_E_KWAIT_REASON_WRSPARE0,
    NT_E_KWAIT_REASON_WRQUEUE,
    NT_E_KWAIT_REASON_WRLPCRECEIVE,
    NT_E_KWAIT_REASON_WRLPCREPLY,
    NT_E_KWAIT_REASON_WRVIRTUALMEMORY,
    NT_E_KWAIT_REASON_WRPAGEOUT,
    NT_E_KWAIT_REASON_WRRENDEZVOUS,
    NT_E_KWAIT_REASON_WRKEYEDEVENT,
    NT_E_KWAIT_REASON_WRTERMINATED,
    NT_E_KWAIT_REASON_WRPROCESSINSWAP,
    NT_E_KWAIT_REASON_WRCPURATECONTROL,
    NT_E_KWAIT_REASON_WRCALLOUTSTACK,
    NT_E_KWAIT_REASON_WRKERNEL,
    NT_E_KWAIT_REASON_WRRESOURCE,
    NT_E_KWAIT_REASON_WRPUSHLOCK,
    NT_E_KWAIT_REASON_WRMUTEX,
    NT_E_KWAIT_REASON_WRQUANTUMEND,
    NT_E_KWAIT_REASON_WRDISPATCHINT,
    NT_E_KWAIT_REASON_WRPREEMPTED,
    NT_E_KWAIT_REASON_WRYIELDEXECUTION,
    NT_E_KWAIT_REASON_WRFASTMUTEX,
    NT_E_KWAIT_REASON_WRGUARDEDMUTEX,
    NT_E_KWAIT_REASON_WRRUNDOWN,
    NT_E_KWAIT_REASON_WRALERTBYTHREADID,
    NT_E_KWAIT_REASON_WRDEFERREDPREEMPT,
    NT_E_KWAIT_REASON_WRPHYSICALFAULT,
    NT_E_KWAIT_REASON_WRIORING,   /* 22000 and later */
    NT_E_KWAIT_REASON_WRMDLCACHE, /* 22621 and later */
    NT_E_KWAIT_REASON_WRRCU,      /* 26100 and later */
    NT_E_KWAIT_REASON_MAXIMUMWAITREASON,

    NT_E_KOBJECTS_EVENTNOTIFICATIONOBJECT,
    NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT,
    NT_E_KOBJECTS_MUTANTOBJECT,
    NT_E_KOBJECTS_PROCESSOBJECT,
    NT_E_KOBJECTS_QUEUEOBJECT,
    NT_E_KOBJECTS_SEMAPHOREOBJECT,
    NT_E_KOBJECTS_THREADOBJECT,
    NT_E_KOBJECTS_GATEOBJECT,
    NT_E_KOBJECTS_TIMERNOTIFICATIONOBJECT,
    NT_E_KOBJECTS_TIMERSYNCHRONIZATIONOBJECT,
    NT_E_KOBJECTS_SPARE2OBJECT,
    NT_E_KOBJECTS_SPARE3OBJECT,
    NT_E_KOBJECTS_SPARE4OBJECT,
    NT_E_KOBJECTS_SPARE5OBJECT,
    NT_E_KOBJECTS_SPARE6OBJECT,
    NT_E_KOBJECTS_SPARE7OBJECT,
    NT_E_KOBJECTS_SPARE8OBJECT,
    NT_E_KOBJECTS_PROFILECALLBACKOBJECT,
    NT_E_KOBJECTS_APCOBJECT,
    NT_E_KOBJECTS_DPCOBJECT,
    NT_E_KOBJECTS_DEVICEQUEUEOBJECT,
    NT_E_KOBJECTS_PRIQUEUEOBJECT,
    NT_E_KOBJECTS_INTERRUPTOBJECT,
    NT_E_KOBJECTS_PROFILEOBJECT,
    NT_E_KOBJECTS_TIMER2NOTIFICATIONOBJECT,
    NT_E_KOBJECTS_TIMER2SYNCHRONIZATIONOBJECT,
    NT_E_KOBJECTS_THREADEDDPCOBJECT,
    NT_E_KOBJECTS_MAXIMUMKERNELOBJECT,

    NT_E_MODE_KERNELMODE,
    NT_E_MODE_USERMODE,
    NT_E_MODE_MAXIMUMMODE,

    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKBYPASSSTART,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKBYPASSCOMPLETE,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKSUSPENDBYPASSSTART,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKSUSPENDBYPASSCOMPLETE,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKACTIVE,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKINACTIVE,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKSUSPENDED,
    NT_E_KWAIT_BLOCK_STATE_WAITBLOCKALLSTATES,

    NT_E_NT_PRODUCT_TYPE_NTPRODUCTWINNT,
    NT_E_NT_PRODUCT_TYPE_NTPRODUCTLANMANNT,
    NT_E_NT_PRODUCT_TYPE_NTPRODUCTSERVER,

    NT_E__COUNT
} nt_enum_id;

/* One field in one build. */
typedef struct nt_field {
    uint32_t offset;   /* bytes from the start of the top-level struct */
    uint16_t size;     /* bytes; for a bitfield, the size of its storage unit */
    uint8_t bit_pos;   /* first bit inside the storage unit (bit 0 = least significant) */
    uint8_t bit_width; /* 0 = not a bitfield */
    uint8_t present;   /* 0 = the field does not exist in this build (optional fields only) */
} nt_field;

/* One data file: a release build at one update level. The arrays are indexed by the id
 * enums above; builds with equal rows share one array. */
typedef struct nt_profile {
    uint32_t build;               /* release build of the data: 19045 */
    uint32_t kernel;              /* kernel file build it runs: 19041 (ntoskrnl 10.0.19041.x) */
    uint32_t revision;            /* update level the data describes: 2965 */
    const char *version;          /* "10.0.19045.2965" */
    const nt_field *fields;       /* [NT_F__COUNT] */
    const uint32_t *struct_sizes; /* [NT_S__COUNT] */
    const int32_t *enum_values;   /* [NT_E__COUNT]; NT_ENUM_INVALID where the build lacks the member */
} nt_profile;

/* A release build whose kernel file has another build number (18363 runs 10.0.18362.x). */
typedef struct nt_build_alias {
    uint32_t release, kernel;
} nt_build_alias;

/* A field (or struct size) that moves between cumulative updates of one kernel file build:
 * from revision from_rev on it is `after` (present 0 = the new place is not known). */
typedef struct nt_update_move {
    uint32_t kernel;
    uint32_t from_rev;
    uint8_t is_size; /* id is an nt_struct_id and after.offset the new size */
    uint16_t id;
    nt_field after;
} nt_update_move;

/* The profile a dump gets: its data file with the moves of its update level applied. */
typedef struct nt_profile_choice {
    nt_profile prof;              /* fields/struct_sizes point into this object */
    nt_field fields[NT_F__COUNT];
    uint32_t sizes[NT_S__COUNT];
    const nt_profile *data;       /* the data file chosen */
    int revision_known;
    /* Moved items whose place depends on the update level when that level is unknown: they
     * are made absent. Names of up to 8 of them, for a warning. */
    const char *unsure[8];
    unsigned nunsure;
} nt_profile_choice;

/* nt_enum_value's answer for a bad id or a NULL profile. No supported value equals it. */
#define NT_ENUM_INVALID INT32_MIN

/* Profiles */
const nt_profile *nt_profile_for_build(uint32_t build); /* exact release build, lowest update level */
uint32_t nt_kernel_build_of(uint32_t release);           /* 19045 -> 19041; 0 when no data for it */
/* Chooses the data file for a dump of release build `release` whose kernel file revision is
 * `revision` (-1 = unknown) and applies the update-level moves. 0 on success, -1 when no
 * profile exists for that build. */
int nt_profile_choose(uint32_t release, int32_t revision, nt_profile_choice *out);
size_t nt_profile_count(void);
const nt_profile *nt_profile_at(size_t index); /* NULL past the end */


/* Lookups. All accept a NULL profile and out-of-range ids (then NULL / 0 / NT_ENUM_INVALID),
 * so a caller holding "no profile" fails cleanly instead of reading garbage. */
const nt_field *nt_field_get(const nt_profile *p, nt_field_id id); /* NULL also when absent */
uint32_t nt_struct_size(const nt_profile *p, nt_struct_id id);       /* 0 when unknown */
int32_t nt_enum_value(const nt_profile *p, nt_enum_id id);
/* Name of an enum value as the dump holds it ("Waiting", "WrResource"); NULL if unknown. */
const char *nt_enum_name(const nt_profile *p, nt_enum_kind kind, int32_t value);

/* The field's value from its raw storage unit (read little-endian, size bytes): the bits for
 * a bitfield, the unit itself otherwise. */
uint64_t nt_field_bits(const nt_field *f, uint64_t raw);

/* Names for messages and reports ("_ETHREAD.Cid.UniqueThread", "_ERESOURCE",
 * "_KWAIT_REASON"); NULL for an out-of-range id. */
const char *nt_field_name(nt_field_id id);
int nt_field_is_optional(nt_field_id id);
const char *nt_struct_name(nt_struct_id id);
const char *nt_enum_kind_name(nt_enum_kind kind);
const char *nt_enum_id_name(nt_enum_id id); /* "WrResource" */

/* The generated tables behind the functions (nt_profile_table.c). Use the functions; these
 * are declared here so the generated file has one place to agree with. */
extern const nt_profile nt_profile_table[];
extern const size_t nt_profile_table_count;
extern const char *const nt_field_names[NT_F__COUNT];
extern const uint8_t nt_field_optional[NT_F__COUNT];
extern const char *const nt_struct_names[NT_S__COUNT];
extern const char *const nt_enum_kind_names[NT_EK__COUNT];
extern const char *const nt_enum_names[NT_E__COUNT];
extern const uint8_t nt_enum_kind_of[NT_E__COUNT];
extern const nt_build_alias nt_build_aliases[];
extern const size_t nt_build_alias_count;
extern const nt_update_move nt_update_moves[];
extern const size_t nt_update_move_count;

#endif

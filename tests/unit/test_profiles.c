/* SPDX-License-Identifier: MIT */
/* Offset profiles: the generated tables must agree with the hand-checked numbers of the
 * reference documents (../shared/reference/nt-19041-x64-layouts.md, nt-locks-and-waits.md),
 * not merely with themselves. Expected values below are typed in from those documents. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nt/nt_kernel_versions.h"
#include "nt/nt_profile.h"

/* The 19041 family (20H1..22H2: kernel file 10.0.19041.x), checked against the reference. */
static const uint32_t supported_builds[] = { 19041, 19042, 19043, 19044, 19045 };
#define N_SUPPORTED (sizeof supported_builds / sizeof supported_builds[0])
/* Every data file: release build and update level. */
#define N_PROFILES 18u

static const nt_profile *p19041(void)
{
    const nt_profile *p = nt_profile_for_build(19041);
    assert_non_null(p);
    return p;
}

/* A plain (non-bitfield) field at the given offset and size. */
static void expect_field(const nt_profile *p, nt_field_id id, uint32_t offset, uint16_t size)
{
    const nt_field *f = nt_field_get(p, id);
    if (!f)
        fail_msg("%s absent in %u", nt_field_name(id), (unsigned)p->build);
    if (f->offset != offset || f->size != size || f->bit_width != 0)
        fail_msg("%s in %u: got offset 0x%x size %u width %u, want offset 0x%x size %u", nt_field_name(id),
                 (unsigned)p->build, (unsigned)f->offset, (unsigned)f->size, (unsigned)f->bit_width,
                 (unsigned)offset, (unsigned)size);
}

static void expect_bits(const nt_profile *p, nt_field_id id, uint32_t offset, uint16_t unit, uint8_t pos,
                        uint8_t width)
{
    const nt_field *f = nt_field_get(p, id);
    if (!f)
        fail_msg("%s absent in %u", nt_field_name(id), (unsigned)p->build);
    if (f->offset != offset || f->size != unit || f->bit_pos != pos || f->bit_width != width)
        fail_msg("%s in %u: got 0x%x/%u bit %u width %u, want 0x%x/%u bit %u width %u", nt_field_name(id),
                 (unsigned)p->build, (unsigned)f->offset, (unsigned)f->size, (unsigned)f->bit_pos,
                 (unsigned)f->bit_width, (unsigned)offset, (unsigned)unit, (unsigned)pos, (unsigned)width);
}

/* --- selection by build --------------------------------------------------------------- */

static void test_supported_builds_resolve(void **state)
{
    size_t i;
    (void)state;
    assert_int_equal(nt_profile_count(), N_PROFILES);
    for (i = 0; i < N_SUPPORTED; i++) {
        const nt_profile *p = nt_profile_for_build(supported_builds[i]);
        char prefix[32];
        assert_non_null(p);
        assert_int_equal(p->build, supported_builds[i]);
        /* The profile says which update level the data describes: "10.0.<build>.<rev>". */
        snprintf(prefix, sizeof prefix, "10.0.%u.", (unsigned)supported_builds[i]);
        assert_non_null(p->version);
        assert_memory_equal(p->version, prefix, strlen(prefix));
        assert_int_equal(p->kernel, 19041);
    }
    for (i = 1; i < N_PROFILES; i++) /* sorted by build, then update level */
        assert_true(nt_profile_at(i - 1)->build < nt_profile_at(i)->build ||
                    (nt_profile_at(i - 1)->build == nt_profile_at(i)->build &&
                     nt_profile_at(i - 1)->revision < nt_profile_at(i)->revision));
    assert_null(nt_profile_at(N_PROFILES));
    assert_string_equal(nt_profile_for_build(19041)->version, "10.0.19041.264");
    assert_string_equal(nt_profile_for_build(19045)->version, "10.0.19045.2965");
}

static void test_other_builds_have_no_profile(void **state)
{
    (void)state;
    nt_profile_choice c;
    /* Server 2022, Windows 7, insider and future builds and nonsense: no guessing. */
    assert_null(nt_profile_for_build(20348));
    assert_int_equal(nt_profile_choose(20348, -1, &c), -1);
    assert_int_equal(nt_profile_choose(26200, -1, &c), -1);
    assert_int_equal(nt_kernel_build_of(20348), 0);
    assert_null(nt_profile_for_build(7601));
    /* 1909 (18363) has no data file of its own: it runs kernel 10.0.18362.x. */
    assert_null(nt_profile_for_build(18363));
    assert_int_equal(nt_kernel_build_of(18363), 18362);
    assert_int_equal(nt_profile_choose(18363, -1, &c), 0);
    assert_int_equal(c.data->kernel, 18362);
    assert_null(nt_profile_for_build(19040));
    assert_null(nt_profile_for_build(19046));
    assert_null(nt_profile_for_build(0));
    assert_null(nt_profile_for_build(UINT32_MAX));
}

/* --- 19041 against the reference ------------------------------------------------------ */

static void test_19041_thread(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    expect_field(p, NT_F_KTHREAD_HEADER_TYPE, 0x0, 1);
    expect_field(p, NT_F_KTHREAD_INITIALSTACK, 0x28, 8);
    expect_field(p, NT_F_KTHREAD_STACKLIMIT, 0x30, 8);
    expect_field(p, NT_F_KTHREAD_STACKBASE, 0x38, 8);
    expect_field(p, NT_F_KTHREAD_KERNELSTACK, 0x58, 8);
    expect_field(p, NT_F_KTHREAD_TRAPFRAME, 0x90, 8);
    expect_field(p, NT_F_KTHREAD_APCSTATE_PROCESS, 0xB8, 8);
    expect_field(p, NT_F_KTHREAD_WAITBLOCKLIST, 0xD0, 8);
    expect_field(p, NT_F_KTHREAD_TEB, 0xF0, 8);
    expect_field(p, NT_F_KTHREAD_WAITBLOCK, 0x140, 0xC0);
    expect_field(p, NT_F_KTHREAD_CONTEXTSWITCHES, 0x154, 4);
    expect_field(p, NT_F_KTHREAD_STATE, 0x184, 1);
    expect_field(p, NT_F_KTHREAD_WAITMODE, 0x187, 1);
    expect_field(p, NT_F_KTHREAD_WAITTIME, 0x1B4, 4);
    expect_field(p, NT_F_KTHREAD_PROCESS, 0x220, 8);
    expect_field(p, NT_F_KTHREAD_WAITREASON, 0x283, 1);
    expect_field(p, NT_F_KTHREAD_RESOURCEINDEX, 0x289, 1);
    expect_field(p, NT_F_KTHREAD_KERNELTIME, 0x28C, 4);
    expect_field(p, NT_F_KTHREAD_USERTIME, 0x2DC, 4);
    expect_field(p, NT_F_KTHREAD_THREADLISTENTRY, 0x2F8, 0x10);
    expect_field(p, NT_F_KTHREAD_MUTANTLISTHEAD, 0x308, 0x10);
    expect_field(p, NT_F_KTHREAD_ABCOMPLETEDIOBOOSTCOUNT, 0x35C, 4);
    expect_field(p, NT_F_KTHREAD_ABCOMPLETEDIOQOSBOOSTCOUNT, 0x360, 4);
    expect_bits(p, NT_F_KTHREAD_ALERTABLE, 0x74, 4, 4, 1);
    expect_bits(p, NT_F_KTHREAD_SYSTEMTHREAD, 0x74, 4, 10, 1);
    expect_bits(p, NT_F_KTHREAD_KERNELSTACKRESIDENT, 0x78, 4, 17, 1);

    expect_field(p, NT_F_ETHREAD_CREATETIME, 0x430, 8);
    expect_field(p, NT_F_ETHREAD_EXITTIME, 0x438, 8);
    expect_field(p, NT_F_ETHREAD_STARTADDRESS, 0x450, 8);
    expect_field(p, NT_F_ETHREAD_CID_UNIQUEPROCESS, 0x478, 8);
    expect_field(p, NT_F_ETHREAD_CID_UNIQUETHREAD, 0x480, 8);
    expect_field(p, NT_F_ETHREAD_WIN32STARTADDRESS, 0x4D0, 8);
    expect_field(p, NT_F_ETHREAD_THREADLISTENTRY, 0x4E8, 0x10);
    expect_field(p, NT_F_ETHREAD_CROSSTHREADFLAGS, 0x510, 4);
    expect_bits(p, NT_F_ETHREAD_TERMINATED, 0x510, 4, 0, 1);
    expect_bits(p, NT_F_ETHREAD_THREADIOPRIORITY, 0x510, 4, 9, 3);
    expect_bits(p, NT_F_ETHREAD_ACTIVEEXWORKER, 0x514, 4, 0, 1);
    /* The three counters bug check 0x13C names in Arg3 (0, 1, 2). */
    expect_field(p, NT_F_ETHREAD_IOBOOSTCOUNT, 0x550, 4);
    expect_field(p, NT_F_ETHREAD_IOQOSBOOSTCOUNT, 0x554, 4);
    expect_field(p, NT_F_ETHREAD_IOQOSTHROTTLECOUNT, 0x558, 4);
    expect_field(p, NT_F_ETHREAD_KERNELSTACKREFERENCE, 0x55C, 4);
    expect_field(p, NT_F_ETHREAD_OWNERENTRYLISTHEAD, 0x628, 0x10);
    expect_field(p, NT_F_ETHREAD_LOCKENTRIES, 0x650, 0x240);
}

static void test_19041_process(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    expect_field(p, NT_F_KPROCESS_DIRECTORYTABLEBASE, 0x28, 8);
    expect_field(p, NT_F_KPROCESS_THREADLISTHEAD, 0x30, 0x10);
    expect_field(p, NT_F_KPROCESS_PROCESSLISTENTRY, 0x350, 0x10);
    expect_field(p, NT_F_KPROCESS_USERDIRECTORYTABLEBASE, 0x388, 8);
    expect_field(p, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE, 0x28, 8);
    expect_field(p, NT_F_EPROCESS_PCB_THREADLISTHEAD, 0x30, 0x10);
    expect_field(p, NT_F_EPROCESS_UNIQUEPROCESSID, 0x440, 8);
    expect_field(p, NT_F_EPROCESS_ACTIVEPROCESSLINKS, 0x448, 0x10);
    expect_field(p, NT_F_EPROCESS_FLAGS, 0x464, 4);
    expect_bits(p, NT_F_EPROCESS_PROCESSEXITING, 0x464, 4, 2, 1);
    expect_bits(p, NT_F_EPROCESS_PROCESSDELETE, 0x464, 4, 3, 1);
    expect_field(p, NT_F_EPROCESS_CREATETIME, 0x468, 8);
    expect_field(p, NT_F_EPROCESS_TOKEN, 0x4B8, 8);
    expect_field(p, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID, 0x540, 8);
    expect_field(p, NT_F_EPROCESS_PEB, 0x550, 8);
    expect_field(p, NT_F_EPROCESS_OBJECTTABLE, 0x570, 8);
    expect_field(p, NT_F_EPROCESS_IMAGEFILENAME, 0x5A8, 15);
    expect_field(p, NT_F_EPROCESS_THREADLISTHEAD, 0x5E0, 0x10);
    expect_field(p, NT_F_EPROCESS_ACTIVETHREADS, 0x5F0, 4);
    expect_field(p, NT_F_EPROCESS_EXITSTATUS, 0x7D4, 4);
    expect_field(p, NT_F_EPROCESS_EXITTIME, 0x840, 8); /* not next to CreateTime */
    expect_bits(p, NT_F_EPROCESS_SYSTEMPROCESS, 0x87C, 4, 12, 1);
}

static void test_19041_locks_and_waits(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    expect_field(p, NT_F_ERESOURCE_SYSTEMRESOURCESLIST, 0x0, 0x10);
    expect_field(p, NT_F_ERESOURCE_OWNERTABLE, 0x10, 8);
    expect_field(p, NT_F_ERESOURCE_ACTIVECOUNT, 0x18, 2);
    expect_field(p, NT_F_ERESOURCE_FLAG, 0x1A, 2);
    expect_field(p, NT_F_ERESOURCE_WAITERPRIORITY, 0x1B, 1);
    expect_field(p, NT_F_ERESOURCE_SHAREDWAITERS, 0x20, 8);
    expect_field(p, NT_F_ERESOURCE_EXCLUSIVEWAITERS, 0x28, 8);
    expect_field(p, NT_F_ERESOURCE_OWNERENTRY, 0x30, 0x10);
    expect_field(p, NT_F_ERESOURCE_ACTIVEENTRIES, 0x40, 4);
    expect_field(p, NT_F_ERESOURCE_CONTENTIONCOUNT, 0x44, 4);
    expect_field(p, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS, 0x48, 4);
    expect_field(p, NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS, 0x4C, 4);
    expect_field(p, NT_F_ERESOURCE_ADDRESS, 0x58, 8);
    expect_field(p, NT_F_ERESOURCE_CREATORBACKTRACEINDEX, 0x58, 8);
    expect_field(p, NT_F_ERESOURCE_SPINLOCK, 0x60, 8);

    /* OWNER_ENTRY: three flag bits, then the count; OwnerCount = word >> 3. */
    expect_field(p, NT_F_OWNER_ENTRY_OWNERTHREAD, 0x0, 8);
    expect_bits(p, NT_F_OWNER_ENTRY_IOPRIORITYBOOSTED, 0x8, 4, 0, 1);
    expect_bits(p, NT_F_OWNER_ENTRY_OWNERREFERENCED, 0x8, 4, 1, 1);
    expect_bits(p, NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED, 0x8, 4, 2, 1);
    expect_bits(p, NT_F_OWNER_ENTRY_OWNERCOUNT, 0x8, 4, 3, 29);
    expect_field(p, NT_F_OWNER_ENTRY_TABLESIZE, 0x8, 4);

    /* Waiter ring: the resource slot points at a 0x30-byte on-stack entry
     * (links +0x0, thread +0x10, SynchronizationEvent +0x18). */
    expect_field(p, NT_F_FAST_ERESOURCE_INTERNAL_SHAREDWAITERS_HEAD, 0x20, 8);
    expect_field(p, NT_F_FAST_ERESOURCE_INTERNAL_EXCLUSIVEWAITERS_HEAD, 0x28, 8);
    expect_field(p, NT_F_KWAIT_CHAIN_HEAD, 0x0, 8);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY, 0x0, 0x10);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_THREAD, 0x10, 8);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT, 0x18, 0x18);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE, 0x18, 1);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE, 0x1A, 1);

    expect_field(p, NT_F_KWAIT_BLOCK_WAITLISTENTRY, 0x0, 0x10);
    expect_field(p, NT_F_KWAIT_BLOCK_WAITTYPE, 0x10, 1);
    expect_field(p, NT_F_KWAIT_BLOCK_BLOCKSTATE, 0x11, 1);
    expect_field(p, NT_F_KWAIT_BLOCK_WAITKEY, 0x12, 2);
    expect_field(p, NT_F_KWAIT_BLOCK_THREAD, 0x18, 8);
    expect_field(p, NT_F_KWAIT_BLOCK_OBJECT, 0x20, 8);
    expect_field(p, NT_F_DISPATCHER_HEADER_TYPE, 0x0, 1);
    expect_field(p, NT_F_DISPATCHER_HEADER_SIZE, 0x2, 1);
    expect_field(p, NT_F_DISPATCHER_HEADER_SIGNALSTATE, 0x4, 4);
    expect_field(p, NT_F_DISPATCHER_HEADER_WAITLISTHEAD, 0x8, 0x10);

    expect_field(p, NT_F_KMUTANT_MUTANTLISTENTRY, 0x18, 0x10);
    expect_field(p, NT_F_KMUTANT_OWNERTHREAD, 0x28, 8);
    expect_bits(p, NT_F_KMUTANT_ABANDONED, 0x30, 1, 0, 1);
    expect_field(p, NT_F_KMUTANT_APCDISABLE, 0x31, 1);
    expect_field(p, NT_F_FAST_MUTEX_OWNER, 0x8, 8);
    expect_field(p, NT_F_FAST_MUTEX_EVENT, 0x18, 0x18);
    expect_bits(p, NT_F_EX_PUSH_LOCK_WAITING, 0x0, 8, 1, 1);
    expect_bits(p, NT_F_EX_PUSH_LOCK_SHARED, 0x0, 8, 4, 60);
    expect_bits(p, NT_F_EX_FAST_REF_REFCNT, 0x0, 8, 0, 4);
}

static void test_19041_system(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS, 0x0, 0x10);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_DLLBASE, 0x30, 8);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_ENTRYPOINT, 0x38, 8);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_SIZEOFIMAGE, 0x40, 4);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_FULLDLLNAME, 0x48, 0x10);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME, 0x58, 0x10);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_CHECKSUM, 0x78, 4);
    expect_field(p, NT_F_KLDR_DATA_TABLE_ENTRY_TIMEDATESTAMP, 0x9C, 4);
    expect_field(p, NT_F_UNICODE_STRING_LENGTH, 0x0, 2);
    expect_field(p, NT_F_UNICODE_STRING_MAXIMUMLENGTH, 0x2, 2);
    expect_field(p, NT_F_UNICODE_STRING_BUFFER, 0x8, 8);

    /* KPCR: the larger of the two _KPCR entries in the data, the one with Prcb. */
    expect_field(p, NT_F_KPCR_SELF, 0x18, 8);
    expect_field(p, NT_F_KPCR_CURRENTPRCB, 0x20, 8);
    expect_field(p, NT_F_KPCR_PRCB, 0x180, 0xAF00);
    expect_field(p, NT_F_KPCR_PRCB_CURRENTTHREAD, 0x188, 8);
    expect_field(p, NT_F_KPRCB_CURRENTTHREAD, 0x8, 8);
    expect_field(p, NT_F_KPRCB_NEXTTHREAD, 0x10, 8);
    expect_field(p, NT_F_KPRCB_IDLETHREAD, 0x18, 8);
    expect_field(p, NT_F_KPRCB_NUMBER, 0x24, 4);
    expect_field(p, NT_F_KPRCB_PROCESSORSTATE, 0x100, 0x5C0);
    expect_field(p, NT_F_KPRCB_PROCESSORSTATE_CONTEXTFRAME, 0x1F0, 0x4D0);
    expect_field(p, NT_F_KPRCB_KERNELDIRECTORYTABLEBASE, 0x8E80, 8);
    expect_field(p, NT_F_CONTEXT_RSP, 0x98, 8);
    expect_field(p, NT_F_CONTEXT_RBP, 0xA0, 8);
    expect_field(p, NT_F_CONTEXT_RIP, 0xF8, 8);
    expect_field(p, NT_F_KTRAP_FRAME_RBP, 0x158, 8);
    expect_field(p, NT_F_KTRAP_FRAME_RIP, 0x168, 8);
    expect_field(p, NT_F_KTRAP_FRAME_SEGCS, 0x170, 2);
    expect_field(p, NT_F_KTRAP_FRAME_RSP, 0x180, 8);
    expect_field(p, NT_F_KEXCEPTION_FRAME_RETURN, 0x138, 8);

    expect_field(p, NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER, 0x4, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_INTERRUPTTIME, 0x8, 0xC);
    expect_field(p, NT_F_KUSER_SHARED_DATA_SYSTEMTIME, 0x14, 0xC);
    expect_field(p, NT_F_KUSER_SHARED_DATA_TIMEZONEBIAS, 0x20, 0xC);
    expect_field(p, NT_F_KUSER_SHARED_DATA_NTBUILDNUMBER, 0x260, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_NTPRODUCTTYPE, 0x264, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_NTMAJORVERSION, 0x26C, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_NTMINORVERSION, 0x270, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_SUITEMASK, 0x2D0, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_TICKCOUNT, 0x320, 0xC);
    expect_field(p, NT_F_KUSER_SHARED_DATA_TICKCOUNT_LOWPART, 0x320, 4);
    expect_field(p, NT_F_KUSER_SHARED_DATA_TICKCOUNTQUAD, 0x320, 8);
    expect_field(p, NT_F_KUSER_SHARED_DATA_INTERRUPTTIMEBIAS, 0x3B0, 8);
    expect_field(p, NT_F_KSYSTEM_TIME_HIGH1TIME, 0x4, 4);
    expect_field(p, NT_F_KSYSTEM_TIME_HIGH2TIME, 0x8, 4);

    expect_field(p, NT_F_OBJECT_HEADER_POINTERCOUNT, 0x0, 8);
    expect_field(p, NT_F_OBJECT_HEADER_TYPEINDEX, 0x18, 1);
    expect_field(p, NT_F_OBJECT_HEADER_INFOMASK, 0x1A, 1);
    expect_field(p, NT_F_OBJECT_HEADER_BODY, 0x30, 8); /* header = body - 0x30 */
    expect_field(p, NT_F_OBJECT_HEADER_NAME_INFO_NAME, 0x8, 0x10);
    expect_field(p, NT_F_OBJECT_TYPE_NAME, 0x10, 0x10);
    expect_field(p, NT_F_OBJECT_TYPE_INDEX, 0x28, 1);
}

static void test_19041_struct_sizes(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    assert_int_equal(nt_struct_size(p, NT_S_KTHREAD), 0x430);
    assert_int_equal(nt_struct_size(p, NT_S_ETHREAD), 0x898);
    assert_int_equal(nt_struct_size(p, NT_S_KPROCESS), 0x438);
    assert_int_equal(nt_struct_size(p, NT_S_EPROCESS), 0xA40);
    assert_int_equal(nt_struct_size(p, NT_S_ERESOURCE), 0x68);
    assert_int_equal(nt_struct_size(p, NT_S_FAST_ERESOURCE_INTERNAL), 0x68);
    assert_int_equal(nt_struct_size(p, NT_S_OWNER_ENTRY), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN), 0x8);
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN_ENTRY), 0x30);
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_BLOCK), 0x30);
    assert_int_equal(nt_struct_size(p, NT_S_DISPATCHER_HEADER), 0x18);
    assert_int_equal(nt_struct_size(p, NT_S_KEVENT), 0x18);
    assert_int_equal(nt_struct_size(p, NT_S_KSEMAPHORE), 0x20);
    assert_int_equal(nt_struct_size(p, NT_S_KMUTANT), 0x38);
    assert_int_equal(nt_struct_size(p, NT_S_KTIMER), 0x40);
    assert_int_equal(nt_struct_size(p, NT_S_FAST_MUTEX), 0x38);
    assert_int_equal(nt_struct_size(p, NT_S_KLOCK_ENTRY), 0x60);
    assert_int_equal(nt_struct_size(p, NT_S_KAPC_STATE), 0x30);
    assert_int_equal(nt_struct_size(p, NT_S_CLIENT_ID), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_KLDR_DATA_TABLE_ENTRY), 0xA0);
    assert_int_equal(nt_struct_size(p, NT_S_UNICODE_STRING), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_LIST_ENTRY), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_KPCR), 0xB080); /* not the 0x178 duplicate */
    assert_int_equal(nt_struct_size(p, NT_S_KPRCB), 0xAF00); /* not the 0x700 duplicate */
    assert_int_equal(nt_struct_size(p, NT_S_KPROCESSOR_STATE), 0x5C0);
    assert_int_equal(nt_struct_size(p, NT_S_KSPECIAL_REGISTERS), 0xF0);
    assert_int_equal(nt_struct_size(p, NT_S_CONTEXT), 0x4D0);
    assert_int_equal(nt_struct_size(p, NT_S_KTRAP_FRAME), 0x190);
    assert_int_equal(nt_struct_size(p, NT_S_KEXCEPTION_FRAME), 0x140);
    assert_int_equal(nt_struct_size(p, NT_S_KUSER_SHARED_DATA), 0x720);
    assert_int_equal(nt_struct_size(p, NT_S_KSYSTEM_TIME), 0xC);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER), 0x38);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_TYPE), 0xD8);
    /* Optional headers in front of an object header, InfoMask bit order. */
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_CREATOR_INFO), 0x20);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_NAME_INFO), 0x20);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_HANDLE_INFO), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_QUOTA_INFO), 0x20);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_PROCESS_INFO), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_AUDIT_INFO), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_EXTENDED_INFO), 0x10);
    assert_int_equal(nt_struct_size(p, NT_S_OBJECT_HEADER_PADDING_INFO), 0x4);
    /* The wait block array is four blocks. */
    assert_int_equal(nt_field_get(p, NT_F_KTHREAD_WAITBLOCK)->size, 4 * nt_struct_size(p, NT_S_KWAIT_BLOCK));
}

static void test_19041_enums(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    assert_int_equal(nt_enum_value(p, NT_E_KTHREAD_STATE_RUNNING), 2);
    assert_int_equal(nt_enum_value(p, NT_E_KTHREAD_STATE_TERMINATED), 4);
    assert_int_equal(nt_enum_value(p, NT_E_KTHREAD_STATE_WAITING), 5);
    assert_int_equal(nt_enum_value(p, NT_E_KTHREAD_STATE_WAITINGFORPROCESSINSWAP), 9);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_EXECUTIVE), 0);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRSPARE0), 14);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRTERMINATED), 22);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRRESOURCE), 27);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRPUSHLOCK), 28);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRMUTEX), 29);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRFASTMUTEX), 34);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRGUARDEDMUTEX), 35);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRPHYSICALFAULT), 39);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_MAXIMUMWAITREASON), 40);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_EVENTNOTIFICATIONOBJECT), 0);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT), 1);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_MUTANTOBJECT), 2);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_PROCESSOBJECT), 3);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_SEMAPHOREOBJECT), 5);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_THREADOBJECT), 6);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_PRIQUEUEOBJECT), 21);
    assert_int_equal(nt_enum_value(p, NT_E_KOBJECTS_MAXIMUMKERNELOBJECT), 27);
    assert_int_equal(nt_enum_value(p, NT_E_MODE_KERNELMODE), 0);
    assert_int_equal(nt_enum_value(p, NT_E_MODE_USERMODE), 1);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_BLOCK_STATE_WAITBLOCKACTIVE), 4);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_BLOCK_STATE_WAITBLOCKINACTIVE), 5);
    assert_int_equal(nt_enum_value(p, NT_E_NT_PRODUCT_TYPE_NTPRODUCTWINNT), 1);
    assert_int_equal(nt_enum_value(p, NT_E_NT_PRODUCT_TYPE_NTPRODUCTSERVER), 3);

    assert_string_equal(nt_enum_name(p, NT_EK_KTHREAD_STATE, 5), "Waiting");
    assert_string_equal(nt_enum_name(p, NT_EK_KTHREAD_STATE, 4), "Terminated");
    assert_string_equal(nt_enum_name(p, NT_EK_KWAIT_REASON, 27), "WrResource");
    assert_string_equal(nt_enum_name(p, NT_EK_KWAIT_REASON, 22), "WrTerminated");
    assert_string_equal(nt_enum_name(p, NT_EK_KOBJECTS, 6), "ThreadObject");
    assert_string_equal(nt_enum_name(p, NT_EK_MODE, 0), "KernelMode");
    assert_string_equal(nt_enum_name(p, NT_EK_KWAIT_BLOCK_STATE, 4), "WaitBlockActive");
    assert_string_equal(nt_enum_name(p, NT_EK_NT_PRODUCT_TYPE, 1), "NtProductWinNt");
    /* Same value, different kinds: the kind decides. */
    assert_string_equal(nt_enum_name(p, NT_EK_KWAIT_REASON, 5), "Suspended");
    /* Values the data does not define stay unnamed; the report prints the number. */
    assert_null(nt_enum_name(p, NT_EK_KTHREAD_STATE, 10));
    assert_null(nt_enum_name(p, NT_EK_KWAIT_REASON, 41)); /* WrIoRing exists only in Windows 11 */
    assert_null(nt_enum_name(p, NT_EK_NT_PRODUCT_TYPE, 0));
    assert_null(nt_enum_name(p, NT_EK_KOBJECTS, -1));
}

/* --- across builds ---------------------------------------------------------------------- */

static int same_field(const nt_field *a, const nt_field *b)
{
    return a->offset == b->offset && a->size == b->size && a->bit_pos == b->bit_pos &&
           a->bit_width == b->bit_width && a->present == b->present;
}

/* Reference section 10: everything the model reads is identical in 19041..19045 except the
 * KPRCB processor-topology bytes, which 19045 renamed Legacy* and replaced with ULONGs. */
static void test_builds_agree_except_documented_changes(void **state)
{
    const nt_profile *base = p19041();
    size_t b;
    int i;
    (void)state;
    for (b = 1; b < N_SUPPORTED; b++) {
        const nt_profile *p = nt_profile_for_build(supported_builds[b]);
        assert_non_null(p);
        for (i = 0; i < NT_F__COUNT; i++) {
            if (i == NT_F_KPRCB_CORESPERPHYSICALPROCESSOR || i == NT_F_KPRCB_LOGICALPROCESSORSPERCORE)
                continue;
            if (!same_field(&base->fields[i], &p->fields[i]))
                fail_msg("%s differs between 19041 and %u", nt_field_name((nt_field_id)i), (unsigned)p->build);
        }
        for (i = 0; i < NT_S__COUNT; i++)
            if (base->struct_sizes[i] != p->struct_sizes[i])
                fail_msg("size of %s differs between 19041 and %u", nt_struct_name((nt_struct_id)i),
                         (unsigned)p->build);
        for (i = 0; i < NT_E__COUNT; i++)
            if (base->enum_values[i] != p->enum_values[i])
                fail_msg("%s differs between 19041 and %u", nt_enum_id_name((nt_enum_id)i), (unsigned)p->build);
    }
}

static void test_kprcb_topology_moves_in_19045(void **state)
{
    size_t b;
    (void)state;
    for (b = 0; b < N_SUPPORTED; b++) {
        const nt_profile *p = nt_profile_for_build(supported_builds[b]);
        if (p->build < 19045) {
            expect_field(p, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, 0x8E, 1);
            expect_field(p, NT_F_KPRCB_LOGICALPROCESSORSPERCORE, 0x8F, 1);
        } else {
            expect_field(p, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, 0x98, 4);
            expect_field(p, NT_F_KPRCB_LOGICALPROCESSORSPERCORE, 0x9C, 4);
        }
        /* ... while what the model needs from the KPRCB stays put. */
        expect_field(p, NT_F_KPRCB_CURRENTTHREAD, 0x8, 8);
        expect_field(p, NT_F_KPRCB_NUMBER, 0x24, 4);
        expect_field(p, NT_F_KPRCB_PROCESSORSTATE, 0x100, 0x5C0);
        assert_int_equal(nt_struct_size(p, NT_S_KPRCB), 0xAF00);
        /* and EPROCESS keeps its size although 19043+ add fields in its tail padding. */
        assert_int_equal(nt_struct_size(p, NT_S_EPROCESS), 0xA40);
    }
}

/* Spot checks of the key table of reference section 11 in every supported build. */
static void test_key_offsets_every_build(void **state)
{
    size_t b;
    (void)state;
    for (b = 0; b < N_SUPPORTED; b++) {
        const nt_profile *p = nt_profile_for_build(supported_builds[b]);
        assert_int_equal(nt_struct_size(p, NT_S_KTHREAD), 0x430);
        assert_int_equal(nt_struct_size(p, NT_S_ETHREAD), 0x898);
        assert_int_equal(nt_struct_size(p, NT_S_KPROCESS), 0x438);
        assert_int_equal(nt_struct_size(p, NT_S_ERESOURCE), 0x68);
        assert_int_equal(nt_struct_size(p, NT_S_KWAIT_BLOCK), 0x30);
        assert_int_equal(nt_struct_size(p, NT_S_KLDR_DATA_TABLE_ENTRY), 0xA0);
        expect_field(p, NT_F_ETHREAD_CID_UNIQUETHREAD, 0x480, 8);
        expect_bits(p, NT_F_ETHREAD_TERMINATED, 0x510, 4, 0, 1);
        expect_field(p, NT_F_KTHREAD_STATE, 0x184, 1);
        expect_field(p, NT_F_KTHREAD_WAITREASON, 0x283, 1);
        expect_field(p, NT_F_EPROCESS_UNIQUEPROCESSID, 0x440, 8);
        expect_field(p, NT_F_EPROCESS_IMAGEFILENAME, 0x5A8, 15);
        expect_bits(p, NT_F_EPROCESS_PROCESSEXITING, 0x464, 4, 2, 1);
        expect_field(p, NT_F_KPCR_PRCB, 0x180, 0xAF00);
        expect_field(p, NT_F_OBJECT_HEADER_BODY, 0x30, 8);
    }
}

/* --- whole-table invariants ------------------------------------------------------------- */

/* Struct id of a field's top-level struct, from the field's name ("_EPROCESS.Pcb.X"). */
static int struct_of_field(nt_field_id id)
{
    const char *name = nt_field_name(id);
    size_t len = (size_t)(strchr(name, '.') - name);
    int s;
    for (s = 0; s < NT_S__COUNT; s++) {
        const char *sn = nt_struct_name((nt_struct_id)s);
        if (strlen(sn) == len && strncmp(sn, name, len) == 0)
            return s;
    }
    return -1;
}

static void test_required_fields_present_and_in_bounds(void **state)
{
    size_t b;
    int i, optional = 0;
    (void)state;
    for (i = 0; i < NT_F__COUNT; i++) {
        assert_non_null(nt_field_name((nt_field_id)i));
        assert_non_null(strchr(nt_field_name((nt_field_id)i), '.'));
        optional += nt_field_is_optional((nt_field_id)i);
    }
    assert_true(optional > 0 && optional < 48); /* optional is the exception */

    for (b = 0; b < nt_profile_count(); b++) {
        const nt_profile *p = nt_profile_at(b);
        for (i = 0; i < NT_F__COUNT; i++) {
            const nt_field *f = nt_field_get(p, (nt_field_id)i);
            int s = struct_of_field((nt_field_id)i);
            if (!f) {
                if (!nt_field_is_optional((nt_field_id)i))
                    fail_msg("required %s absent in %u", nt_field_name((nt_field_id)i), (unsigned)p->build);
                continue;
            }
            assert_true(f->size > 0);
            if (f->bit_width)
                assert_true(f->size <= 8 && f->bit_pos + f->bit_width <= f->size * 8);
            /* Every field lies inside its struct, whenever the struct's size is in the table. */
            if (s >= 0 && (uint64_t)f->offset + f->size > nt_struct_size(p, (nt_struct_id)s))
                fail_msg("%s runs past the end of its struct in %u", nt_field_name((nt_field_id)i),
                         (unsigned)p->build);
        }
        for (i = 0; i < NT_S__COUNT; i++)
            if (nt_struct_size(p, (nt_struct_id)i) == 0 && i != NT_S_FAST_ERESOURCE_INTERNAL &&
                i != NT_S_KWAIT_CHAIN_ENTRY && i != NT_S_OBJECT_HEADER_EXTENDED_INFO)
                fail_msg("size of %s unknown in %s", nt_struct_name((nt_struct_id)i), p->version);
    }
}

/* --- every build: spot checks typed in from the data, family shapes ------------------- */

static const nt_profile *by_version(const char *v)
{
    for (size_t i = 0; i < nt_profile_count(); i++)
        if (strcmp(nt_profile_at(i)->version, v) == 0)
            return nt_profile_at(i);
    fail_msg("no profile %s", v);
    return NULL;
}

static void test_every_build_spot_checks(void **state)
{
    (void)state;
    /* The waiter-entry families (nt-locks-and-waits.md 1.4, read from each build's data). */
    const nt_profile *p = by_version("10.0.10240.16384");
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN_ENTRY), 0);
    assert_null(nt_field_get(p, NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED));
    expect_bits(p, NT_F_OWNER_ENTRY_OWNERCOUNT, 0x8, 4, 2, 30);
    assert_null(nt_field_get(p, NT_F_ETHREAD_IOQOSBOOSTCOUNT));
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRPHYSICALFAULT), NT_ENUM_INVALID);
    p = by_version("10.0.14393.0");
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN_ENTRY), 0x20);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT, 0x8, 0x18);
    expect_bits(p, NT_F_OWNER_ENTRY_OWNERCOUNT, 0x8, 4, 3, 29);
    p = by_version("10.0.15063.0");
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN_ENTRY), 0x28);
    assert_null(nt_field_get(p, NT_F_KWAIT_CHAIN_ENTRY_THREAD));
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT, 0x10, 0x18);
    p = by_version("10.0.17763.107");
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_THREAD, 0x10, 8);
    expect_field(p, NT_F_KWAIT_CHAIN_ENTRY_EVENT, 0x18, 0x18);
    p = by_version("10.0.22621.382");
    assert_int_equal(nt_struct_size(p, NT_S_KWAIT_CHAIN_ENTRY), 0x38);
    expect_field(p, NT_F_KTHREAD_RESOURCEINDEX, 0x460, 1);
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRMDLCACHE), 41);
    p = by_version("10.0.26100.1742");
    assert_null(nt_field_get(p, NT_F_ERESOURCE_RESERVED2));
    assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRRCU), 42);
    /* Rows are shared: 1903 and 1909 data are equal, 19041..19044 too, 22H2 and 23H2. */
    assert_ptr_equal(by_version("10.0.18362.30")->fields, by_version("10.0.18362.418")->fields);
    assert_ptr_equal(by_version("10.0.19041.264")->fields, by_version("10.0.19044.1288")->fields);
    assert_ptr_equal(by_version("10.0.22621.382")->fields, by_version("10.0.22631.2428")->fields);
    /* What the KDBG cross-check compares is in every build. */
    for (size_t i = 0; i < nt_profile_count(); i++) {
        p = nt_profile_at(i);
        expect_field(p, NT_F_KTHREAD_STATE, 0x184, 1);
        expect_field(p, NT_F_KTHREAD_WAITREASON, 0x283, 1);
        assert_non_null(nt_field_get(p, NT_F_KTHREAD_KERNELSTACK));
        assert_true(nt_struct_size(p, NT_S_ETHREAD) > 0 && nt_struct_size(p, NT_S_ETHREAD) <= 0x1000);
        assert_true(nt_struct_size(p, NT_S_EPROCESS) > 0);
        assert_int_equal(nt_enum_value(p, NT_E_KWAIT_REASON_WRRESOURCE), 27);
        assert_int_equal(nt_enum_value(p, NT_E_KTHREAD_STATE_WAITING), 5);
    }
}

/* Update-level moves inside one kernel file build (vergilius README). */
static void test_update_level_moves(void **state)
{
    nt_profile_choice c;
    (void)state;
    assert_int_equal(nt_profile_choose(19041, 3323, &c), 0);
    expect_field(&c.prof, NT_F_KTHREAD_RESOURCEINDEX, 0x289, 1);
    expect_field(&c.prof, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, 0x98, 4);
    assert_int_equal(nt_profile_choose(19041, 3324, &c), 0);
    expect_field(&c.prof, NT_F_KTHREAD_RESOURCEINDEX, 0x408, 1);
    assert_int_equal(nt_profile_choose(19045, 2129, &c), 0); /* 19045 data is 2965: moved back */
    expect_field(&c.prof, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, 0x8E, 1);
    assert_int_equal(nt_profile_choose(19041, 804, &c), 0);
    assert_true(c.revision_known);
    assert_int_equal(c.nunsure, 0);
    expect_field(&c.prof, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR, 0x8E, 1);
    assert_string_equal(c.prof.version, "10.0.19041.264");
    /* Unknown update level: moved items are absent, never guessed, and named. */
    assert_int_equal(nt_profile_choose(19041, -1, &c), 0);
    assert_null(nt_field_get(&c.prof, NT_F_KTHREAD_RESOURCEINDEX));
    assert_true(c.nunsure >= 3);
    assert_non_null(nt_field_get(&c.prof, NT_F_KTHREAD_STATE));
    assert_int_equal(nt_profile_choose(22000, 2002, &c), 0);
    expect_field(&c.prof, NT_F_KTHREAD_RESOURCEINDEX, 0x289, 1);
    assert_null(nt_field_get(&c.prof, NT_F_KPRCB_CORESPERPHYSICALPROCESSOR)); /* moved at 1880, to where? */
    assert_int_equal(nt_profile_choose(22000, 2003, &c), 0);
    expect_field(&c.prof, NT_F_KTHREAD_RESOURCEINDEX, 0x408, 1);
    assert_int_equal(nt_profile_choose(14393, 0, &c), 0);
    assert_non_null(nt_field_get(&c.prof, NT_F_EPROCESS_EXITTIME));
    assert_int_equal(nt_profile_choose(14393, 447, &c), 0);
    assert_null(nt_field_get(&c.prof, NT_F_EPROCESS_EXITTIME));
    assert_int_equal(nt_struct_size(&c.prof, NT_S_KPRCB), 0x7EC0);
    /* 23H2 runs the 22621 kernel. */
    assert_int_equal(nt_profile_choose(22631, 2428, &c), 0);
    assert_string_equal(c.prof.version, "10.0.22631.2428");
    assert_int_equal(nt_profile_choose(22621, 2428, &c), 0);
    assert_string_equal(c.prof.version, "10.0.22621.382");
}

static void test_kernel_versions(void **state)
{
    (void)state;
    const nt_kernel_version *k = nt_kernel_version_find(0x0D8333E6, 0x1046000);
    assert_non_null(k);
    assert_int_equal(k->version[2], 19041);
    assert_int_equal(k->version[3], 804);
    assert_null(nt_kernel_version_find(0x0D8333E6, 0x1047000));
    assert_null(nt_kernel_version_find(0, 0));
    /* one file listed under two versions: the lower one stands for it */
    k = nt_kernel_version_find(0x7a5ef578, 0x01047000);
    assert_non_null(k);
    assert_int_equal(k->version[3], 1483);
    for (size_t i = 1; i < nt_kernel_version_count; i++)
        assert_true(nt_kernel_versions[i - 1].timestamp < nt_kernel_versions[i].timestamp ||
                    (nt_kernel_versions[i - 1].timestamp == nt_kernel_versions[i].timestamp &&
                     nt_kernel_versions[i - 1].size_of_image < nt_kernel_versions[i].size_of_image));
}

static void test_names(void **state)
{
    int i;
    (void)state;
    assert_string_equal(nt_field_name(NT_F_ETHREAD_CID_UNIQUETHREAD), "_ETHREAD.Cid.UniqueThread");
    assert_string_equal(nt_field_name(NT_F_KTHREAD_APCSTATE_PROCESS), "_KTHREAD.ApcState.Process");
    assert_string_equal(nt_field_name(NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE), "_KWAIT_CHAIN_ENTRY.Event.Header.Type");
    assert_string_equal(nt_struct_name(NT_S_ERESOURCE), "_ERESOURCE");
    assert_string_equal(nt_enum_kind_name(NT_EK_KWAIT_REASON), "_KWAIT_REASON");
    assert_string_equal(nt_enum_id_name(NT_E_KWAIT_REASON_WRRESOURCE), "WrResource");
    assert_true(nt_field_is_optional(NT_F_KTHREAD_LOCKENTRIES));
    assert_false(nt_field_is_optional(NT_F_KTHREAD_STATE));
    for (i = 0; i < NT_S__COUNT; i++)
        assert_non_null(nt_struct_name((nt_struct_id)i));
    for (i = 0; i < NT_E__COUNT; i++)
        assert_non_null(nt_enum_id_name((nt_enum_id)i));
    assert_null(nt_field_name(NT_F__COUNT));
    assert_null(nt_struct_name(NT_S__COUNT));
    assert_null(nt_enum_kind_name(NT_EK__COUNT));
    assert_null(nt_enum_id_name(NT_E__COUNT));
    assert_false(nt_field_is_optional(NT_F__COUNT));
}

/* --- API edges -------------------------------------------------------------------------- */

static void test_no_profile_and_bad_ids(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    assert_null(nt_field_get(NULL, NT_F_KTHREAD_STATE));
    assert_null(nt_field_get(p, NT_F__COUNT));
    assert_null(nt_field_get(p, (nt_field_id)-1));
    assert_int_equal(nt_struct_size(NULL, NT_S_KTHREAD), 0);
    assert_int_equal(nt_struct_size(p, NT_S__COUNT), 0);
    assert_int_equal(nt_enum_value(NULL, NT_E_KTHREAD_STATE_WAITING), NT_ENUM_INVALID);
    assert_int_equal(nt_enum_value(p, NT_E__COUNT), NT_ENUM_INVALID);
    assert_null(nt_enum_name(NULL, NT_EK_KTHREAD_STATE, 5));
    assert_null(nt_enum_name(p, NT_EK__COUNT, 5));
}

/* An absent optional field reads as NULL, never as offset 0. The supported builds have all
 * fields, so a profile is built here by hand around the real 19041 arrays. */
static void test_absent_field_is_null(void **state)
{
    static nt_field fields[NT_F__COUNT];
    const nt_profile *real = p19041();
    nt_profile fake;
    (void)state;
    memcpy(fields, real->fields, sizeof fields);
    fields[NT_F_KTHREAD_ABWAITOBJECT].present = 0;
    fake = *real;
    fake.fields = fields;
    assert_null(nt_field_get(&fake, NT_F_KTHREAD_ABWAITOBJECT));
    assert_non_null(nt_field_get(&fake, NT_F_KTHREAD_STATE));
}

static void test_field_bits(void **state)
{
    const nt_profile *p = p19041();
    (void)state;
    /* CrossThreadFlags with Terminated (bit 0) and ThreadIoPriority = 5 (bits 9-11). */
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_ETHREAD_TERMINATED), 0x0A01), 1);
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_ETHREAD_TERMINATED), 0x0A00), 0);
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_ETHREAD_THREADIOPRIORITY), 0x0A01), 5);
    /* OWNER_ENTRY word 0x0C = count 1 with IoQoSPriorityBoosted (the 0x13C dump's owner). */
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_OWNER_ENTRY_OWNERCOUNT), 0x0C), 1);
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED), 0x0C), 1);
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_OWNER_ENTRY_IOPRIORITYBOOSTED), 0x0C), 0);
    /* 60-bit push-lock share count, and plain fields pass through unchanged. */
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_EX_PUSH_LOCK_SHARED), UINT64_C(0xFFFFFFFFFFFFFFF0)),
                     UINT64_C(0x0FFFFFFFFFFFFFFF));
    assert_int_equal(nt_field_bits(nt_field_get(p, NT_F_KTHREAD_STATE), 0x1234), 0x1234);
    assert_int_equal(nt_field_bits(NULL, 7), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supported_builds_resolve),
        cmocka_unit_test(test_other_builds_have_no_profile),
        cmocka_unit_test(test_19041_thread),
        cmocka_unit_test(test_19041_process),
        cmocka_unit_test(test_19041_locks_and_waits),
        cmocka_unit_test(test_19041_system),
        cmocka_unit_test(test_19041_struct_sizes),
        cmocka_unit_test(test_19041_enums),
        cmocka_unit_test(test_builds_agree_except_documented_changes),
        cmocka_unit_test(test_kprcb_topology_moves_in_19045),
        cmocka_unit_test(test_key_offsets_every_build),
        cmocka_unit_test(test_required_fields_present_and_in_bounds),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_every_build_spot_checks),
        cmocka_unit_test(test_update_level_moves),
        cmocka_unit_test(test_kernel_versions),
        cmocka_unit_test(test_no_profile_and_bad_ids),
        cmocka_unit_test(test_absent_field_is_null),
        cmocka_unit_test(test_field_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Kernel "worlds": the Windows kernel objects a crash-dump reader walks (KDBG, ntoskrnl's PE
 * image, KUSER_SHARED_DATA, processors, processes, threads, loaded modules, executive
 * resources with their owners and on-stack waiter rings), laid out in a generated dump with
 * the offsets, sizes and enum values of the dump's build (nt_profile.h: shared offset DATA,
 * never the reader's parsing code). The story these objects tell is
 * shared/reference/nt-locks-and-waits.md; the KDBG layout is dump-format.md section 4.
 *
 * Scenario keys (one per line, any order, any position in the file; a world exists only when a
 * `world` line is present). Names (IDs) of processes, threads, resources and modules share one
 * namespace. Times are tick counts since boot (15.625 ms ticks); the world turns them into
 * FILETIMEs with boot time = header SystemTime - uptime.
 *
 *   world ticks=N [uptime=N] [tz_minutes=N] [time_increment=N] [kdbg=auto|none]
 *         [crash_rip=ADDR] [crash_cpu=N] [keep_context]
 *       ticks: KUSER_SHARED_DATA.TickCount at the crash. uptime: header SystemUpTime and
 *       InterruptTime in 100 ns units (default ticks * 156250 + 103750). tz_minutes:
 *       TimeZoneBias (local = UTC - bias). time_increment: the KeTimeIncrement variable
 *       (default 156250). kdbg=none writes no KDBG (the header's KdDebuggerDataBlock is 0).
 *       Unless keep_context: the header CONTEXT gets rip = crash_rip (default nt+0x3f5da0),
 *       rsp/rbp on processor crash_cpu's (default 0) current thread's stack, rcx/rdx/r8/r9 =
 *       code, P1, P2, P3 -- or the fault's registers when a fault line is given.
 *   module NAME base=VA size=N [entry=OFF] [timestamp=N] [checksum=N] [path=TEXT]
 *          [guid=XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX] [age=N]
 *       A loaded module. ntoskrnl.exe (alias "nt") and hal.dll get defaults when not given;
 *       the list order is ntoskrnl.exe, hal.dll, then the others in file order. guid/age
 *       (ntoskrnl.exe only) go into the RSDS record of the kernel's PE image.
 *   process ID pid=N [name=IMAGE] [image=FILE] [ppid=N] [create=TICK] [exit=TICK] [exiting]
 *           [deleted] [active_threads=N] [exit_status=N] [peb=VA] [pointers=N] [handles=N]
 *           [va=VA]
 *       An EPROCESS on PsActiveProcessHead (file order). ImageFileName gets the first 14
 *       characters of name (default: image, else ID). Every process but System (pid 4) and Idle
 *       gets SeAuditProcessCreationInfo: a pool OBJECT_NAME_INFORMATION whose Name is
 *       \Device\HarddiskVolume3\Windows\System32\FILE (FILE: image, default name, else ID;
 *       at most 100 characters); System's and Idle's pointer is NULL.
 *   thread ID pid=N tid=N [state=NAME|N] [wait_reason=NAME|N] [wait_ticks=N] [terminated]
 *          [start=ADDR] [win32start=ADDR] [create=TICK] [exit=TICK] [exit_status=N]
 *          [io_boost=N] [qos_boost=N] [qos_throttle=N] [context_switches=N]
 *          [kernel_time=N] [user_time=N] [priority=N] [teb=VA] [pointers=N] [handles=N]
 *          [va=VA] [stack=TOP] [stack_pages=N]
 *       An ETHREAD on its process's two thread lists (file order). State and wait reason are
 *       the profile's enum names ("Waiting", "WrResource") or raw numbers. Defaults: a resource
 *       waiter is Waiting/WrResource, `terminated` makes Terminated/WrTerminated, a processor's
 *       current thread is Running, anything else Waiting/Executive (on a shared event).
 *       WaitTime = ticks - wait_ticks (default 1; 0 for terminated threads that give none).
 *   resource ID [exclusive|shared] [owner=REF[:COUNT[:FLAGS]]]... [waiter=THREAD[:MODE]]...
 *            [contention=N] [flag=N] [waiter_priority=N] [va=VA]
 *       An ERESOURCE on ExpSystemResourcesList. REF is a thread ID or a raw OwnerThread value;
 *       FLAGS joins qos, io, ref with '+'; MODE is exclusive (default) or shared. Waiters build
 *       0x30-byte wait entries on their own kernel stacks, in file order (FIFO ring).
 *   resources_unheld N      N unowned resources interleaved with the declared ones (a later
 *                           line replaces an earlier one, so a scenario can be extended)
 *   threads_filler pid=N count=N [start=ADDR] [state=NAME|N] [wait_reason=NAME|N]
 *                           many ordinary threads appended to a process's lists
 *   processor N current=THREAD    the thread KPRCB.CurrentThread names (default: the idle
 *                           thread of processor N, in an Idle process that is not listed)
 *   damage process_list_cycle | resource_list_cycle | thread_page_missing THREAD |
 *          waiter_ring RESOURCE
 *   stack_frames THREAD ADDR [ADDR]...
 *       Return addresses at BASE+8, +0x38, +0x68, ... (one per 0x30 bytes, innermost first):
 *       BASE is the header context's rsp on the crashing thread, else the saved KernelStack
 *       (fg_world_frames.c). Same bytes in every dump type.
 *   fault rip=ADDR [REG=ADDR]... [code=N] [flags=N] [info=N,N,...] [records=exr+cxr+trap]
 *       Exception records on the crashing thread's stack, named @exr, @cxr, @trap; the header
 *       CONTEXT / EXCEPTION_RECORD64 become the fault's (fg_world_fault.c).
 *   bugcheck CODE @REF ...  (a header key) @REF arguments are resolved once the world is built
 *
 * With `type 4` the dump is a triage dump of the world (fg_world_triage.c says what it holds).
 *
 * ADDR / REF forms: a number, or NAME[+OFF] where NAME is an object ID (its VA) or a module
 * name or "nt" (its base), or exr / cxr / trap (a fault record); a leading '@' is allowed. */
#ifndef FG_WORLD_H
#define FG_WORLD_H

#include "fg.h"

#include <stdint.h>

struct fg_sc;
typedef struct fg_world fg_world;

fg_world *fg_world_new(void);
void fg_world_free(fg_world *w);

/* 1 if key is one of the world's scenario keys above. */
int fg_world_is_key(const char *key);

/* Records one world line (key and the rest of the line). Errors name the scenario line. */
int fg_world_parse(struct fg_sc *sc, fg_world *w, fg_dump *d, const char *key, char *rest);

/* Records a bugcheck argument "@REF" (idx 0..3) to resolve after the world is built. */
int fg_world_bugcheck_ref(struct fg_sc *sc, fg_world *w, unsigned idx, const char *ref);

/* Forgets the references of an earlier bugcheck line. */
void fg_world_bugcheck_clear(fg_world *w);

/* Lays the world out in the dump (if a `world` line was seen) and resolves bugcheck
 * references. Same scenario, same bytes. */
int fg_world_finish(struct fg_sc *sc, fg_world *w, fg_dump *d);

#endif

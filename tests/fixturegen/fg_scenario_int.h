/* SPDX-License-Identifier: MIT */
/* Shared by the scenario parser's files. */
#ifndef FG_SCENARIO_INT_H
#define FG_SCENARIO_INT_H

#include "fg.h"

#include <stddef.h>
#include <stdint.h>

typedef struct fg_sc {
    const char *name;  /* file name for messages */
    unsigned line;     /* current line number */
    char *err;
    size_t errlen;
    struct fg_world *world; /* kernel objects the scenario declares (fg_world.h) */
} fg_sc;

int fg_sc_fail(fg_sc *sc, const char *fmt, ...) FG_PRINTF(2, 3);

/* Numbers: decimal or 0x-hex, whole token, no sign. */
int fg_sc_u64(const char *s, uint64_t *v);
int fg_sc_u32(const char *s, uint32_t *v);

/* A register of the header CONTEXT by its scenario name (rax..r15 rip rsp rbp rsi rdi eflags
 * mxcsr cs ds es fs gs ss dr0..dr7): 0, -1 for an unknown name, -2 when v does not fit. */
int fg_sc_context_set(fg_context *c, const char *name, uint64_t v);

/* "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" into the Windows GUID byte order (the first three
 * groups little-endian, the last eight bytes as written). -1 when malformed. */
int fg_sc_guid(const char *s, uint8_t g[16]);

/* "N,N,...": at most max numbers into out, their count in *n. 0; -1 when there are more than
 * max; -2 with *bad at the item that is not a number. Cuts list at the commas. */
int fg_sc_u64_list(char *list, uint64_t *out, uint32_t max, uint32_t *n, const char **bad);

/* Splits off the next whitespace-separated token: returns it NUL-terminated and advances *p.
 * Returns NULL at end of line. */
char *fg_sc_token(char **p);

/* Actions (need the dump). `rest` is the text after the key, trimmed. */
int fg_sc_map(fg_sc *sc, fg_dump *d, char *rest);
int fg_sc_direct(fg_sc *sc, fg_dump *d, char *rest);
int fg_sc_write(fg_sc *sc, fg_dump *d, char *rest);
/* Triage-dump keys (fg_scenario_triage.c). */
int fg_sc_unloaded(fg_sc *sc, fg_dump *d, char *rest);
int fg_sc_blob(fg_sc *sc, fg_dump *d, char *rest);

#endif

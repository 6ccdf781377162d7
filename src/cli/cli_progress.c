/* SPDX-License-Identifier: MIT */
/* Progress on stderr while a delivery is decompressed or standard input is copied: on a
 * terminal one line redrawn in place (percent when the size is known, bytes, rate, ETA),
 * nothing otherwise unless --progress asks (then a line every second). Standard output is
 * never touched. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define FIRST_DRAW 0.5  /* seconds before the first line: quick deliveries show nothing */
#define REDRAW 0.2      /* seconds between redraws on a terminal */
#define LOG_EVERY 1.0   /* seconds between lines when forced and not a terminal */

void cli_progress_start(cli_progress *p, const cli_opts *o, const char *name)
{
    memset(p, 0, sizeof *p);
    int tty = di_stderr_is_terminal();
    p->mode = o->progress == 0 ? 0 : tty ? 1 : o->progress == 1 ? 2 : 0;
    p->name = name;
    p->start = p->last = di_monotonic_seconds();
}

/* 1536 -> "1.5 KiB" */
static void human(char *out, size_t cap, double v)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static void draw(cli_progress *p, double t)
{
    char line[512], bytes[32], rate[32], pct[16] = "", eta[32] = "";
    double elapsed = t - p->start;
    human(bytes, sizeof bytes, (double)p->bytes);
    human(rate, sizeof rate, elapsed > 0 ? (double)p->bytes / elapsed : 0);
    if (p->total) {
        snprintf(pct, sizeof pct, "%3.0f%% ", 100.0 * (double)p->done / (double)p->total);
        if (p->done > 0 && p->done < p->total) {
            double left = elapsed * (double)(p->total - p->done) / (double)p->done;
            snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)(left / 60), (int)left % 60);
        }
    }
    int n = snprintf(line, sizeof line, "dumpinspect: unpacking %s: %s%s at %s/s%s", p->name, pct, bytes, rate, eta);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
    if (p->mode == 1) {
        /* Pad over a longer previous line. */
        fprintf(stderr, "\r%s%*s", line, p->width > len ? (int)(p->width - len) : 0, "");
        p->width = len;
    } else {
        fprintf(stderr, "%s\n", line);
    }
    fflush(stderr);
    p->last = t;
}

void cli_progress_update(void *ctx, uint64_t bytes, uint64_t done, uint64_t total)
{
    cli_progress *p = ctx;
    p->bytes = bytes;
    p->done = done;
    p->total = total;
    double t = di_monotonic_seconds();
    if (t - p->start < FIRST_DRAW && p->mode != 2)
        return;
    if (t - p->last >= (p->mode == 1 ? REDRAW : LOG_EVERY) || (p->mode == 1 && p->width == 0))
        draw(p, t);
}

void cli_progress_end(cli_progress *p)
{
    if (p->mode == 1 && p->width) {
        fprintf(stderr, "\r%*s\r", (int)p->width, "");
        fflush(stderr);
    } else if (p->mode == 2 && p->bytes) {
        draw(p, di_monotonic_seconds()); /* the final count, once */
    }
}

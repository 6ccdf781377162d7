/* SPDX-License-Identifier: MIT */
/* KUSER_SHARED_DATA: the tick count that wait ages are measured against, the tick length,
 * the time zone bias. Fixed kernel address on x64. */
#include "nt/nt_model.h"

#include "util/le.h"

#define NT_KUSER_SHARED_DATA_VA 0xFFFFF78000000000ull
/* ms per tick = multiplier / 2^24: 0.5 ms and 15.625 ms ticks. */
#define NT_TICK_MULTIPLIER_MIN 0x00800000u
#define NT_TICK_MULTIPLIER_MAX 0x0FA00000u
#define NT_CLOCK_SLACK_MS 2000u

void nt_read_clock(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    uint32_t size = nt_size(c, NT_S_KUSER_SHARED_DATA);
    uint8_t buf[0x1000]; /* the whole page: 0xA80 bytes in 26100 */
    if (size == 0 || size > sizeof buf || nt_read(c, NT_KUSER_SHARED_DATA_VA, buf, size) != DI_OK) {
        nt_warn_code(c, DI_W_MISSING_DATA, "KUSER_SHARED_DATA (0x%016llx) is not in the dump: wait times cannot be computed",
                (unsigned long long)NT_KUSER_SHARED_DATA_VA);
        return;
    }
    nt_clock *k = &m->clock;
    k->tick_multiplier = (uint32_t)nt_buf_field(c, buf, size, NT_F_KUSER_SHARED_DATA_TICKCOUNTMULTIPLIER);
    k->tick_count = nt_buf_field(c, buf, size, NT_F_KUSER_SHARED_DATA_TICKCOUNTQUAD);
    uint32_t tzoff = nt_off(c, NT_F_KUSER_SHARED_DATA_TIMEZONEBIAS);
    uint32_t low = nt_off(c, NT_F_KSYSTEM_TIME_LOWPART), high = nt_off(c, NT_F_KSYSTEM_TIME_HIGH1TIME);
    if (tzoff + high + 4 <= size)
        k->time_zone_bias = (int64_t)((uint64_t)le32(buf + tzoff + low) | (uint64_t)le32(buf + tzoff + high) << 32);
    uint32_t st = nt_off(c, NT_F_KUSER_SHARED_DATA_SYSTEMTIME), it = nt_off(c, NT_F_KUSER_SHARED_DATA_INTERRUPTTIME);
    if (st + high + 4 <= size)
        k->system_time = (uint64_t)le32(buf + st + low) | (uint64_t)le32(buf + st + high) << 32;
    if (it + high + 4 <= size)
        k->interrupt_time = (uint64_t)le32(buf + it + low) | (uint64_t)le32(buf + it + high) << 32;
    k->nt_build_number = (uint32_t)nt_buf_field(c, buf, size, NT_F_KUSER_SHARED_DATA_NTBUILDNUMBER);
    /* Windows ticks last 0.5 to 15.625 ms: anything else is a damaged field, and wait times
     * computed from it would be wrong facts. */
    if (k->tick_multiplier < NT_TICK_MULTIPLIER_MIN || k->tick_multiplier > NT_TICK_MULTIPLIER_MAX) {
        nt_damage(c, "KUSER_SHARED_DATA.TickCountMultiplier 0x%08x is not a tick of 0.5 to 15.625 ms: wait "
                     "times cannot be computed",
                  k->tick_multiplier);
        return;
    }
    /* The tick count times the tick length is the time since boot, which InterruptTime
     * also measures: when they disagree one of them is damaged. */
    uint64_t tick_ms = (k->tick_count * k->tick_multiplier) >> 24, intr_ms = k->interrupt_time / 10000;
    uint64_t diff = tick_ms > intr_ms ? tick_ms - intr_ms : intr_ms - tick_ms;
    if (k->interrupt_time && diff > NT_CLOCK_SLACK_MS && diff > intr_ms / 50) {
        nt_damage(c, "KUSER_SHARED_DATA: %llu ticks make %llu ms but InterruptTime says %llu ms since boot: wait "
                     "times cannot be computed",
                  (unsigned long long)k->tick_count, (unsigned long long)tick_ms, (unsigned long long)intr_ms);
        return;
    }
    if ((k->nt_build_number & 0xFFFF) != m->build)
        nt_warn_code(c, DI_W_MISMATCH, "KUSER_SHARED_DATA.NtBuildNumber says build %u, the header says %u", k->nt_build_number & 0xFFFF,
                m->build);
    k->valid = 1;
}

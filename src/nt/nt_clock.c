/* KUSER_SHARED_DATA: the tick count that wait ages are measured against, the tick length,
 * the time zone bias. Fixed kernel address on x64. */
#include "nt/nt_model.h"

#include "util/le.h"

#define NT_KUSER_SHARED_DATA_VA 0xFFFFF78000000000ull

void nt_read_clock(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    uint32_t size = nt_size(c, NT_S_KUSER_SHARED_DATA);
    uint8_t buf[0x800];
    if (size == 0 || size > sizeof buf || nt_read(c, NT_KUSER_SHARED_DATA_VA, buf, size) != DI_OK) {
        nt_warn(c, "KUSER_SHARED_DATA (0x%016llx) is not in the dump: wait times cannot be computed",
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
    if (k->tick_multiplier == 0) {
        nt_warn(c, "KUSER_SHARED_DATA.TickCountMultiplier is 0: wait times cannot be computed");
        return;
    }
    if ((k->nt_build_number & 0xFFFF) != m->build)
        nt_warn(c, "KUSER_SHARED_DATA.NtBuildNumber says build %u, the header says %u", k->nt_build_number & 0xFFFF,
                m->build);
    k->valid = 1;
}

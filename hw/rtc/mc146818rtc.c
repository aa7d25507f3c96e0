/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mc146818rtc: CMOS clock and battery RAM.
 *
 * Interface:
 *  - I/O region of 2 ports at iobase (default 0x70): index (write; bit 7
 *    masks NMI, ignored here) and data
 *  - ISA IRQ irq (default 8), raised when an enabled flag of register C is
 *    set, lowered when C is read
 *
 * Time runs from TERN_CLOCK_HOST (UTC, or local time with base=localtime)
 * plus an offset in whole seconds that the guest changes by setting the
 * clock (register B's SET bit freezes the time registers while it writes
 * them). Register B selects BCD or binary and 12 or 24-hour encoding; the
 * update-in-progress flag is set in the last 244 us of each second, as on
 * the real part. The periodic interrupt runs on TERN_CLOCK_VIRTUAL; the
 * update-ended and alarm interrupts at host second boundaries.
 */
#include <string.h>
#include <time.h>

#include "hw/i386/isa.h"
#include "hw/rtc/mc146818rtc.h"
#include "system/memory.h"
#include "system/timer.h"
#include "util/error.h"
#include "util/log.h"

#define RTC_UIP_NS          244000
#define RTC_A_DIV_MASK      0x70
#define RTC_A_DIV_NORMAL    0x20    /* 32.768 kHz time base, running */
#define RTC_A_RATE_MASK     0x0f
#define RTC_CMOS_SIZE       128

enum { RTC_BASE_UTC, RTC_BASE_LOCALTIME };
static const char *const rtc_base_names[] = { "utc", "localtime", NULL };

typedef struct RtcState {
    DeviceState parent;
    uint32_t iobase, isairq;
    int base;
    MemoryRegion io;
    bool io_init;
    IrqLine *irq;
    uint8_t cmos[RTC_CMOS_SIZE];
    uint8_t index;
    int64_t offset;                 /* guest seconds - base seconds */
    Timer *periodic;
    int64_t periodic_next;          /* virtual ns of the next periodic tick */
    Timer *second;
} RtcState;

static bool rtc_is_time_reg(unsigned idx)
{
    return idx <= RTC_YEAR || idx == RTC_CENTURY;
}

/* Host time in the chosen base, seconds and the nanoseconds into the second. */
static int64_t rtc_base_now(RtcState *s, int64_t *ns_in_sec)
{
    int64_t ns = clock_get_ns(TERN_CLOCK_HOST);
    int64_t sec = ns / NS_PER_SEC;

    if (ns_in_sec) {
        *ns_in_sec = ns % NS_PER_SEC;
    }
    if (s->base == RTC_BASE_LOCALTIME) {
        time_t t = (time_t)sec;
        struct tm tm;

        localtime_r(&t, &tm);
        sec += tm.tm_gmtoff;
    }
    return sec;
}

static uint8_t rtc_to_reg(RtcState *s, unsigned v)
{
    return (s->cmos[RTC_REG_B] & RTC_B_DM_BINARY) ? v : (uint8_t)(((v / 10) << 4) | (v % 10));
}

static unsigned rtc_from_reg(RtcState *s, uint8_t v)
{
    return (s->cmos[RTC_REG_B] & RTC_B_DM_BINARY) ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint8_t rtc_hour_to_reg(RtcState *s, unsigned hour)
{
    if (s->cmos[RTC_REG_B] & RTC_B_24H) {
        return rtc_to_reg(s, hour);
    }
    return rtc_to_reg(s, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? 0x80 : 0);
}

static unsigned rtc_hour_from_reg(RtcState *s, uint8_t v)
{
    unsigned h;

    if (s->cmos[RTC_REG_B] & RTC_B_24H) {
        return rtc_from_reg(s, v);
    }
    h = rtc_from_reg(s, v & 0x7f) % 12;
    return (v & 0x80) ? h + 12 : h;
}

/* Fill the time registers from guest time. */
static void rtc_snapshot(RtcState *s)
{
    time_t t = (time_t)(rtc_base_now(s, NULL) + s->offset);
    struct tm tm;

    gmtime_r(&t, &tm);
    s->cmos[RTC_SECONDS] = rtc_to_reg(s, tm.tm_sec);
    s->cmos[RTC_MINUTES] = rtc_to_reg(s, tm.tm_min);
    s->cmos[RTC_HOURS] = rtc_hour_to_reg(s, tm.tm_hour);
    s->cmos[RTC_DAY_OF_WEEK] = rtc_to_reg(s, tm.tm_wday + 1);
    s->cmos[RTC_DAY_OF_MONTH] = rtc_to_reg(s, tm.tm_mday);
    s->cmos[RTC_MONTH] = rtc_to_reg(s, tm.tm_mon + 1);
    s->cmos[RTC_YEAR] = rtc_to_reg(s, (tm.tm_year + 1900) % 100);
    s->cmos[RTC_CENTURY] = rtc_to_reg(s, (tm.tm_year + 1900) / 100);
}

/* The guest wrote the time registers: derive the new offset. */
static void rtc_commit(RtcState *s)
{
    struct tm tm = {
        .tm_sec = rtc_from_reg(s, s->cmos[RTC_SECONDS]),
        .tm_min = rtc_from_reg(s, s->cmos[RTC_MINUTES]),
        .tm_hour = rtc_hour_from_reg(s, s->cmos[RTC_HOURS]),
        .tm_mday = rtc_from_reg(s, s->cmos[RTC_DAY_OF_MONTH]),
        .tm_mon = (int)rtc_from_reg(s, s->cmos[RTC_MONTH]) - 1,
        .tm_year = (int)(rtc_from_reg(s, s->cmos[RTC_CENTURY]) * 100 +
                         rtc_from_reg(s, s->cmos[RTC_YEAR])) - 1900,
    };

    s->offset = (int64_t)timegm(&tm) - rtc_base_now(s, NULL);
    log_mask(LOG_TRACE, "rtc: clock set, offset %" G_GINT64_FORMAT " s\n", s->offset);
}

static void rtc_update_irq(RtcState *s)
{
    uint8_t b = s->cmos[RTC_REG_B], c = s->cmos[RTC_REG_C];
    bool on = ((c & RTC_C_PF) && (b & RTC_B_PIE)) || ((c & RTC_C_AF) && (b & RTC_B_AIE)) ||
              ((c & RTC_C_UF) && (b & RTC_B_UIE));

    if (on && !(c & RTC_C_IRQF)) {
        s->cmos[RTC_REG_C] |= RTC_C_IRQF;
        irq_raise(s->irq);
    }
}

static bool rtc_running(RtcState *s)
{
    return (s->cmos[RTC_REG_A] & RTC_A_DIV_MASK) == RTC_A_DIV_NORMAL &&
           !(s->cmos[RTC_REG_B] & RTC_B_SET);
}

static int64_t rtc_period_ns(RtcState *s)
{
    unsigned rate = s->cmos[RTC_REG_A] & RTC_A_RATE_MASK;
    unsigned shift;

    if (!rate) {
        return 0;
    }
    shift = rate <= 2 ? rate + 6 : rate - 1;    /* rates 1, 2 alias 256 and 128 Hz */
    return (NS_PER_SEC << shift) / 32768;
}

static void rtc_arm_timers(RtcState *s)
{
    int64_t period = rtc_period_ns(s), ns;

    if (period && (s->cmos[RTC_REG_B] & RTC_B_PIE) &&
        (s->cmos[RTC_REG_A] & RTC_A_DIV_MASK) == RTC_A_DIV_NORMAL) {
        if (!timer_pending(s->periodic)) {
            s->periodic_next = clock_get_ns(TERN_CLOCK_VIRTUAL) + period;
            timer_mod_ns(s->periodic, s->periodic_next);
        }
    } else {
        timer_del(s->periodic);
    }
    if (s->cmos[RTC_REG_B] & (RTC_B_UIE | RTC_B_AIE)) {
        rtc_base_now(s, &ns);
        timer_mod_in_ns(s->second, NS_PER_SEC - ns);
    } else {
        timer_del(s->second);
    }
}

static void rtc_periodic_cb(void *opaque)
{
    RtcState *s = opaque;
    int64_t period = rtc_period_ns(s);

    s->cmos[RTC_REG_C] |= RTC_C_PF;
    rtc_update_irq(s);
    if (period && (s->cmos[RTC_REG_B] & RTC_B_PIE)) {
        int64_t now = clock_get_ns(TERN_CLOCK_VIRTUAL);

        /* Ticks stay on their grid; after a long stall, skip the missed ones. */
        s->periodic_next += period;
        if (s->periodic_next <= now) {
            s->periodic_next = now + period;
        }
        timer_mod_ns(s->periodic, s->periodic_next);
    }
}

static bool rtc_alarm_match(RtcState *s, unsigned alarm, unsigned now)
{
    /* Values 0xc0-0xff are "don't care". */
    return (s->cmos[alarm] & 0xc0) == 0xc0 || s->cmos[alarm] == s->cmos[now];
}

static void rtc_second_cb(void *opaque)
{
    RtcState *s = opaque;

    if (rtc_running(s)) {
        rtc_snapshot(s);
        s->cmos[RTC_REG_C] |= RTC_C_UF;
        if (rtc_alarm_match(s, RTC_SECONDS_ALARM, RTC_SECONDS) &&
            rtc_alarm_match(s, RTC_MINUTES_ALARM, RTC_MINUTES) &&
            rtc_alarm_match(s, RTC_HOURS_ALARM, RTC_HOURS)) {
            s->cmos[RTC_REG_C] |= RTC_C_AF;
        }
        rtc_update_irq(s);
    }
    rtc_arm_timers(s);
}

static uint8_t rtc_read_data(RtcState *s)
{
    unsigned idx = s->index;
    uint8_t v;
    int64_t ns;

    if (rtc_is_time_reg(idx)) {
        if (!(s->cmos[RTC_REG_B] & RTC_B_SET)) {
            rtc_snapshot(s);
        }
        return s->cmos[idx];
    }
    switch (idx) {
    case RTC_REG_A:
        v = s->cmos[RTC_REG_A] & ~RTC_A_UIP;
        rtc_base_now(s, &ns);
        if (rtc_running(s) && ns >= NS_PER_SEC - RTC_UIP_NS) {
            v |= RTC_A_UIP;
        }
        return v;
    case RTC_REG_C:
        v = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        irq_lower(s->irq);
        return v;
    case RTC_REG_D:
        return RTC_D_VRT;
    default:
        return s->cmos[idx];
    }
}

static void rtc_write_data(RtcState *s, uint8_t val)
{
    unsigned idx = s->index;
    uint8_t old_b = s->cmos[RTC_REG_B];

    if (rtc_is_time_reg(idx)) {
        if (!(old_b & RTC_B_SET)) {
            /* Setting one field of a running clock. */
            rtc_snapshot(s);
            s->cmos[idx] = val;
            rtc_commit(s);
        } else {
            s->cmos[idx] = val;
        }
        return;
    }
    switch (idx) {
    case RTC_REG_A:
        s->cmos[RTC_REG_A] = val & ~RTC_A_UIP;
        rtc_arm_timers(s);
        break;
    case RTC_REG_B:
        if ((val & RTC_B_SET) && !(old_b & RTC_B_SET)) {
            rtc_snapshot(s);
            val &= ~RTC_B_UIE;      /* SET clears UIE on the real part */
        }
        s->cmos[RTC_REG_B] = val;
        /* The encoding may have changed: keep the frozen registers valid. */
        if (!(val & RTC_B_SET) && (old_b & RTC_B_SET)) {
            s->cmos[RTC_REG_B] = old_b;
            rtc_commit(s);
            s->cmos[RTC_REG_B] = val;
        }
        rtc_update_irq(s);
        rtc_arm_timers(s);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        log_guest_error("rtc: write 0x%x to read-only register 0x%x\n", val, idx);
        break;
    default:
        s->cmos[idx] = val;
        break;
    }
}

static uint64_t rtc_io_read(void *opaque, uint64_t addr, unsigned size)
{
    RtcState *s = opaque;

    if (addr == 0) {
        return 0xff;                /* the index register is write-only */
    }
    return rtc_read_data(s);
}

static void rtc_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    RtcState *s = opaque;

    if (addr == 0) {
        s->index = val & 0x7f;
    } else {
        rtc_write_data(s, (uint8_t)val);
    }
}

static const MemoryRegionOps rtc_io_ops = {
    .read = rtc_io_read,
    .write = rtc_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

void rtc_set_cmos(DeviceState *dev, unsigned index, uint8_t value)
{
    RtcState *s = (RtcState *)dev;

    g_assert(index < RTC_CMOS_SIZE && index > RTC_REG_D && index != RTC_CENTURY);
    s->cmos[index] = value;
}

uint8_t rtc_get_cmos(DeviceState *dev, unsigned index)
{
    RtcState *s = (RtcState *)dev;
    uint8_t saved = s->index, v;

    g_assert(index < RTC_CMOS_SIZE);
    s->index = index;
    v = rtc_read_data(s);
    s->index = saved;
    return v;
}

static bool rtc_realize(DeviceState *dev, GError **errp)
{
    RtcState *s = (RtcState *)dev;

    if (s->iobase > 0x10000 - 2) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "iobase 0x%x is out of range",
                    s->iobase);
        return false;
    }
    if (s->isairq >= ISA_NUM_IRQS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "irq %u is not an ISA IRQ (0-15)",
                    s->isairq);
        return false;
    }
    s->irq = isa_get_irq(dev, s->isairq);
    s->periodic = timer_new_ns(TERN_CLOCK_VIRTUAL, rtc_periodic_cb, s);
    s->second = timer_new_ns(TERN_CLOCK_REALTIME, rtc_second_cb, s);
    memory_region_init_io(&s->io, &rtc_io_ops, s, "rtc", 2);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), s->iobase);
    return true;
}

static void rtc_reset(DeviceState *dev)
{
    RtcState *s = (RtcState *)dev;

    s->cmos[RTC_REG_A] = RTC_A_DIV_NORMAL | 0x06;   /* 1024 Hz periodic rate */
    s->cmos[RTC_REG_B] = RTC_B_24H;
    s->cmos[RTC_REG_C] = 0;
    s->cmos[RTC_REG_D] = RTC_D_VRT;
    timer_del(s->periodic);
    timer_del(s->second);
    irq_lower(s->irq);
}

static void rtc_finalize(DeviceState *dev)
{
    RtcState *s = (RtcState *)dev;

    timer_free(s->periodic);
    timer_free(s->second);
    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

static const Property rtc_props[] = {
    PROP_UINT32("iobase", RtcState, iobase, 0x70, "index port"),
    PROP_UINT32("irq", RtcState, isairq, RTC_ISA_IRQ, "ISA interrupt"),
    PROP_ENUM("base", RtcState, base, RTC_BASE_UTC, rtc_base_names,
              "clock base: utc or localtime (-rtc base=)"),
    PROP_END
};

const DeviceClass mc146818rtc_class = {
    .name = TYPE_MC146818_RTC,
    .desc = "MC146818 real-time clock and CMOS RAM",
    .instance_size = sizeof(RtcState),
    .props = rtc_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .realize = rtc_realize,
    .reset = rtc_reset,
    .instance_finalize = rtc_finalize,
};

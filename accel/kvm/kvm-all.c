/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM VM set-up: /dev/kvm, API version and capability checks, the VM file
 * descriptor, memory slots that mirror the RAM of address_space_memory()
 * (through a memory listener, so slots follow every change of the memory
 * map), and interrupt lines into the in-kernel irqchip. Non-RAM sections
 * get no slot: guest accesses to them exit to userspace as MMIO and go
 * through the same dispatch as every other accelerator.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm-int.h"
#include "hw/core/machine.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define KVM_DEV_PATH        "/dev/kvm"
#define KVM_PAGE_SIZE       4096ull
#define KVM_DEFAULT_SLOTS   32

/* The VM of this process; set once init succeeded. */
static KvmState *kvm_current;

static const KvmCap kvm_required_caps[] = {
    KVM_CAP_ENTRY(USER_MEMORY),
    { 0, NULL }
};

KvmState *kvm_state(void)
{
    return kvm_current;
}

static int kvm_open_dev(GError **errp)
{
    int fd = open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);
    int version;

    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED, "kvm: cannot open %s: %s",
                    KVM_DEV_PATH, g_strerror(errno));
        return -1;
    }
    version = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (version < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "kvm: %s is not a KVM device (KVM_GET_API_VERSION: %s)", KVM_DEV_PATH,
                    g_strerror(errno));
        close(fd);
        return -1;
    }
    if (version != KVM_API_VERSION) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "kvm: %s speaks API version %d, Tern needs %d", KVM_DEV_PATH, version,
                    KVM_API_VERSION);
        close(fd);
        return -1;
    }
    return fd;
}

bool kvm_available(void)
{
    int fd = kvm_open_dev(NULL);

    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

static int kvm_check_extension(KvmState *s, int cap)
{
    int r = ioctl(s->vm_fd >= 0 ? s->vm_fd : s->fd, KVM_CHECK_EXTENSION, cap);

    return r < 0 ? 0 : r;
}

static bool kvm_check_caps(KvmState *s, const KvmCap *caps, GError **errp)
{
    for (const KvmCap *c = caps; c->name; c++) {
        if (!kvm_check_extension(s, c->cap)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                        "kvm: missing capability %s", c->name);
            return false;
        }
    }
    return true;
}

/* ---- memory slots ---- */

static int kvm_slot_commit(KvmState *s, unsigned id, const KvmSlot *sl)
{
    struct kvm_userspace_memory_region r = {
        .slot = id,
        .flags = sl->flags,
        .guest_phys_addr = sl->gpa,
        .memory_size = sl->used ? sl->size : 0,
        .userspace_addr = (uintptr_t)sl->host,
    };

    return ioctl(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

static void kvm_slot_fail(KvmState *s, const char *what, uint64_t gpa, uint64_t size, int err)
{
    /* No caller to hand an error to: the map change came from a device or
     * the board. The VM would run on a wrong memory map, so stop it. */
    fprintf(stderr, "tern: kvm: cannot %s memory slot 0x%" G_GINT64_MODIFIER "x+0x%"
            G_GINT64_MODIFIER "x: %s\n", what, gpa, size, g_strerror(-err));
    s->slot_failed = true;
    set_exit_status(1);
    request_shutdown(SHUTDOWN_CAUSE_HOST_ERROR);
}

/*
 * A section's page-aligned interior: KVM maps whole pages, so the ragged
 * edges of an unaligned section stay on the MMIO path (still correct, the
 * dispatch serves RAM too, only slower).
 */
static bool kvm_section_pages(MemoryRegionSection *sec, uint64_t *gpa, uint64_t *size,
                              uint8_t **host)
{
    uint64_t start = sec->offset_within_address_space;
    uint64_t end = start + sec->size;
    uint64_t astart = (start + KVM_PAGE_SIZE - 1) & ~(KVM_PAGE_SIZE - 1);
    uint64_t aend = end & ~(KVM_PAGE_SIZE - 1);
    uint8_t *h = memory_region_get_ram_ptr(sec->mr);

    if (!h || aend <= astart || end < start) {
        return false;
    }
    h += sec->offset_within_region + (astart - start);
    if ((uintptr_t)h & (KVM_PAGE_SIZE - 1)) {
        return false;
    }
    *gpa = astart;
    *size = aend - astart;
    *host = h;
    return true;
}

static void kvm_region_add(MemoryListener *l, MemoryRegionSection *sec)
{
    KvmState *s = container_of(l, KvmState, listener);
    bool ro = sec->readonly || memory_region_is_rom(sec->mr);
    KvmSlot sl = { .used = true };
    uint8_t *host;
    unsigned id;
    int r;

    if (!memory_region_is_ram(sec->mr) || !kvm_section_pages(sec, &sl.gpa, &sl.size, &host)) {
        return;
    }
    if (ro && !s->readonly_mem) {
        /* Without read-only slots, ROM is emulated through MMIO exits. */
        return;
    }
    sl.host = host;
    sl.flags = ro ? KVM_MEM_READONLY : 0;
    for (id = 0; id < s->slots->len; id++) {
        if (!g_array_index(s->slots, KvmSlot, id).used) {
            break;
        }
    }
    if (id == s->max_slots) {
        kvm_slot_fail(s, "add", sl.gpa, sl.size, -ENOSPC);
        return;
    }
    r = kvm_slot_commit(s, id, &sl);
    if (r < 0) {
        kvm_slot_fail(s, "add", sl.gpa, sl.size, r);
        return;
    }
    if (id == s->slots->len) {
        g_array_append_val(s->slots, sl);
    } else {
        g_array_index(s->slots, KvmSlot, id) = sl;
    }
    log_mask(LOG_KVM, "kvm: slot %u: 0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER
             "x%s (%s)\n", id, sl.gpa, sl.size, ro ? " ro" : "",
             memory_region_name(sec->mr));
}

static void kvm_region_del(MemoryListener *l, MemoryRegionSection *sec)
{
    KvmState *s = container_of(l, KvmState, listener);
    uint64_t gpa, size;
    uint8_t *host;

    if (!memory_region_is_ram(sec->mr) || !kvm_section_pages(sec, &gpa, &size, &host)) {
        return;
    }
    for (unsigned id = 0; id < s->slots->len; id++) {
        KvmSlot *sl = &g_array_index(s->slots, KvmSlot, id);
        int r;

        if (!sl->used || sl->gpa != gpa || sl->size != size) {
            continue;
        }
        sl->used = false;
        r = kvm_slot_commit(s, id, sl);
        if (r < 0) {
            kvm_slot_fail(s, "remove", gpa, size, r);
        }
        log_mask(LOG_KVM, "kvm: slot %u removed\n", id);
        return;
    }
}

/* ---- interrupt lines ---- */

int kvm_set_irq(KvmState *s, int gsi, int level)
{
    struct kvm_irq_level irq = { .irq = gsi, .level = level };

    if (ioctl(s->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
        return -errno;
    }
    return 0;
}

static void kvm_irq_handler(void *opaque, int n, int level)
{
    int r = kvm_set_irq(opaque, n, level);

    if (r < 0) {
        log_mask(LOG_KVM, "kvm: KVM_IRQ_LINE gsi %d level %d: %s\n", n, level,
                 g_strerror(-r));
    }
}

IrqLine **kvm_irq_lines_new(KvmState *s, int count)
{
    return irq_new_array(kvm_irq_handler, s, count);
}

int kvm_signal_msi(KvmState *s, uint64_t addr, uint32_t data)
{
    struct kvm_msi msi = {
        .address_lo = (uint32_t)addr,
        .address_hi = (uint32_t)(addr >> 32),
        .data = data,
    };
    int r = ioctl(s->vm_fd, KVM_SIGNAL_MSI, &msi);

    /* 0 means the guest masked the vector in its LAPIC: not an error. */
    return r < 0 ? -errno : 0;
}

/* ---- VM life cycle ---- */

static void kvm_kick_handler(int sig)
{
    /* Only here so that the kick signal interrupts KVM_RUN. */
}

static void kvm_state_free(KvmState *s)
{
    if (s->listener.address_space) {
        memory_listener_unregister(&s->listener);
    }
    if (s->arch) {
        kvm_arch_destroy_vm(s);
    }
    if (s->vm_fd >= 0) {
        close(s->vm_fd);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->slots) {
        g_array_free(s->slots, TRUE);
    }
    g_free(s);
}

bool kvm_accel_init(MachineState *ms, GError **errp)
{
    KvmState *s = g_new0(KvmState, 1);
    struct sigaction sa = { .sa_handler = kvm_kick_handler };
    unsigned want_cpus = ms && ms->smp.cpus ? ms->smp.cpus : 1;
    int n;

    if (kvm_current) {
        g_free(s);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: already initialized");
        return false;
    }
    s->vm_fd = -1;
    s->fd = kvm_open_dev(errp);
    if (s->fd < 0) {
        goto fail;
    }
    if (!kvm_check_caps(s, kvm_required_caps, errp) ||
        !kvm_check_caps(s, kvm_arch_required_caps, errp)) {
        goto fail;
    }
    s->run_size = ioctl(s->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (s->run_size < (int)sizeof(struct kvm_run)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: KVM_GET_VCPU_MMAP_SIZE: %s",
                    s->run_size < 0 ? g_strerror(errno) : "too small");
        goto fail;
    }
    do {
        s->vm_fd = ioctl(s->fd, KVM_CREATE_VM, 0);
    } while (s->vm_fd < 0 && errno == EINTR);
    if (s->vm_fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: KVM_CREATE_VM: %s",
                    g_strerror(errno));
        goto fail;
    }

    n = kvm_check_extension(s, KVM_CAP_MAX_VCPUS);
    s->max_vcpus = n ? n : kvm_check_extension(s, KVM_CAP_NR_VCPUS);
    if (!s->max_vcpus) {
        s->max_vcpus = 4;   /* the API's documented minimum guarantee */
    }
    if (want_cpus > (unsigned)s->max_vcpus) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-smp %u: KVM supports at most %d vCPUs", want_cpus, s->max_vcpus);
        goto fail;
    }
    n = kvm_check_extension(s, KVM_CAP_NR_MEMSLOTS);
    s->max_slots = n > 0 ? n : KVM_DEFAULT_SLOTS;
    s->readonly_mem = kvm_check_extension(s, KVM_CAP_READONLY_MEM) > 0;
    s->slots = g_array_new(FALSE, TRUE, sizeof(KvmSlot));

    if (!kvm_arch_init_vm(s, ms, errp)) {
        goto fail;
    }

    /* No SA_RESTART: the point of the kick is an EINTR from KVM_RUN. */
    sigemptyset(&sa.sa_mask);
    if (sigaction(KVM_KICK_SIGNAL, &sa, NULL) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: sigaction: %s",
                    g_strerror(errno));
        goto fail;
    }

    s->listener = (MemoryListener) {
        .region_add = kvm_region_add,
        .region_del = kvm_region_del,
        .priority = 10,
    };
    memory_listener_register(&s->listener, address_space_memory());
    if (s->slot_failed) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "kvm: cannot map guest RAM into the VM");
        goto fail;
    }
    log_mask(LOG_KVM, "kvm: VM ready (max %d vCPUs, %u slots%s)\n", s->max_vcpus,
             s->max_slots, s->readonly_mem ? ", read-only memory" : "");
    kvm_current = s;
    kvm_eventfd_init(s);
    return true;

fail:
    kvm_state_free(s);
    return false;
}

void kvm_accel_destroy(void)
{
    if (kvm_current) {
        kvm_eventfd_cleanup();
        kvm_state_free(kvm_current);
        kvm_current = NULL;
    }
}

void kvm_reset_vm(KvmState *s)
{
    kvm_arch_reset_vm(s);
}

/* ---- registry glue ---- */

static bool kvm_accel_class_init(MachineState *ms, KeyvalList *props, GError **errp)
{
    if (!keyval_check_unused(props, "-accel kvm", errp)) {
        return false;
    }
    return kvm_accel_init(ms, errp);
}

static const AccelClass kvm_accel_class = {
    .name = "kvm",
    .desc = "Kernel-based Virtual Machine",
    .targets = TARGET_X86_64,
    /* No quick check: init's error says exactly what is wrong with /dev/kvm. */
    .available = NULL,
    .init = kvm_accel_class_init,
    .ops = kvm_accel_ops,
};

void kvm_accel_register(void)
{
    if (!accel_class_find(kvm_accel_class.name)) {
        accel_class_register(&kvm_accel_class);
    }
}

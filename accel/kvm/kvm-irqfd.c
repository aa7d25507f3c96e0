/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI routes and irqfds (interface in include/accel/kvm/kvm-eventfd.h).
 * KVM_SET_GSI_ROUTING takes the whole table every time, so the table lives
 * here: the arch's fixed irqchip routes, recorded once, followed by the MSI
 * routes devices asked for, each on a GSI of its own above the fixed ones.
 * Any change re-submits all of it; KVM moves irqfds bound to a GSI to its
 * new message by itself. One VM per process, so the state is global.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm-int.h"
#include "util/log.h"

typedef struct KvmMsiRoute {
    bool used;
    uint64_t addr;
    uint32_t data;
} KvmMsiRoute;

static struct {
    KvmState *s;                        /* whose fixed routes these are */
    struct kvm_irq_routing_entry *base;
    unsigned nbase;
    unsigned first_gsi;                 /* of the MSI routes */
    unsigned max_routes;                /* entries and GSIs the kernel takes */
    GArray *msi;                        /* KvmMsiRoute, index gsi - first_gsi */
    unsigned nr_msi;                    /* used entries of msi */
    bool ready;                         /* caps checked, base present */
} kvm_routing;

void kvm_irq_routing_set_base(KvmState *s, const struct kvm_irq_routing_entry *e, unsigned n)
{
    unsigned top = 0;

    g_free(kvm_routing.base);
    kvm_routing.base = g_memdup2(e, n * sizeof(*e));
    kvm_routing.nbase = n;
    kvm_routing.s = s;
    for (unsigned i = 0; i < n; i++) {
        top = MAX(top, e[i].gsi + 1);
    }
    kvm_routing.first_gsi = top;
}

static KvmMsiRoute *kvm_msi_route(int gsi)
{
    unsigned i;

    if (!kvm_routing.ready || gsi < (int)kvm_routing.first_gsi) {
        return NULL;
    }
    i = gsi - kvm_routing.first_gsi;
    if (i >= kvm_routing.msi->len) {
        return NULL;
    }
    return &g_array_index(kvm_routing.msi, KvmMsiRoute, i);
}

static int kvm_irq_routing_commit(KvmState *s)
{
    unsigned n = kvm_routing.nbase;
    g_autofree struct kvm_irq_routing *r =
        g_malloc0(sizeof(*r) + (n + kvm_routing.nr_msi) * sizeof(r->entries[0]));

    memcpy(r->entries, kvm_routing.base, n * sizeof(r->entries[0]));
    for (unsigned i = 0; i < kvm_routing.msi->len; i++) {
        const KvmMsiRoute *m = &g_array_index(kvm_routing.msi, KvmMsiRoute, i);

        if (m->used) {
            r->entries[n++] = (struct kvm_irq_routing_entry) {
                .gsi = kvm_routing.first_gsi + i,
                .type = KVM_IRQ_ROUTING_MSI,
                .u.msi = { .address_lo = (uint32_t)m->addr,
                           .address_hi = (uint32_t)(m->addr >> 32),
                           .data = m->data },
            };
        }
    }
    r->nr = n;
    if (ioctl(s->vm_fd, KVM_SET_GSI_ROUTING, r) < 0) {
        int err = errno;

        log_mask(LOG_KVM, "kvm: KVM_SET_GSI_ROUTING (%u routes): %s\n", n, g_strerror(err));
        return -err;
    }
    return 0;
}

int kvm_irq_routing_add_msi(KvmState *s, uint64_t addr, uint32_t data)
{
    KvmMsiRoute *m = NULL;
    unsigned i;
    int r;

    if (!kvm_routing.ready || s != kvm_routing.s) {
        return -ENOSYS;
    }
    for (i = 0; i < kvm_routing.msi->len; i++) {
        if (!g_array_index(kvm_routing.msi, KvmMsiRoute, i).used) {
            m = &g_array_index(kvm_routing.msi, KvmMsiRoute, i);
            break;
        }
    }
    if (!m) {
        if (kvm_routing.first_gsi + i >= kvm_routing.max_routes) {
            return -ENOSPC;
        }
        g_array_set_size(kvm_routing.msi, i + 1);
        m = &g_array_index(kvm_routing.msi, KvmMsiRoute, i);
    }
    if (kvm_routing.nbase + kvm_routing.nr_msi + 1 > kvm_routing.max_routes) {
        return -ENOSPC;
    }
    *m = (KvmMsiRoute){ .used = true, .addr = addr, .data = data };
    kvm_routing.nr_msi++;
    r = kvm_irq_routing_commit(s);
    if (r < 0) {
        m->used = false;
        kvm_routing.nr_msi--;
        return r;
    }
    log_mask(LOG_KVM, "kvm: MSI route gsi %u -> 0x%" G_GINT64_MODIFIER "x/0x%x\n",
             kvm_routing.first_gsi + i, addr, data);
    return kvm_routing.first_gsi + i;
}

int kvm_irq_routing_update_msi(KvmState *s, int gsi, uint64_t addr, uint32_t data)
{
    KvmMsiRoute *m = kvm_msi_route(gsi);
    KvmMsiRoute old;
    int r;

    if (!m || !m->used || s != kvm_routing.s) {
        return -ENOENT;
    }
    if (m->addr == addr && m->data == data) {
        return 0;
    }
    old = *m;
    m->addr = addr;
    m->data = data;
    r = kvm_irq_routing_commit(s);
    if (r < 0) {
        *m = old;
    }
    return r;
}

void kvm_irq_routing_release(KvmState *s, int gsi)
{
    KvmMsiRoute *m = kvm_msi_route(gsi);

    if (!m || !m->used || s != kvm_routing.s) {
        return;
    }
    m->used = false;
    kvm_routing.nr_msi--;
    /*
     * A failure leaves a stale route in the kernel that nothing signals
     * any more; the GSI is free here and the next commit drops it.
     */
    kvm_irq_routing_commit(s);
}

int kvm_set_irqfd(KvmState *s, int fd, int gsi, bool assign)
{
    struct kvm_irqfd i = {
        .fd = fd,
        .gsi = gsi,
        .flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
    };

    if (ioctl(s->vm_fd, KVM_IRQFD, &i) < 0) {
        int err = errno;

        log_mask(LOG_KVM, "kvm: KVM_IRQFD %s fd %d gsi %d: %s\n",
                 assign ? "assign" : "deassign", fd, gsi, g_strerror(err));
        return -err;
    }
    log_mask(LOG_KVM, "kvm: irqfd %s fd %d gsi %d\n", assign ? "on" : "off", fd, gsi);
    return 0;
}

static void kvm_irqfd_drop_msi(void)
{
    if (kvm_routing.msi) {
        g_array_free(kvm_routing.msi, TRUE);
        kvm_routing.msi = NULL;
    }
    kvm_routing.nr_msi = 0;
    kvm_routing.ready = false;
}

bool kvm_irqfd_init(KvmState *s)
{
    int max;

    kvm_irqfd_drop_msi();
    if (kvm_routing.s != s || !kvm_routing.base ||
        ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQFD) <= 0) {
        return false;
    }
    /* The answer is the size of the routing table (KVM_MAX_IRQ_ROUTES). */
    max = ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING);
    if (max <= (int)kvm_routing.first_gsi || max <= (int)kvm_routing.nbase) {
        return false;
    }
    kvm_routing.max_routes = max;
    kvm_routing.msi = g_array_new(FALSE, TRUE, sizeof(KvmMsiRoute));
    kvm_routing.nr_msi = 0;
    kvm_routing.ready = true;
    return true;
}

void kvm_irqfd_cleanup(void)
{
    kvm_irqfd_drop_msi();
    g_clear_pointer(&kvm_routing.base, g_free);
    kvm_routing.nbase = 0;
    kvm_routing.s = NULL;
}

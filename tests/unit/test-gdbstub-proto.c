/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the gdb stub's transport-independent parts: packet framing
 * and the receive state machine (checksums, escapes, run-length encoding,
 * acks, Ctrl-C, corrupt and oversized packets), hex encoding, the packet
 * argument parsers, and the x86 page walk the stub translates addresses
 * with. The sources are compiled in directly: they link into the tern
 * binary, not into a library.
 */
#include <string.h>

#include "../../gdbstub/proto.c"
#include "../../target/i386/pagewalk.c"

/* Feed a whole string; returns the last event that was not GDB_RX_NONE. */
static GdbRxEvent feed(GdbParser *p, const void *data, size_t len)
{
    const uint8_t *b = data;
    GdbRxEvent last = GDB_RX_NONE;

    for (size_t i = 0; i < len; i++) {
        GdbRxEvent ev = gdb_parser_feed(p, b[i]);

        if (ev != GDB_RX_NONE) {
            last = ev;
        }
    }
    return last;
}

static GdbRxEvent feed_str(GdbParser *p, const char *s)
{
    return feed(p, s, strlen(s));
}

static void test_frame(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    gdb_packet_frame(out, "OK", 2);
    g_assert_cmpstr(out->str, ==, "$OK#9a");
    g_string_truncate(out, 0);
    gdb_packet_frame(out, "", 0);
    g_assert_cmpstr(out->str, ==, "$#00");
    /* The four special characters are escaped; the checksum covers the escapes. */
    g_string_truncate(out, 0);
    gdb_packet_frame(out, "a$#}*", 5);
    g_assert_cmpstr(out->str, ==, "$a}\x04}\x03}]}\x0a#c3");
}

static void test_parse_simple(void)
{
    GdbParser p;
    size_t len;

    gdb_parser_init(&p, GDB_MAX_PACKET);
    g_assert_cmpint(feed_str(&p, "$qC#b4"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, &len), ==, "qC");
    g_assert_cmpuint(len, ==, 2);
    g_assert_cmpint(gdb_parser_feed(&p, '+'), ==, GDB_RX_ACK);
    g_assert_cmpint(gdb_parser_feed(&p, '-'), ==, GDB_RX_NACK);
    g_assert_cmpint(gdb_parser_feed(&p, 0x03), ==, GDB_RX_INTERRUPT);
    /* Upper-case checksum digits are fine. */
    g_assert_cmpint(feed_str(&p, "$OK#9A"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, NULL), ==, "OK");
    /* Empty packet. */
    g_assert_cmpint(feed_str(&p, "$#00"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, &len), ==, "");
    g_assert_cmpuint(len, ==, 0);
    gdb_parser_destroy(&p);
}

static void test_parse_bad(void)
{
    GdbParser p;

    gdb_parser_init(&p, GDB_MAX_PACKET);
    g_assert_cmpint(feed_str(&p, "$g#00"), ==, GDB_RX_BAD_CHECKSUM);
    g_assert_cmpint(feed_str(&p, "$g#zz"), ==, GDB_RX_MALFORMED);
    g_assert_cmpint(feed_str(&p, "$g#6"), ==, GDB_RX_NONE);    /* incomplete */
    g_assert_cmpint(feed_str(&p, "7"), ==, GDB_RX_PACKET);     /* ...completed */
    /* Noise between packets is ignored, including stray '#' and digits. */
    g_assert_cmpint(feed_str(&p, "hello#12 \r\n"), ==, GDB_RX_NONE);
    g_assert_cmpint(feed_str(&p, "$g#67"), ==, GDB_RX_PACKET);
    /* A '$' inside a packet restarts it (the peer lost its '#'). */
    g_assert_cmpint(feed_str(&p, "$garbage$qC#b4"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, NULL), ==, "qC");
    /* Escape or run-length marker right before '#'. */
    g_assert_cmpint(feed_str(&p, "$a}#dd"), ==, GDB_RX_MALFORMED);
    g_assert_cmpint(feed_str(&p, "$a*#8b"), ==, GDB_RX_MALFORMED);
    /* Run-length with nothing to repeat, and a count below 29. */
    g_assert_cmpint(feed_str(&p, "$* #4a"), ==, GDB_RX_MALFORMED);
    g_assert_cmpint(feed_str(&p, "$a*\x01#8c"), ==, GDB_RX_MALFORMED);
    /* The parser is usable again afterwards. */
    g_assert_cmpint(feed_str(&p, "$OK#9a"), ==, GDB_RX_PACKET);
    gdb_parser_destroy(&p);
}

static void test_parse_overflow(void)
{
    GdbParser p;
    g_autoptr(GString) pkt = g_string_new(NULL);
    g_autofree char *big = g_strnfill(100, 'x');

    gdb_parser_init(&p, 64);
    gdb_packet_frame(pkt, big, 100);
    g_assert_cmpint(feed(&p, pkt->str, pkt->len), ==, GDB_RX_OVERFLOW);
    /* Exactly at the limit is fine. */
    g_string_truncate(pkt, 0);
    gdb_packet_frame(pkt, big, 64);
    g_assert_cmpint(feed(&p, pkt->str, pkt->len), ==, GDB_RX_PACKET);
    /* Run-length expansion past the limit overflows too. */
    g_string_truncate(pkt, 0);
    gdb_packet_frame(pkt, big, 60);
    g_string_truncate(pkt, pkt->len - 3);
    g_string_append(pkt, "*~");     /* '~' repeats 97 more times */
    {
        uint8_t sum = 0;

        for (size_t i = 1; i < pkt->len; i++) {
            sum += (uint8_t)pkt->str[i];
        }
        g_string_append_printf(pkt, "#%02x", sum);
    }
    g_assert_cmpint(feed(&p, pkt->str, pkt->len), ==, GDB_RX_OVERFLOW);
    g_assert_cmpint(feed_str(&p, "$OK#9a"), ==, GDB_RX_PACKET);
    gdb_parser_destroy(&p);
}

static void test_parse_rle(void)
{
    GdbParser p;
    size_t len;

    gdb_parser_init(&p, GDB_MAX_PACKET);
    /* "0* " is '0' plus 3 repeats (' ' is 32 = 29 + 3). */
    g_assert_cmpint(feed_str(&p, "$0* #7a"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, &len), ==, "0000");
    g_assert_cmpint(feed_str(&p, "$ab*\"c#72"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(gdb_parser_payload(&p, NULL), ==, "abbbbbbc");
    gdb_parser_destroy(&p);
}

/* Every byte value survives framing and parsing (binary X packets). */
static void test_binary_roundtrip(void)
{
    GdbParser p;
    uint8_t data[256];
    g_autoptr(GString) pkt = g_string_new(NULL);
    const char *payload;
    size_t len;

    for (int i = 0; i < 256; i++) {
        data[i] = (uint8_t)i;
    }
    gdb_parser_init(&p, GDB_MAX_PACKET);
    gdb_packet_frame(pkt, data, sizeof(data));
    g_assert_cmpint(feed(&p, pkt->str, pkt->len), ==, GDB_RX_PACKET);
    payload = gdb_parser_payload(&p, &len);
    g_assert_cmpuint(len, ==, sizeof(data));
    g_assert_cmpmem(payload, len, data, sizeof(data));
    g_assert_cmpint(payload[len], ==, 0);
    gdb_parser_destroy(&p);
}

static void test_hex(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const uint8_t in[] = { 0x00, 0x7f, 0x80, 0xff, 0x12 };
    uint8_t back[5];
    uint64_t v;
    const char *s;

    gdb_hex_append(out, in, sizeof(in));
    g_assert_cmpstr(out->str, ==, "007f80ff12");
    g_assert_true(gdb_hex_decode(out->str, back, sizeof(back)));
    g_assert_cmpmem(back, sizeof(back), in, sizeof(in));
    g_assert_true(gdb_hex_decode("ABcd", back, 2));
    g_assert_cmpuint(back[0], ==, 0xab);
    g_assert_cmpuint(back[1], ==, 0xcd);
    g_assert_false(gdb_hex_decode("0g", back, 1));
    g_assert_false(gdb_hex_decode("0", back, 1));   /* NUL is not a digit */
    g_assert_cmpint(gdb_hex_digit('F'), ==, 15);
    g_assert_cmpint(gdb_hex_digit('x'), ==, -1);

    s = "ffffffffffffffff,";
    g_assert_true(gdb_parse_hex(&s, &v));
    g_assert_cmpuint(v, ==, G_MAXUINT64);
    g_assert_cmpstr(s, ==, ",");
    s = "10000000000000000";       /* 17 digits */
    g_assert_false(gdb_parse_hex(&s, &v));
    g_assert_cmpstr(s, ==, "10000000000000000");
    s = ",1";
    g_assert_false(gdb_parse_hex(&s, &v));
    s = "00000000000000000000001";  /* leading zeros do not overflow */
    g_assert_true(gdb_parse_hex(&s, &v));
    g_assert_cmpuint(v, ==, 1);
}

static void test_addr_len(void)
{
    uint64_t a, l;
    const char *rest;

    g_assert_true(gdb_parse_addr_len("1000d0,8", &a, &l, &rest));
    g_assert_cmpuint(a, ==, 0x1000d0);
    g_assert_cmpuint(l, ==, 8);
    g_assert_cmpstr(rest, ==, "");
    g_assert_true(gdb_parse_addr_len("ffff800000108000,4:01020304", &a, &l, &rest));
    g_assert_cmpuint(a, ==, 0xffff800000108000ull);
    g_assert_cmpstr(rest, ==, "01020304");
    g_assert_false(gdb_parse_addr_len("1000", &a, &l, NULL));
    g_assert_false(gdb_parse_addr_len("1000,", &a, &l, NULL));
    g_assert_false(gdb_parse_addr_len(",8", &a, &l, NULL));
    g_assert_false(gdb_parse_addr_len("1000,8x", &a, &l, NULL));
    g_assert_false(gdb_parse_addr_len("", &a, &l, NULL));
}

static void test_thread_id(void)
{
    int64_t t;
    const char *s;

    s = "-1";
    g_assert_true(gdb_parse_thread_id(&s, &t));
    g_assert_cmpint(t, ==, GDB_THREAD_ALL);
    s = "0";
    g_assert_true(gdb_parse_thread_id(&s, &t));
    g_assert_cmpint(t, ==, GDB_THREAD_ANY);
    s = "1f;";
    g_assert_true(gdb_parse_thread_id(&s, &t));
    g_assert_cmpint(t, ==, 0x1f);
    g_assert_cmpstr(s, ==, ";");
    s = "-2";
    g_assert_false(gdb_parse_thread_id(&s, &t));
    s = "ffffffffff";
    g_assert_false(gdb_parse_thread_id(&s, &t));
}

static void test_vcont(void)
{
    GdbVContAction a[4];
    int n;

    g_assert_true(gdb_parse_vcont(";s:1;c", a, 4, &n));
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(a[0].kind, ==, 's');
    g_assert_cmpint(a[0].tid, ==, 1);
    g_assert_cmpint(a[0].signal, ==, -1);
    g_assert_cmpint(a[1].kind, ==, 'c');
    g_assert_cmpint(a[1].tid, ==, GDB_THREAD_ALL);
    g_assert_true(gdb_parse_vcont(";C05:2;S0b;t:-1", a, 4, &n));
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpint(a[0].kind, ==, 'c');
    g_assert_cmpint(a[0].signal, ==, 5);
    g_assert_cmpint(a[0].tid, ==, 2);
    g_assert_cmpint(a[1].kind, ==, 's');
    g_assert_cmpint(a[1].signal, ==, 11);
    g_assert_cmpint(a[2].kind, ==, 't');

    g_assert_false(gdb_parse_vcont("", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";x", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";c:", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";c:1x", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";C", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";C100", a, 4, &n));
    g_assert_false(gdb_parse_vcont(";c;c;c;c;c", a, 4, &n));
    g_assert_false(gdb_parse_vcont("c", a, 4, &n));
}

static void test_breakpoint_args(void)
{
    int type;
    uint64_t addr, kind;

    g_assert_true(gdb_parse_breakpoint("0,1000d0,1", &type, &addr, &kind));
    g_assert_cmpint(type, ==, 0);
    g_assert_cmpuint(addr, ==, 0x1000d0);
    g_assert_cmpuint(kind, ==, 1);
    g_assert_true(gdb_parse_breakpoint("2,108000,8;X3,220100", &type, &addr, &kind));
    g_assert_cmpint(type, ==, 2);
    g_assert_cmpuint(kind, ==, 8);
    g_assert_false(gdb_parse_breakpoint("5,1000,1", &type, &addr, &kind));
    g_assert_false(gdb_parse_breakpoint("0,1000", &type, &addr, &kind));
    g_assert_false(gdb_parse_breakpoint("0,,1", &type, &addr, &kind));
    g_assert_false(gdb_parse_breakpoint("0,1000,1z", &type, &addr, &kind));
    g_assert_false(gdb_parse_breakpoint("", &type, &addr, &kind));
}

/* ---- page walk over a fake 4 MiB physical memory ---- */

#define PHYS_SIZE (4u << 20)

typedef struct FakePhys {
    uint8_t *mem;
    int reads;
} FakePhys;

static bool fake_read(void *opaque, uint64_t paddr, uint64_t *val, unsigned size)
{
    FakePhys *f = opaque;

    f->reads++;
    if (paddr + size > PHYS_SIZE) {
        return false;
    }
    *val = 0;
    memcpy(val, f->mem + paddr, size);
    return true;
}

static void put64(FakePhys *f, uint64_t pa, uint64_t v)
{
    memcpy(f->mem + pa, &v, 8);
}

static void put32(FakePhys *f, uint64_t pa, uint32_t v)
{
    memcpy(f->mem + pa, &v, 4);
}

static bool walk(FakePhys *f, const X86PagingState *st, uint64_t va, uint64_t *pa,
                 uint64_t *size)
{
    return x86_paging_translate(st, va, fake_read, f, pa, size);
}

static void test_walk_no_paging(void)
{
    FakePhys f = { 0 };
    X86PagingState st = { .cr0 = 0x11 };
    uint64_t pa, size;

    g_assert_true(walk(&f, &st, 0x123456789ull, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x23456789);   /* linear addresses are 32-bit */
    g_assert_cmpuint(size, ==, 4096);
    g_assert_cmpint(f.reads, ==, 0);
}

static void test_walk_32bit(void)
{
    FakePhys f = { .mem = g_malloc0(PHYS_SIZE) };
    X86PagingState st = { .cr0 = 0x80000001, .cr3 = 0x1000 };
    uint64_t pa, size;

    put32(&f, 0x1000 + (0x00400000 >> 22) * 4, 0x2000 | 1);            /* PDE -> PT */
    put32(&f, 0x2000 + ((0x00403000 >> 12) & 0x3ff) * 4, 0x5000 | 3);  /* PTE */
    g_assert_true(walk(&f, &st, 0x00403abc, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x5abc);
    g_assert_cmpuint(size, ==, 4096);
    g_assert_false(walk(&f, &st, 0x00404000, &pa, &size));     /* PTE not present */
    g_assert_false(walk(&f, &st, 0x00800000, &pa, &size));     /* PDE not present */

    /* 4 MiB page with PSE-36 high bits; PS is ignored without CR4.PSE. */
    put32(&f, 0x1000 + (0xc0000000u >> 22) * 4, 0x00c00000 | (0x3 << 13) | 0x83);
    g_assert_false(walk(&f, &st, 0xc0123456, &pa, &size));  /* PT would be off memory */
    st.cr4 = 1 << 4;
    g_assert_true(walk(&f, &st, 0xc0123456, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x300d23456ull);
    g_assert_cmpuint(size, ==, 4u << 20);
    g_free(f.mem);
}

static void test_walk_pae(void)
{
    FakePhys f = { .mem = g_malloc0(PHYS_SIZE) };
    X86PagingState st = { .cr0 = 0x80000001, .cr3 = 0x1020, .cr4 = 1 << 5 };
    uint64_t pa, size;

    /* PDPT at 0x1020 (32-byte aligned), entry 3 covers 0xc0000000. */
    put64(&f, 0x1020 + 3 * 8, 0x2000 | 1);
    put64(&f, 0x2000 + 1 * 8, 0x3000 | 3);                     /* PD[1] -> PT */
    put64(&f, 0x3000 + 5 * 8, 0x8000000000007000ull | 3);      /* NX, PTE */
    g_assert_true(walk(&f, &st, 0xc0205123, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x7123);
    put64(&f, 0x2000 + 2 * 8, 0x00200000 | 0x1000 | 0x83);    /* 2 MiB, PAT bit set */
    g_assert_true(walk(&f, &st, 0xc0412345, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x00212345);
    g_assert_cmpuint(size, ==, 2u << 20);
    g_assert_false(walk(&f, &st, 0x00001000, &pa, &size));    /* PDPT[0] empty */
    g_free(f.mem);
}

static void test_walk_long(void)
{
    FakePhys f = { .mem = g_malloc0(PHYS_SIZE) };
    X86PagingState st = { .cr0 = 0x80000011, .cr3 = 0x1000, .cr4 = 1 << 5,
                          .efer = 0x500 };
    uint64_t pa, size;
    const uint64_t high = 0xffff800000000000ull;

    put64(&f, 0x1000 + 0 * 8, 0x2000 | 3);         /* PML4[0] */
    put64(&f, 0x1000 + 256 * 8, 0x2000 | 3);       /* PML4[256]: same PDPT */
    put64(&f, 0x2000 + 0 * 8, 0x3000 | 3);         /* PDPT[0] -> PD */
    put64(&f, 0x2000 + 1 * 8, 0x40000000 | 0x83);  /* PDPT[1]: 1 GiB page */
    put64(&f, 0x3000 + 0 * 8, 0x4000 | 3);         /* PD[0] -> PT */
    put64(&f, 0x3000 + 1 * 8, 0x00200000 | 0x83);  /* PD[1]: 2 MiB page */
    put64(&f, 0x4000 + 7 * 8, 0x9000 | 3);         /* PT[7] */

    g_assert_true(walk(&f, &st, 0x7abc, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x9abc);
    g_assert_cmpuint(size, ==, 4096);
    g_assert_true(walk(&f, &st, high + 0x7abc, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x9abc);
    g_assert_true(walk(&f, &st, 0x00234567, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x00234567);
    g_assert_cmpuint(size, ==, 2u << 20);
    g_assert_true(walk(&f, &st, 0x40000000 + 0x12345678, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x52345678);
    g_assert_cmpuint(size, ==, 1u << 30);
    g_assert_false(walk(&f, &st, 0x8000, &pa, &size));                 /* PT[8] empty */
    g_assert_false(walk(&f, &st, 0x0000800000000000ull, &pa, &size));  /* non-canonical */
    g_assert_false(walk(&f, &st, 0x8000000000ull, &pa, &size));        /* PML4[1] empty */

    /* A table outside memory cannot be read. */
    put64(&f, 0x1000 + 2 * 8, 0x7fff000000ull | 3);
    g_assert_false(walk(&f, &st, 2 * 0x8000000000ull, &pa, &size));

    /* 5-level: one more table on top, and 57-bit canonical addresses. */
    st.cr4 |= 1 << 12;
    st.cr3 = 0x5000;
    put64(&f, 0x5000, 0x1000 | 3);                 /* PML5[0] -> the PML4 */
    g_assert_true(walk(&f, &st, 0x7abc, &pa, &size));
    g_assert_cmpuint(pa, ==, 0x9abc);
    g_assert_true(walk(&f, &st, 0x0000800000007abcull, &pa, &size));    /* PML4[256] */
    g_assert_cmpuint(pa, ==, 0x9abc);
    g_assert_false(walk(&f, &st, 0x0100000000000000ull, &pa, &size));  /* non-canonical */
    g_free(f.mem);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/proto/frame", test_frame);
    g_test_add_func("/gdbstub/proto/parse-simple", test_parse_simple);
    g_test_add_func("/gdbstub/proto/parse-bad", test_parse_bad);
    g_test_add_func("/gdbstub/proto/parse-overflow", test_parse_overflow);
    g_test_add_func("/gdbstub/proto/parse-rle", test_parse_rle);
    g_test_add_func("/gdbstub/proto/binary-roundtrip", test_binary_roundtrip);
    g_test_add_func("/gdbstub/proto/hex", test_hex);
    g_test_add_func("/gdbstub/proto/addr-len", test_addr_len);
    g_test_add_func("/gdbstub/proto/thread-id", test_thread_id);
    g_test_add_func("/gdbstub/proto/vcont", test_vcont);
    g_test_add_func("/gdbstub/proto/breakpoint-args", test_breakpoint_args);
    g_test_add_func("/gdbstub/pagewalk/no-paging", test_walk_no_paging);
    g_test_add_func("/gdbstub/pagewalk/32bit", test_walk_32bit);
    g_test_add_func("/gdbstub/pagewalk/pae", test_walk_pae);
    g_test_add_func("/gdbstub/pagewalk/long", test_walk_long);
    return g_test_run();
}

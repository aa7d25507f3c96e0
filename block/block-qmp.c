/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query-block: the drives of -drive in QEMU's BlockInfo shape, built from
 * the drive list and the block backends' public accessors. It lives with
 * the block layer but is linked into the binary only, so the block library
 * itself does not depend on the monitor.
 */
#include "monitor/qmp.h"

#include "block/drive.h"

static JsonObject *block_cache_info(int flags)
{
    JsonObject *c = json_object_new();

    json_object_set_boolean_member(c, "writeback", !(flags & BLK_WRITETHROUGH));
    json_object_set_boolean_member(c, "direct", (flags & BLK_NOCACHE) != 0);
    json_object_set_boolean_member(c, "no-flush", (flags & BLK_NO_FLUSH) != 0);
    return c;
}

static JsonObject *block_inserted_info(const DriveInfo *d)
{
    BlockBackend *blk = d->blk;
    JsonObject *o = json_object_new();
    JsonObject *image = json_object_new();
    const char *file = blk_filename(blk) ? blk_filename(blk) : d->file;
    const char *fmt = blk_format_name(blk) ? blk_format_name(blk) : "raw";
    int64_t len = blk_getlength(blk);
    int flags = blk_flags(blk);

    json_object_set_string_member(o, "file", file ? file : "");
    json_object_set_string_member(o, "node-name", d->id);
    json_object_set_boolean_member(o, "ro", blk_is_read_only(blk));
    json_object_set_string_member(o, "drv", fmt);
    json_object_set_int_member(o, "backing_file_depth", 0);
    json_object_set_boolean_member(o, "encrypted", false);
    json_object_set_string_member(o, "detect_zeroes", "off");
    /* No I/O throttling exists: every limit is 0, as QEMU reports "none". */
    json_object_set_int_member(o, "bps", 0);
    json_object_set_int_member(o, "bps_rd", 0);
    json_object_set_int_member(o, "bps_wr", 0);
    json_object_set_int_member(o, "iops", 0);
    json_object_set_int_member(o, "iops_rd", 0);
    json_object_set_int_member(o, "iops_wr", 0);
    json_object_set_int_member(o, "write_threshold", 0);
    json_object_set_string_member(image, "filename", file ? file : "");
    json_object_set_string_member(image, "format", fmt);
    json_object_set_int_member(image, "virtual-size", len > 0 ? len : 0);
    json_object_set_boolean_member(image, "dirty-flag", false);
    json_object_set_object_member(o, "image", image);
    json_object_set_object_member(o, "cache", block_cache_info(flags));
    return o;
}

static void block_add_drive(const DriveInfo *d, void *opaque)
{
    JsonArray *arr = opaque;
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "device", d->id ? d->id : "");
    json_object_set_boolean_member(o, "locked", false);
    json_object_set_boolean_member(o, "removable", false);
    json_object_set_string_member(o, "type", "unknown");
    if (d->blk) {
        json_object_set_object_member(o, "inserted", block_inserted_info(d));
    }
    json_array_add_object_element(arr, o);
}

static bool qmp_query_block(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonArray *arr = json_array_new();

    drive_foreach(block_add_drive, arr);
    *ret = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(*ret, arr);
    return true;
}

void block_qmp_register(void)
{
    qmp_register_command("query-block", qmp_query_block, NULL);
}

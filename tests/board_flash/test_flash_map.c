/* STM32 sector maps: F4 from the flash size, DfuSe layout strings, and the
 * span an image covers (never a sector past its end, refused when too big). */
#include <criterion/criterion.h>
#include <string.h>

#include "flash_map.h"

static char err[256];

Test(flash_map, f4_one_megabyte_is_twelve_sectors)
{
    flash_map_t m;
    cr_assert_eq(flash_map_stm32f4(1024 * 1024, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.count, 12);
    cr_assert_eq(m.start[4], 0x08010000);
    cr_assert_eq(m.size[4], 65536);
    cr_assert_eq(m.start[11], 0x080E0000);
    cr_assert_eq(flash_map_total(&m), 1024 * 1024);
}

Test(flash_map, f439_two_megabytes_is_two_banks_of_twelve)
{
    flash_map_t m;
    cr_assert_eq(flash_map_stm32f4(2 * 1024 * 1024, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.count, 24);
    cr_assert_eq(m.start[12], 0x08100000);
    cr_assert_eq(m.size[12], 16384);
    cr_assert_eq(m.start[16], 0x08110000);
    cr_assert_eq(m.size[16], 65536);
    cr_assert_eq(m.start[23], 0x081E0000);
}

Test(flash_map, f4_odd_sizes_are_refused)
{
    flash_map_t m;
    cr_assert_eq(flash_map_stm32f4(100000, &m, err, sizeof err), -1);
    cr_assert_eq(flash_map_stm32f4(4u * 1024 * 1024, &m, err, sizeof err), -1);
    cr_assert_eq(flash_map_stm32f4(512 * 1024, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.count, 8);
}

Test(flash_map, dfuse_layout_of_the_f4_bootloader)
{
    flash_map_t m;
    const char *s = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,"
                    "07*128Kg";
    cr_assert_eq(flash_map_dfuse(s, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.base, 0x08000000);
    cr_assert_eq(m.count, 24);
    cr_assert_eq(m.start[12], 0x08100000);
    cr_assert_eq(flash_map_total(&m), 2 * 1024 * 1024);
}

Test(flash_map, dfuse_layout_errors_say_where)
{
    flash_map_t m;
    cr_assert_eq(flash_map_dfuse("Internal Flash", &m, err, sizeof err), -1);
    cr_assert_eq(flash_map_dfuse("@Flash /0x08000000/04*016Xg", &m, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "bad unit"), "%s", err);
    cr_assert_eq(flash_map_dfuse("@Flash /zz/04*016Kg", &m, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "bad address"), "%s", err);
    cr_assert_eq(flash_map_dfuse("@Flash /0x08000000/99*016Kg", &m, err, sizeof err), -1);
}

Test(flash_map, span_stops_at_the_sector_holding_the_last_byte)
{
    flash_map_t m;
    unsigned first = 9, count = 9;
    cr_assert_eq(flash_map_stm32f4(1024 * 1024, &m, err, sizeof err), 0);
    cr_assert_eq(flash_map_span(&m, 49152, &first, &count, err, sizeof err), 0);
    cr_assert_eq(first, 0);
    cr_assert_eq(count, 3);
    cr_assert_eq(flash_map_span(&m, 49153, &first, &count, err, sizeof err), 0);
    cr_assert_eq(count, 4);
    cr_assert_eq(flash_map_span(&m, 1, &first, &count, err, sizeof err), 0);
    cr_assert_eq(count, 1);
    cr_assert_eq(flash_map_span(&m, 1024 * 1024, &first, &count, err, sizeof err), 0);
    cr_assert_eq(count, 12);
}

Test(flash_map, span_refuses_empty_and_oversized_images)
{
    flash_map_t m;
    unsigned first, count;
    cr_assert_eq(flash_map_stm32f4(1024 * 1024, &m, err, sizeof err), 0);
    cr_assert_eq(flash_map_span(&m, 0, &first, &count, err, sizeof err), -1);
    cr_assert_str_eq(err, "the image is empty");
    cr_assert_eq(flash_map_span(&m, 1024 * 1024 + 1, &first, &count, err, sizeof err), -1);
    cr_assert_str_eq(err, "the image (1048577 bytes) does not fit the flash (1048576 bytes)");
}

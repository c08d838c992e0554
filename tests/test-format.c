/* test-format.c: how times read to the agent (er-format.h). */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "er-age.h"
#include "er-format.h"
#include "er-renderer.h"

static GDateTime *
local_at (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
check_due (GDateTime  *due,
           GDateTime  *now,
           const char *expected)
{
  g_autofree char *text = er_format_due (due, now);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_due (void)
{
  /* Monday 30 November 2026, 10:00 local. */
  g_autoptr(GDateTime) now = local_at (2026, 11, 30, 10, 0);
  g_autoptr(GDateTime) today = local_at (2026, 11, 30, 14, 0);
  g_autoptr(GDateTime) tomorrow = local_at (2026, 12, 1, 9, 0);
  g_autoptr(GDateTime) thursday = local_at (2026, 12, 3, 14, 30);
  g_autoptr(GDateTime) far = local_at (2026, 12, 9, 8, 0);
  g_autoptr(GDateTime) earlier = local_at (2026, 11, 30, 9, 0);
  g_autoptr(GDateTime) yesterday = local_at (2026, 11, 29, 16, 0);
  g_autoptr(GDateTime) friday = local_at (2026, 11, 27, 14, 0);
  g_autoptr(GDateTime) long_ago = local_at (2026, 11, 16, 14, 0);

  check_due (today, now, "due today at 14:00");
  check_due (tomorrow, now, "due tomorrow at 09:00");
  check_due (thursday, now, "due Thursday at 14:30");
  check_due (far, now, "due 9 December at 08:00");
  check_due (now, now, "overdue since 10:00");
  check_due (earlier, now, "overdue since 09:00");
  check_due (yesterday, now, "overdue since yesterday at 16:00");
  check_due (friday, now, "overdue since Friday at 14:00");
  check_due (long_ago, now, "overdue since 16 November at 14:00");
}

/* The due time of a case submitted on a Thursday afternoon: 48 weekday
 * hours later is the next Monday, whatever the weekend. */
static void
test_due_of_case (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/Toronto");
  g_autoptr(GDateTime) submitted = g_date_time_new (tz, 2026, 11, 26, 14, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 11, 27, 9, 0, 0);
  g_autoptr(GDateTime) due = er_age_due_at (submitted, 48 * G_TIME_SPAN_HOUR, tz);

  check_due (due, now, "due Monday at 14:00");
}

/* Which OpenGL renderers draw on the CPU (er-renderer.c draws with Cairo
 * there); real GPUs' strings, including Mesa's hardware drivers, are not. */
static void
test_software_renderer (void)
{
  g_assert_true (er_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (er_renderer_is_software ("softpipe"));
  g_assert_true (er_renderer_is_software ("Software Rasterizer (swrast)"));
  g_assert_true (er_renderer_is_software ("GDI Generic"));
  g_assert_true (er_renderer_is_software ("Google SwiftShader"));
  g_assert_false (er_renderer_is_software ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (er_renderer_is_software ("AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)"));
  g_assert_false (er_renderer_is_software ("NVIDIA GeForce GTX 1650/PCIe/SSE2"));
  g_assert_false (er_renderer_is_software ("virgl (Intel(R) Iris(R) Xe Graphics)"));
  g_assert_false (er_renderer_is_software (NULL));
}

/* A GPU device the process can open, or none (the render node is a plain
 * file here: what counts is its name and that it can be opened). */
static void
test_gpu_device (void)
{
  g_autofree char *dev = g_dir_make_tmp ("er-test-dev-XXXXXX", NULL);
  g_autofree char *dri = g_build_filename (dev, "dri", NULL);
  g_autofree char *card = g_build_filename (dri, "card0", NULL);
  g_autofree char *node = g_build_filename (dri, "renderD128", NULL);

  g_assert_false (er_renderer_has_gpu_device (dev));
  g_assert_cmpint (g_mkdir (dri, 0700), ==, 0);
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  /* A display controller alone renders nothing for another process. */
  g_assert_false (er_renderer_has_gpu_device (dev));
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_true (er_renderer_has_gpu_device (dev));
  g_assert_false (er_renderer_has_gpu_device ("/nonexistent"));

  g_remove (node);
  g_remove (card);
  g_rmdir (dri);
  g_rmdir (dev);
}

int
main (int   argc,
      char *argv[])
{
  /* English day and month names; Québec's time zone as the local one. */
  g_setenv ("TZ", "America/Toronto", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/due", test_due);
  g_test_add_func ("/format/due-of-case", test_due_of_case);
  g_test_add_func ("/renderer/software", test_software_renderer);
  g_test_add_func ("/renderer/gpu-device", test_gpu_device);

  return g_test_run ();
}

/* test-id-reader.c: reading ID photos in the background (er-id-reader.h,
 * er-id-read.h): states for the case on screen, the case on screen read
 * first, forgetting, the setting, and what a photo without a name gives.
 * The photos are drawn by code (fake-images.h); Tesseract really reads
 * them (skipped where this build cannot read IDs). */
#include "config.h"

#include <string.h>

#include <pango/pangocairo.h>

#include "er-id-line.h"
#include "er-id-read.h"
#include "er-id-read-private.h"
#include "er-id-reader.h"
#include "er-mrz.h"
#include "er-ocr.h"
#include "er-photo-image.h"
#include "fake-images.h"
#include "test-async.h"

#define WAIT_SECONDS 60

typedef struct {
  gpointer  data;
  gboolean *freed;
} Tracked;

static void
tracked_free (gpointer user_data)
{
  Tracked *tracked = user_data;

  if (tracked->freed != NULL)
    *tracked->freed = TRUE;
  g_free (tracked->data);
  g_free (tracked);
}

/* A card as the prefetch holds it: a preview decoded for a small pane, the
 * image bytes kept (freed: set when they go). */
static ErPhotoImage *
card_image (const char *name,
            guint       seed,
            gboolean   *freed)
{
  g_autoptr(GBytes) jpeg = fake_image_id_card (name, seed, 1200, 760, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Tracked *tracked = g_new0 (Tracked, 1);
  ErPhotoImage *image;
  gsize size;

  tracked->data = g_memdup2 (g_bytes_get_data (jpeg, &size), g_bytes_get_size (jpeg));
  tracked->freed = freed;
  bytes = g_bytes_new_with_free_func (tracked->data, size, tracked_free, tracked);
  image = er_photo_image_decode (bytes, 300, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (er_photo_image_get_final (image));
  return image;
}

static GdkTexture *
card_texture (const char *name,
              guint       seed)
{
  g_autoptr(GBytes) jpeg = fake_image_id_card (name, seed, 1200, 760, FAKE_IMAGE_JPEG, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(ErPhotoImage) image = er_photo_image_decode (jpeg, 0, NULL, &error);

  g_assert_no_error (error);
  return g_object_ref (er_photo_image_get_texture (image));
}

static GdkTexture *
blank_texture (void)
{
  gsize size = 400 * 300 * 4;
  g_autoptr(GBytes) bytes = g_bytes_new_take (memset (g_malloc (size), 0xff, size), size);

  return gdk_memory_texture_new (400, 300, GDK_MEMORY_DEFAULT, bytes, 400 * 4);
}

static gboolean
current_done (gpointer data)
{
  ErIdReaderState state = er_id_reader_get_state (data);

  return state == ER_ID_READER_DONE || state == ER_ID_READER_FAILED;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
nothing_pending (gpointer data)
{
  return er_id_reader_get_n_pending (data) == 0;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The case on screen: none, reading, read; its result and the photo's
 * reference let go once read. */
static void
test_states (void)
{
  g_autoptr(ErIdReader) reader = er_id_reader_new ();
  gboolean freed = FALSE;
  ErPhotoImage *card = card_image ("François Côté", 3, &freed);
  guint notified = 0;

  g_signal_connect (reader, "notify::state", G_CALLBACK (count_notify), &notified);
  g_assert_true (er_id_reader_get_enabled (reader));
  er_id_reader_set_current (reader, "r-1");
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_NONE);
  g_assert_null (er_id_reader_get_read (reader));

  er_id_reader_add (reader, "r-1", card);
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_READING);
  g_assert_cmpuint (er_id_reader_get_n_pending (reader), ==, 1);
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_DONE);
  g_assert_nonnull (er_id_reader_get_read (reader));
  g_assert_null (er_id_reader_get_error (reader));
  g_assert_cmpfloat (er_id_read_get_seconds (er_id_reader_get_read (reader)), >, 0);
  g_assert_cmpuint (notified, >=, 2);
  /* Read: the reader let go of the image bytes (the photo's go with it). */
  g_assert_false (freed);
  g_clear_object (&card);
  g_assert_true (freed);
  card = card_image ("François Côté", 3, NULL);

  /* Given again: read once. */
  er_id_reader_add (reader, "r-1", card);
  g_assert_cmpuint (er_id_reader_get_n_pending (reader), ==, 0);

  /* Another case on screen: nothing for it. */
  er_id_reader_set_current (reader, "r-2");
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_NONE);
  g_assert_null (er_id_reader_get_read (reader));
  g_assert_nonnull (er_id_reader_lookup (reader, "r-1"));
  g_object_unref (card);
}

/* Three photos given, the last one on screen: it is read before the second. */
static void
test_current_first (void)
{
  g_autoptr(ErIdReader) reader = er_id_reader_new ();
  g_autoptr(ErPhotoImage) card1 = card_image ("Marie Tremblay", 5, NULL);
  g_autoptr(ErPhotoImage) card2 = card_image ("Jean-Sébastien Gagnon", 6, NULL);
  g_autoptr(ErPhotoImage) card3 = card_image ("Zoé D'Amour", 7, NULL);

  er_id_reader_add (reader, "r-1", card1);  /* read at once: nothing else is */
  er_id_reader_add (reader, "r-2", card2);
  er_id_reader_add (reader, "r-3", card3);
  er_id_reader_set_current (reader, "r-3");
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));
  g_assert_nonnull (er_id_reader_lookup (reader, "r-3"));
  g_assert_null (er_id_reader_lookup (reader, "r-2"));
  g_assert_true (test_wait_for (nothing_pending, reader, WAIT_SECONDS));
  g_assert_nonnull (er_id_reader_lookup (reader, "r-2"));
  g_assert_nonnull (er_id_reader_lookup (reader, "r-1"));

  /* Any held case peeked at, current or not: what the ID line shows for
   * the next case before the session makes it current. */
  {
    ErIdRead *read = NULL;
    const char *error = "unset";

    g_assert_cmpint (er_id_reader_peek (reader, "r-2", &read, &error), ==, ER_ID_READER_DONE);
    g_assert_true (read == er_id_reader_lookup (reader, "r-2"));
    g_assert_null (error);
    g_assert_cmpint (er_id_reader_peek (reader, "r-9", &read, NULL), ==, ER_ID_READER_NONE);
    g_assert_null (read);
    g_assert_cmpint (er_id_reader_peek (reader, NULL, NULL, NULL), ==, ER_ID_READER_NONE);
    er_id_reader_set_enabled (reader, FALSE);
    g_assert_cmpint (er_id_reader_peek (reader, "r-2", &read, NULL), ==, ER_ID_READER_OFF);
    g_assert_null (read);
  }
}

/* A case forgotten while it is read, or waiting: nothing kept, nothing
 * held, the next one read. */
static void
test_forget (void)
{
  g_autoptr(ErIdReader) reader = er_id_reader_new ();
  gboolean freed1 = FALSE, freed2 = FALSE;
  ErPhotoImage *card1 = card_image ("Marie Tremblay", 5, &freed1);
  ErPhotoImage *card2 = card_image ("Jean-Sébastien Gagnon", 6, &freed2);

  er_id_reader_set_current (reader, "r-1");
  er_id_reader_add (reader, "r-1", card1);
  er_id_reader_add (reader, "r-2", card2);
  er_id_reader_forget (reader, "r-1");
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_NONE);
  g_assert_true (test_wait_for (nothing_pending, reader, WAIT_SECONDS));
  g_assert_null (er_id_reader_lookup (reader, "r-1"));
  g_assert_nonnull (er_id_reader_lookup (reader, "r-2"));
  er_id_reader_forget (reader, "r-2");
  g_assert_null (er_id_reader_lookup (reader, "r-2"));
  er_id_reader_forget (reader, "never-given");
  /* Nothing held by the reader: the photos' bytes go with the photos. */
  g_clear_object (&card1);
  g_clear_object (&card2);
  /* A worker thread may let its reference to either go last. */
  g_assert_true (test_wait_for (flag_set, &freed1, WAIT_SECONDS));
  g_assert_true (test_wait_for (flag_set, &freed2, WAIT_SECONDS));
}

static gboolean
engine_let_go (gpointer data)
{
  return !er_ocr_is_loaded ();
}

/* Tesseract's engine let go once nothing was read for a while (60 s in the
 * app, 1 s here), and loaded again by the next read. */
static void
test_idle_release (void)
{
  g_autoptr(ErIdReader) reader = er_id_reader_new ();
  g_autoptr(ErPhotoImage) card1 = card_image ("Marie Tremblay", 5, NULL);
  g_autoptr(ErPhotoImage) card2 = card_image ("Zoé D'Amour", 7, NULL);
  gint64 read_at;

  er_ocr_set_idle_seconds (1);
  er_id_reader_set_current (reader, "r-1");
  er_id_reader_add (reader, "r-1", card1);
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));
  read_at = g_get_monotonic_time ();
  g_assert_true (er_ocr_is_loaded ());
  g_assert_true (test_wait_for (engine_let_go, NULL, WAIT_SECONDS));
  /* Not before its time (the timeout's second may come early by a bit). */
  g_assert_cmpint (g_get_monotonic_time () - read_at, >=, G_USEC_PER_SEC / 2);

  er_id_reader_set_current (reader, "r-2");
  er_id_reader_add (reader, "r-2", card2);
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_DONE);
  g_assert_true (er_ocr_is_loaded ());
  er_ocr_set_idle_seconds (ER_OCR_IDLE_SECONDS);
}

/* The agent's setting off: nothing read, what was read forgotten. */
static void
test_disabled (void)
{
  g_autoptr(ErIdReader) reader = er_id_reader_new ();
  g_autoptr(ErPhotoImage) card = card_image ("Marie Tremblay", 5, NULL);

  er_id_reader_set_current (reader, "r-1");
  er_id_reader_add (reader, "r-1", card);
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));

  er_id_reader_set_enabled (reader, FALSE);
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_OFF);
  g_assert_null (er_id_reader_get_read (reader));
  g_assert_null (er_id_reader_lookup (reader, "r-1"));
  er_id_reader_add (reader, "r-1", card);
  g_assert_cmpuint (er_id_reader_get_n_pending (reader), ==, 0);

  er_id_reader_set_enabled (reader, TRUE);
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_NONE);
  er_id_reader_add (reader, "r-1", card);
  g_assert_cmpint (er_id_reader_get_state (reader), ==, ER_ID_READER_READING);
  g_assert_true (test_wait_for (current_done, reader, WAIT_SECONDS));
}

/* A photo with no text: no name, and it says so; never "same". */
static void
test_blank (void)
{
  g_autoptr(GdkTexture) blank = blank_texture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErIdRead) read = er_id_read_photo (blank, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_null (er_id_read_get_name (read));
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_NONE);
  g_assert_false (er_id_read_get_sure (read));
  g_assert_false (er_id_read_get_name_region (read, NULL));
  g_assert_null (er_id_read_get_expiry (read));
  g_assert_cmpint (er_id_read_compare (read, "Marie Tremblay"), ==, ER_ID_READ_NO_NAME);
  text = er_id_read_describe (read, "Marie Tremblay");
  g_assert_cmpstr (text, ==, "No name found on the ID: compare it yourself");
}

/* A text drawn at x, y. */
typedef struct {
  const char *text;
  int         x;
  int         y;
} Placed;

/* A white page of width × height to draw on in black. */
static cairo_t *
white_page (int width,
            int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);  /* cr holds it */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  return cr;
}

/* What was drawn on cr's page (white_page), as an 8-bit grey image;
 * cr goes. */
static guint8 *
page_grey (cairo_t *cr)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  guint8 *grey = g_malloc ((gsize) width * height);
  const guint8 *data;
  int stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      grey[y * width + x] = data[y * stride + x * 4 + 1];
  cairo_destroy (cr);
  return grey;
}

/* The texts drawn black on white in font, as an 8-bit grey image of
 * width × height. */
static guint8 *
grey_with_texts (int           width,
                 int           height,
                 const char   *font_name,
                 const Placed *texts,
                 guint         n_texts)
{
  cairo_t *cr = white_page (width, height);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (font_name);

  pango_layout_set_font_description (layout, font);
  for (guint i = 0; i < n_texts; i++)
    {
      pango_layout_set_text (layout, texts[i].text, -1);
      cairo_move_to (cr, texts[i].x, texts[i].y);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
  return page_grey (cr);
}

/* The line of lines whose text is text, or NULL. */
static const ErIdLine *
find_line (GPtrArray  *lines,
           const char *text)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (((ErIdLine *) g_ptr_array_index (lines, i))->text, text))
      return g_ptr_array_index (lines, i);
  return NULL;
}

/* One value read alone in a zone of a page (where Tesseract's page layout
 * skipped its line): its text, its box in the page's pixels; nothing in a
 * zone off the page. */
static void
test_read_zone (void)
{
  const Placed texts[] = { { "Nom / Surname", 100, 60 }, { "CÔTÉ", 620, 180 } };
  g_autofree guint8 *grey = grey_with_texts (1200, 400, "DejaVu Sans Bold 40px", texts, G_N_ELEMENTS (texts));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  ErIdLine *line;

  lines = er_ocr_read_zone (grey, 1200, 400, 1200, ER_OCR_AS_IS, 580, 150, 400, 120, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (line->text, ==, "CÔTÉ");
  g_assert_cmpint (line->x, >=, 600);
  g_assert_cmpint (line->x, <=, 640);
  g_assert_cmpint (line->y, >=, 170);

  none = er_ocr_read_zone (grey, 1200, 400, 1200, ER_OCR_AS_IS, 1300, 500, 100, 50, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

/* A value in a shadow that darkens its start, read alone in its zone with
 * the light made even (ER_OCR_EVEN_LIGHT): whole, its first letters
 * kept. */
static void
test_read_zone_even (void)
{
  cairo_t *cr = white_page (1200, 400);
  cairo_pattern_t *shadow = cairo_pattern_create_linear (0, 0, 1200, 0);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Sans 40px");
  g_autofree guint8 *grey = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  cairo_pattern_add_color_stop_rgb (shadow, 0, 0.35, 0.35, 0.35);
  cairo_pattern_add_color_stop_rgb (shadow, 0.45, 1, 1, 1);
  cairo_set_source (cr, shadow);
  cairo_paint (cr);
  cairo_pattern_destroy (shadow);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, "Prénoms / Given names", -1);
  cairo_move_to (cr, 100, 60);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, "ANDRÉE-ANNE NOUR", -1);
  cairo_move_to (cr, 100, 180);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
  grey = page_grey (cr);

  lines = er_ocr_read_zone (grey, 1200, 400, 1200, ER_OCR_EVEN_LIGHT, 60, 160, 800, 90, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (((ErIdLine *) g_ptr_array_index (lines, 0))->text, ==, "ANDRÉE-ANNE NOUR");
}

/* Small print read larger in a region of the page: its lines, their
 * boxes in the page's pixels (not the larger image's). */
static void
test_read_region (void)
{
  const Placed texts[] = { { "Nom / Surname", 420, 120 }, { "TREMBLAY", 420, 150 } };
  g_autofree guint8 *grey = grey_with_texts (900, 300, "DejaVu Sans Bold 16px", texts, G_N_ELEMENTS (texts));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  const ErIdLine *line;

  lines = er_ocr_read_region (grey, 900, 300, 900, ER_OCR_AS_IS, 380, 90, 400, 110, 2.5, NULL, &error);
  g_assert_no_error (error);
  line = find_line (lines, "TREMBLAY");
  g_assert_nonnull (line);
  /* Drawn at 420, 150: its box there, 16 pixels or so high. */
  g_assert_cmpint (line->x, >=, 415);
  g_assert_cmpint (line->x, <=, 430);
  g_assert_cmpint (line->y, >=, 145);
  g_assert_cmpint (line->y, <=, 165);
  g_assert_cmpint (line->height, >=, 8);
  g_assert_cmpint (line->height, <=, 24);
  g_assert_cmpint (line->width, >=, 80);
  g_assert_cmpint (line->width, <=, 130);
}

/* A page of labels and values beside them, each row turned about its
 * label's start by its own angle, from +3.5° at the top to −3.5° at the
 * bottom (a card photographed at an angle, its right edge the far one):
 * as an 8-bit grey image of 1400 × 900. */
static guint8 *
grey_keystone (void)
{
  static const char * const rows[][2] = {
    { "Nom / Surname", "DIALLO" },
    { "Prénom / Given name", "HÉLÈNE" },
    { "Date de naissance / Date of birth", "1973/11/18" },
    { "Date d'expiration / Date of expiry", "2035/12/28" },
    { "Numéro / Number", "H1158-017367-11" },
  };
  cairo_t *cr = white_page (1400, 900);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *label_font = pango_font_description_from_string ("DejaVu Sans 22px");
  PangoFontDescription *value_font = pango_font_description_from_string ("DejaVu Sans Bold 40px");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double degrees = 3.5 - 7.0 * i / (G_N_ELEMENTS (rows) - 1);

      cairo_save (cr);
      cairo_translate (cr, 100, 140 + 150 * i);
      cairo_rotate (cr, -degrees * G_PI / 180);
      pango_layout_set_font_description (layout, label_font);
      pango_layout_set_text (layout, rows[i][0], -1);
      cairo_move_to (cr, 0, 8);
      pango_cairo_show_layout (cr, layout);
      pango_layout_set_font_description (layout, value_font);
      pango_layout_set_text (layout, rows[i][1], -1);
      cairo_move_to (cr, 560, 0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }
  pango_font_description_free (label_font);
  pango_font_description_free (value_font);
  g_object_unref (layout);
  return page_grey (cr);
}

/* Lines that lean differently at the top and the bottom are made level
 * (ER_OCR_KEYSTONE): the top row's label and its value, drawn 30 pixels
 * apart in height, read level; its name read under its labels. Lines
 * that lean alike (a page straight or turned as a whole) give
 * G_IO_ERROR_NOT_FOUND: nothing to read differently. */
static void
test_keystone (void)
{
  const Placed straight_texts[] = { { "Nom / Surname", 100, 100 }, { "TREMBLAY", 600, 90 },
                                    { "Prénom / Given name", 100, 250 }, { "MARIE", 600, 240 },
                                    { "Numéro / Number", 100, 400 }, { "T1234-567890-12", 600, 390 } };
  g_autofree guint8 *grey = grey_keystone ();
  g_autofree guint8 *straight = grey_with_texts (1400, 900, "DejaVu Sans 30px", straight_texts,
                                                 G_N_ELEMENTS (straight_texts));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(GError) error = NULL;
  const ErIdLine *label, *value;

  lines = er_ocr_read_lines (grey, 1400, 900, 1400, ER_OCR_KEYSTONE, NULL, &error);
  g_assert_no_error (error);
  label = find_line (lines, "Nom / Surname");
  value = find_line (lines, "DIALLO");
  g_assert_nonnull (label);
  g_assert_nonnull (value);
  /* Drawn, the value's middle is 560 × sin 3.5° = 34 pixels above the
   * label's: now level within a few. */
  g_assert_cmpint (ABS ((2 * value->y + value->height) - (2 * label->y + label->height)) / 2, <=, 10);
  read = er_id_read_new_from_lines (lines, 1400, 900);
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "HÉLÈNE DIALLO");

  none = er_ocr_read_lines (straight, 1400, 900, 1400, ER_OCR_KEYSTONE, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (none);
}

/* A passport's MRZ, small and leaning its own way (a page photographed
 * at an angle), read in its region as an MRZ (ER_OCR_MRZ): straightened
 * alone, made larger, its characters only; its check digits verify. */
static void
test_read_mrz (void)
{
  static const char * const mrz[] = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                      "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };
  cairo_t *cr = white_page (900, 400);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Nimbus Mono PS Bold 16px");
  g_autofree guint8 *grey = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(ErMrz) found = NULL;
  g_autoptr(GError) error = NULL;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, "Nom / Surname   ERIKSSON", -1);
  cairo_move_to (cr, 60, 60);
  pango_cairo_show_layout (cr, layout);
  cairo_translate (cr, 60, 260);
  cairo_rotate (cr, -4.0 * G_PI / 180);
  for (guint i = 0; i < G_N_ELEMENTS (mrz); i++)
    {
      pango_layout_set_text (layout, mrz[i], -1);
      cairo_move_to (cr, 0, 30 * i);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
  grey = page_grey (cr);

  lines = er_ocr_read_region (grey, 900, 400, 900, ER_OCR_MRZ, 30, 180, 840, 160, 2.5, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *text = ((ErIdLine *) g_ptr_array_index (lines, i))->text;

      g_assert_cmpuint (strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789< "), ==, strlen (text));
      g_ptr_array_add (texts, (gpointer) text);
    }
  found = er_mrz_find ((const char * const *) texts->pdata, texts->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->surname, ==, "ERIKSSON");
  g_assert_cmpstr (found->given_names, ==, "ANNA MARIA");
  g_assert_cmpint (g_date_get_year (&found->expiry), ==, 2012);
}

/* A name's line read again alone gives back the capitals Tesseract
 * dropped at its start, the accents as the page read them; anything else
 * it reads differently is not taken. */
static void
test_lost_start (void)
{
  static const struct {
    const char *page, *zone, *mended;
  } cases[] = {
    { "HANH", "THANH", "THANH" },
    { "ÔTÉ", "CÔTE", "CÔTÉ" },
    { "HEUREUX", "L'HEUREUX", "L'HEUREUX" },
    { "DRÉE-ANNE", "ANDRÉE-ANNE", "ANDRÉE-ANNE" },
    { "ANH", "| THANH", "THANH" },
    { "THANH", "THANH", NULL },           /* nothing lost */
    { "HANH", "THANG", NULL },            /* another ending */
    { "MONTIGNY", "DE MONTIGNY", NULL },  /* a word, not a letter */
    { "ANH", "XTHANH", NULL },            /* three letters */
    { "HANH", "tHANH", NULL },            /* not a capital */
    { "H", "TH", NULL },                  /* too little read */
    { "HANH", "\xff\xfeHANH", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *mended = _er_id_read_lost_start (cases[i].page, cases[i].zone);

      g_assert_cmpstr (mended, ==, cases[i].mended);
    }
}

/* Cancelled before or while it reads: G_IO_ERROR_CANCELLED. */
static void
test_cancel (void)
{
  g_autoptr(GdkTexture) card = card_texture ("Marie Tremblay", 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ErIdRead) read = NULL;
  GAsyncResult *result = NULL;

  g_cancellable_cancel (cancellable);
  read = er_id_read_photo (card, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (read);
  g_clear_error (&error);

  g_cancellable_reset (cancellable);
  er_id_read_photo_async (card, cancellable, test_async_store, &result);
  g_cancellable_cancel (cancellable);
  read = er_id_read_photo_finish (test_async_wait (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (read);
  g_object_unref (result);
}

/* ---- Results made from lines, as Tesseract would give them ------------- */

static void
add_line (GPtrArray  *lines,
          const char *text,
          float       confidence)
{
  int y = 40 + 50 * lines->len;

  g_ptr_array_add (lines, er_id_line_new (text, confidence, 400, y, 30 * (int) strlen (text), 40));
}

/* A TD3 MRZ (passport) for surname and given names (in MRZ letters),
 * expiring on expiry (YYMMDD), its check digits computed. */
static void
add_td3 (GPtrArray  *lines,
         const char *surname,
         const char *given,
         const char *expiry,
         float       confidence)
{
  g_autofree char *names = g_strdup_printf ("%s<<%s", surname, given);
  g_autoptr(GString) line1 = g_string_new ("P<CAN");
  g_autoptr(GString) line2 = g_string_new (NULL);
  g_autofree char *composite = NULL;
  const char *number = "AB1234567", *birth = "850712", *personal = "<<<<<<<<<<<<<<";

  for (char *p = names; *p != '\0'; p++)
    if (*p == ' ')
      *p = '<';
  g_string_append (line1, names);
  while (line1->len < 44)
    g_string_append_c (line1, '<');
  /* A name too long for its 39 places cut at the end, as ICAO does. */
  g_string_truncate (line1, 44);
  g_string_append_printf (line2, "%s%d", number, er_mrz_check_digit (number, -1));
  g_string_append (line2, "CAN");
  g_string_append_printf (line2, "%s%d", birth, er_mrz_check_digit (birth, -1));
  g_string_append_c (line2, 'F');
  g_string_append_printf (line2, "%s%d", expiry, er_mrz_check_digit (expiry, -1));
  g_string_append_printf (line2, "%s%d", personal, er_mrz_check_digit (personal, -1));
  composite = g_strdup_printf ("%.10s%.7s%.22s", line2->str, line2->str + 13, line2->str + 21);
  g_string_append_printf (line2, "%d", er_mrz_check_digit (composite, -1));
  g_assert_cmpuint (line2->len, ==, 44);
  add_line (lines, line1->str, confidence);
  add_line (lines, line2->str, confidence);
}

static GPtrArray *
card_lines (const char *surname,
            const char *given,
            float       confidence)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);

  add_line (lines, "PASSEPORT / PASSPORT", 92);
  add_line (lines, "Nom / Surname", 93);
  add_line (lines, surname, confidence);
  add_line (lines, "Prénoms / Given names", 91);
  add_line (lines, given, confidence);
  add_line (lines, "Date d'expiration / Date of expiry", 90);
  add_line (lines, "28 MAI /MAY 26", 90);
  return lines;
}

/* Labels read surely: the name as printed, compared in the account's
 * order: same, close or different as the name comparison says. */
static void
test_labels (void)
{
  g_autoptr(GPtrArray) lines = card_lines ("CÔTÉ", "FRANÇOIS", 92);
  g_autoptr(ErIdRead) read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_autofree char *same = NULL, *differs = NULL;
  graphene_rect_t box;

  g_assert_cmpstr (er_id_read_get_name (read), ==, "CÔTÉ, FRANÇOIS");
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "FRANÇOIS CÔTÉ");
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_LABELS);
  g_assert_true (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "François Côté"), ==, ER_ID_READ_SAME);
  g_assert_cmpint (er_id_read_compare (read, "Francois Cote"), ==, ER_ID_READ_CLOSE);
  g_assert_cmpint (er_id_read_compare (read, "Francis Côté"), ==, ER_ID_READ_DIFFERS);
  g_assert_cmpint (er_id_read_compare (read, "François Côté-Roy"), ==, ER_ID_READ_DIFFERS);
  same = er_id_read_describe (read, "François Côté");
  g_assert_cmpstr (same, ==, "Read on the ID: CÔTÉ, FRANÇOIS — same name");
  differs = er_id_read_describe (read, "Francis Côté");
  g_assert_true (g_str_has_prefix (differs, "Read on the ID: CÔTÉ, FRANÇOIS — differs: "));
  g_assert_true (er_id_read_get_name_region (read, &box));
  g_assert_cmpfloat (box.size.width, >, 0);
}

/* A card's reading of surname and given names at confidence, with its
 * expiry date (28 May 2026) or without. */
static ErIdRead *
card_read (const char *surname,
           const char *given,
           float       confidence,
           gboolean    expiry)
{
  g_autoptr(GPtrArray) lines = card_lines (surname, given, confidence);

  if (!expiry)
    g_ptr_array_set_size (lines, lines->len - 2);
  return er_id_read_new_from_lines (lines, 2000, 1300);
}

/* A reading of the lines of text given (NULL-terminated), read at a
 * confidence of 90, one under the other. */
G_GNUC_NULL_TERMINATED static ErIdRead *
read_of (const char *first,
         ...)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    add_line (lines, text, 90);
  va_end (args);
  return er_id_read_new_from_lines (lines, 2000, 1300);
}

/* Of two readings of one photo (small print read again larger), the one
 * that says more is kept: the same letters with more of French's marks
 * (an "Ò" French does not write is no mark), else an expiry date, then a
 * name read surely; the first on a tie. An expiry date only the other
 * reading found is kept, and the marks only the other saw. */
static void
test_choose (void)
{
  g_autoptr(ErIdRead) plain = card_read ("BENOIT", "SYLVIE", 92, TRUE);
  g_autoptr(ErIdRead) marked = card_read ("BENOÎT", "SYLVIE", 92, FALSE);
  g_autoptr(ErIdRead) cote = card_read ("CÔTÉ", "FRANÇOIS", 60, TRUE);
  g_autoptr(ErIdRead) cote_grave = card_read ("CÒTÉ", "FRANÇOIS", 92, TRUE);
  g_autoptr(ErIdRead) short_unsure = card_read ("GOYETT", "LAURENCE", 50, TRUE);
  g_autoptr(ErIdRead) whole_sure = card_read ("GOYETTE", "LAURENCE", 92, TRUE);
  g_autoptr(ErIdRead) whole_no_date = card_read ("GOYETTE", "LAURENCE", 92, FALSE);
  g_autoptr(ErIdRead) again = card_read ("GOYETTE", "LAURENCE", 92, TRUE);
  ErIdRead *kept;
  GDateTime *expiry;

  g_assert_true (_er_id_read_prefers (plain, marked));
  g_assert_false (_er_id_read_prefers (marked, plain));
  g_assert_false (_er_id_read_prefers (cote, cote_grave));
  g_assert_true (_er_id_read_prefers (cote_grave, cote));
  g_assert_true (_er_id_read_prefers (short_unsure, whole_sure));
  g_assert_false (_er_id_read_prefers (whole_sure, short_unsure));
  /* Other letters: the expiry date first, then a sure name. */
  g_assert_true (_er_id_read_prefers (whole_no_date, short_unsure));
  g_assert_false (_er_id_read_prefers (short_unsure, whole_no_date));
  /* The same: the first. */
  g_assert_false (_er_id_read_prefers (whole_sure, again));
  g_assert_false (_er_id_read_prefers (again, whole_sure));

  /* Two names guessed by their place (no label read): the one that looks
   * more like a name, whichever came first; the same, the first. Worthier
   * (an expiry date read) whatever the letters; not by them. */
  {
    g_autoptr(ErIdRead) junk = read_of ("GAUTHIER, À", "20.04.1961", "23.05.2033", NULL);
    g_autoptr(ErIdRead) name = read_of ("GAUTHIER, ANNE-SOPHIE NOÉMIE", "20.04.1961", "23.05.2033", NULL);
    g_autoptr(ErIdRead) dateless = read_of ("GAUTHIER, ANNE-SOPHIE NOÉMIE", "20.04.1961", NULL);

    g_assert_cmpint (er_id_read_get_source (junk), ==, ER_ID_READ_SOURCE_LAYOUT);
    g_assert_cmpint (er_id_read_get_source (name), ==, ER_ID_READ_SOURCE_LAYOUT);
    g_assert_cmpint (er_id_read_get_source (dateless), ==, ER_ID_READ_SOURCE_LAYOUT);
    g_assert_null (er_id_read_get_expiry (dateless));
    g_assert_true (_er_id_read_prefers (junk, name));
    g_assert_false (_er_id_read_prefers (name, junk));
    g_assert_false (_er_id_read_prefers (name, name));
    g_assert_true (_er_id_read_worthier (dateless, junk));
    g_assert_false (_er_id_read_worthier (junk, dateless));
    g_assert_false (_er_id_read_worthier (junk, name));
  }

  /* The marked name kept, with the date only the plain one read. */
  kept = _er_id_read_choose (g_steal_pointer (&plain), g_object_ref (marked));
  g_assert_true (kept == marked);
  g_assert_cmpstr (er_id_read_get_compare_name (kept), ==, "SYLVIE BENOÎT");
  expiry = er_id_read_get_expiry (kept);
  g_assert_nonnull (expiry);
  g_assert_cmpint (g_date_time_get_year (expiry), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (expiry), ==, 5);
  g_assert_cmpint (g_date_time_get_day_of_month (expiry), ==, 28);
  g_assert_true (er_id_read_get_expiry_sure (kept));
  g_object_unref (kept);

  /* The same name with marks missed in different places: the one kept
   * has the marks of both ("Ò", which French does not write, is none). */
  kept = _er_id_read_choose (card_read ("VÉZINA", "LEA", 80, TRUE), card_read ("VEZINA", "LÉA", 92, TRUE));
  g_assert_cmpstr (er_id_read_get_compare_name (kept), ==, "LÉA VÉZINA");
  g_assert_cmpstr (er_id_read_get_name (kept), ==, "VÉZINA, LÉA");
  g_object_unref (kept);
  kept = _er_id_read_choose (card_read ("CÔTE", "LEA", 92, TRUE), card_read ("COTÉ", "LEA", 92, TRUE));
  g_assert_cmpstr (er_id_read_get_compare_name (kept), ==, "LEA CÔTÉ");
  g_object_unref (kept);
  kept = _er_id_read_choose (card_read ("COTÉ", "LEA", 92, TRUE), card_read ("CÒTE", "LEA", 92, TRUE));
  g_assert_cmpstr (er_id_read_get_compare_name (kept), ==, "LEA COTÉ");
  g_object_unref (kept);
  /* Other letters: nothing taken. */
  kept = _er_id_read_choose (card_read ("VEZINA", "LEA", 92, TRUE), card_read ("VÉZINO", "LÉA", 92, TRUE));
  g_assert_cmpstr (er_id_read_get_compare_name (kept), ==, "LEA VEZINA");
  g_object_unref (kept);
}

/* A name line read without confidence, or half a name: unsure, never
 * "same", whatever the letters. */
static void
test_unsure (void)
{
  g_autoptr(GPtrArray) lines = card_lines ("CÔTÉ", "FRANÇOIS", 50);
  g_autoptr(ErIdRead) read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_autoptr(GPtrArray) half = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) half_read = NULL;
  g_autofree char *text = NULL;

  g_assert_false (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "François Côté"), ==, ER_ID_READ_UNSURE);
  text = er_id_read_describe (read, "François Côté");
  g_assert_cmpstr (text, ==, "Read on the ID, unsure: CÔTÉ, FRANÇOIS — compare it yourself");

  add_line (half, "Nom / Surname", 93);
  add_line (half, "CÔTÉ", 95);
  half_read = er_id_read_new_from_lines (half, 2000, 1300);
  g_assert_cmpint (er_id_read_compare (half_read, "Côté"), ==, ER_ID_READ_UNSURE);
  /* Half a name: a photo read so is read again (er-id-read-photo.c);
   * the whole one, even unsure, is not. */
  g_assert_true (half_read->half);
  g_assert_false (read->half);

  /* One word under "Nom, prénom / Name": its comma misread, the given
   * names lost; two words, or a comma, are a whole name. */
  {
    g_autoptr(ErIdRead) one_read = read_of ("Nom, prénom / Name", "PELLETIER", NULL);
    g_autoptr(ErIdRead) two_read = read_of ("Nom, prénom / Name", "PELLETIER, NOËL", NULL);

    g_assert_cmpstr (er_id_read_get_name (one_read), ==, "PELLETIER");
    g_assert_false (er_id_read_get_sure (one_read));
    g_assert_true (one_read->half);
    g_assert_cmpint (er_id_read_compare (one_read, "Noël Pelletier"), ==, ER_ID_READ_UNSURE);
    g_assert_true (er_id_read_get_sure (two_read));
    g_assert_false (two_read->half);
  }
}

/* Every label lost: the capitals above the first date, read surely but
 * never said sure; an MRZ, when there is one, is taken over them. */
static void
test_layout (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GPtrArray) passport = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(ErIdRead) mrz_read = NULL;
  g_autofree char *text = NULL;

  add_line (lines, "CÔTÉ", 96);
  add_line (lines, "FRANÇOIS", 96);
  add_line (lines, "07.04.1968", 93);
  add_line (lines, "22.07.2036", 93);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_LAYOUT);
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "FRANÇOIS CÔTÉ");
  g_assert_false (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "François Côté"), ==, ER_ID_READ_UNSURE);
  text = er_id_read_describe (read, "François Côté");
  g_assert_cmpstr (text, ==, "Read on the ID, unsure: CÔTÉ, FRANÇOIS — compare it yourself");
  g_assert_true (er_id_read_get_name_region (read, NULL));

  add_line (passport, "COTE", 96);
  add_line (passport, "FRANCIS", 96);
  add_line (passport, "07.04.1968", 93);
  add_td3 (passport, "COTE", "FRANCOIS", "310101", 90);
  mrz_read = er_id_read_new_from_lines (passport, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (mrz_read), ==, ER_ID_READ_SOURCE_MRZ);
  g_assert_cmpstr (er_id_read_get_compare_name (mrz_read), ==, "FRANCOIS COTE");
}

/* The MRZ spells the same letters: sure. It spells others (the printed
 * name misread into another one): unsure. */
static void
test_mrz_agrees (void)
{
  g_autoptr(GPtrArray) agree = card_lines ("D'AMOUR", "ZOÉ", 92);
  g_autoptr(GPtrArray) disagree = card_lines ("D'AMOUR", "ZOÉ", 92);
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(ErIdRead) other = NULL;

  add_td3 (agree, "DAMOUR", "ZOE", "260528", 88);
  read = er_id_read_new_from_lines (agree, 2000, 1300);
  g_assert_true (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "Zoé D'Amour"), ==, ER_ID_READ_SAME);

  add_td3 (disagree, "DAMOUR", "ZOLA", "260528", 88);
  other = er_id_read_new_from_lines (disagree, 2000, 1300);
  g_assert_false (er_id_read_get_sure (other));
  g_assert_cmpint (er_id_read_compare (other, "Zoé D'Amour"), ==, ER_ID_READ_UNSURE);

  /* A name longer than its field, cut at its end in the MRZ
   * ("…BEAUCHEMIN<<SYLVIE<BE"): the start of the printed one. */
  {
    g_autoptr(GPtrArray) lines = card_lines ("DE LA CHEVROTIÈRE-BEAUCHEMIN", "SYLVIE BENOÎT", 92);
    g_autoptr(ErIdRead) cut = NULL;

    add_td3 (lines, "DE LA CHEVROTIERE BEAUCHEMIN", "SYLVIE BENOIT", "260528", 88);
    g_assert_true (g_str_has_suffix (((ErIdLine *) g_ptr_array_index (lines, lines->len - 2))->text,
                                     "<<SYLVIE<BE"));
    cut = er_id_read_new_from_lines (lines, 2000, 1300);
    g_assert_true (er_id_read_get_sure (cut));
    g_assert_cmpint (er_id_read_compare (cut, "Sylvie Benoît De La Chevrotière-Beauchemin"), ==,
                     ER_ID_READ_SAME);
  }
}

/* A name under its labels, one part the MRZ does not spell ("FAHÉRÈSE"
 * on a noisy photo, the MRZ's THERESE): that part's line is one to read
 * again; a reading of it that spells the MRZ's letters, put in its
 * place, makes the name whole and sure. */
static void
test_mrz_misspelt (void)
{
  g_autoptr(GPtrArray) lines = card_lines ("HÉBERT", "FAHÉRÈSE", 92);
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(ErIdRead) mended = NULL;
  ErIdLine *line;

  add_td3 (lines, "HEBERT", "THERESE", "260528", 88);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_LABELS);
  g_assert_false (er_id_read_get_sure (read));
  g_assert_null (read->misspelt[0]);
  g_assert_nonnull (read->misspelt[1]);
  g_assert_cmpstr (read->misspelt[1]->text, ==, "FAHÉRÈSE");

  g_assert_true (_er_id_read_spells_mrz_part (read, 1, "THÉRÈSE"));
  g_assert_true (_er_id_read_spells_mrz_part (read, 0, "Nom HÉBERT"));
  g_assert_false (_er_id_read_spells_mrz_part (read, 1, "FAHÉRÈSE"));
  g_assert_false (_er_id_read_spells_mrz_part (read, 1, "THÉRÈS"));

  line = g_ptr_array_index (lines, 4);
  g_free (line->text);
  line->text = g_strdup ("THÉRÈSE");
  mended = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_true (er_id_read_get_sure (mended));
  g_assert_null (mended->misspelt[1]);
  g_assert_cmpint (er_id_read_compare (mended, "Thérèse Hébert"), ==, ER_ID_READ_SAME);
}

/* A part of an MRZ's name misread in print ("7 core" for CÔTÉ): its
 * line is one to read again (one edit in five letters, at least one);
 * a line further from it ("CORBEIL"), the MRZ's own and the part found
 * are not. */
static void
test_mrz_near_print (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GPtrArray) near = NULL;
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) read = NULL;

  add_line (lines, "PASSEPORT / PASSPORT", 92);
  add_line (lines, "7 core", 40);
  add_line (lines, "CORBEIL", 90);
  add_line (lines, "MARIE-CHANTAL", 90);
  add_line (lines, "MARIE CHANTEL", 90);
  add_td3 (lines, "COTE", "MARIE CHANTAL", "310101", 90);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_MRZ);

  near = _er_id_read_near_printed (read, lines);
  g_assert_cmpuint (near->len, ==, 1);
  g_assert_cmpstr (((ErIdLine *) g_ptr_array_index (near, 0))->text, ==, "7 core");

  /* That line read again alone: the name as printed. */
  add_line (again, "C2 CÔTÉ", 50);
  g_assert_false (_er_id_read_take_printed (read, again));
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_PRINTED);
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "MARIE-CHANTAL CÔTÉ");
  g_clear_pointer (&near, g_ptr_array_unref);
  near = _er_id_read_near_printed (read, lines);
  g_assert_cmpuint (near->len, ==, 0);
}

/* No label, an MRZ: its name, without accents: an accented account name
 * is close, never the same. */
static void
test_mrz_only (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) read = NULL;

  add_line (lines, "PASSPORT", 90);
  add_td3 (lines, "COTE", "FRANCOIS", "310101", 90);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_MRZ);
  g_assert_cmpstr (er_id_read_get_name (read), ==, "COTE, FRANCOIS");
  g_assert_cmpint (er_id_read_compare (read, "François Côté"), ==, ER_ID_READ_CLOSE);
  g_assert_cmpint (er_id_read_compare (read, "Francois Cote"), ==, ER_ID_READ_SAME);
}

/* No label, an MRZ, and its names in print elsewhere (the labels lost):
 * the printed name, accents and all, its letters vouched for by the MRZ;
 * a part not in print leaves the MRZ's name, and another reading's lines
 * can still give it. Neither the MRZ's own lines nor a word with other
 * letters stand for print. */
static void
test_mrz_found_in_print (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GPtrArray) half = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(ErIdRead) half_read = NULL;
  graphene_rect_t region;

  add_line (lines, "PASSEPORT / PASSPORT", 92);
  add_line (lines, "Nor", 60);
  add_line (lines, "CÔTÉ,", 91);
  add_line (lines, "Pr nc / Gi", 60);
  add_line (lines, "FRANÇOIS XAVIER 12 JANV 1990", 88);
  add_td3 (lines, "COTE", "FRANCOIS XAVIER", "310101", 60);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_PRINTED);
  g_assert_cmpstr (er_id_read_get_name (read), ==, "CÔTÉ, FRANÇOIS XAVIER");
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "FRANÇOIS XAVIER CÔTÉ");
  g_assert_true (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "François Xavier Côté"), ==, ER_ID_READ_SAME);
  g_assert_cmpint (er_id_read_compare (read, "Francois Xavier Cote"), ==, ER_ID_READ_CLOSE);
  /* The region is the printed lines'. */
  g_assert_true (er_id_read_get_name_region (read, &region));
  g_assert_false (_er_id_read_take_printed (read, lines));

  /* The given names nowhere in print but in the MRZ (one word "COTE" in
   * a line with fillers is the MRZ's): the MRZ's name. */
  add_line (half, "CÔTÉ", 91);
  add_line (half, "FRANCOISE XAVIER", 91);
  add_line (half, "COTE<< FRANCOIS<XAVIER", 30);
  add_td3 (half, "COTE", "FRANCOIS XAVIER", "310101", 90);
  half_read = er_id_read_new_from_lines (half, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (half_read), ==, ER_ID_READ_SOURCE_MRZ);
  g_assert_cmpstr (er_id_read_get_name (half_read), ==, "COTE, FRANCOIS XAVIER");
  /* Another reading finds them, with commas as French cards print them. */
  add_line (again, "FRANÇOIS, XAVIER", 70);
  g_assert_false (_er_id_read_take_printed (half_read, again));
  g_assert_cmpint (er_id_read_get_source (half_read), ==, ER_ID_READ_SOURCE_PRINTED);
  g_assert_cmpstr (er_id_read_get_name (half_read), ==, "CÔTÉ, FRANÇOIS, XAVIER");
  g_assert_cmpstr (er_id_read_get_compare_name (half_read), ==, "FRANÇOIS XAVIER CÔTÉ");
  /* Below the sure confidence there: unsure. */
  g_assert_false (er_id_read_get_sure (half_read));
  g_assert_cmpint (er_id_read_compare (half_read, "François Xavier Côté"), ==, ER_ID_READ_UNSURE);
}

/* Half a name under its label, the MRZ spelling it: the printed half and
 * the MRZ's other half. An MRZ spelling another name: half a name, unsure. */
static void
test_mrz_completes (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  g_autoptr(ErIdRead) read = NULL;
  g_autoptr(ErIdRead) other_read = NULL;

  add_line (lines, "PASSEPORT / PASSPORT", 92);
  add_line (lines, "Nom / Surname", 93);
  add_line (lines, "CÔTÉ", 92);
  add_line (lines, "Pr nc / Gi", 60);
  add_td3 (lines, "COTE", "FRANCOIS", "310101", 90);
  read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (read), ==, ER_ID_READ_SOURCE_MRZ);
  g_assert_cmpstr (er_id_read_get_name (read), ==, "CÔTÉ, FRANCOIS");
  g_assert_cmpstr (er_id_read_get_compare_name (read), ==, "FRANCOIS CÔTÉ");
  g_assert_true (er_id_read_get_sure (read));
  g_assert_cmpint (er_id_read_compare (read, "François Côté"), ==, ER_ID_READ_CLOSE);
  g_assert_cmpint (er_id_read_compare (read, "Francois Côté"), ==, ER_ID_READ_SAME);
  g_assert_cmpint (er_id_read_compare (read, "Francis Côté"), ==, ER_ID_READ_DIFFERS);

  add_line (other, "Nom / Surname", 93);
  add_line (other, "CÔTÉ", 92);
  add_td3 (other, "COTA", "FRANCOIS", "310101", 90);
  other_read = er_id_read_new_from_lines (other, 2000, 1300);
  g_assert_cmpint (er_id_read_get_source (other_read), ==, ER_ID_READ_SOURCE_LABELS);
  g_assert_false (er_id_read_get_sure (other_read));
  g_assert_cmpint (er_id_read_compare (other_read, "François Côté"), ==, ER_ID_READ_UNSURE);
}

/* The expiry: the MRZ's (checked) over the printed one, the latest date
 * read when neither is there; expired only when past on the day the
 * learner submitted (valid through its day). */
static void
test_expiry (void)
{
  g_autoptr(GPtrArray) lines = card_lines ("CÔTÉ", "FRANÇOIS", 92);
  g_autoptr(ErIdRead) read = er_id_read_new_from_lines (lines, 2000, 1300);
  g_autoptr(GDateTime) on_the_day = g_date_time_new_utc (2026, 5, 28, 22, 0, 0);
  g_autoptr(GDateTime) after = g_date_time_new_utc (2026, 6, 1, 9, 0, 0);
  g_autofree char *text = NULL;
  g_autofree char *none = NULL;
  GDateTime *expiry = er_id_read_get_expiry (read);

  g_assert_nonnull (expiry);
  g_assert_cmpint (g_date_time_get_year (expiry), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (expiry), ==, 5);
  g_assert_cmpint (g_date_time_get_day_of_month (expiry), ==, 28);
  g_assert_false (er_id_read_expired_at (read, on_the_day));
  g_assert_true (er_id_read_expired_at (read, after));
  text = er_id_read_describe_expiry (read, after);
  g_assert_cmpstr (text, ==, "ID expired on 28 May 2026");
  none = er_id_read_describe_expiry (read, on_the_day);
  g_assert_null (none);

  /* An MRZ's date wins over a misread printed one. */
  {
    g_autoptr(GPtrArray) with_mrz = card_lines ("CÔTÉ", "FRANÇOIS", 92);
    g_autoptr(ErIdRead) mrz_read = NULL;

    add_td3 (with_mrz, "COTE", "FRANCOIS", "310101", 90);
    mrz_read = er_id_read_new_from_lines (with_mrz, 2000, 1300);
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (mrz_read)), ==, 2031);
    g_assert_true (er_id_read_get_expiry_sure (mrz_read));
    g_assert_false (er_id_read_expired_at (mrz_read, after));
  }

  /* The labels lost: the latest date read, worded as a hint. */
  {
    g_autoptr(GPtrArray) unlabelled = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
    g_autoptr(ErIdRead) latest_read = NULL;
    g_autofree char *hint = NULL;

    add_line (unlabelled, "CÔTÉ", 92);
    add_line (unlabelled, "FRANÇOIS", 92);
    add_line (unlabelled, "14.07.1990", 93);
    add_line (unlabelled, "28.05.2026", 93);
    latest_read = er_id_read_new_from_lines (unlabelled, 2000, 1300);
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (latest_read)), ==, 2026);
    g_assert_false (er_id_read_get_expiry_sure (latest_read));
    g_assert_true (er_id_read_expired_at (latest_read, after));
    hint = er_id_read_describe_expiry (latest_read, after);
    g_assert_cmpstr (hint, ==, "ID may have expired on 28 May 2026 (the latest date read on it)");
  }

  /* Its label read without it: the date read alone under that label is
   * taken, surely; a reading that has its date surely keeps it. */
  {
    g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
    g_autoptr(GPtrArray) zone = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
    g_autoptr(ErIdRead) lost_read = NULL;

    add_line (lost, "Nom / Surname", 92);
    add_line (lost, "CÔTÉ", 92);
    add_line (lost, "Date d'e ‘04-04 / Date of expiry", 88);
    add_line (lost, "2029- 12578-713186-79", 91);
    lost_read = er_id_read_new_from_lines (lost, 2000, 1300);
    g_assert_null (er_id_read_get_expiry (lost_read));
    g_assert_cmpint (lost_read->expiry_zone_width, >, 0);
    add_line (zone, "2029-04-04", 53);
    g_assert_true (_er_id_read_take_expiry (lost_read, zone));
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (lost_read)), ==, 2029);
    g_assert_cmpint (g_date_time_get_day_of_month (er_id_read_get_expiry (lost_read)), ==, 4);
    g_assert_true (er_id_read_get_expiry_sure (lost_read));
    g_assert_false (_er_id_read_take_expiry (read, zone));
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (read)), ==, 2026);
  }

  /* Nor when the latest date read stands in: a date read alone from a
   * part of a line may be misread ("21 -03-01"). */
  {
    g_autoptr(GPtrArray) latest = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
    g_autoptr(GPtrArray) zone = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
    g_autoptr(ErIdRead) latest_read = NULL;

    add_line (latest, "Nom / Surname", 92);
    add_line (latest, "CÔTÉ", 92);
    add_line (latest, "1987-10-24", 96);
    add_line (latest, "2021-03-01", 88);
    add_line (latest, "€ d'expiration Date of expiry", 83);
    latest_read = er_id_read_new_from_lines (latest, 2000, 1300);
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (latest_read)), ==, 2021);
    g_assert_false (er_id_read_get_expiry_sure (latest_read));
    g_assert_cmpint (latest_read->expiry_zone_width, ==, 0);
    add_line (zone, "21 -03-01 | Vale of expir]", 61);
    g_assert_false (_er_id_read_take_expiry (latest_read, zone));
    g_assert_cmpint (g_date_time_get_year (er_id_read_get_expiry (latest_read)), ==, 2021);
  }
  g_assert_true (er_id_read_get_expiry_sure (read));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!er_id_read_available ())
    {
      g_test_message ("This build cannot read IDs (no Tesseract, or no French and English data).");
      return 77;
    }
  g_test_add_func ("/id-reader/states", test_states);
  g_test_add_func ("/id-reader/current-first", test_current_first);
  g_test_add_func ("/id-reader/forget", test_forget);
  g_test_add_func ("/id-reader/disabled", test_disabled);
  g_test_add_func ("/id-reader/idle-release", test_idle_release);
  g_test_add_func ("/id-read/blank", test_blank);
  g_test_add_func ("/id-read/zone", test_read_zone);
  g_test_add_func ("/id-read/zone-even", test_read_zone_even);
  g_test_add_func ("/id-read/region", test_read_region);
  g_test_add_func ("/id-read/keystone", test_keystone);
  g_test_add_func ("/id-read/mrz-region", test_read_mrz);
  g_test_add_func ("/id-read/lost-start", test_lost_start);
  g_test_add_func ("/id-read/mrz-completes", test_mrz_completes);
  g_test_add_func ("/id-read/mrz-found-in-print", test_mrz_found_in_print);
  g_test_add_func ("/id-read/cancel", test_cancel);
  g_test_add_func ("/id-read/labels", test_labels);
  g_test_add_func ("/id-read/unsure", test_unsure);
  g_test_add_func ("/id-read/choose", test_choose);
  g_test_add_func ("/id-read/layout", test_layout);
  g_test_add_func ("/id-read/mrz-agrees", test_mrz_agrees);
  g_test_add_func ("/id-read/mrz-only", test_mrz_only);
  g_test_add_func ("/id-read/mrz-near-print", test_mrz_near_print);
  g_test_add_func ("/id-read/mrz-misspelt", test_mrz_misspelt);
  g_test_add_func ("/id-read/expiry", test_expiry);
  status = g_test_run ();
  test_async_stop_threads ();
  return status;
}

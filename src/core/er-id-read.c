/* er-id-read.c: the name and expiry date read on an ID photo.
 *
 * The photo is turned grey and made no larger than ER_ID_READ_LONG_SIDE
 * (averaging whole blocks of pixels, or scaled by gdk-pixbuf where whole
 * blocks would halve it), read by Tesseract (er-ocr.c), and its
 * lines searched twice: for labelled fields (er-id-fields.c) and for a
 * machine-readable zone (er-mrz.c). The labels give the name as printed,
 * accents and all; the MRZ, when there is one, must spell the same letters
 * for the name to be read surely (its check digits do not cover the name,
 * so an MRZ alone is never more sure than its lines' confidence).
 * Nothing here keeps the pixels: the grey copy is wiped and freed before
 * returning. */
#include "config.h"

#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gi18n.h>

#include "er-id-fields.h"
#include "er-id-read.h"
#include "er-mrz.h"
#include "er-ocr.h"
#include "er-photo-image.h"
#include "er-secret.h"

#define ER_ID_READ_NICE 10

struct _ErIdRead
{
  GObject          parent_instance;

  char            *name;          /* for the agent: "CÔTÉ, FRANÇOIS" */
  char            *compare_name;  /* in the account's order: "FRANÇOIS CÔTÉ" */
  ErIdReadSource   source;
  gboolean         sure;
  gboolean         has_region;
  graphene_rect_t  region;
  GDateTime       *expiry;
  double           seconds;
  int              width;         /* of the image read */
  int              height;
};

G_DEFINE_FINAL_TYPE (ErIdRead, er_id_read, G_TYPE_OBJECT)

/* ---- Comparing the labels with the MRZ ---------------------------------- */

/* text as an MRZ writes it: capitals A–Z without accents, apostrophes
 * dropped, anything else between letters one space. */
static char *
mrz_letters (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, g_ascii_toupper (*p));
          space = FALSE;
        }
      else if (*p != '\'' && *p != '`')
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

/* Whether the MRZ's name part (mrz, already in MRZ letters) spells printed:
 * the same, or printed's start when the MRZ's field was too short for it. */
static gboolean
mrz_spells (const char *mrz,
            const char *printed)
{
  g_autofree char *letters = mrz_letters (printed);

  if (g_str_equal (mrz, letters))
    return TRUE;
  /* Truncated: a TD3 line has 39 places for both names, a TD1 30. */
  return strlen (mrz) >= 20 && g_str_has_prefix (letters, mrz);
}

/* ---- Building the result ----------------------------------------------- */

static GDateTime *
date_time_from_date (const GDate *date)
{
  if (!g_date_valid (date))
    return NULL;
  return g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 0, 0, 0);
}

static float
lines_confidence (GPtrArray *lines,
                  guint      first,
                  guint      n)
{
  float lowest = 100.0f;

  for (guint i = first; i < first + n && i < lines->len; i++)
    lowest = MIN (lowest, ((ErIdLine *) g_ptr_array_index (lines, i))->confidence);
  return lowest;
}

static void
set_region_from_lines (ErIdRead  *self,
                       GPtrArray *lines,
                       guint      first,
                       guint      n)
{
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

  for (guint i = first; i < first + n && i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      x0 = MIN (x0, line->x);
      y0 = MIN (y0, line->y);
      x1 = MAX (x1, line->x + line->width);
      y1 = MAX (y1, line->y + line->height);
    }
  if (x0 < x1 && y0 < y1)
    {
      self->has_region = TRUE;
      graphene_rect_init (&self->region, x0, y0, x1 - x0, y1 - y0);
    }
}

/* "CÔTÉ, FRANÇOIS" → "FRANÇOIS CÔTÉ"; a name without a comma stays as printed. */
static char *
account_order (const char *name)
{
  const char *comma = strchr (name, ',');
  g_autofree char *surname = NULL;
  g_autofree char *given = NULL;

  if (comma == NULL)
    return g_strstrip (g_strdup (name));
  surname = g_strstrip (g_strndup (name, comma - name));
  given = g_strstrip (g_strdup (comma + 1));
  if (*given == '\0' || *surname == '\0' || strchr (given, ',') != NULL)
    return g_strstrip (g_strdup (name));
  return g_strdup_printf ("%s %s", given, surname);
}

ErIdRead *
er_id_read_new_from_lines (GPtrArray *lines,
                           int        photo_width,
                           int        photo_height)
{
  ErIdRead *self = g_object_new (ER_TYPE_ID_READ, NULL);
  g_autoptr(ErIdFields) fields = NULL;
  g_autoptr(ErMrz) mrz = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GError) mrz_error = NULL;
  float mrz_confidence = 0;
  gboolean half;

  g_return_val_if_fail (lines != NULL, self);

  self->width = photo_width;
  self->height = photo_height;
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (texts, ((ErIdLine *) g_ptr_array_index (lines, i))->text);
  g_ptr_array_add (texts, NULL);

  fields = er_id_fields_find (lines);
  mrz = er_mrz_find ((const char * const *) texts->pdata, lines->len, &mrz_error);
  if (mrz_error != NULL)
    g_debug ("ID read: an MRZ that does not verify (%s)", mrz_error->message);
  if (mrz != NULL)
    mrz_confidence = lines_confidence (lines, mrz->first_line, mrz->n_lines);

  /* Half a name under its label (the other label lost, as on small
   * passport print), the MRZ spelling the same letters: the MRZ's name,
   * with the printed half in it, accents and all. */
  half = fields->name == NULL && (fields->surname == NULL) != (fields->given_names == NULL) &&
         mrz != NULL && mrz->surname[0] != '\0' && mrz->given_names[0] != '\0' &&
         (fields->surname != NULL ? mrz_spells (mrz->surname, fields->surname)
                                  : mrz_spells (mrz->given_names, fields->given_names));

  if (!half && (fields->surname != NULL || fields->given_names != NULL || fields->name != NULL))
    {
      gboolean whole;

      self->source = ER_ID_READ_SOURCE_LABELS;
      if (fields->name != NULL)
        {
          self->name = g_strdup (fields->name);
          self->compare_name = account_order (fields->name);
          whole = TRUE;
        }
      else
        {
          self->name = fields->surname != NULL && fields->given_names != NULL
                       ? g_strdup_printf ("%s, %s", fields->surname, fields->given_names)
                       : g_strdup (fields->surname != NULL ? fields->surname : fields->given_names);
          if (fields->surname != NULL && fields->given_names != NULL)
            {
              /* French cards list given names with commas: "JEAN, PIERRE". */
              g_auto(GStrv) given = g_strsplit_set (fields->given_names, ", ", -1);
              g_autofree char *joined = NULL;
              GStrvBuilder *words = g_strv_builder_new ();
              g_auto(GStrv) kept = NULL;

              for (guint i = 0; given[i] != NULL; i++)
                if (given[i][0] != '\0')
                  g_strv_builder_add (words, given[i]);
              kept = g_strv_builder_end (words);
              g_strv_builder_unref (words);
              joined = g_strjoinv (" ", kept);
              self->compare_name = g_strdup_printf ("%s %s", joined, fields->surname);
            }
          else
            self->compare_name = g_strdup (self->name);
          /* Half a name read is not a name read. */
          whole = fields->surname != NULL && fields->given_names != NULL;
        }
      self->sure = whole && fields->name_confidence >= ER_ID_READ_SURE_CONFIDENCE;
      /* Where the MRZ is read too, it must spell the same letters. */
      if (self->sure && mrz != NULL)
        {
          if (fields->surname != NULL && fields->given_names != NULL)
            self->sure = mrz_spells (mrz->surname, fields->surname) &&
                         mrz_spells (mrz->given_names, fields->given_names);
          else
            {
              g_autofree char *both = g_strdup_printf ("%s %s", mrz->given_names, mrz->surname);

              self->sure = mrz_spells (g_strstrip (both), self->compare_name);
            }
        }
      if (fields->name_width > 0 && fields->name_height > 0)
        {
          self->has_region = TRUE;
          graphene_rect_init (&self->region, fields->name_x, fields->name_y,
                              fields->name_width, fields->name_height);
        }
    }
  else if (mrz != NULL && mrz->surname[0] != '\0')
    {
      const char *surname = half && fields->surname != NULL ? fields->surname : mrz->surname;
      const char *given = half && fields->given_names != NULL ? fields->given_names : mrz->given_names;

      self->source = ER_ID_READ_SOURCE_MRZ;
      self->name = given[0] != '\0' ? g_strdup_printf ("%s, %s", surname, given) : g_strdup (surname);
      self->compare_name = given[0] != '\0' ? g_strdup_printf ("%s %s", given, surname) : g_strdup (surname);
      self->sure = given[0] != '\0' && mrz_confidence >= ER_ID_READ_SURE_CONFIDENCE &&
                   (!half || fields->name_confidence >= ER_ID_READ_SURE_CONFIDENCE);
      set_region_from_lines (self, lines, mrz->first_line, mrz->n_lines);
    }

  /* The MRZ's date has a check digit; the printed one has not. */
  self->expiry = mrz != NULL ? date_time_from_date (&mrz->expiry) : NULL;
  if (self->expiry == NULL)
    self->expiry = date_time_from_date (&fields->expiry);

  if (self->has_region)
    {
      /* Clipped to the photo. */
      graphene_rect_t photo = GRAPHENE_RECT_INIT (0, 0, photo_width, photo_height);

      if (!graphene_rect_intersection (&self->region, &photo, &self->region))
        self->has_region = FALSE;
    }
  return self;
}

/* ---- Reading a photo --------------------------------------------------- */

/* The grey of one pixel of GDK_MEMORY_DEFAULT: B, G, R, A on little-endian
 * (premultiplied: an ID photo is opaque). */
static inline guint
grey_of (const guint8 *p)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (p[2] * 77 + p[1] * 150 + p[0] * 29) >> 8;
#else
  return (p[1] * 77 + p[2] * 150 + p[3] * 29) >> 8;
#endif
}

/* The photo in grey, its long side at most ER_ID_READ_LONG_SIDE; *scale is
 * the photo's pixels per grey pixel. Where halving (or more) by whole
 * pixels would leave less than nine tenths of that side, the photo is
 * scaled by gdk-pixbuf to the side itself: a 2592-pixel photo read at
 * 1296 pixels lost its small print (the labels). */
static guint8 *
grey_copy (GdkTexture *photo,
           int        *width,
           int        *height,
           double     *scale)
{
  int w = gdk_texture_get_width (photo);
  int h = gdk_texture_get_height (photo);
  int long_side = MAX (w, h);
  int f = MAX (1, (long_side + ER_ID_READ_LONG_SIDE - 1) / ER_ID_READ_LONG_SIDE);
  gsize stride = (gsize) w * 4;
  guint8 *pixels = g_malloc_n (h, stride);
  guint8 *grey;
  int gw, gh;

  gdk_texture_download (photo, pixels, stride);
  if (f > 1 && long_side / f < ER_ID_READ_LONG_SIDE * 9 / 10)
    {
      /* Channels in the downloaded order: the scaling treats them alike. */
      g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, TRUE, 8,
                                                            w, h, (int) stride, NULL, NULL);
      g_autoptr(GdkPixbuf) scaled = NULL;
      guint8 *data;
      guint length;
      int scaled_stride;

      gw = MAX (1, (int) ((gint64) w * ER_ID_READ_LONG_SIDE / long_side));
      gh = MAX (1, (int) ((gint64) h * ER_ID_READ_LONG_SIDE / long_side));
      scaled = gdk_pixbuf_scale_simple (full, gw, gh, GDK_INTERP_BILINEAR);
      grey = g_malloc_n (gh, gw);
      if (scaled != NULL)
        {
          data = gdk_pixbuf_get_pixels_with_length (scaled, &length);
          scaled_stride = gdk_pixbuf_get_rowstride (scaled);
          for (int y = 0; y < gh; y++)
            for (int x = 0; x < gw; x++)
              grey[(gsize) y * gw + x] = grey_of (data + (gsize) y * scaled_stride + (gsize) x * 4);
          er_secret_wipe (data, length);
        }
      else
        memset (grey, 255, (gsize) gw * gh);
      *scale = (double) long_side / MAX (gw, gh);
    }
  else
    {
      gw = w / f;
      gh = h / f;
      grey = g_malloc_n (MAX (gh, 1), MAX (gw, 1));
      /* Each grey pixel the mean of f × f photo pixels. */
      for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++)
          {
            guint sum = 0;

            for (int dy = 0; dy < f; dy++)
              {
                const guint8 *p = pixels + (gsize) (y * f + dy) * stride + (gsize) x * f * 4;

                for (int dx = 0; dx < f; dx++, p += 4)
                  sum += grey_of (p);
              }
            grey[(gsize) y * gw + x] = sum / (f * f);
          }
      *scale = f;
    }
  er_secret_wipe (pixels, (gsize) h * stride);
  g_free (pixels);
  *width = gw;
  *height = gh;
  return grey;
}

static GPtrArray *
read_lines (GdkTexture    *photo,
            ErOcrFlags     flags,
            GCancellable  *cancellable,
            GError       **error)
{
  GPtrArray *lines;
  guint8 *grey;
  int width, height;
  double scale;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  grey = grey_copy (photo, &width, &height, &scale);
  if (width > 0 && height > 0)
    lines = er_ocr_read_lines (grey, width, height, width, flags, cancellable, error);
  else
    lines = g_ptr_array_new_with_free_func ((GDestroyNotify) er_id_line_free);
  er_secret_wipe (grey, (gsize) MAX (width, 1) * MAX (height, 1));
  g_free (grey);
  if (lines == NULL)
    return NULL;

  /* Back to the photo's pixels. */
  for (guint i = 0; i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      line->x = (int) (line->x * scale);
      line->y = (int) (line->y * scale);
      line->width = (int) (line->width * scale + 0.5);
      line->height = (int) (line->height * scale + 0.5);
    }
  return lines;
}

GPtrArray *
er_id_read_lines (GdkTexture    *photo,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (GDK_IS_TEXTURE (photo), NULL);

  return read_lines (photo, ER_OCR_AS_IS, cancellable, error);
}

/* The fields of the lines read with flags; the text read is the
 * learner's: wiped with the lines. */
static ErIdRead *
read_photo (GdkTexture    *photo,
            ErOcrFlags     flags,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) lines = read_lines (photo, flags, cancellable, error);
  ErIdRead *self;

  if (lines == NULL)
    return NULL;
  self = er_id_read_new_from_lines (lines, gdk_texture_get_width (photo), gdk_texture_get_height (photo));
  for (guint i = 0; i < lines->len; i++)
    {
      ErIdLine *line = g_ptr_array_index (lines, i);

      er_secret_wipe (line->text, strlen (line->text));
    }
  return self;
}

ErIdRead *
er_id_read_photo (GdkTexture    *photo,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 start = g_get_monotonic_time ();
  ErIdRead *self;

  g_return_val_if_fail (GDK_IS_TEXTURE (photo), NULL);

  self = read_photo (photo, ER_OCR_AS_IS, cancellable, error);
  if (self == NULL)
    return NULL;
  /* No name found: glare or a shadow may have taken the labels, or
   * Tesseract's layout skipped the name's line. Read again with the light
   * made even and the sparse layout, and keep that if it finds a name (on
   * 60 documents of the benchmark: names exact 60 to 67 % clean, 37 to
   * 43 % degraded; the light alone gave 60 and 40 %). */
  if (self->source == ER_ID_READ_SOURCE_NONE)
    {
      ErIdRead *again = read_photo (photo, ER_OCR_EVEN_LIGHT | ER_OCR_SPARSE, cancellable, NULL);

      if (again != NULL && again->source != ER_ID_READ_SOURCE_NONE)
        {
          g_object_unref (self);
          self = again;
        }
      else
        g_clear_object (&again);
    }
  self->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  return self;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  ErIdRead *read = er_id_read_photo (task_data, cancellable, &error);

  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, g_object_unref);
}

void
er_id_read_photo_async (GdkTexture          *photo,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GDK_IS_TEXTURE (photo));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_id_read_photo_async);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_task_run_in_thread (task, read_thread);
}

ErIdRead *
er_id_read_photo_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_id_read_photo_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  GBytes     *image;
  GdkTexture *texture;
} ImageData;

static void
image_data_free (ImageData *data)
{
  g_clear_pointer (&data->image, g_bytes_unref);
  g_clear_object (&data->texture);
  g_free (data);
}

static void
read_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ImageData *data = task_data;
  g_autoptr(ErPhotoImage) decoded = NULL;
  GError *error = NULL;
  ErIdRead *read;

  if (data->image != NULL)
    {
      decoded = er_photo_image_decode (data->image, ER_ID_READ_LONG_SIDE, cancellable, &error);
      if (decoded == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  read = er_id_read_photo (decoded != NULL ? er_photo_image_get_texture (decoded) : data->texture,
                           cancellable, &error);
  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, g_object_unref);
}

/* One thread reads IDs, at a low priority (nice 10: about a tenth of a
 * core when the interface or the photos' loads want it too), so that a
 * read never slows the agent's work: the reads are a hint. Not Linux's
 * SCHED_IDLE: on a machine kept busy (a CI run, a compile) it would starve.
 * Tesseract's one engine reads one image at a time anyway (er-ocr.c). */
static void
reader_thread (gpointer data,
               gpointer pool_data)
{
  static GPrivate lowered = G_PRIVATE_INIT (NULL);
  g_autoptr(GTask) task = data;

  if (g_private_get (&lowered) == NULL)
    {
#ifdef __linux__
      /* On Linux, a thread's nice value is its own (its task id). */
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), ER_ID_READ_NICE) != 0)
        g_debug ("ID reads: could not lower their thread's priority");
#endif
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
  if (!g_task_return_error_if_cancelled (task))
    read_image_thread (task, NULL, g_task_get_task_data (task), g_task_get_cancellable (task));
}

static GThreadPool *
reader_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (reader_thread, NULL, 1, TRUE, NULL));
  return pool;
}

void
er_id_read_image_async (GBytes              *image,
                        GdkTexture          *texture,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImageData *data;

  g_return_if_fail (image != NULL || GDK_IS_TEXTURE (texture));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, er_id_read_image_async);
  data = g_new0 (ImageData, 1);
  data->image = image != NULL ? g_bytes_ref (image) : NULL;
  data->texture = image == NULL ? g_object_ref (texture) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) image_data_free);
  g_thread_pool_push (reader_pool (), g_steal_pointer (&task), NULL);
}

ErIdRead *
er_id_read_image_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == er_id_read_image_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
er_id_read_get_size (ErIdRead *self,
                     int      *width,
                     int      *height)
{
  g_return_if_fail (ER_IS_ID_READ (self));

  if (width != NULL)
    *width = self->width;
  if (height != NULL)
    *height = self->height;
}

gboolean
er_id_read_available (void)
{
  return er_ocr_available ();
}

/* ---- Getters ----------------------------------------------------------- */

const char *
er_id_read_get_name (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->name;
}

const char *
er_id_read_get_compare_name (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->compare_name;
}

ErIdReadSource
er_id_read_get_source (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), ER_ID_READ_SOURCE_NONE);
  return self->source;
}

gboolean
er_id_read_get_sure (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);
  return self->sure;
}

gboolean
er_id_read_get_name_region (ErIdRead        *self,
                            graphene_rect_t *region)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);

  if (self->has_region && region != NULL)
    *region = self->region;
  return self->has_region;
}

GDateTime *
er_id_read_get_expiry (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);
  return self->expiry;
}

gboolean
er_id_read_expired_at (ErIdRead  *self,
                       GDateTime *when)
{
  int year, month, day;

  g_return_val_if_fail (ER_IS_ID_READ (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  if (self->expiry == NULL)
    return FALSE;
  /* Valid through its expiry day. */
  g_date_time_get_ymd (when, &year, &month, &day);
  {
    g_autoptr(GDateTime) that_day = g_date_time_new_utc (year, month, day, 0, 0, 0);

    return g_date_time_compare (self->expiry, that_day) < 0;
  }
}

double
er_id_read_get_seconds (ErIdRead *self)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), 0);
  return self->seconds;
}

ErIdReadVerdict
er_id_read_compare (ErIdRead   *self,
                    const char *account_name)
{
  g_return_val_if_fail (ER_IS_ID_READ (self), ER_ID_READ_NO_NAME);

  if (self->compare_name == NULL)
    return ER_ID_READ_NO_NAME;
  if (!self->sure || account_name == NULL)
    return ER_ID_READ_UNSURE;
  switch (er_name_difference_get_level (er_name_compare (account_name, self->compare_name)))
    {
    case ER_NAME_MATCH:
      return ER_ID_READ_SAME;
    case ER_NAME_CAUTION:
      return ER_ID_READ_CLOSE;
    case ER_NAME_DIFFERENT:
    default:
      return ER_ID_READ_DIFFERS;
    }
}

char *
er_id_read_describe (ErIdRead   *self,
                     const char *account_name)
{
  g_autoptr(ErNameComparison) comparison = NULL;
  g_autofree char *verdict = NULL;

  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);

  switch (er_id_read_compare (self, account_name))
    {
    case ER_ID_READ_NO_NAME:
      return g_strdup (_("No name found on the ID: compare it yourself"));
    case ER_ID_READ_UNSURE:
      /* Translators: %s is the name as read on the ID photo, e.g. "CÔTÉ, FRANÇOIS" */
      return g_strdup_printf (_("Read on the ID, unsure: %s — compare it yourself"), self->name);
    case ER_ID_READ_SAME:
      /* Translators: %s is the name as read on the ID photo, e.g. "CÔTÉ, FRANÇOIS" */
      return g_strdup_printf (_("Read on the ID: %s — same name"), self->name);
    case ER_ID_READ_CLOSE:
      comparison = er_name_comparison_new (account_name, self->compare_name);
      verdict = er_name_comparison_get_verdict (comparison);
      /* Translators: the name as read on the ID photo, then how it compares,
       * e.g. "Read on the ID: COTE, FRANCOIS — Close, you judge: accents differ" */
      return g_strdup_printf (_("Read on the ID: %s — %s"), self->name, verdict);
    case ER_ID_READ_DIFFERS:
    default:
      comparison = er_name_comparison_new (account_name, self->compare_name);
      verdict = er_name_comparison_get_verdict (comparison);
      /* Translators: the name as read on the ID photo, then how it differs,
       * e.g. "Read on the ID: CÔTÉ, FRANCIS — differs: Not the same name" */
      return g_strdup_printf (_("Read on the ID: %s — differs: %s"), self->name, verdict);
    }
}

char *
er_id_read_describe_expiry (ErIdRead  *self,
                            GDateTime *submitted_at)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (ER_IS_ID_READ (self), NULL);

  if (submitted_at == NULL || !er_id_read_expired_at (self, submitted_at))
    return NULL;
  /* Translators: a date as in "28 May 2026" (strftime format: day, month name, year) */
  date = g_date_time_format (self->expiry, _("%-d %B %Y"));
  /* Translators: %s is a date, e.g. "28 May 2026" */
  return g_strdup_printf (_("ID expired on %s"), date);
}

/* ---- GObject ----------------------------------------------------------- */

static void
er_id_read_finalize (GObject *object)
{
  ErIdRead *self = ER_ID_READ (object);

  if (self->name != NULL)
    er_secret_wipe (self->name, strlen (self->name));
  if (self->compare_name != NULL)
    er_secret_wipe (self->compare_name, strlen (self->compare_name));
  g_free (self->name);
  g_free (self->compare_name);
  g_clear_pointer (&self->expiry, g_date_time_unref);

  G_OBJECT_CLASS (er_id_read_parent_class)->finalize (object);
}

static void
er_id_read_class_init (ErIdReadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = er_id_read_finalize;
}

static void
er_id_read_init (ErIdRead *self)
{
}

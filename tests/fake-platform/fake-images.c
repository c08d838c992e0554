/* fake-images.c: synthetic photos drawn with cairo and pango, never of a real person.
 *
 * Faces are plainly drawings (ovals, curves, flat colours) so nobody can
 * mistake them for a photo; they vary with the seed (skin tone, hair style and
 * colour, eyes, shirt, room) and the same seed always gives the same picture.
 * The ID card carries the same face as its portrait, so a reviewer comparing
 * the two sees a match.
 *
 * width and height are the upright size, the one a viewer that honours the
 * EXIF orientation shows; for orientations 5 to 8 the stored pixels are
 * height × width.
 */
#include "fake-images.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>

typedef struct {
  double r, g, b;
} Rgb;

typedef enum {
  HAIR_SHORT,
  HAIR_LONG,
  HAIR_CURLY,
  HAIR_BUN,
  HAIR_SHAVED,
  HAIR_SCARF,
  N_HAIR_STYLES
} HairStyle;

typedef enum {
  ROOM_WINDOW,
  ROOM_SHELF,
  ROOM_DOOR,
  N_ROOMS
} Room;

typedef struct {
  Rgb       skin;
  Rgb       hair;
  Rgb       iris;
  Rgb       shirt;
  Rgb       wall;
  Rgb       scarf;
  HairStyle hair_style;
  Room      room;
  gboolean  room_on_left;
  gboolean  glasses;
  double    head_w;     /* head half-width, in units of the drawing size */
  double    head_h;     /* head half-height */
  double    offset_x;   /* head centre offset, fraction of width */
  double    smile;      /* -0.2 .. 1 */
  double    brow_tilt;
  double    eye_gap;
  Rgb       book[6];
} FaceParams;

static const Rgb skin_tones[] = {
  { 0.98, 0.87, 0.77 }, { 0.95, 0.80, 0.69 }, { 0.91, 0.74, 0.60 },
  { 0.85, 0.67, 0.52 }, { 0.78, 0.57, 0.42 }, { 0.69, 0.49, 0.35 },
  { 0.58, 0.40, 0.28 }, { 0.47, 0.32, 0.22 }, { 0.38, 0.25, 0.17 },
  { 0.29, 0.19, 0.13 },
};

static const Rgb hair_colours[] = {
  { 0.08, 0.07, 0.07 }, { 0.20, 0.13, 0.09 }, { 0.35, 0.22, 0.13 },
  { 0.55, 0.27, 0.12 }, { 0.80, 0.64, 0.36 }, { 0.62, 0.60, 0.58 },
  { 0.90, 0.88, 0.84 },
};

static const Rgb iris_colours[] = {
  { 0.30, 0.20, 0.12 }, { 0.20, 0.35, 0.55 }, { 0.28, 0.42, 0.25 },
  { 0.45, 0.33, 0.18 }, { 0.35, 0.38, 0.40 },
};

static const Rgb shirt_colours[] = {
  { 0.16, 0.32, 0.58 }, { 0.72, 0.18, 0.20 }, { 0.20, 0.50, 0.35 },
  { 0.90, 0.90, 0.88 }, { 0.22, 0.22, 0.25 }, { 0.85, 0.62, 0.20 },
  { 0.45, 0.30, 0.55 }, { 0.55, 0.65, 0.72 },
};

static const Rgb wall_colours[] = {
  { 0.88, 0.86, 0.80 }, { 0.78, 0.84, 0.86 }, { 0.86, 0.80, 0.72 },
  { 0.74, 0.78, 0.70 }, { 0.92, 0.92, 0.92 }, { 0.80, 0.74, 0.78 },
};

#define PICK(rand, table) ((table)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (table))])

static Rgb
shade (Rgb c, double factor)
{
  Rgb out = { CLAMP (c.r * factor, 0, 1), CLAMP (c.g * factor, 0, 1), CLAMP (c.b * factor, 0, 1) };
  return out;
}

static void
set_rgb (cairo_t *cr, Rgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
face_params_init (FaceParams *p, guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  p->skin = PICK (rand, skin_tones);
  p->hair = PICK (rand, hair_colours);
  p->iris = PICK (rand, iris_colours);
  p->shirt = PICK (rand, shirt_colours);
  p->wall = PICK (rand, wall_colours);
  p->scarf = PICK (rand, shirt_colours);
  p->hair_style = g_rand_int_range (rand, 0, N_HAIR_STYLES);
  p->room = g_rand_int_range (rand, 0, N_ROOMS);
  p->room_on_left = g_rand_boolean (rand);
  p->glasses = g_rand_int_range (rand, 0, 4) == 0;
  p->head_w = g_rand_double_range (rand, 0.19, 0.23);
  p->head_h = g_rand_double_range (rand, 0.25, 0.29);
  p->offset_x = g_rand_double_range (rand, -0.04, 0.04);
  p->smile = g_rand_double_range (rand, -0.2, 1.0);
  p->brow_tilt = g_rand_double_range (rand, -0.04, 0.05);
  p->eye_gap = g_rand_double_range (rand, 0.36, 0.44);
  for (guint i = 0; i < G_N_ELEMENTS (p->book); i++)
    p->book[i] = PICK (rand, shirt_colours);
}

static void
draw_ellipse (cairo_t *cr, double cx, double cy, double rx, double ry)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
}

static void
draw_room (cairo_t *cr, const FaceParams *p, double w, double h)
{
  cairo_pattern_t *pat;
  double x;

  /* Wall, lit from above. */
  pat = cairo_pattern_create_linear (0, 0, 0, h);
  cairo_pattern_add_color_stop_rgb (pat, 0, p->wall.r, p->wall.g, p->wall.b);
  cairo_pattern_add_color_stop_rgb (pat, 1, p->wall.r * 0.72, p->wall.g * 0.72, p->wall.b * 0.72);
  cairo_set_source (cr, pat);
  cairo_paint (cr);
  cairo_pattern_destroy (pat);

  x = p->room_on_left ? w * 0.04 : w * 0.70;
  switch (p->room)
    {
    case ROOM_WINDOW:
      cairo_rectangle (cr, x, h * 0.08, w * 0.26, h * 0.46);
      set_rgb (cr, shade (p->wall, 0.85));
      cairo_fill (cr);
      pat = cairo_pattern_create_linear (0, h * 0.1, 0, h * 0.52);
      cairo_pattern_add_color_stop_rgb (pat, 0, 0.78, 0.88, 0.98);
      cairo_pattern_add_color_stop_rgb (pat, 1, 0.95, 0.97, 1.0);
      cairo_set_source (cr, pat);
      cairo_rectangle (cr, x + w * 0.012, h * 0.095, w * 0.236, h * 0.43);
      cairo_fill (cr);
      cairo_pattern_destroy (pat);
      set_rgb (cr, shade (p->wall, 0.85));
      cairo_set_line_width (cr, MAX (1, w * 0.008));
      cairo_move_to (cr, x + w * 0.13, h * 0.09);
      cairo_line_to (cr, x + w * 0.13, h * 0.53);
      cairo_move_to (cr, x, h * 0.31);
      cairo_line_to (cr, x + w * 0.26, h * 0.31);
      cairo_stroke (cr);
      break;

    case ROOM_SHELF:
      set_rgb (cr, (Rgb) { 0.45, 0.32, 0.20 });
      cairo_rectangle (cr, x, h * 0.40, w * 0.26, h * 0.025);
      cairo_fill (cr);
      for (guint i = 0; i < G_N_ELEMENTS (p->book); i++)
        {
          double bh = h * (0.13 + 0.02 * (i % 3));
          set_rgb (cr, shade (p->book[i], 0.9));
          cairo_rectangle (cr, x + w * (0.01 + 0.04 * i), h * 0.40 - bh, w * 0.034, bh);
          cairo_fill (cr);
        }
      break;

    case ROOM_DOOR:
    default:
      set_rgb (cr, shade (p->wall, 0.80));
      cairo_rectangle (cr, x, h * 0.06, w * 0.24, h * 1.0);
      cairo_fill (cr);
      set_rgb (cr, shade (p->wall, 0.92));
      cairo_rectangle (cr, x + w * 0.015, h * 0.08, w * 0.21, h * 1.0);
      cairo_fill (cr);
      set_rgb (cr, (Rgb) { 0.7, 0.6, 0.3 });
      draw_ellipse (cr, p->room_on_left ? x + w * 0.20 : x + w * 0.04, h * 0.62,
                    w * 0.008, w * 0.008);
      cairo_fill (cr);
      break;
    }
}

/* Draws a head and shoulders filling a w × h box at the origin; zoom > 1 for a close-up. */
static void
draw_face (cairo_t *cr, const FaceParams *p, double w, double h, double zoom,
           gboolean plain_background)
{
  double u = MIN (w, h * 1.05) * zoom;
  double cx = w * (0.5 + p->offset_x);
  double cy = h * 0.44;
  double rx = p->head_w * u;
  double ry = p->head_h * u;
  double ex = rx * p->eye_gap;
  double ey = cy - ry * 0.05;
  cairo_pattern_t *pat;
  Rgb lip = { p->skin.r * 0.78 + 0.12, p->skin.g * 0.55, p->skin.b * 0.55 };

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);

  if (plain_background)
    {
      pat = cairo_pattern_create_linear (0, 0, 0, h);
      cairo_pattern_add_color_stop_rgb (pat, 0, 0.86, 0.89, 0.92);
      cairo_pattern_add_color_stop_rgb (pat, 1, 0.74, 0.78, 0.82);
      cairo_set_source (cr, pat);
      cairo_paint (cr);
      cairo_pattern_destroy (pat);
    }
  else
    draw_room (cr, p, w, h);

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Long hair and scarves fall behind the shoulders. */
  if (p->hair_style == HAIR_LONG)
    {
      set_rgb (cr, p->hair);
      cairo_move_to (cr, cx - rx * 1.18, cy);
      cairo_curve_to (cr, cx - rx * 1.3, cy + ry * 1.2, cx - rx * 1.2, cy + ry * 1.5,
                      cx - rx * 1.0, cy + ry * 1.55);
      cairo_line_to (cr, cx + rx * 1.0, cy + ry * 1.55);
      cairo_curve_to (cr, cx + rx * 1.2, cy + ry * 1.5, cx + rx * 1.3, cy + ry * 1.2,
                      cx + rx * 1.18, cy);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  else if (p->hair_style == HAIR_SCARF)
    {
      set_rgb (cr, shade (p->scarf, 0.85));
      draw_ellipse (cr, cx, cy + ry * 0.35, rx * 1.32, ry * 1.3);
      cairo_fill (cr);
    }
  else if (p->hair_style == HAIR_CURLY)
    {
      set_rgb (cr, shade (p->hair, 0.9));
      for (int i = 0; i < 14; i++)
        {
          double a = G_PI * (0.95 + 1.1 * i / 13.0);
          draw_ellipse (cr, cx + cos (a) * rx * 1.05, cy - ry * 0.1 + sin (a) * ry * 1.0,
                        rx * 0.32, rx * 0.32);
          cairo_fill (cr);
        }
    }

  /* Shoulders and shirt. */
  pat = cairo_pattern_create_linear (0, cy + ry, 0, h);
  cairo_pattern_add_color_stop_rgb (pat, 0, p->shirt.r, p->shirt.g, p->shirt.b);
  cairo_pattern_add_color_stop_rgb (pat, 1, p->shirt.r * 0.7, p->shirt.g * 0.7, p->shirt.b * 0.7);
  cairo_set_source (cr, pat);
  cairo_move_to (cr, cx - rx * 2.9, h + 2);
  cairo_curve_to (cr, cx - rx * 2.8, cy + ry * 1.25, cx - rx * 1.8, cy + ry * 1.05,
                  cx - rx * 0.6, cy + ry * 1.02);
  cairo_line_to (cr, cx + rx * 0.6, cy + ry * 1.02);
  cairo_curve_to (cr, cx + rx * 1.8, cy + ry * 1.05, cx + rx * 2.8, cy + ry * 1.25,
                  cx + rx * 2.9, h + 2);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_pattern_destroy (pat);

  /* Neck, a little in shadow, and the collar. */
  set_rgb (cr, shade (p->skin, 0.86));
  cairo_move_to (cr, cx - rx * 0.42, cy + ry * 0.6);
  cairo_line_to (cr, cx - rx * 0.45, cy + ry * 1.05);
  cairo_curve_to (cr, cx - rx * 0.2, cy + ry * 1.25, cx + rx * 0.2, cy + ry * 1.25,
                  cx + rx * 0.45, cy + ry * 1.05);
  cairo_line_to (cr, cx + rx * 0.42, cy + ry * 0.6);
  cairo_close_path (cr);
  cairo_fill (cr);
  set_rgb (cr, shade (p->shirt, 0.75));
  cairo_set_line_width (cr, MAX (1, rx * 0.06));
  cairo_move_to (cr, cx - rx * 0.62, cy + ry * 1.02);
  cairo_curve_to (cr, cx - rx * 0.3, cy + ry * 1.35, cx + rx * 0.3, cy + ry * 1.35,
                  cx + rx * 0.62, cy + ry * 1.02);
  cairo_stroke (cr);

  /* Ears. */
  set_rgb (cr, shade (p->skin, 0.93));
  draw_ellipse (cr, cx - rx * 0.98, ey + ry * 0.08, rx * 0.14, ry * 0.17);
  draw_ellipse (cr, cx + rx * 0.98, ey + ry * 0.08, rx * 0.14, ry * 0.17);
  cairo_fill (cr);

  /* Head, with a soft light from the upper left. */
  pat = cairo_pattern_create_radial (cx - rx * 0.3, cy - ry * 0.35, rx * 0.1, cx, cy, ry * 1.1);
  cairo_pattern_add_color_stop_rgb (pat, 0, MIN (1, p->skin.r * 1.06), MIN (1, p->skin.g * 1.06),
                                    MIN (1, p->skin.b * 1.06));
  cairo_pattern_add_color_stop_rgb (pat, 1, p->skin.r * 0.84, p->skin.g * 0.84, p->skin.b * 0.84);
  cairo_set_source (cr, pat);
  cairo_move_to (cr, cx, cy - ry);
  cairo_curve_to (cr, cx + rx * 0.62, cy - ry, cx + rx, cy - ry * 0.55, cx + rx, cy - ry * 0.05);
  cairo_curve_to (cr, cx + rx, cy + ry * 0.55, cx + rx * 0.55, cy + ry, cx, cy + ry);
  cairo_curve_to (cr, cx - rx * 0.55, cy + ry, cx - rx, cy + ry * 0.55, cx - rx, cy - ry * 0.05);
  cairo_curve_to (cr, cx - rx, cy - ry * 0.55, cx - rx * 0.62, cy - ry, cx, cy - ry);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_pattern_destroy (pat);

  /* Hair on top of the head. */
  switch (p->hair_style)
    {
    case HAIR_SHORT:
    case HAIR_LONG:
    case HAIR_BUN:
    case HAIR_SHAVED:
      if (p->hair_style == HAIR_SHAVED)
        cairo_set_source_rgba (cr, p->hair.r, p->hair.g, p->hair.b, 0.45);
      else
        set_rgb (cr, p->hair);
      cairo_move_to (cr, cx - rx * 1.04, cy - ry * 0.05);
      cairo_curve_to (cr, cx - rx * 1.1, cy - ry * 0.9, cx - rx * 0.6, cy - ry * 1.12,
                      cx, cy - ry * 1.1);
      cairo_curve_to (cr, cx + rx * 0.6, cy - ry * 1.12, cx + rx * 1.1, cy - ry * 0.9,
                      cx + rx * 1.04, cy - ry * 0.05);
      cairo_curve_to (cr, cx + rx * 0.95, cy - ry * 0.35, cx + rx * 0.8, cy - ry * 0.5,
                      cx + rx * 0.45, cy - ry * 0.58);
      cairo_curve_to (cr, cx + rx * 0.1, cy - ry * 0.68, cx - rx * 0.4, cy - ry * 0.5,
                      cx - rx * 0.75, cy - ry * 0.45);
      cairo_curve_to (cr, cx - rx * 0.9, cy - ry * 0.4, cx - rx * 0.95, cy - ry * 0.3,
                      cx - rx * 1.04, cy - ry * 0.05);
      cairo_close_path (cr);
      cairo_fill (cr);
      if (p->hair_style == HAIR_BUN)
        {
          set_rgb (cr, p->hair);
          draw_ellipse (cr, cx, cy - ry * 1.18, rx * 0.38, ry * 0.24);
          cairo_fill (cr);
        }
      break;

    case HAIR_CURLY:
      set_rgb (cr, p->hair);
      for (int i = 0; i < 11; i++)
        {
          double a = G_PI * (1.08 + 0.84 * i / 10.0);
          draw_ellipse (cr, cx + cos (a) * rx * 0.85, cy - ry * 0.2 + sin (a) * ry * 0.85,
                        rx * 0.3, rx * 0.3);
          cairo_fill (cr);
        }
      break;

    case HAIR_SCARF:
      set_rgb (cr, p->scarf);
      cairo_move_to (cr, cx - rx * 1.12, cy + ry * 0.5);
      cairo_curve_to (cr, cx - rx * 1.25, cy - ry * 1.15, cx + rx * 1.25, cy - ry * 1.15,
                      cx + rx * 1.12, cy + ry * 0.5);
      cairo_curve_to (cr, cx + rx * 0.95, cy - ry * 0.1, cx + rx * 0.7, cy - ry * 0.62,
                      cx, cy - ry * 0.66);
      cairo_curve_to (cr, cx - rx * 0.7, cy - ry * 0.62, cx - rx * 0.95, cy - ry * 0.1,
                      cx - rx * 1.12, cy + ry * 0.5);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;

    case N_HAIR_STYLES:
    default:
      break;
    }

  /* Eyes: white, iris, pupil, a glint. */
  for (int side = -1; side <= 1; side += 2)
    {
      double x = cx + side * ex;

      cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
      draw_ellipse (cr, x, ey, rx * 0.2, ry * 0.075);
      cairo_fill (cr);
      set_rgb (cr, p->iris);
      draw_ellipse (cr, x, ey, rx * 0.085, rx * 0.085);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      draw_ellipse (cr, x, ey, rx * 0.04, rx * 0.04);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      draw_ellipse (cr, x - rx * 0.025, ey - rx * 0.03, rx * 0.018, rx * 0.018);
      cairo_fill (cr);
      set_rgb (cr, shade (p->skin, 0.7));
      cairo_set_line_width (cr, MAX (1, rx * 0.02));
      draw_ellipse (cr, x, ey, rx * 0.2, ry * 0.075);
      cairo_stroke (cr);

      /* Eyebrow. */
      set_rgb (cr, p->hair_style == HAIR_SHAVED || p->hair.r > 0.7 ? shade (p->hair, 0.6) : p->hair);
      cairo_set_line_width (cr, MAX (1.5, rx * 0.07));
      cairo_move_to (cr, x - side * rx * 0.2, ey - ry * (0.15 - p->brow_tilt));
      cairo_curve_to (cr, x - side * rx * 0.05, ey - ry * 0.22, x + side * rx * 0.12, ey - ry * 0.22,
                      x + side * rx * 0.24, ey - ry * (0.15 + p->brow_tilt));
      cairo_stroke (cr);
    }

  /* Glasses. */
  if (p->glasses)
    {
      cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
      cairo_set_line_width (cr, MAX (1.5, rx * 0.035));
      cairo_rectangle (cr, cx - ex - rx * 0.27, ey - ry * 0.12, rx * 0.54, ry * 0.24);
      cairo_rectangle (cr, cx + ex - rx * 0.27, ey - ry * 0.12, rx * 0.54, ry * 0.24);
      cairo_move_to (cr, cx - ex + rx * 0.27, ey - ry * 0.02);
      cairo_line_to (cr, cx + ex - rx * 0.27, ey - ry * 0.02);
      cairo_move_to (cr, cx - ex - rx * 0.27, ey - ry * 0.05);
      cairo_line_to (cr, cx - rx * 0.98, ey - ry * 0.02);
      cairo_move_to (cr, cx + ex + rx * 0.27, ey - ry * 0.05);
      cairo_line_to (cr, cx + rx * 0.98, ey - ry * 0.02);
      cairo_stroke (cr);
    }

  /* Nose. */
  set_rgb (cr, shade (p->skin, 0.72));
  cairo_set_line_width (cr, MAX (1, rx * 0.035));
  cairo_move_to (cr, cx - rx * 0.03, ey + ry * 0.05);
  cairo_curve_to (cr, cx - rx * 0.08, ey + ry * 0.22, cx - rx * 0.16, ey + ry * 0.3,
                  cx - rx * 0.1, ey + ry * 0.34);
  cairo_curve_to (cr, cx - rx * 0.04, ey + ry * 0.37, cx + rx * 0.04, ey + ry * 0.37,
                  cx + rx * 0.12, ey + ry * 0.33);
  cairo_stroke (cr);

  /* Mouth. */
  {
    double my = ey + ry * 0.55;
    double mw = rx * 0.32;

    set_rgb (cr, lip);
    cairo_set_line_width (cr, MAX (1.5, rx * 0.06));
    cairo_move_to (cr, cx - mw, my - p->smile * ry * 0.03);
    cairo_curve_to (cr, cx - mw * 0.4, my + p->smile * ry * 0.09, cx + mw * 0.4,
                    my + p->smile * ry * 0.09, cx + mw, my - p->smile * ry * 0.03);
    cairo_stroke (cr);
  }

  cairo_restore (cr);
}

/* ------------------------------------------------------------------------ */
/* Encoding                                                                 */

/* Pixels that, once the viewer applies the orientation, show `upright` as is:
 * the inverse of the transformation EXIF asks for. */
static GdkPixbuf *
store_for_orientation (GdkPixbuf *upright, guint orientation)
{
  g_autoptr(GdkPixbuf) tmp = NULL;

  switch (orientation)
    {
    case 2: /* viewer flips horizontally: self-inverse */
      return gdk_pixbuf_flip (upright, TRUE);
    case 3: /* viewer turns 180° */
      return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_UPSIDEDOWN);
    case 4: /* viewer flips vertically */
      return gdk_pixbuf_flip (upright, FALSE);
    case 5: /* transpose: self-inverse */
      tmp = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
      return gdk_pixbuf_flip (tmp, FALSE);
    case 6: /* viewer turns 90° clockwise: store turned counter-clockwise */
      return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
    case 7: /* transverse: self-inverse */
      tmp = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);
      return gdk_pixbuf_flip (tmp, FALSE);
    case 8: /* viewer turns 90° counter-clockwise: store turned clockwise */
      return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);
    default:
      return g_object_ref (upright);
    }
}

static guint grain_amplitude;

void
fake_images_set_grain (guint amplitude)
{
  grain_amplitude = MIN (amplitude, 64);
}

/* xorshift32: fast enough for 36 million draws per 12 MP picture. */
static inline guint32
grain_next (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static inline guint8
grain_add (guint8 value, int delta)
{
  return CLAMP ((int) value + delta, 0, 255);
}

/* An opaque (RGB24) cairo surface to an RGB pixbuf; gdk_pixbuf_get_from_surface
 * is GDK's, and this library only links gdk-pixbuf. With grain, a light and
 * a colour noise per pixel, as a phone camera's sensor gives. */
static GdkPixbuf *
pixbuf_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int src_stride = cairo_image_surface_get_stride (surface);
  const guint8 *src = cairo_image_surface_get_data (surface);
  GdkPixbuf *pixbuf;
  guint8 *dst;
  int dst_stride;

  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24, NULL);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (pixbuf == NULL)
    return NULL;
  dst = gdk_pixbuf_get_pixels (pixbuf);
  dst_stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint32 *in = (const guint32 *) (src + (gsize) y * src_stride);
      guint8 *out = dst + (gsize) y * dst_stride;

      for (int x = 0; x < width; x++)
        {
          out[3 * x + 0] = (in[x] >> 16) & 0xff;
          out[3 * x + 1] = (in[x] >> 8) & 0xff;
          out[3 * x + 2] = in[x] & 0xff;
        }
    }

  if (grain_amplitude > 0)
    {
      guint32 state = 0x9e3779b9u ^ (guint32) (width * 31 + height);
      int a = (int) grain_amplitude;
      int span = 2 * a + 1;

      for (int y = 0; y < height; y++)
        {
          guint8 *out = dst + (gsize) y * dst_stride;

          for (int x = 0; x < width; x++)
            {
              guint32 r = grain_next (&state);
              int light = (int) (r % span) - a;
              int chroma = (int) ((r >> 16) % (guint32) (a + 1)) - a / 2;

              out[3 * x + 0] = grain_add (out[3 * x + 0], light + chroma);
              out[3 * x + 1] = grain_add (out[3 * x + 1], light);
              out[3 * x + 2] = grain_add (out[3 * x + 2], light - chroma);
            }
        }
    }
  return pixbuf;
}

static GBytes *
encode_surface (cairo_surface_t *surface, FakeImageFormat format, guint orientation)
{
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  cairo_surface_flush (surface);
  upright = pixbuf_from_surface (surface);
  if (upright == NULL)
    return NULL;

  if (format == FAKE_IMAGE_PNG)
    {
      if (orientation != 1)
        g_debug ("Orientation %u ignored for a PNG", orientation);
      if (!gdk_pixbuf_save_to_buffer (upright, &buffer, &size, "png", &error, NULL))
        {
          g_warning ("Could not encode a PNG: %s", error->message);
          return NULL;
        }
      return g_bytes_new_take (g_steal_pointer (&buffer), size);
    }

  stored = store_for_orientation (upright, orientation);
  if (!gdk_pixbuf_save_to_buffer (stored, &buffer, &size, "jpeg", &error, "quality", "90", NULL))
    {
      g_warning ("Could not encode a JPEG: %s", error->message);
      return NULL;
    }

  {
    g_autoptr(GBytes) jpeg = g_bytes_new_take (g_steal_pointer (&buffer), size);

    if (orientation == 1)
      return g_steal_pointer (&jpeg);
    return fake_image_jpeg_set_orientation (jpeg, orientation);
  }
}

/* ------------------------------------------------------------------------ */
/* Faces                                                                    */

GBytes *
fake_image_face (guint seed, int width, int height, FakeImageFormat format, guint orientation)
{
  FaceParams params;
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *bytes;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  face_params_init (&params, seed);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  draw_face (cr, &params, width, height, 1.0, FALSE);

  /* A webcam's dim corners. */
  {
    cairo_pattern_t *pat = cairo_pattern_create_radial (width / 2.0, height / 2.0,
                                                        MIN (width, height) * 0.4,
                                                        width / 2.0, height / 2.0,
                                                        hypot (width, height) * 0.55);
    cairo_pattern_add_color_stop_rgba (pat, 0, 0, 0, 0, 0);
    cairo_pattern_add_color_stop_rgba (pat, 1, 0, 0, 0, 0.25);
    cairo_set_source (cr, pat);
    cairo_paint (cr);
    cairo_pattern_destroy (pat);
  }

  cairo_destroy (cr);
  bytes = encode_surface (surface, format, orientation);
  cairo_surface_destroy (surface);
  return bytes;
}

/* ------------------------------------------------------------------------ */
/* ID cards                                                                 */

static void
rounded_rectangle (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Draws text with its top-left corner at (x, y), shrunk to fit max_width. */
static double
draw_text (cairo_t *cr, const char *text, double x, double y, double size, gboolean bold,
           double max_width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("DejaVu Sans, Sans");
  int tw, th;

  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (max_width > 0 && tw > max_width)
    {
      size = size * max_width / tw;
      pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
      pango_layout_set_font_description (layout, desc);
      pango_layout_get_pixel_size (layout, &tw, &th);
    }
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return th;
}

GBytes *
fake_image_id_card (const char *full_name, guint seed, int width, int height,
                    FakeImageFormat format, guint orientation)
{
  static const Rgb bands[] = {
    { 0.10, 0.27, 0.55 }, { 0.05, 0.42, 0.45 }, { 0.45, 0.12, 0.22 }, { 0.18, 0.38, 0.20 },
  };
  static const char * const months[] = {
    "JAN", "FÉV", "MAR", "AVR", "MAI", "JUN", "JUL", "AOÛ", "SEP", "OCT", "NOV", "DÉC",
  };
  g_autoptr(GRand) rand = NULL;
  FaceParams params;
  cairo_surface_t *surface;
  cairo_pattern_t *pat;
  cairo_t *cr;
  GBytes *bytes;
  Rgb band, table;
  double cw, ch, cx, cy, angle, pad, text_x, text_w, y, label, value;
  g_autofree char *birth = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *number = NULL;

  g_return_val_if_fail (full_name != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  face_params_init (&params, seed);
  rand = g_rand_new_with_seed (seed ^ 0x1dca4d);
  band = PICK (rand, bands);
  table = (Rgb) { g_rand_double_range (rand, 0.45, 0.62), g_rand_double_range (rand, 0.30, 0.40),
                  g_rand_double_range (rand, 0.18, 0.25) };
  angle = g_rand_double_range (rand, -0.05, 0.05);
  birth = g_strdup_printf ("%02d %s %d", g_rand_int_range (rand, 1, 29),
                           months[g_rand_int_range (rand, 0, 12)],
                           g_rand_int_range (rand, 1950, 2007));
  expiry = g_strdup_printf ("%02d %s %d", g_rand_int_range (rand, 1, 29),
                            months[g_rand_int_range (rand, 0, 12)],
                            g_rand_int_range (rand, 2026, 2034));
  number = g_strdup_printf ("%c%04u-%06u-%02u", 'A' + seed % 26, (seed * 7919u) % 10000u,
                            (seed * 104729u + 17u) % 1000000u, seed % 97u);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* A wooden table under a lamp. */
  pat = cairo_pattern_create_radial (width * 0.4, height * 0.3, 0, width * 0.5, height * 0.5,
                                     hypot (width, height) * 0.6);
  cairo_pattern_add_color_stop_rgb (pat, 0, MIN (1, table.r * 1.25), MIN (1, table.g * 1.25),
                                    MIN (1, table.b * 1.25));
  cairo_pattern_add_color_stop_rgb (pat, 1, table.r * 0.7, table.g * 0.7, table.b * 0.7);
  cairo_set_source (cr, pat);
  cairo_paint (cr);
  cairo_pattern_destroy (pat);
  cairo_set_line_width (cr, MAX (1, height * 0.003));
  for (int i = 0; i < 40; i++)
    {
      double gy = height * g_rand_double (rand);
      double wave = height * g_rand_double_range (rand, -0.03, 0.03);

      cairo_set_source_rgba (cr, table.r * 0.6, table.g * 0.6, table.b * 0.6, 0.35);
      cairo_move_to (cr, 0, gy);
      cairo_curve_to (cr, width * 0.33, gy + wave, width * 0.66, gy - wave, width, gy);
      cairo_stroke (cr);
    }

  /* The card: ISO ID-1 proportions, slightly askew, with a shadow. */
  cw = MIN (width * 0.86, height * 0.86 * 1.585);
  ch = cw / 1.585;
  cx = width / 2.0;
  cy = height / 2.0;
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, angle);
  cairo_translate (cr, -cw / 2, -ch / 2);

  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  rounded_rectangle (cr, cw * 0.012, cw * 0.016, cw, ch, cw * 0.04);
  cairo_fill (cr);

  pat = cairo_pattern_create_linear (0, 0, cw, ch);
  cairo_pattern_add_color_stop_rgb (pat, 0, 0.97, 0.97, 0.95);
  cairo_pattern_add_color_stop_rgb (pat, 1, 0.88, 0.90, 0.92);
  cairo_set_source (cr, pat);
  rounded_rectangle (cr, 0, 0, cw, ch, cw * 0.04);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (pat);
  cairo_clip (cr);

  /* Guilloche-like background lines. */
  cairo_set_line_width (cr, MAX (0.5, cw * 0.0012));
  cairo_set_source_rgba (cr, band.r, band.g, band.b, 0.12);
  for (int i = 0; i < 24; i++)
    {
      cairo_move_to (cr, 0, ch * (0.25 + i * 0.035));
      cairo_curve_to (cr, cw * 0.3, ch * (0.15 + i * 0.035), cw * 0.7, ch * (0.38 + i * 0.035),
                      cw, ch * (0.25 + i * 0.035));
    }
  cairo_stroke (cr);

  /* Header band. */
  set_rgb (cr, band);
  cairo_rectangle (cr, 0, 0, cw, ch * 0.2);
  cairo_fill (cr);
  pad = cw * 0.04;
  cairo_set_source_rgb (cr, 1, 1, 1);
  draw_text (cr, "PIÈCE D'IDENTITÉ — SPÉCIMEN", pad, ch * 0.025, ch * 0.075, TRUE, cw - 2 * pad);
  cairo_set_source_rgb (cr, 0.88, 0.92, 1.0);
  draw_text (cr, "Québec (fictif) · Not a real document", pad, ch * 0.115, ch * 0.048, FALSE,
             cw - 2 * pad);

  /* Portrait. */
  cairo_save (cr);
  cairo_translate (cr, pad, ch * 0.26);
  rounded_rectangle (cr, 0, 0, cw * 0.27, ch * 0.62, cw * 0.01);
  cairo_clip (cr);
  draw_face (cr, &params, cw * 0.27, ch * 0.62, 1.4, TRUE);
  cairo_restore (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.4);
  cairo_set_line_width (cr, MAX (1, cw * 0.002));
  rounded_rectangle (cr, pad, ch * 0.26, cw * 0.27, ch * 0.62, cw * 0.01);
  cairo_stroke (cr);

  /* Fields. */
  text_x = pad + cw * 0.27 + pad;
  text_w = cw - text_x - pad;
  label = ch * 0.042;
  value = ch * 0.062;
  y = ch * 0.25;
  cairo_set_source_rgb (cr, 0.35, 0.37, 0.42);
  y += draw_text (cr, "Nom / Name", text_x, y, label, FALSE, text_w);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.08);
  y += draw_text (cr, full_name, text_x, y, ch * 0.09, TRUE, text_w) + ch * 0.025;
  cairo_set_source_rgb (cr, 0.35, 0.37, 0.42);
  y += draw_text (cr, "Date de naissance / Date of birth", text_x, y, label, FALSE, text_w);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.08);
  y += draw_text (cr, birth, text_x, y, value, TRUE, text_w) + ch * 0.02;
  cairo_set_source_rgb (cr, 0.35, 0.37, 0.42);
  draw_text (cr, "N°", text_x, y, label, FALSE, text_w);
  draw_text (cr, "Expiration", text_x + text_w * 0.55, y, label, FALSE, text_w * 0.45);
  y += label * 1.25;
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.08);
  draw_text (cr, number, text_x, y, value, TRUE, text_w * 0.53);
  y += draw_text (cr, expiry, text_x + text_w * 0.55, y, value, TRUE, text_w * 0.45) + ch * 0.02;

  /* Signature squiggle. */
  cairo_set_source_rgb (cr, 0.08, 0.12, 0.40);
  cairo_set_line_width (cr, MAX (1, ch * 0.008));
  {
    double sx = text_x;
    double sy = MIN (y + ch * 0.06, ch * 0.9);
    double step = text_w * 0.06;

    cairo_move_to (cr, sx, sy);
    for (int i = 0; i < 7; i++)
      {
        double up = ch * g_rand_double_range (rand, 0.03, 0.07);
        cairo_curve_to (cr, sx + step * (i + 0.3), sy - up, sx + step * (i + 0.9), sy + up * 0.6,
                        sx + step * (i + 1), sy - up * 0.2);
      }
    cairo_curve_to (cr, sx + step * 8, sy + ch * 0.04, sx + step * 2, sy + ch * 0.05,
                    sx + step * 9, sy + ch * 0.01);
    cairo_stroke (cr);
  }

  cairo_restore (cr);
  cairo_destroy (cr);

  bytes = encode_surface (surface, format, orientation);
  cairo_surface_destroy (surface);
  return bytes;
}

/* ------------------------------------------------------------------------ */
/* EXIF                                                                     */

static void
put16 (guint8 *p, guint16 v, gboolean big_endian)
{
  if (big_endian)
    {
      p[0] = v >> 8;
      p[1] = v & 0xff;
    }
  else
    {
      p[0] = v & 0xff;
      p[1] = v >> 8;
    }
}

static void
put32 (guint8 *p, guint32 v, gboolean big_endian)
{
  if (big_endian)
    {
      put16 (p, v >> 16, TRUE);
      put16 (p + 2, v & 0xffff, TRUE);
    }
  else
    {
      put16 (p, v & 0xffff, FALSE);
      put16 (p + 2, v >> 16, FALSE);
    }
}

/* APP1 "Exif\0\0" + TIFF header + IFD0 with one entry (0x0112 SHORT) + no next IFD. */
#define EXIF_SEGMENT_SIZE (2 + 2 + 6 + 8 + 2 + 12 + 4)

static void
build_exif_segment (guint8 seg[EXIF_SEGMENT_SIZE], guint orientation, gboolean big_endian)
{
  guint8 *tiff = seg + 10;

  memset (seg, 0, EXIF_SEGMENT_SIZE);
  seg[0] = 0xff;
  seg[1] = 0xe1;
  put16 (seg + 2, EXIF_SEGMENT_SIZE - 2, TRUE);  /* segment lengths are always big-endian */
  memcpy (seg + 4, "Exif\0\0", 6);
  memcpy (tiff, big_endian ? "MM" : "II", 2);
  put16 (tiff + 2, 42, big_endian);
  put32 (tiff + 4, 8, big_endian);               /* IFD0 right after the header */
  put16 (tiff + 8, 1, big_endian);               /* one entry */
  put16 (tiff + 10, 0x0112, big_endian);         /* Orientation */
  put16 (tiff + 12, 3, big_endian);              /* SHORT */
  put32 (tiff + 14, 1, big_endian);              /* count */
  put16 (tiff + 18, orientation, big_endian);    /* value, left-justified in 4 bytes */
  put32 (tiff + 22, 0, big_endian);              /* no next IFD */
}

GBytes *
fake_image_jpeg_set_orientation (GBytes *jpeg, guint orientation)
{
  const guint8 *data;
  gsize size, pos;
  guint8 segment[EXIF_SEGMENT_SIZE];
  GByteArray *out;

  g_return_val_if_fail (jpeg != NULL, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  data = g_bytes_get_data (jpeg, &size);
  if (size < 4 || data[0] != 0xff || data[1] != 0xd8)
    return NULL;

  /* Little-endian as many phones write it for the turned pictures, big-endian otherwise:
   * readers must handle both. */
  build_exif_segment (segment, orientation, !(orientation == 6 || orientation == 8));

  out = g_byte_array_sized_new (size + sizeof segment);
  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, segment, sizeof segment);

  /* Copy the header segments, leaving out any existing EXIF APP1. */
  pos = 2;
  while (pos + 4 <= size && data[pos] == 0xff)
    {
      guint8 marker = data[pos + 1];
      gsize length;

      if (!((marker >= 0xe0 && marker <= 0xef) || marker == 0xfe))
        break;
      length = ((gsize) data[pos + 2] << 8) | data[pos + 3];
      if (length < 2 || pos + 2 + length > size)
        break;
      if (!(marker == 0xe1 && length >= 8 && memcmp (data + pos + 4, "Exif\0\0", 6) == 0))
        g_byte_array_append (out, data + pos, 2 + length);
      pos += 2 + length;
    }
  g_byte_array_append (out, data + pos, size - pos);

  return g_byte_array_free_to_bytes (out);
}

/* er-photo-link.c: photo viewers shown at the same scale, zoomed and moved
 * together.
 *
 * The viewers keep their own view (zoom, centre); the link copies a change
 * from the viewer the agent acted on to the others as a zoom and a move of
 * the centre in photo pixels (the same for all, as the zoom is the same),
 * and each viewer clamps it to its photo. The link holds its viewers
 * without a reference: each leaves it when it goes.
 */
#include "config.h"

#include "er-photo-link.h"
#include "er-photo-viewer-private.h"

struct _ErPhotoLink
{
  GObject        parent_instance;

  gboolean       active;
  GPtrArray     *viewers;  /* ErPhotoViewer, unowned */
  /* The viewer acted on last, unowned; NULL if none. */
  ErPhotoViewer *lead;
};

G_DEFINE_FINAL_TYPE (ErPhotoLink, er_photo_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_photo (ErPhotoViewer *viewer)
{
  double width, height;

  return _er_photo_viewer_get_photo_size (viewer, &width, &height);
}

/* Each viewer's view again, with the link's fit and limits as they are now. */
static void
refresh (ErPhotoLink   *self,
         ErPhotoViewer *except)
{
  for (guint i = 0; i < self->viewers->len; i++)
    {
      ErPhotoViewer *viewer = g_ptr_array_index (self->viewers, i);

      if (viewer != except)
        _er_photo_viewer_set_view (viewer, viewer->zoom, viewer->center_x, viewer->center_y,
                                   viewer->best_fit);
    }
}

static ErPhotoViewer *
find_lead (ErPhotoLink *self)
{
  if (self->lead != NULL && has_photo (self->lead))
    return self->lead;

  for (guint i = 0; i < self->viewers->len; i++)
    if (has_photo (g_ptr_array_index (self->viewers, i)))
      return g_ptr_array_index (self->viewers, i);
  return NULL;
}

ErPhotoLink *
er_photo_link_new (void)
{
  return g_object_new (ER_TYPE_PHOTO_LINK, NULL);
}

gboolean
er_photo_link_get_active (ErPhotoLink *self)
{
  g_return_val_if_fail (ER_IS_PHOTO_LINK (self), FALSE);
  return self->active;
}

void
er_photo_link_set_active (ErPhotoLink *self,
                          gboolean     active)
{
  ErPhotoViewer *lead;

  g_return_if_fail (ER_IS_PHOTO_LINK (self));

  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  lead = find_lead (self);
  if (active && lead != NULL && !lead->best_fit)
    {
      double zoom = lead->zoom;

      for (guint i = 0; i < self->viewers->len; i++)
        {
          ErPhotoViewer *viewer = g_ptr_array_index (self->viewers, i);

          _er_photo_viewer_set_view (viewer, zoom, viewer->center_x, viewer->center_y, FALSE);
        }
    }
  else if (active)
    {
      for (guint i = 0; i < self->viewers->len; i++)
        {
          ErPhotoViewer *viewer = g_ptr_array_index (self->viewers, i);

          _er_photo_viewer_set_view (viewer, viewer->zoom, viewer->center_x, viewer->center_y, TRUE);
        }
    }
  else
    {
      refresh (self, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

void
_er_photo_link_add (ErPhotoLink   *self,
                    ErPhotoViewer *viewer)
{
  g_ptr_array_add (self->viewers, viewer);
  if (self->active)
    _er_photo_link_adopt (self, viewer);
}

void
_er_photo_link_remove (ErPhotoLink   *self,
                       ErPhotoViewer *viewer)
{
  g_ptr_array_remove (self->viewers, viewer);
  if (self->lead == viewer)
    self->lead = NULL;
  if (self->active)
    refresh (self, NULL);
}

double
_er_photo_link_get_fit (ErPhotoLink *self)
{
  double fit = 0;

  for (guint i = 0; i < self->viewers->len; i++)
    {
      ErPhotoViewer *viewer = g_ptr_array_index (self->viewers, i);
      int width = gtk_widget_get_width (GTK_WIDGET (viewer));
      int height = gtk_widget_get_height (GTK_WIDGET (viewer));

      if (!has_photo (viewer) || width <= 0 || height <= 0)
        continue;
      if (fit == 0 || _er_photo_viewer_get_own_fit_zoom (viewer) < fit)
        fit = _er_photo_viewer_get_own_fit_zoom (viewer);
    }

  return fit > 0 ? fit : 1.0;
}

void
_er_photo_link_follow (ErPhotoLink   *self,
                       ErPhotoViewer *source,
                       gboolean       centred,
                       double         dx,
                       double         dy)
{
  self->lead = source;
  if (!self->active)
    return;

  for (guint i = 0; i < self->viewers->len; i++)
    {
      ErPhotoViewer *viewer = g_ptr_array_index (self->viewers, i);
      double zoom = viewer->zoom;
      double width, height;

      if (viewer == source || !_er_photo_viewer_get_photo_size (viewer, &width, &height))
        continue;

      if (source->best_fit)
        _er_photo_viewer_set_view (viewer, viewer->zoom, viewer->center_x, viewer->center_y, TRUE);
      else if (centred)
        _er_photo_viewer_set_view (viewer, source->zoom, width / 2, height / 2, FALSE);
      else
        _er_photo_viewer_set_view (viewer, source->zoom,
                                   viewer->center_x + dx, viewer->center_y + dy, FALSE);

      if (viewer->zoom != zoom)
        _er_photo_viewer_show_indicator (viewer);
    }
}

void
_er_photo_link_refit (ErPhotoLink   *self,
                      ErPhotoViewer *source)
{
  if (self->active)
    refresh (self, source);
}

void
_er_photo_link_adopt (ErPhotoLink   *self,
                      ErPhotoViewer *viewer)
{
  double width, height;

  if (!self->active)
    return;

  if (_er_photo_viewer_get_photo_size (viewer, &width, &height))
    for (guint i = 0; i < self->viewers->len; i++)
      {
        ErPhotoViewer *other = g_ptr_array_index (self->viewers, i);

        if (other != viewer && has_photo (other) && !other->best_fit)
          {
            _er_photo_viewer_set_view (viewer, other->zoom, width / 2, height / 2, FALSE);
            break;
          }
      }

  /* The common fit may have changed. */
  refresh (self, NULL);
}

static void
er_photo_link_finalize (GObject *object)
{
  ErPhotoLink *self = ER_PHOTO_LINK (object);

  g_ptr_array_unref (self->viewers);

  G_OBJECT_CLASS (er_photo_link_parent_class)->finalize (object);
}

static void
er_photo_link_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ErPhotoLink *self = ER_PHOTO_LINK (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_link_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ErPhotoLink *self = ER_PHOTO_LINK (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      er_photo_link_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
er_photo_link_class_init (ErPhotoLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = er_photo_link_finalize;
  object_class->get_property = er_photo_link_get_property;
  object_class->set_property = er_photo_link_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
er_photo_link_init (ErPhotoLink *self)
{
  self->viewers = g_ptr_array_new ();
}

/* er-photo-link.h: photo viewers shown at the same scale, zoomed and moved
 * together (the case view's "compare faces" mode).
 *
 * Viewers join a link with er_photo_viewer_set_link(). While the link is
 * active (property "active"), they show their photos at one zoom, the same
 * number of screen pixels per photo pixel, and whatever zooms or moves one
 * photo (keys, wheel, pinch, drag, double click) does the same to the
 * others: the same zoom around the same point of each viewer, the same move
 * in screen pixels. Each photo still stops at its own edges, so a photo
 * that cannot move further stays while the others move on. Best fit is
 * then the common fit, the largest zoom at which every photo fits whole;
 * the zoom goes down to it, or to 100 % if that is lower. Rotation stays
 * each photo's own. A photo that comes while linked takes the others' zoom.
 *
 * Becoming active, every viewer takes the zoom of the viewer acted on last,
 * each keeping the photo point at its centre (so each face can be centred
 * first, then compared), or the common fit if that viewer was at best fit
 * (or none was acted on). Becoming inactive, each keeps its view within its
 * own limits; at the common fit, each goes back to its own best fit.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ER_TYPE_PHOTO_LINK (er_photo_link_get_type ())
G_DECLARE_FINAL_TYPE (ErPhotoLink, er_photo_link, ER, PHOTO_LINK, GObject)

ErPhotoLink *er_photo_link_new        (void);
gboolean     er_photo_link_get_active (ErPhotoLink *self);
void         er_photo_link_set_active (ErPhotoLink *self, gboolean active);

G_END_DECLS

/* er-id-read-private.h: what er-id-read.c (the fields read) and
 * er-id-read-photo.c (reading a photo) share. */
#pragma once

#include "er-id-read.h"

G_BEGIN_DECLS

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

G_END_DECLS

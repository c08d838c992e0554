/* fuzz-mail.c: e-mail import (er_mail_parse), as when an agent drops a
 * learner's message on the app.
 *
 * Input: the whole message (RFC 5322, MIME). Everything read from it is
 * then touched: identity, invoice, images (their sniffed format and size),
 * warnings and the face/ID proposal.
 */
#include "fuzz-common.h"

#include "er-mail.h"
#include "er-photo.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) message = NULL;
  g_autoptr(ErMail) mail = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *invoice = NULL;
  int face = -2, id = -2;

  fuzz_init ();

  message = g_bytes_new (data, size);
  mail = er_mail_parse (message, NULL, &error);
  if (mail == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  (void) er_mail_get_message_id (mail);
  if (er_mail_get_date (mail) != NULL)
    (void) g_date_time_to_unix (er_mail_get_date (mail));
  (void) fuzz_touch (er_mail_get_subject (mail));
  (void) fuzz_touch (er_mail_get_from (mail));
  (void) fuzz_touch (er_mail_get_invoice (mail));
  if (er_mail_get_body_text (mail) != NULL)
    invoice = er_mail_find_invoice (er_mail_get_body_text (mail), NULL);

  g_assert (er_mail_get_n_images (mail) <= ER_MAIL_MAX_IMAGES);
  for (guint i = 0; i < er_mail_get_n_images (mail); i++)
    {
      const ErMailImage *image = er_mail_get_image (mail, i);

      g_assert (image != NULL && image->data != NULL);
      g_assert (g_bytes_get_size (image->data) <= ER_PHOTO_MAX_BYTES);
      (void) fuzz_touch (image->filename);
      (void) fuzz_touch (image->content_type);
      (void) er_photo_sniff_format (image->data);
    }

  warnings = er_mail_get_warnings (mail);
  for (guint i = 0; i < warnings->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));

  er_mail_propose (mail, &face, &id);
  g_assert (face >= -1 && face < (int) er_mail_get_n_images (mail));
  g_assert (id >= -1 && id < (int) er_mail_get_n_images (mail));

  return 0;
}

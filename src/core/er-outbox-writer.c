/* er-outbox-writer.c: the outbox's writer thread (see the header, and the
 * rules at the top of er-outbox.c).
 *
 * The writer is shared by its owner and its thread: the thread holds its
 * own reference, so an outbox disposed while a write is stuck (a hung file
 * system) leaves the thread to finish on its own.
 */
#include "config.h"

#include "er-outbox-writer.h"

struct _ErOutboxWriter
{
  gatomicrefcount     ref_count;
  char               *path;
  ErOutboxWriteFunc   write_func;
  ErOutboxReportFunc  report_func;
  GThread            *owner_thread;
  GMainContext       *context;        /* the owner's, where results are reported */
  gpointer            owner;          /* owner thread only; NULL once released */

  GMutex              mutex;          /* everything below */
  GCond               cond;
  GPtrArray          *pending;        /* the newest list not yet taken, or NULL */
  guint64             pending_gen;
  gboolean            running;        /* a writer thread exists */
  gboolean            in_flight;      /* it is writing a list taken from pending */
  guint64             in_flight_gen;
  gboolean            held;           /* tests: the thread takes nothing */
  guint64             written_gen;    /* the newest generation on disk */
  GError             *failure;        /* the last failed write not yet taken */
  guint64             failed_gen;
  gboolean            report_queued;
  guint               n_writes;
  guint               n_writes_on_owner;
};

static ErOutboxWriter *
writer_ref (ErOutboxWriter *writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

static void
writer_unref (ErOutboxWriter *writer)
{
  if (!g_atomic_ref_count_dec (&writer->ref_count))
    return;

  g_free (writer->path);
  g_main_context_unref (writer->context);
  g_clear_pointer (&writer->pending, g_ptr_array_unref);
  g_clear_error (&writer->failure);
  g_mutex_clear (&writer->mutex);
  g_cond_clear (&writer->cond);
  g_free (writer);
}

ErOutboxWriter *
_er_outbox_writer_new (const char         *path,
                       ErOutboxWriteFunc   write_func,
                       ErOutboxReportFunc  report_func,
                       gpointer            owner)
{
  ErOutboxWriter *writer = g_new0 (ErOutboxWriter, 1);

  g_atomic_ref_count_init (&writer->ref_count);
  writer->path = g_strdup (path);
  writer->write_func = write_func;
  writer->report_func = report_func;
  writer->owner = owner;
  writer->owner_thread = g_thread_self ();
  writer->context = g_main_context_ref_thread_default ();
  g_mutex_init (&writer->mutex);
  g_cond_init (&writer->cond);
  return writer;
}

void
_er_outbox_writer_release (ErOutboxWriter *writer)
{
  writer->owner = NULL;
  writer_unref (writer);
}

/* Owner thread: what the writer finished since the last report. */
static gboolean
report_cb (gpointer user_data)
{
  ErOutboxWriter *writer = user_data;

  g_mutex_lock (&writer->mutex);
  writer->report_queued = FALSE;
  g_mutex_unlock (&writer->mutex);

  if (writer->owner != NULL)
    writer->report_func (writer->owner);
  return G_SOURCE_REMOVE;
}

/* Called with the mutex held. */
static void
queue_report (ErOutboxWriter *writer)
{
  g_autoptr(GSource) source = NULL;

  if (writer->report_queued)
    return;
  writer->report_queued = TRUE;
  /* An idle on the owner's context, never g_main_context_invoke(): that
   * would run the report here, on the writer thread, when nobody is
   * iterating the context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, report_cb, writer_ref (writer), (GDestroyNotify) writer_unref);
  g_source_set_static_name (source, "[reviewer] outbox written");
  g_source_attach (source, writer->context);
}

static gpointer
writer_thread (gpointer user_data)
{
  ErOutboxWriter *writer = user_data;

  g_mutex_lock (&writer->mutex);
  while (writer->pending != NULL)
    {
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GError) error = NULL;
      guint64 gen;
      gboolean ok;

      if (writer->held)
        {
          g_cond_wait (&writer->cond, &writer->mutex);
          continue;
        }

      entries = g_steal_pointer (&writer->pending);
      gen = writer->pending_gen;
      writer->in_flight = TRUE;
      writer->in_flight_gen = gen;
      g_mutex_unlock (&writer->mutex);

      ok = writer->write_func (writer->path, entries, &error);
      /* The last reference to entries may be this one: dropped here,
       * outside the lock. */
      g_clear_pointer (&entries, g_ptr_array_unref);

      g_mutex_lock (&writer->mutex);
      writer->in_flight = FALSE;
      writer->n_writes++;
      if (g_thread_self () == writer->owner_thread)
        writer->n_writes_on_owner++;
      if (ok)
        writer->written_gen = gen;
      else
        {
          g_clear_error (&writer->failure);
          writer->failure = g_steal_pointer (&error);
          writer->failed_gen = gen;
        }
      queue_report (writer);
      g_cond_broadcast (&writer->cond);
    }
  writer->running = FALSE;
  g_cond_broadcast (&writer->cond);
  g_mutex_unlock (&writer->mutex);

  writer_unref (writer);
  return NULL;
}

void
_er_outbox_writer_enqueue (ErOutboxWriter *writer,
                           GPtrArray      *entries,
                           guint64         gen)
{
  g_mutex_lock (&writer->mutex);
  g_clear_pointer (&writer->pending, g_ptr_array_unref);
  writer->pending = g_ptr_array_ref (entries);
  writer->pending_gen = gen;
  if (!writer->running)
    {
      writer->running = TRUE;
      g_thread_unref (g_thread_new ("outbox-writer", writer_thread, writer_ref (writer)));
    }
  else
    g_cond_broadcast (&writer->cond);
  g_mutex_unlock (&writer->mutex);
}

void
_er_outbox_writer_take_results (ErOutboxWriter  *writer,
                                guint64         *written_gen,
                                guint64         *failed_gen,
                                GError         **failure)
{
  g_mutex_lock (&writer->mutex);
  *written_gen = writer->written_gen;
  *failed_gen = writer->failed_gen;
  *failure = g_steal_pointer (&writer->failure);
  g_mutex_unlock (&writer->mutex);
}

gboolean
_er_outbox_writer_newer_coming (ErOutboxWriter *writer,
                                guint64         after_gen)
{
  gboolean ret;

  g_mutex_lock (&writer->mutex);
  ret = writer->pending != NULL || (writer->in_flight && writer->in_flight_gen > after_gen);
  g_mutex_unlock (&writer->mutex);
  return ret;
}

gboolean
_er_outbox_writer_is_queued (ErOutboxWriter *writer,
                             guint64         gen)
{
  gboolean ret;

  g_mutex_lock (&writer->mutex);
  ret = (writer->pending != NULL && writer->pending_gen == gen) ||
        (writer->in_flight && writer->in_flight_gen == gen);
  g_mutex_unlock (&writer->mutex);
  return ret;
}

gboolean
_er_outbox_writer_wait (ErOutboxWriter *writer,
                        guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean done;

  g_mutex_lock (&writer->mutex);
  writer->held = FALSE;
  g_cond_broadcast (&writer->cond);
  while ((writer->pending != NULL || writer->in_flight) &&
         g_cond_wait_until (&writer->cond, &writer->mutex, deadline))
    ;
  done = writer->pending == NULL && !writer->in_flight;
  g_mutex_unlock (&writer->mutex);
  return done;
}

void
_er_outbox_writer_hold (ErOutboxWriter *writer,
                        gboolean        hold)
{
  g_mutex_lock (&writer->mutex);
  writer->held = hold;
  g_cond_broadcast (&writer->cond);
  g_mutex_unlock (&writer->mutex);
}

void
_er_outbox_writer_get_counts (ErOutboxWriter *writer,
                              guint          *n_writes,
                              guint          *n_on_owner_thread)
{
  g_mutex_lock (&writer->mutex);
  if (n_writes != NULL)
    *n_writes = writer->n_writes;
  if (n_on_owner_thread != NULL)
    *n_on_owner_thread = writer->n_writes_on_owner;
  g_mutex_unlock (&writer->mutex);
}

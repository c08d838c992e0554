/* fuzz-common.h: shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each target is one C file defining LLVMFuzzerTestOneInput, calling only
 * core code (src/core). It is built twice: with clang and -fsanitize=fuzzer
 * when the "fuzzing" option is on (fuzz-<target>), and always, with the
 * build's compiler, linked to replay-main.c (fuzz-replay-<target>), which
 * feeds it every file of the corpus: the normal test suite replays the
 * corpora with no clang.
 *
 * Criticals abort (a g_return_if_fail that fails is a bug the fuzzer
 * found); debug messages and warnings are dropped, for speed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The test vectors folder (tests/vectors), set at build time; the
 * ER_TEST_VECTORS environment variable wins when set. */
const char *fuzz_vectors_dir (void);

/* Reads a file of the test vectors folder; aborts when it is missing. */
char *fuzz_read_vector (const char *name, gsize *length);

/* Once per process: log handling, as described above. */
void fuzz_init (void);

G_END_DECLS

/* Reads a nullable string to its end, so that ASan sees every byte. */
static inline gsize
fuzz_touch (const char *string)
{
  return string != NULL ? strlen (string) : 0;
}

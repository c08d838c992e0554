/* er-manual.c: (skeleton, filled in by its owner) */
#include "config.h"

#include "er-manual.h"

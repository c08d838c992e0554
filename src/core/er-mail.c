/* er-mail.c: (skeleton, filled in by its owner) */
#include "config.h"

#include "er-mail.h"

#include "er-error.h"

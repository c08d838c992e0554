#include "er-reasons.h"

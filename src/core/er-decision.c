#include "er-decision.h"

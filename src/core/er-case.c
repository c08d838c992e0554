#include "er-case.h"

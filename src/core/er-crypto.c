#include "er-crypto.h"

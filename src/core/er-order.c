#include "er-order.h"

#include "er-client.h"

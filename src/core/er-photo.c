#include "er-photo.h"

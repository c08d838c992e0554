#include "er-agent.h"

// The PostgreSQL headers, for C++.
//
// Include this after every C++ standard or library header of the including
// file: port.h redefines snprintf and friends, which breaks <string> and <fmt>
// when they come later. postgres.h comes first, inside extern "C".
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

// creator_platform: module entry. One file per capability lives beside this one.
#include "pg/postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

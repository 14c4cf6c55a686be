// Backend-wide settings of the module (defined in src/module.cpp).
#pragma once

namespace cp::pg {
// creator_platform.max_comment_depth
extern int g_max_comment_depth;
} // namespace cp::pg

// Generated from the simsock_engine() lines (tools/CMakeLists.txt writes registered_engines.cpp).
#pragma once

#include <span>
#include <string_view>

namespace simsock::detail {

/// Calls every engine's registration function.
void registerEachEngine();
/// The engine names of the simsock_engine() lines, in line order.
std::span<const std::string_view> engineLineNames();

}  // namespace simsock::detail

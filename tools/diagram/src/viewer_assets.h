// The viewer's script and style, the text of tools/diagram/assets/viewer.{js,css}, embedded by CMake
// (tools/CMakeLists.txt generates viewer_assets.cpp from them).
#pragma once

namespace simsock::scenario::detail {

extern const char* const kViewerJs;
extern const char* const kViewerCss;

}  // namespace simsock::scenario::detail

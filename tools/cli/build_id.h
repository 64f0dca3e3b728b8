// The identity of this simsock build, for shard reports: two reports with the same identity were run by
// the same sources and toolchain. Generated at build time by tools/cli/build_id.cmake.
#pragma once

namespace simsock::cli {

/// "simsock 0.1.0, git f7f4d7e-dirty, sources 3f2a9c01b2de, GNU 12.2.0 RelWithDebInfo".
const char* buildId();

}  // namespace simsock::cli

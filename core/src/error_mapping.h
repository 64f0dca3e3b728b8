// The one place where errno facts from an engine become SocketErrors and error strings.
#pragma once

#include <string>

#include "simsock/socket_types.h"

namespace simsock::detail {

/// What the socket was doing when the engine reported the errno; the same errno means different
/// things in different operations (EADDRINUSE from bind vs from connect).
enum class Operation { Create, Bind, Connect, Listen, Accept, Read, Write, ReadDatagram, WriteDatagram };

struct MappedError {
    SocketError error;
    std::string text;
};

/// Maps an errno reported by an engine during op.
MappedError mapErrno(Operation op, int err);

}  // namespace simsock::detail

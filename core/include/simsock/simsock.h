// The umbrella header: everything a user of simsock's socket API needs.
#pragma once

#include "simsock/abstract_socket.h"
#include "simsock/backend.h"
#include "simsock/engine.h"
#include "simsock/event_loop.h"
#include "simsock/host_address.h"
#include "simsock/network_proxy.h"
#include "simsock/resolver.h"
#include "simsock/signal.h"
#include "simsock/socket_types.h"
#include "simsock/tcp_server.h"
#include "simsock/tcp_socket.h"
#include "simsock/trace.h"
#include "simsock/udp_socket.h"

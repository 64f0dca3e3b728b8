// simsock: runs JSON scenario files against the socket library and says pass or fail (tools/cli/app.cpp).
#include "simsock/cli.h"

int main(int argc, char** argv) { return simsock::cli::runCli(argc, argv); }

// mcp-host entry point; everything else lives in the library so tests run the same code.
#include <iostream>

#include "app/HostApplication.h"

POCO_APP_MAIN(mcph::app::HostApplication)

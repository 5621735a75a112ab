#pragma once

// Everything lib/net offers, for callers that want one include.
#include "detectionbound.h"
#include "keepalive.h"
#include "nativesocket.h"
#include "socketerror.h"
#include "systemdefaults.h"
#include "tcpkeepalivesettings.h"
#include "tcpsnapshot.h"

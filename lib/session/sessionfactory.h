#pragma once

#include "endpointconfig.h"
#include "sessioncontext.h"

class QObject;

namespace kw {

class Session;

// The session for an endpoint's kind: the monitor asks here and knows no concrete session type.
Session *createSession(const EndpointConfig &config, SessionContext context, QObject *parent);

} // namespace kw

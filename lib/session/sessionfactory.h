#pragma once

#include "endpointconfig.h"
#include "session.h"
#include "sessioncontext.h"

class QObject;

namespace kw {

// The session for an endpoint's kind: the monitor asks here and knows no concrete session type.
Session *createSession(const SharedEndpointConfig &config, SessionContext context, QObject *parent);

} // namespace kw

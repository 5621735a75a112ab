#include "sessionfactory.h"

#include "listensession.h"
#include "tcpsession.h"
#include "websocketsession.h"

namespace kw {

Session *createSession(const EndpointConfig &config, SessionContext context, QObject *parent)
{
    switch (config.kind) {
    case EndpointKind::Listen:
        return new ListenSession(config, context, parent);
    case EndpointKind::WebSocket:
        return new WebSocketSession(config, context, parent);
    case EndpointKind::Tcp:
    case EndpointKind::Mqtt: // watched at TCP level until MQTT sessions exist
        break;
    }
    return new TcpSession(config, context, parent);
}

} // namespace kw

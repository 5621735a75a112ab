#include "sessionfactory.h"

#include "listensession.h"
#include "mqttsession.h"
#include "tcpsession.h"
#include "websocketsession.h"

namespace kw {

Session *createSession(const SharedEndpointConfig &config, SessionContext context, QObject *parent)
{
    switch (config.get().kind) {
    case EndpointKind::Listen:
        return new ListenSession(config, context, parent);
    case EndpointKind::WebSocket:
        return new WebSocketSession(config, context, parent);
    case EndpointKind::Mqtt:
        return new MqttSession(config, context, parent);
    case EndpointKind::Tcp:
        break;
    }
    return new TcpSession(config, context, parent);
}

} // namespace kw

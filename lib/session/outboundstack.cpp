// The byte-stream stack of OutboundSession: the layers above the TCP socket (TLS, WebSocket
// framing), how bytes and ends travel through them, and what TLS negotiated.

#include "outboundsession.h"

#include "connection.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "tlslayer.h"

#include <QTimer>

#include <algorithm>

namespace kw {

namespace {

std::string_view view(QByteArrayView data)
{
    return {data.data(), std::size_t(data.size())};
}

stream::TlsOptions tlsOptions(const EndpointConfig &config)
{
    const TlsConfig &tls = config.tls;
    stream::TlsOptions options;
    options.serverName = (tls.peerName.isEmpty() ? config.host : tls.peerName).toStdString();
    options.caFile = tls.caFile.toStdString();
    options.certFile = tls.certFile.toStdString();
    options.keyFile = tls.keyFile.toStdString();
    options.insecure = tls.insecure;
    for (const QString &protocol : tls.alpn)
        options.alpn.push_back(protocol.toStdString());
    return options;
}

} // namespace

bool OutboundSession::buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error)
{
    if (!m_config.tls.enabled)
        return true;
    std::string problem;
    std::unique_ptr<stream::TlsLayer> tls = stream::TlsLayer::create(tlsOptions(m_config), &problem);
    if (!tls) {
        *error = QString::fromStdString(problem);
        return false;
    }
    layers.push_back(std::move(tls));
    return true;
}

// --- the byte-stream stack ---

void OutboundSession::startStack()
{
    ++m_stackGeneration;
    QString error;
    if (!buildLayers(m_layers, &error)) {
        // A setting, not the network: the same attempt would fail again, but the file may be fixed
        // meanwhile, so retry with backoff and say what to fix.
        fail(m_config.tls.enabled ? Cause(CauseCode::Tls) : Cause(CauseCode::ProtocolError), error);
        return;
    }
    if (m_layers.empty()) {
        onStackReady();
        return;
    }
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        wireLayer(i, m_stackGeneration);
    m_layers.front()->start();
}

void OutboundSession::wireLayer(std::size_t index, quint64 generation)
{
    // A callback may end the stack (fail() tears it down); the generation tells every later
    // callback of that stack to stay quiet, and the layers themselves are deleted only once the
    // call that is running inside them has returned.
    const auto alive = [this, generation] { return generation == m_stackGeneration && m_connection; };
    stream::Layer::Callbacks callbacks;
    callbacks.sendBelow = [this, index, alive](std::string_view bytes) {
        if (!alive())
            return;
        if (index == 0)
            m_connection->write(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
        else
            m_layers[index - 1]->send(bytes);
    };
    callbacks.ready = [this, index, alive] {
        if (!alive())
            return;
        if (m_layers[index]->kind() == stream::LayerKind::Tls)
            noteTlsReady();
        if (!alive())
            return;
        if (index + 1 < m_layers.size())
            m_layers[index + 1]->start();
        else
            onStackReady();
    };
    callbacks.deliver = [this, index, alive](std::string_view bytes) {
        if (!alive())
            return;
        if (index + 1 < m_layers.size())
            m_layers[index + 1]->receive(bytes);
        else
            deliverUp(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    };
    callbacks.failed = [this, index, alive](const stream::Failure &failure) {
        if (alive())
            onLayerFailed(index, failure);
    };
    callbacks.closedByPeer = [this, index, alive](const stream::Failure &how) {
        if (alive())
            onLayerClosedByPeer(index, how);
    };
    m_layers[index]->setCallbacks(std::move(callbacks));
}

void OutboundSession::noteTlsReady()
{
    const auto *tls = static_cast<const stream::TlsLayer *>(
        std::find_if(m_layers.begin(), m_layers.end(), [](const auto &l) {
            return l->kind() == stream::LayerKind::Tls;
        })->get());
    const stream::TlsSessionInfo &info = tls->sessionInfo();
    QString expiry;
    m_tlsDaysLeft.reset();
    if (info.notAfter) {
        m_tlsDaysLeft = int(stream::daysUntil(*info.notAfter, std::chrono::system_clock::now()));
        expiry = toQString(stream::formatUtc(*info.notAfter));
    }
    const QString peer = toQString(info.peerSubject);
    // Most telling first, for a panel that may cut the line: the version, how long the certificate
    // lasts, whose it is; the cipher last.
    QStringList parts{toQString(info.protocol)};
    if (m_tlsDaysLeft)
        parts << tr("expires %1 (%n day(s))", nullptr, *m_tlsDaysLeft).arg(expiry.left(10));
    parts << (peer.isEmpty() ? tr("no certificate") : peer) << toQString(info.cipher);
    if (!info.alpn.empty())
        parts << tr("ALPN %1").arg(toQString(info.alpn));
    m_tlsSummary = parts.join(u" · ");
    if (m_config.tls.insecure) {
        m_tlsSummary += info.verified ? tr(" · verification off (the certificate would have verified)")
                                      : tr(" · verification off: %1").arg(toQString(info.verifyText));
    }

    QJsonObject data{{u"tls_protocol"_qs, toQString(info.protocol)},
                     {u"tls_cipher"_qs, toQString(info.cipher)},
                     {u"peer_subject"_qs, peer},
                     {u"peer_issuer"_qs, toQString(info.peerIssuer)},
                     {u"verified"_qs, info.verified},
                     {u"handshake_ms"_qs, msValue(m_context.timers.now() - m_tcpUpAt)}};
    if (!info.alpn.empty())
        data.insert(u"alpn"_qs, toQString(info.alpn));
    if (!expiry.isEmpty())
        data.insert(u"not_after"_qs, expiry);
    if (m_tlsDaysLeft)
        data.insert(u"days_left"_qs, *m_tlsDaysLeft);
    emitEvent(Event::info(m_config.name, tr("TLS up: %1").arg(m_tlsSummary), data));

    if (m_tlsDaysLeft && *m_tlsDaysLeft <= m_config.tls.warnExpiryDays) {
        const QString when = *m_tlsDaysLeft < 0 ? tr("expired %1 day(s) ago").arg(-*m_tlsDaysLeft)
                                                : tr("expires in %1 day(s)").arg(*m_tlsDaysLeft);
        QJsonObject warning{{u"days_left"_qs, *m_tlsDaysLeft},
                            {u"not_after"_qs, expiry},
                            {u"warning"_qs, u"certificate-expiry"_qs}};
        emitEvent(Event::info(m_config.name,
                              tr("the server's certificate %1 (%2, not after %3): renew it before it does")
                                  .arg(when, peer, expiry),
                              warning));
        qCWarning(lcSession) << m_config.name << "TLS certificate" << when;
    }
}

void OutboundSession::onStackReady()
{
    onTransportReady();
}

void OutboundSession::onReceived(const QByteArray &data)
{
    // Timed where the bytes moved, not here: at 10,000 endpoints one wake-up hands out hundreds of
    // ready sockets, and the last of them is read long after its bytes arrived. TLS and WebSocket
    // framing pass the same stamp up: decrypted bytes carry the stamp of the read that brought the
    // last byte of their record.
    EngineTimers &timers = m_context.timers;
    timers.noteSocketWait(m_connection->lastReceiveWait());
    m_receivedAt = timers.onSystemClock() ? m_connection->lastReceivedAt() : timers.now();
    m_receivedStampedByKernel = timers.onSystemClock() && m_connection->lastReceiveStampedByKernel();
    if (m_layers.empty())
        deliverUp(data);
    else
        m_layers.front()->receive(view(data));
    m_receivedAt.reset();
}

TimePoint OutboundSession::receivedAt() const
{
    return m_receivedAt ? *m_receivedAt : m_context.timers.now();
}

TimePoint OutboundSession::writtenAt(TimePoint calledAt) const
{
    if (!m_context.timers.onSystemClock() || !m_connection)
        return calledAt;
    return std::max(calledAt, m_connection->lastSentAt());
}

void OutboundSession::deliverUp(QByteArrayView data)
{
    const TimePoint now = receivedAt();
    if (m_idle) {
        m_idle->noteRead(now);
        setSuspicion(Suspicions::kIdle, false);
    }
    onData(data, now);
}

bool OutboundSession::writeStream(QByteArrayView data)
{
    if (!m_connection || !m_connection->isConnected())
        return false;
    const bool backlog = m_connection->bytesToWrite() > kSendHighWater;
    setSuspicion(Suspicions::kSendBacklog, backlog,
                 backlog
                     ? tr("%1 KiB unsent: the peer is not reading").arg(m_connection->bytesToWrite() / 1024)
                     : QString());
    if (backlog)
        return false;
    ++m_writeCount;
    if (m_idle)
        m_idle->noteWrite(m_context.timers.now());
    if (m_layers.empty())
        m_connection->write(data);
    else
        m_layers.back()->send(view(data));
    return true;
}

void OutboundSession::onLayerFailed(std::size_t index, const stream::Failure &failure)
{
    if (failure.osError != 0) {
        // The kernel said it first: keep its cause (reset, keepalive-timeout, ...) under the layer.
        onConnectionFailed(failure.osError);
        return;
    }
    const bool handshakeDone = m_layers[index]->isReady();
    QString detail = toQString(failure.text);
    fail(causeOfLayerFailure(failure, handshakeDone), detail);
}

void OutboundSession::onLayerClosedByPeer(std::size_t index, const stream::Failure &how)
{
    if (index + 1 < m_layers.size()) {
        // The layer above has its own way to end (a WebSocket close frame): let it judge.
        const quint64 generation = m_stackGeneration;
        m_layers[index + 1]->belowEnded();
        if (generation != m_stackGeneration || !m_connection)
            return;
    }
    failByPeerEnd(how);
}

const stream::Failure *OutboundSession::heardPeerEnd() const
{
    // The highest layer speaks for the session: a WebSocket close frame over TLS is the server's word.
    for (auto layer = m_layers.rbegin(); layer != m_layers.rend(); ++layer)
        if (const std::optional<stream::Failure> &end = (*layer)->peerEnd())
            return &*end;
    return nullptr;
}

void OutboundSession::failByPeerEnd(const stream::Failure &how, const QString &then)
{
    const Cause cause = causeOfPeerClose(how);
    QString detail = cause.code == CauseCode::PeerClosed
                         ? tr("%1 closed the connection: %2").arg(m_config.target(), toQString(how.text))
                         : toQString(how.text);
    if (!then.isEmpty())
        detail = tr("%1; after that: %2").arg(detail, then);
    fail(cause, detail);
}

} // namespace kw

#include "tlslayer.h"

#include "tlscontext.h"
#include "x509text.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace kw::stream {

namespace {

using Clock = std::chrono::system_clock;
using namespace x509;

// One TLS record carries at most 2^14 bytes of plaintext (RFC 8446 section 5.1): reading or writing
// more per call buys nothing.
constexpr std::size_t kRecordPlaintext = 16 * 1024;
// Ciphertext is handed below in slices of about this much during a large send(), so a 100 MB
// write is not held twice in memory before the socket sees any of it.
constexpr std::size_t kFlushThreshold = 64 * 1024;
constexpr const char *kCloseNotifyText = "the server closed the TLS session (close_notify)";
// SSL_set_ex_data(3) slot 0 is the application's own ("app data").
constexpr int kLayerSlot = 0;

// RFC 8446 section 6 / RFC 5246 section 7.2 alert descriptions used in the failure texts.
constexpr int kAlertCloseNotify = 0;
constexpr int kAlertHandshakeFailure = 40;
constexpr int kAlertBadCertificate = 42;
constexpr int kAlertUnsupportedCertificate = 43;
constexpr int kAlertCertificateRevoked = 44;
constexpr int kAlertCertificateExpired = 45;
constexpr int kAlertCertificateUnknown = 46;
constexpr int kAlertUnknownCa = 48;
constexpr int kAlertAccessDenied = 49;
constexpr int kAlertProtocolVersion = 70;
constexpr int kAlertUserCanceled = 90;
constexpr int kAlertMissingExtension = 109;
constexpr int kAlertUnrecognizedName = 112;
constexpr int kAlertCertificateRequired = 116;
constexpr int kAlertNoApplicationProtocol = 120;

// Reasons for which OpenSSL, as a client, read something that is not a TLS record.
bool isNotTls(int reason)
{
    switch (reason) {
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_WRONG_SSL_VERSION:
        return true;
    default:
        return false;
    }
}

bool isClientCertificateRejection(int alert)
{
    switch (alert) {
    case kAlertBadCertificate:
    case kAlertUnsupportedCertificate:
    case kAlertCertificateRevoked:
    case kAlertCertificateExpired:
    case kAlertCertificateUnknown:
    case kAlertUnknownCa:
    case kAlertAccessDenied:
        return true;
    default:
        return false;
    }
}

// SSL_alert_desc_string_long(3) of OpenSSL 3.0 predates the alerts RFC 8446 added and says "unknown".
std::string alertName(int alert)
{
    switch (alert) {
    case kAlertMissingExtension:
        return "missing extension";
    case kAlertCertificateRequired:
        return "certificate required";
    case kAlertNoApplicationProtocol:
        return "no application protocol";
    default:
        return SSL_alert_desc_string_long(alert);
    }
}

} // namespace

long long daysUntil(Clock::time_point notAfter, Clock::time_point now)
{
    return std::chrono::floor<std::chrono::days>(notAfter - now).count();
}

std::string formatUtc(Clock::time_point time)
{
    using namespace std::chrono;
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{floor<seconds>(time - day)};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return buffer;
}

void TlsLayer::Deleter::operator()(ssl_st *ssl) const
{
    SSL_free(ssl);
}

std::unique_ptr<TlsLayer> TlsLayer::create(const TlsOptions &options, std::string *error)
{
    std::string ignored;
    if (!error)
        error = &ignored;
    std::shared_ptr<ssl_ctx_st> context = acquireTlsContext(options, error);
    if (!context)
        return nullptr;
    SSL *ssl = SSL_new(context.get());
    BIO *in = BIO_new(BIO_s_mem());
    BIO *out = BIO_new(BIO_s_mem());
    if (!ssl || !in || !out) {
        *error = "cannot create a TLS connection: " + takeOpenSslErrors();
        SSL_free(ssl);
        BIO_free(in);
        BIO_free(out);
        return nullptr;
    }
    // An empty memory BIO must read as "retry", not end of file (BIO_s_mem(3)): the end of the
    // stream is told by belowEnded(), never by running out of bytes.
    BIO_set_mem_eof_return(in, -1);
    BIO_set_mem_eof_return(out, -1);
    SSL_set_bio(ssl, in, out);
    SSL_set_connect_state(ssl);

    const std::string &name = options.serverName;
    if (!name.empty()) {
        // Brackets are how a URL writes an IPv6 literal; the certificate check wants the address.
        const std::string bare = name.size() > 2 && name.front() == '[' && name.back() == ']'
                                     ? name.substr(1, name.size() - 2)
                                     : name;
        bool ok = false;
        if (isIpLiteral(bare)) {
            // RFC 6066 section 3: "Literal IPv4 and IPv6 addresses are not permitted in HostName".
            ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), bare.c_str()) == 1;
        } else {
            // No "f*.example.com" partial wildcards (RFC 6125 section 7.2).
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            ok = SSL_set1_host(ssl, bare.c_str()) == 1 &&
                 SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                          const_cast<char *>(bare.c_str())) == 1;
        }
        if (!ok) {
            *error = "tls.peer_name " + quoted(name) + " is not a valid host name or IP address (" +
                     takeOpenSslErrors() + ")";
            SSL_free(ssl);
            return nullptr;
        }
    }

    auto layer = std::unique_ptr<TlsLayer>(new TlsLayer(options, std::move(context), ssl, in, out));
    SSL_set_ex_data(ssl, kLayerSlot, layer.get());
    // Always VERIFY_PEER, so the callback sees every problem; when insecure it lets each one pass.
    SSL_set_verify(ssl, SSL_VERIFY_PEER, &TlsLayer::verifyCallback);
    SSL_set_info_callback(ssl, &TlsLayer::infoCallback);
    return layer;
}

TlsLayer::TlsLayer(const TlsOptions &options, std::shared_ptr<ssl_ctx_st> context, ssl_st *ssl, bio_st *in,
                   bio_st *out)
    : m_options(options), m_context(std::move(context)), m_ssl(ssl), m_in(in), m_out(out)
{}

TlsLayer::~TlsLayer() = default;

int TlsLayer::verifyCallback(int preverifyOk, x509_store_ctx_st *store)
{
    auto *ssl = static_cast<SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto *self = static_cast<TlsLayer *>(SSL_get_ex_data(ssl, kLayerSlot));
    if (self->m_leafNames.empty())
        if (X509 *leaf = X509_STORE_CTX_get0_cert(store))
            self->m_leafNames = matchableNames(leaf);
    if (!preverifyOk && !self->m_verifyProblem) {
        VerifyProblem problem;
        problem.error = X509_STORE_CTX_get_error(store);
        problem.depth = X509_STORE_CTX_get_error_depth(store);
        if (X509 *certificate = X509_STORE_CTX_get_current_cert(store)) {
            problem.subject = nameText(X509_get_subject_name(certificate));
            problem.issuer = nameText(X509_get_issuer_name(certificate));
            problem.notBefore = timePoint(X509_get0_notBefore(certificate));
            problem.notAfter = timePoint(X509_get0_notAfter(certificate));
        }
        self->m_verifyProblem = std::move(problem);
    }
    return self->m_options.insecure ? 1 : preverifyOk;
}

void TlsLayer::infoCallback(const ssl_st *ssl, int where, int ret)
{
    auto *self = static_cast<TlsLayer *>(SSL_get_ex_data(const_cast<SSL *>(ssl), kLayerSlot));
    if ((where & SSL_CB_READ_ALERT) == SSL_CB_READ_ALERT) {
        // RFC 8446 section 6: every alert but close_notify and user_canceled ends the connection,
        // whatever level the peer gave it.
        const int description = ret & 0xff;
        if (description != kAlertCloseNotify && description != kAlertUserCanceled)
            self->m_alertReceived = description;
    }
    if ((where & SSL_CB_LOOP) && SSL_get_state(ssl) == TLS_ST_CR_CERT_REQ)
        self->m_clientCertRequested = true;
}

void TlsLayer::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Handshaking;
    advance();
}

void TlsLayer::receive(std::string_view bytes)
{
    if (m_state == State::Closed || bytes.empty())
        return;
    std::size_t written = 0;
    // A memory BIO grows as needed; it fails only when out of memory.
    if (BIO_write_ex(m_in, bytes.data(), bytes.size(), &written) != 1 || written != bytes.size()) {
        fail(0, "out of memory buffering " + std::to_string(bytes.size()) + " received bytes for TLS");
        return;
    }
    if (m_state != State::Idle)
        advance();
}

void TlsLayer::send(std::string_view bytes)
{
    if (m_state == State::Closed)
        return;
    if (m_state != State::Ready || m_shutdownSent) {
        fail(0, m_shutdownSent ? "internal error: application data was sent after the TLS close_notify"
                               : "internal error: application data was sent before the TLS handshake "
                                 "finished; a layer sends only after ready()");
        return;
    }
    if (bytes.empty())
        return;
    if (!m_pendingWrites.empty()) {
        // Order: the queue goes first. Stalled on a read; the next receive() drains it.
        m_pendingWrites.emplace_back(bytes);
        return;
    }
    const std::ptrdiff_t taken = writeSome(bytes);
    if (taken >= 0 && static_cast<std::size_t>(taken) < bytes.size())
        m_pendingWrites.emplace_back(bytes.substr(static_cast<std::size_t>(taken)));
}

void TlsLayer::belowEnded()
{
    if (m_state == State::Closed)
        return;
    if (m_state != State::Ready) {
        std::string text = "the server closed the connection during the TLS handshake";
        text += m_options.serverName.empty() || isIpLiteral(m_options.serverName)
                    ? std::string()
                    : " (we asked for " + quoted(m_options.serverName) + " by SNI)";
        text += "; it may not accept our TLS version, ciphers or server name, or the port is not a TLS "
                "port: the server's log says which";
        fail(0, std::move(text));
        return;
    }
    // RFC 8446 section 6.1 wants close_notify before the end of the stream, but many servers just
    // close; the data was authenticated record by record, only the end is not. Treated as an
    // orderly close by the peer, not as a failure.
    reportPeerClosed("the server closed the connection without sending TLS close_notify (RFC 8446 "
                     "section 6.1); everything it sent was delivered, only the end was not confirmed");
}

void TlsLayer::shutdown()
{
    if (m_state != State::Ready || m_shutdownSent)
        return;
    m_shutdownSent = true;
    ERR_clear_error();
    // Returns 0 (sent, the peer's not yet seen) or 1; the peer's close_notify arrives via receive().
    if (SSL_shutdown(m_ssl.get()) < 0)
        ERR_clear_error();
    flushBelow();
}

void TlsLayer::advance()
{
    // A callback made below that feeds more bytes (receive()) only appends to the BIO: this loop
    // reads until OpenSSL wants more, so it takes them.
    if (m_inAdvance)
        return;
    m_inAdvance = true;
    struct Leave
    {
        bool &flag;
        ~Leave() { flag = false; }
    } leave{m_inAdvance};

    std::array<char, kRecordPlaintext> buffer;
    while (m_state == State::Handshaking || m_state == State::Ready) {
        ERR_clear_error();
        if (m_state == State::Handshaking) {
            const int result = SSL_do_handshake(m_ssl.get());
            if (result == 1) {
                flushBelow();
                captureSessionInfo();
                m_state = State::Ready;
                if (callbacks().ready)
                    callbacks().ready();
                continue;
            }
            const int error = SSL_get_error(m_ssl.get(), result);
            if (error == SSL_ERROR_WANT_READ) {
                flushBelow();
                return;
            }
            failFromOpenSsl(error, "during the TLS handshake");
            return;
        }

        if (!drainWrites())
            return;
        // Post-handshake messages (TLS 1.3 NewSessionTicket and KeyUpdate, RFC 8446 section 4.6;
        // TLS 1.2 HelloRequest) are handled inside SSL_read; a KeyUpdate answer goes out by flushBelow.
        std::size_t read = 0;
        const int result = SSL_read_ex(m_ssl.get(), buffer.data(), buffer.size(), &read);
        flushBelow();
        if (result == 1) {
            if (callbacks().deliver)
                callbacks().deliver(std::string_view(buffer.data(), read));
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), result);
        if (error == SSL_ERROR_WANT_READ)
            return;
        if (error == SSL_ERROR_ZERO_RETURN) {
            // Answer with our own close_notify (RFC 8446 section 6.1) before reporting.
            notePeerEnd(Failure{LayerKind::Tls, 0, kCloseNotifyText, 0});
            if (!m_shutdownSent) {
                m_shutdownSent = true;
                if (SSL_shutdown(m_ssl.get()) < 0)
                    ERR_clear_error();
                flushBelow();
            }
            reportPeerClosed(kCloseNotifyText);
            return;
        }
        failFromOpenSsl(error, "on the established TLS connection");
        return;
    }
}

bool TlsLayer::drainWrites()
{
    while (!m_pendingWrites.empty()) {
        const std::string &front = m_pendingWrites.front();
        const std::ptrdiff_t taken = writeSome(std::string_view(front).substr(m_pendingOffset));
        if (taken < 0)
            return false;
        m_pendingOffset += static_cast<std::size_t>(taken);
        if (m_pendingOffset < front.size())
            return true; // stalled on a read again
        m_pendingWrites.pop_front();
        m_pendingOffset = 0;
    }
    return true;
}

std::ptrdiff_t TlsLayer::writeSome(std::string_view data)
{
    std::size_t done = 0;
    ERR_clear_error();
    while (done < data.size()) {
        // A retry after WANT_READ repeats the same length from the same offset, as SSL_write(3)
        // requires; the buffer itself may have moved (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER).
        const std::size_t length = std::min(kRecordPlaintext, data.size() - done);
        std::size_t written = 0;
        const int result = SSL_write_ex(m_ssl.get(), data.data() + done, length, &written);
        if (result == 1) {
            done += written;
            if (BIO_ctrl_pending(m_out) >= kFlushThreshold)
                flushBelow();
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), result);
        // WANT_WRITE cannot happen: the memory BIO takes everything. WANT_READ: a renegotiation
        // needs the peer's answer first.
        if (error == SSL_ERROR_WANT_READ)
            break;
        failFromOpenSsl(error, "while sending");
        return -1;
    }
    flushBelow();
    return static_cast<std::ptrdiff_t>(done);
}

void TlsLayer::flushBelow()
{
    std::array<char, kRecordPlaintext + 512> buffer;
    std::size_t read = 0;
    while (BIO_read_ex(m_out, buffer.data(), buffer.size(), &read) == 1 && read > 0)
        if (callbacks().sendBelow)
            callbacks().sendBelow(std::string_view(buffer.data(), read));
}

void TlsLayer::captureSessionInfo()
{
    SSL *ssl = m_ssl.get();
    m_info = {};
    m_info.protocol = SSL_get_version(ssl);
    if (const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl))
        m_info.cipher = SSL_CIPHER_get_name(cipher);
    const unsigned char *alpn = nullptr;
    unsigned alpnLength = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpnLength);
    if (alpn)
        m_info.alpn.assign(reinterpret_cast<const char *>(alpn), alpnLength);
    if (X509 *peer = SSL_get0_peer_certificate(ssl)) {
        m_info.peerSubject = nameText(X509_get_subject_name(peer));
        m_info.peerIssuer = nameText(X509_get_issuer_name(peer));
        m_info.peerNames = altNames(peer);
        m_info.notBefore = timePoint(X509_get0_notBefore(peer));
        m_info.notAfter = timePoint(X509_get0_notAfter(peer));
    }
    // The first problem the chain check met; SSL_get_verify_result(3) keeps only the last one.
    m_info.verifyResult = m_verifyProblem ? m_verifyProblem->error : SSL_get_verify_result(ssl);
    m_info.verified = m_info.verifyResult == X509_V_OK && SSL_get0_peer_certificate(ssl) != nullptr;
    if (!m_info.verified)
        m_info.verifyText = verifyFailureText(m_info.verifyResult);
}

std::string TlsLayer::verifyFailureText(long result) const
{
    const VerifyProblem none{};
    const VerifyProblem &problem = m_verifyProblem ? *m_verifyProblem : none;
    const std::string what = problem.depth == 0
                                 ? "the server's certificate " + quoted(problem.subject)
                                 : "the CA certificate " + quoted(problem.subject) + " in the server's chain";
    const std::string trustStore =
        m_options.caFile.empty() ? "the system trust store" : "tls.ca_file " + quoted(m_options.caFile);
    const std::string number =
        " (X509 error " + std::to_string(result) + ": " + X509_verify_cert_error_string(result) + ")";
    switch (result) {
    case X509_V_OK:
        return "the server presented no certificate";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return what + " was issued by " + quoted(problem.issuer) + ", a CA not in " + trustStore + number +
               "; add that CA's certificate with tls.ca_file, or have the server send its full chain";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return "the server's certificate " + quoted(problem.subject) + " is self-signed and not in " +
               trustStore + number +
               "; to trust it, set tls.ca_file to that certificate, or give the server one from a CA";
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return "the server's chain ends at the root CA " + quoted(problem.subject) + ", which is not in " +
               trustStore + number +
               "; add that CA's certificate with tls.ca_file, or fix the server's chain";
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: {
        const std::string carries =
            m_leafNames.empty() ? "it carries no names" : "it carries " + joined(m_leafNames);
        return "the server's certificate is not valid for " + quoted(m_options.serverName) +
               ", the name we checked: " + carries + number +
               "; set tls.peer_name to a name the certificate carries, or fix the certificate";
    }
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return what + " expired on " + (problem.notAfter ? formatUtc(*problem.notAfter) : "an unknown date") +
               number + "; renew it on the server (if it was renewed, check this machine's clock)";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return what + " is not valid before " +
               (problem.notBefore ? formatUtc(*problem.notBefore) : "an unknown date") + number +
               "; check this machine's clock, or the certificate's start date on the server";
    default:
        return what + " failed verification" + number;
    }
}

std::string TlsLayer::alertText(int alert) const
{
    const std::string named = "TLS alert " + std::to_string(alert) + " \"" + alertName(alert) + "\"";
    const bool ownCertificate = !m_options.certFile.empty();
    if (alert == kAlertCertificateRequired ||
        (m_clientCertRequested && !ownCertificate &&
         (alert == kAlertHandshakeFailure || isClientCertificateRejection(alert))))
        return "the server requires a client certificate (" + named + "); set tls.cert_file and tls.key_file";
    if (m_clientCertRequested && ownCertificate && isClientCertificateRejection(alert))
        return "the server rejected our client certificate tls.cert_file " + quoted(m_options.certFile) +
               " (" + named + "); use a certificate from a CA the server trusts, one that is valid today";
    switch (alert) {
    case kAlertUnrecognizedName:
        return "the server does not serve the name " + quoted(m_options.serverName) + " (" + named +
               "); set tls.peer_name to a name it serves";
    case kAlertNoApplicationProtocol:
        return "the server speaks none of the protocols offered in tls.alpn (" + named +
               "); set tls.alpn to one it serves, or leave it empty";
    case kAlertProtocolVersion:
        return "the server accepts none of our TLS versions (" + named +
               "); it may need TLS older than 1.2, which this system's OpenSSL policy refuses";
    case kAlertHandshakeFailure:
        return "the server found no TLS parameters in common with us (" + named +
               "): cipher suites, groups or signature algorithms; the server's log says which";
    default:
        return "the server ended the connection with " + named;
    }
}

void TlsLayer::failFromOpenSsl(int sslError, std::string_view during)
{
    // Our own alert (bad_certificate, ...) tells the server why before we report.
    flushBelow();
    const unsigned long first = ERR_peek_error();
    const std::string queue = takeOpenSslErrors();
    const long verifyResult = SSL_get_verify_result(m_ssl.get());
    if (!m_options.insecure && m_verifyProblem) {
        fail(static_cast<int>(m_verifyProblem->error), verifyFailureText(m_verifyProblem->error));
        return;
    }
    if (!m_options.insecure && verifyResult != X509_V_OK) {
        fail(static_cast<int>(verifyResult), verifyFailureText(verifyResult));
        return;
    }
    if (m_alertReceived >= 0) {
        fail(m_alertReceived, alertText(m_alertReceived));
        return;
    }
    if (ERR_GET_LIB(first) == ERR_LIB_SSL && isNotTls(ERR_GET_REASON(first))) {
        fail(0, "the peer does not speak TLS (" + queue +
                    "): the port may serve plain TCP, HTTP or another protocol; check the port, or turn "
                    "TLS off for this endpoint");
        return;
    }
    std::string text = "TLS failed " + std::string(during) + ": ";
    text += queue.empty() ? "OpenSSL reported error " + std::to_string(sslError) + " with no detail" : queue;
    fail(0, std::move(text));
}

void TlsLayer::fail(int code, std::string text)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_pendingWrites.clear();
    if (callbacks().failed)
        callbacks().failed(Failure{LayerKind::Tls, code, std::move(text), 0});
}

void TlsLayer::reportPeerClosed(std::string text)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_pendingWrites.clear();
    if (callbacks().closedByPeer)
        callbacks().closedByPeer(Failure{LayerKind::Tls, 0, std::move(text), 0});
}

} // namespace kw::stream

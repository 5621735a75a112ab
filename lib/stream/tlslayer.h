#pragma once

#include "streamlayer.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's opaque types, declared so that this header pulls in no OpenSSL header: kw_stream links
// OpenSSL PRIVATE and nothing above it may depend on OpenSSL's headers.
struct ssl_st;
struct ssl_ctx_st;
struct bio_st;
struct x509_store_ctx_st;

namespace kw::stream {

// How to talk TLS to one endpoint. Layers with equal options except serverName share one SSL_CTX
// (see tlscontext.h), so a thousand endpoints behind one CA parse that CA file once.
struct TlsOptions
{
    // SNI (RFC 6066 section 3, names only: never sent for an IP literal) and the name the
    // certificate must carry (RFC 6125; an IP literal must be in an iPAddress SAN). Empty: the chain
    // is verified but no name is checked and no SNI is sent.
    std::string serverName;
    std::string caFile;   // PEM CAs to trust instead of the system store; empty: the system store
    std::string certFile; // PEM client certificate (and chain) for servers that demand one
    std::string keyFile;  // PEM private key of certFile, unencrypted; empty: read from certFile
    // Skip verification: the handshake goes on whatever the certificate says. TlsSessionInfo still
    // reports what verification found (verified, verifyResult, verifyText).
    bool insecure = false;
    std::vector<std::string> alpn; // offered protocols in order of preference, e.g. {"h2", "http/1.1"}

    bool operator==(const TlsOptions &) const = default;
};

// What the handshake settled, for the details panel and events. Filled when ready() is called.
struct TlsSessionInfo
{
    std::string protocol;    // "TLSv1.3", "TLSv1.2"
    std::string cipher;      // OpenSSL's name: "TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES128-GCM-SHA256"
    std::string alpn;        // the protocol the server chose, empty when none
    std::string peerSubject; // RFC 2253 form, "CN=example.com,O=Example"
    std::string peerIssuer;
    std::vector<std::string> peerNames; // subjectAltName DNS names and IP addresses, in certificate order
    std::optional<std::chrono::system_clock::time_point> notBefore, notAfter;
    bool verified = false;  // the chain and the name checked out (also computed when insecure)
    long verifyResult = 0;  // X509_V_OK (0) or the X509_V_ERR_* that verification found
    std::string verifyText; // when !verified: the same words a failure would have used
};

// Whole days from now until notAfter, rounded down: 0 on the last day, negative once expired.
long long daysUntil(std::chrono::system_clock::time_point notAfter,
                    std::chrono::system_clock::time_point now);

// "2026-12-01T06:30:00Z": how certificate dates appear in failure texts.
std::string formatUtc(std::chrono::system_clock::time_point time);

// A TLS client over memory BIOs (OpenSSL's SSL_set_bio(3) with BIO_s_mem), the way Python asyncio's
// sslproto runs it: the owner moves the bytes, so the socket below keeps its errno (QSslSocket owns
// its socket and folds a reset into "remote host closed").
//
// Callbacks are made from inside start(), receive(), send() and belowEnded(). A callback may call
// send() and shutdown() of this layer; it must not destroy the layer (the owner destroys it after
// the call that made the callback has returned). After failed() or closedByPeer() no callback follows
// and every call is ignored.
class TlsLayer final : public Layer
{
public:
    // Builds (or takes from the cache) the SSL_CTX for the options. nullptr when a CA, certificate
    // or key file cannot be used; *error then names the file, the problem and the fix.
    static std::unique_ptr<TlsLayer> create(const TlsOptions &options, std::string *error);
    ~TlsLayer() override;

    LayerKind kind() const override { return LayerKind::Tls; }
    void start() override;
    void receive(std::string_view bytes) override;
    void send(std::string_view bytes) override;
    void belowEnded() override;
    bool isReady() const override { return m_state == State::Ready; }

    // Our own orderly end: sends close_notify (RFC 8446 section 6.1). Data sent afterwards is a
    // caller error; the peer's remaining data is still delivered until its close_notify.
    void shutdown();

    // Valid once ready() was called.
    const TlsSessionInfo &sessionInfo() const { return m_info; }

private:
    enum class State {
        Idle,
        Handshaking,
        Ready,
        Closed, // failed() or closedByPeer() was reported: terminal
    };
    struct Deleter
    {
        void operator()(ssl_st *ssl) const;
    };

    TlsLayer(const TlsOptions &options, std::shared_ptr<ssl_ctx_st> context, ssl_st *ssl, bio_st *in,
             bio_st *out);

    // SSL_set_verify(3) and SSL_set_info_callback(3): they note what the handshake saw.
    static int verifyCallback(int preverifyOk, x509_store_ctx_st *store);
    static void infoCallback(const ssl_st *ssl, int where, int ret);

    // Runs the handshake, the queued writes and SSL_read until OpenSSL wants more bytes.
    void advance();
    bool drainWrites();
    // SSL_write of as much of data as OpenSSL takes now; -1 after reporting a failure.
    std::ptrdiff_t writeSome(std::string_view data);
    void flushBelow();
    // Reports the failure of the last OpenSSL call (its SSL_get_error(3) result).
    void failFromOpenSsl(int sslError, std::string_view during);
    std::string verifyFailureText(long result) const;
    std::string alertText(int alert) const;
    void fail(int code, std::string text);
    void reportPeerClosed(std::string text);
    void captureSessionInfo();

    TlsOptions m_options;
    std::shared_ptr<ssl_ctx_st> m_context; // keeps the shared SSL_CTX in the cache while in use
    std::unique_ptr<ssl_st, Deleter> m_ssl;
    bio_st *m_in = nullptr;  // network bytes for OpenSSL to read; owned by m_ssl
    bio_st *m_out = nullptr; // records OpenSSL wrote, for sendBelow; owned by m_ssl
    State m_state = State::Idle;
    // advance() is running: a receive() from a callback only appends to m_in, the loop reads it.
    bool m_inAdvance = false;
    bool m_shutdownSent = false;

    // Application bytes not yet taken by SSL_write (it wants to read first: a TLS 1.2 renegotiation
    // the server started). Kept as the caller's chunks plus an offset into the first, so a partial write
    // never copies the rest of the queue.
    std::deque<std::string> m_pendingWrites;
    std::size_t m_pendingOffset = 0;

    // What the callbacks saw during the handshake, for the failure text.
    struct VerifyProblem
    {
        long error = 0;
        int depth = 0;
        std::string subject, issuer;
        std::optional<std::chrono::system_clock::time_point> notBefore, notAfter;
    };
    std::optional<VerifyProblem> m_verifyProblem; // the first one the chain check reported
    std::vector<std::string> m_leafNames;         // names in the server's certificate (SANs, else CN)
    int m_alertReceived = -1; // the description of an error alert received (RFC 8446 section 6.2), or -1
    bool m_clientCertRequested = false; // the server sent a CertificateRequest
    TlsSessionInfo m_info;
};

} // namespace kw::stream

#include "tlscontext.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

namespace kw::stream {

namespace {

// Empty when the file can be opened for reading, else why not, in words.
std::string fileProblem(const std::string &path)
{
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status))
        return "does not exist";
    if (std::filesystem::is_directory(status))
        return "is a directory, not a file";
    std::FILE *file = std::fopen(path.c_str(), "rb");
    if (!file)
        return "cannot be read (" + std::error_code(errno, std::generic_category()).message() + ")";
    std::fclose(file);
    return {};
}

// Size and modification time: a file replaced on disk gives a new key, so a renewed CA or client
// certificate is picked up by the next connection while the old context serves the open ones.
std::string fileStamp(const std::string &path)
{
    if (path.empty())
        return {};
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    const auto time = std::filesystem::last_write_time(path, error);
    return std::to_string(size) + '/' + std::to_string(time.time_since_epoch().count());
}

std::string cacheKey(const TlsOptions &options)
{
    // NUL cannot occur in a path, so it separates the fields unambiguously.
    std::string key;
    for (const std::string *file : {&options.caFile, &options.certFile, &options.keyFile}) {
        key += *file;
        key += '\0';
        key += fileStamp(*file);
        key += '\0';
    }
    key += options.insecure ? '1' : '0';
    for (const std::string &protocol : options.alpn) {
        key += '\0';
        key += protocol;
    }
    return key;
}

std::string quoted(const std::string &text)
{
    return '"' + text + '"';
}

bool lastErrorIs(int library, int reason)
{
    const unsigned long error = ERR_peek_last_error();
    return ERR_GET_LIB(error) == library && ERR_GET_REASON(error) == reason;
}

// SSL_CTX_set_default_passwd_cb(3): an encrypted key fails at once instead of OpenSSL asking for a
// passphrase on the terminal of a headless engine.
int refusePassphrase(char *, int, int, void *)
{
    return 0;
}

std::shared_ptr<ssl_ctx_st> buildContext(const TlsOptions &options, std::string *error)
{
    SSL_CTX *raw = SSL_CTX_new(TLS_client_method());
    if (!raw) {
        *error = "cannot create a TLS context: " + takeOpenSslErrors();
        return {};
    }
    std::shared_ptr<ssl_ctx_st> context(raw, SSL_CTX_free);
    SSL_CTX_set_default_passwd_cb(raw, refusePassphrase);
    // PARTIAL_WRITE and ACCEPT_MOVING_WRITE_BUFFER (SSL_CTX_set_mode(3)): a write stalled by a TLS 1.2
    // renegotiation is retried from the layer's queue, whose buffer may have moved. RELEASE_BUFFERS:
    // an idle connection keeps no 34 KiB record buffers, which matters at thousands of endpoints.
    SSL_CTX_set_mode(raw, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);

    // The trust store is loaded even when insecure, so that TlsSessionInfo can say what
    // verification would have found.
    if (options.caFile.empty()) {
        if (SSL_CTX_set_default_verify_paths(raw) != 1) {
            *error = "cannot load the system's trusted CA certificates (" + takeOpenSslErrors() +
                     "); install the ca-certificates package or set tls.ca_file";
            return {};
        }
    } else {
        if (const std::string problem = fileProblem(options.caFile); !problem.empty()) {
            *error = "tls.ca_file " + quoted(options.caFile) + ' ' + problem +
                     "; set tls.ca_file to the PEM file of the CA that signed the server's certificate";
            return {};
        }
        if (SSL_CTX_load_verify_locations(raw, options.caFile.c_str(), nullptr) != 1) {
            *error = "tls.ca_file " + quoted(options.caFile) + " holds no PEM certificate (" +
                     takeOpenSslErrors() +
                     "); it must be the CA certificate in PEM form, a block that starts with "
                     "\"-----BEGIN CERTIFICATE-----\"";
            return {};
        }
    }

    if (options.certFile.empty() && !options.keyFile.empty()) {
        *error = "tls.key_file is set but tls.cert_file is not; set tls.cert_file to the client "
                 "certificate that belongs to " +
                 quoted(options.keyFile);
        return {};
    }
    if (!options.certFile.empty()) {
        if (const std::string problem = fileProblem(options.certFile); !problem.empty()) {
            *error = "tls.cert_file " + quoted(options.certFile) + ' ' + problem +
                     "; set tls.cert_file to the PEM client certificate the server expects";
            return {};
        }
        if (SSL_CTX_use_certificate_chain_file(raw, options.certFile.c_str()) != 1) {
            *error = "tls.cert_file " + quoted(options.certFile) + " holds no PEM certificate (" +
                     takeOpenSslErrors() +
                     "); it must be the client certificate in PEM form, a block that starts with "
                     "\"-----BEGIN CERTIFICATE-----\"";
            return {};
        }
        const std::string &keyFile = options.keyFile.empty() ? options.certFile : options.keyFile;
        const char *keyOption = options.keyFile.empty() ? "tls.cert_file" : "tls.key_file";
        if (const std::string problem = fileProblem(keyFile); !problem.empty()) {
            *error = std::string(keyOption) + ' ' + quoted(keyFile) + ' ' + problem +
                     "; set tls.key_file to the private key of tls.cert_file " + quoted(options.certFile);
            return {};
        }
        const std::string mismatch = std::string(keyOption) + ' ' + quoted(keyFile) +
                                     " is not the private key of the certificate in tls.cert_file " +
                                     quoted(options.certFile) +
                                     "; set tls.key_file to the key the certificate was made for";
        if (SSL_CTX_use_PrivateKey_file(raw, keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
            if (lastErrorIs(ERR_LIB_X509, X509_R_KEY_VALUES_MISMATCH)) {
                ERR_clear_error();
                *error = mismatch;
            } else {
                *error = std::string(keyOption) + ' ' + quoted(keyFile) + " holds no usable private key (" +
                         takeOpenSslErrors() +
                         "); it must be an unencrypted PEM key (Keepwatch cannot ask for a passphrase: "
                         "`openssl pkey -in KEY -out PLAIN.key` writes one without)";
            }
            return {};
        }
        if (SSL_CTX_check_private_key(raw) != 1) {
            ERR_clear_error();
            *error = mismatch;
            return {};
        }
    }

    if (!options.alpn.empty()) {
        // RFC 7301 section 3.1: a list of length-prefixed names, each 1 to 255 bytes.
        std::string wire;
        for (const std::string &protocol : options.alpn) {
            if (protocol.empty() || protocol.size() > 255) {
                *error = "tls.alpn entry " + quoted(protocol) +
                         " must be 1 to 255 bytes long (RFC 7301), e.g. \"http/1.1\"";
                return {};
            }
            wire += static_cast<char>(protocol.size());
            wire += protocol;
        }
        // Returns 0 on success, unlike most of OpenSSL (SSL_CTX_set_alpn_protos(3)).
        if (SSL_CTX_set_alpn_protos(raw, reinterpret_cast<const unsigned char *>(wire.data()),
                                    static_cast<unsigned>(wire.size())) != 0) {
            *error = "cannot set tls.alpn: " + takeOpenSslErrors();
            return {};
        }
    }
    return context;
}

struct ContextCache
{
    std::mutex mutex;
    std::map<std::string, std::weak_ptr<ssl_ctx_st>> contexts;
};

ContextCache &contextCache()
{
    static ContextCache cache;
    return cache;
}

} // namespace

std::string takeOpenSslErrors()
{
    std::string text;
    while (const unsigned long error = ERR_get_error()) {
        const char *reason = ERR_reason_error_string(error);
        std::string one;
        if (reason) {
            one = reason;
        } else {
            char buffer[256];
            ERR_error_string_n(error, buffer, sizeof buffer);
            one = buffer;
        }
        // The same reason often appears once per layer of OpenSSL; say it once.
        if (text.find(one) != std::string::npos)
            continue;
        if (!text.empty())
            text += "; ";
        text += one;
    }
    return text;
}

std::shared_ptr<ssl_ctx_st> acquireTlsContext(const TlsOptions &options, std::string *error)
{
    std::string ignored;
    if (!error)
        error = &ignored;
    ERR_clear_error();
    const std::string key = cacheKey(options);
    ContextCache &cache = contextCache();
    // Built under the lock: endpoints reconnecting together then parse a CA file once, not once each.
    const std::lock_guard lock(cache.mutex);
    std::erase_if(cache.contexts, [](const auto &entry) { return entry.second.expired(); });
    if (auto found = cache.contexts.find(key); found != cache.contexts.end())
        if (auto context = found->second.lock())
            return context;
    auto context = buildContext(options, error);
    if (context)
        cache.contexts[key] = context;
    return context;
}

std::size_t tlsContextCacheSize()
{
    ContextCache &cache = contextCache();
    const std::lock_guard lock(cache.mutex);
    std::erase_if(cache.contexts, [](const auto &entry) { return entry.second.expired(); });
    return cache.contexts.size();
}

} // namespace kw::stream

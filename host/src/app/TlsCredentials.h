#pragma once
// The HTTPS listener's certificate chain and private key, which a reload (SIGHUP) can replace
// without a restart: new connections get the new pair, open ones keep theirs. OpenSSL asks for
// the pair at every handshake (SSL_CTX_set_cert_cb), so the shared SSL_CTX is never modified
// while acceptor threads use it.
#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <string>

namespace mcph::app {

class TlsCredentials {
  public:
    // Reads both PEM files; throws std::runtime_error naming the file and the problem (never
    // key material) when one is unreadable or the key does not belong to the certificate.
    TlsCredentials(const std::string& certificateFile, const std::string& privateKeyFile);
    ~TlsCredentials();
    TlsCredentials(const TlsCredentials&) = delete;
    TlsCredentials& operator=(const TlsCredentials&) = delete;

    // Serves the current pair on every connection `ctx` accepts; this object must outlive it.
    void attach(SSL_CTX* ctx);

    // Reads the files again. Returns what changed ("" when the certificate is the same), or
    // throws std::runtime_error, keeping the pair in use, when they are unusable.
    std::string reload(const std::string& certificateFile, const std::string& privateKeyFile);

    // Subject, expiry and SHA-256 fingerprint of the certificate in use, for the log.
    std::string describe() const;

    struct Pair;

  private:
    static int selectCertificate(SSL* ssl, void* self);
    std::shared_ptr<const Pair> current() const;

    mutable std::mutex mutex_;
    std::shared_ptr<const Pair> pair_;
};

}  // namespace mcph::app

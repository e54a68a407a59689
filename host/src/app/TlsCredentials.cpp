#include "app/TlsCredentials.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <stdexcept>

namespace mcph::app {

struct TlsCredentials::Pair {
    X509* leaf = nullptr;
    STACK_OF(X509) * chain = nullptr;
    EVP_PKEY* key = nullptr;
    std::string fingerprint;  // SHA-256 of the leaf, hex
    std::string identity;     // the leaf's and every chain certificate's: what "changed" means
    std::string description;

    ~Pair() {
        X509_free(leaf);
        sk_X509_pop_free(chain, X509_free);
        EVP_PKEY_free(key);
    }
};

namespace {

std::string opensslError() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "no PEM data";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

std::unique_ptr<BIO, decltype(&BIO_free)> openFile(const std::string& path) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "r"), BIO_free);
    if (!bio) {
        ERR_clear_error();
        throw std::runtime_error("cannot read " + path);
    }
    return bio;
}

std::string asn1Time(const ASN1_TIME* time) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    ASN1_TIME_print(bio.get(), time);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string sha256Hex(X509* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    X509_digest(certificate, EVP_sha256(), digest, &length);
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02X", digest[i]);
        out += hex;
    }
    return out;
}

std::shared_ptr<const TlsCredentials::Pair> loadPair(const std::string& certificateFile,
                                                     const std::string& privateKeyFile) {
    auto pair = std::make_shared<TlsCredentials::Pair>();
    {
        auto bio = openFile(certificateFile);
        pair->leaf = PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr);
        if (!pair->leaf)
            throw std::runtime_error(certificateFile + ": no certificate: " + opensslError());
        pair->chain = sk_X509_new_null();
        while (X509* next = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
            sk_X509_push(pair->chain, next);
        }
        ERR_clear_error();  // the end of the file reads as an error
    }
    {
        auto bio = openFile(privateKeyFile);
        pair->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
        if (!pair->key)
            throw std::runtime_error(privateKeyFile + ": no private key: " + opensslError());
    }
    if (X509_check_private_key(pair->leaf, pair->key) != 1) {
        ERR_clear_error();
        throw std::runtime_error(privateKeyFile +
                                 ": the private key does not belong to the certificate " +
                                 certificateFile);
    }
    pair->fingerprint = sha256Hex(pair->leaf);
    pair->identity = pair->fingerprint;
    for (int i = 0; i < sk_X509_num(pair->chain); ++i)
        pair->identity += ":" + sha256Hex(sk_X509_value(pair->chain, i));
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(pair->leaf), subject, sizeof subject);
    pair->description = std::string(subject) + ", valid until " +
                        asn1Time(X509_get0_notAfter(pair->leaf)) + ", sha256 " +
                        pair->fingerprint.substr(0, 16) + "…";
    return pair;
}

}  // namespace

TlsCredentials::TlsCredentials(const std::string& certificateFile,
                               const std::string& privateKeyFile)
    : pair_(loadPair(certificateFile, privateKeyFile)) {}

TlsCredentials::~TlsCredentials() = default;

void TlsCredentials::attach(SSL_CTX* ctx) {
    SSL_CTX_set_cert_cb(ctx, &TlsCredentials::selectCertificate, this);
}

std::shared_ptr<const TlsCredentials::Pair> TlsCredentials::current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pair_;
}

int TlsCredentials::selectCertificate(SSL* ssl, void* self) {
    const std::shared_ptr<const Pair> pair = static_cast<TlsCredentials*>(self)->current();
    // The SSL takes its own references: the pair may be replaced during the handshake.
    return SSL_use_cert_and_key(ssl, pair->leaf, pair->key, pair->chain, 1) == 1 ? 1 : 0;
}

std::string TlsCredentials::reload(const std::string& certificateFile,
                                   const std::string& privateKeyFile) {
    std::shared_ptr<const Pair> next = loadPair(certificateFile, privateKeyFile);
    std::lock_guard<std::mutex> lock(mutex_);
    if (next->identity == pair_->identity) return "";
    pair_ = std::move(next);
    return pair_->description;
}

std::string TlsCredentials::describe() const { return current()->description; }

}  // namespace mcph::app

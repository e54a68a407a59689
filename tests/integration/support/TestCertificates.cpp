#include "TestCertificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace mcph::testing {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using OctetsPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("self-signed certificate: ") + what + " failed");
}

// Writes with `write(FILE*)` to `path` (created or truncated).
template <typename Write>
void writePem(const std::string& path, Write write) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "w"), &std::fclose);
    check(f != nullptr, ("opening " + path).c_str());
    check(write(f.get()) == 1, ("writing " + path).c_str());
}

}  // namespace

void writeSelfSignedCertificate(const std::string& keyPath, const std::string& certPath, const std::string& name) {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(key != nullptr, "EC P-256 key generation");

    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");  // v3
    check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial number");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr, "notAfter");
    check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
    X509_NAME* subject = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()),
                                     -1, -1, 0) == 1,
          "subject CN");
    check(X509_set_issuer_name(cert.get(), subject) == 1, "issuer name");

    const bool isIp = OctetsPtr(a2i_IPADDRESS(name.c_str())) != nullptr;
    const std::string altName = (isIp ? "IP:" : "DNS:") + name;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    ExtensionPtr san(X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, altName.c_str()));
    check(san != nullptr, "subjectAltName");
    check(X509_add_ext(cert.get(), san.get(), -1) == 1, "X509_add_ext");

    check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    writePem(certPath, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
    writePem(keyPath, [&](FILE* f) {
        return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
}

}  // namespace mcph::testing

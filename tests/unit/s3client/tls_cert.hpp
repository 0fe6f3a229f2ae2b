#pragma once
// Shared by the TLS tests: a self-signed certificate made in memory (P-256 key, one subject
// alternative name), a server SSL_CTX serving it, and the certificate as a PEM file a client
// can trust.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace presign::s3client::test {

/// A self-signed certificate for `san` ("IP:127.0.0.1", "DNS:example.invalid"), valid from an
/// hour ago for a day, and the server context that presents it.
class self_signed_server_tls {
  public:
    explicit self_signed_server_tls(const std::string& san) {
        key_ = EVP_EC_gen("P-256");
        cert_ = X509_new();
        if (!key_ || !cert_) throw std::runtime_error("cannot make a test key");
        X509_set_version(cert_, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert_), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert_), 24 * 3600);
        X509_NAME* name = X509_get_subject_name(cert_);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("presign test"), -1, -1,
                                   0);
        X509_set_issuer_name(cert_, name);
        X509_set_pubkey(cert_, key_);
        add_extension(NID_basic_constraints, "critical,CA:TRUE");
        add_extension(NID_subject_alt_name, san.c_str());
        if (X509_sign(cert_, key_, EVP_sha256()) == 0)
            throw std::runtime_error("cannot sign the test certificate");

        ctx_ = SSL_CTX_new(TLS_server_method());
        if (!ctx_ || SSL_CTX_use_certificate(ctx_, cert_) != 1 ||
            SSL_CTX_use_PrivateKey(ctx_, key_) != 1)
            throw std::runtime_error("cannot set up the test TLS server");

        pem_path_ = std::filesystem::temp_directory_path() /
                    ("presign-s3client-ca-" + std::to_string(::getpid()) + "-" +
                     std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".pem");
        FILE* f = std::fopen(pem_path_.c_str(), "w");
        if (!f || PEM_write_X509(f, cert_) != 1) throw std::runtime_error("cannot write the PEM");
        std::fclose(f);
    }
    ~self_signed_server_tls() {
        std::error_code ec;
        std::filesystem::remove(pem_path_, ec);
        SSL_CTX_free(ctx_);
        X509_free(cert_);
        EVP_PKEY_free(key_);
    }
    self_signed_server_tls(const self_signed_server_tls&) = delete;
    self_signed_server_tls& operator=(const self_signed_server_tls&) = delete;

    SSL_CTX* context() const { return ctx_; }
    /// The certificate in PEM, to trust as a certificate authority.
    std::string pem_path() const { return pem_path_.string(); }

  private:
    void add_extension(int nid, const char* value) {
        X509V3_CTX v3;
        X509V3_set_ctx_nodb(&v3);
        X509V3_set_ctx(&v3, cert_, cert_, nullptr, nullptr, 0);
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
        if (!ext) throw std::runtime_error("bad test certificate extension");
        X509_add_ext(cert_, ext, -1);
        X509_EXTENSION_free(ext);
    }

    EVP_PKEY* key_ = nullptr;
    X509* cert_ = nullptr;
    SSL_CTX* ctx_ = nullptr;
    std::filesystem::path pem_path_;
};

}  // namespace presign::s3client::test

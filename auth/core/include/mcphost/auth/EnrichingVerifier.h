#pragma once
// A TokenVerifier that completes the identity of what another one verified (UserInfoEnricher).
#include <memory>

#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/UserInfoEnricher.h"

namespace mcph::auth {

class EnrichingVerifier final : public TokenVerifier {
  public:
    EnrichingVerifier(std::shared_ptr<TokenVerifier> inner,
                      std::shared_ptr<UserInfoEnricher> enricher)
        : inner_(std::move(inner)), enricher_(std::move(enricher)) {}

    VerifyResult verify(const std::string& token) override {
        VerifyResult result = inner_->verify(token);
        if (result.context) enricher_->enrich(*result.context, token);
        return result;
    }

  private:
    std::shared_ptr<TokenVerifier> inner_;
    std::shared_ptr<UserInfoEnricher> enricher_;
};

}  // namespace mcph::auth

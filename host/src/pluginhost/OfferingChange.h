#pragma once
// What one change of the served offerings touched, and who is told of it. Kept apart from
// Offerings.h so the session layer can listen without the plugin loader's headers.

namespace mcph::pluginhost {

// Which lists one change touched.
struct OfferingChange {
    bool tools = false;
    bool resources = false;  // resources or resource templates
    bool prompts = false;
    bool any() const { return tools || resources || prompts; }
};

// Told of every change of the registry (the session registry: list_changed notifications).
class OfferingChangeSink {
  public:
    virtual ~OfferingChangeSink() = default;
    virtual void offeringsChanged(const OfferingChange& change) = 0;
};

}  // namespace mcph::pluginhost

#include "mcphost/auth/server/UserFacts.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace mcph::auth::server {

namespace {

Poco::JSON::Array::Ptr toArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : items) a->add(s);
    return a;
}

std::vector<std::string> strings(const Poco::JSON::Object& o, const std::string& key) {
    std::vector<std::string> out;
    const auto a = o.getArray(key);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        if (a->get(static_cast<unsigned>(i)).isString()) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return out;
}

std::string text(const Poco::JSON::Object& o, const std::string& key) {
    const auto v = o.get(key);
    return v.isString() ? v.extract<std::string>() : "";
}

}  // namespace

std::string UserFacts::toJson() const {
    Poco::JSON::Object o;
    o.set("sub", subject);
    if (!email.empty()) o.set("email", email);
    if (!hostedDomain.empty()) o.set("hd", hostedDomain);
    if (!tenant.empty()) o.set("tid", tenant);
    if (!groups.empty()) o.set("groups", toArray(groups));
    if (!organizations.empty()) o.set("orgs", toArray(organizations));
    if (!teams.empty()) o.set("teams", toArray(teams));
    if (!claims.empty()) {
        Poco::JSON::Object::Ptr c = new Poco::JSON::Object;
        for (const auto& [name, values] : claims) c->set(name, toArray(values));
        o.set("claims", c);
    }
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

UserFacts UserFacts::fromJson(const std::string& json) {
    UserFacts f;
    if (json.empty()) return f;
    try {
        const auto parsed = Poco::JSON::Parser().parse(json);
        const auto o = parsed.extract<Poco::JSON::Object::Ptr>();
        if (!o) return f;
        f.subject = text(*o, "sub");
        f.email = text(*o, "email");
        f.hostedDomain = text(*o, "hd");
        f.tenant = text(*o, "tid");
        f.groups = strings(*o, "groups");
        f.organizations = strings(*o, "orgs");
        f.teams = strings(*o, "teams");
        if (const auto c = o->getObject("claims")) {
            for (const auto& name : c->getNames()) f.claims[name] = strings(*c, name);
        }
    } catch (const std::exception&) {
        return UserFacts{};
    }
    return f;
}

}  // namespace mcph::auth::server

// JSON reading for the contract tests (Poco is fine here: tests are not plugins).
#ifndef MCPH_TESTS_ABI_TEST_JSON_HPP
#define MCPH_TESTS_ABI_TEST_JSON_HPP

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

namespace abitest {

// The JSON text as an object; throws if it is not JSON or not an object.
inline Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace abitest

#endif  // MCPH_TESTS_ABI_TEST_JSON_HPP

#pragma once
// The host's side of `mcph_result`: what a plugin builds through the host API during invoke.
// Everything a plugin hands over is copied in here, so nothing it owns outlives the call.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstddef>

struct mcph_result {
    Poco::JSON::Array::Ptr content = new Poco::JSON::Array;
    Poco::JSON::Object::Ptr structured;
    bool isError = false;
    bool hasText = false;
    std::size_t bytes = 0;  // bytes accepted so far, checked against limit
    std::size_t limit = 0;
};

#pragma once
// The JSON routes over the upload service: /v1 (v1_handlers.cpp) and Uppy Companion's /s3/*
// contract (companion_handlers.cpp). The front authenticates, routes and reads the body first.

#include <string>

#include "api/callers.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "api/upload_service.hpp"

namespace presign::api {

/// One routed, authenticated request.
struct api_request {
    const route_match& route;
    const caller& who;
    const query_params& query;
    const std::string& body;  ///< empty for routes without a JSON body
};

/// A JSON answer.
struct api_reply {
    unsigned status = 200;
    std::string json;
};

/// Answers a /v1 route.
result<api_reply> handle_v1(const upload_service& service, const api_request& req);

/// Answers an /s3/* route in Companion's shapes.
result<api_reply> handle_companion(const upload_service& service, const api_request& req);

}  // namespace presign::api

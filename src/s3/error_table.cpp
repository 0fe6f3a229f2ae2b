#include "s3/error_table.hpp"

#include <array>

namespace presign::s3 {

namespace {
// Ordered as the enum; a static_assert below keeps the two in step.
constexpr std::array k_table = {
    error_info{"AccessDenied", 403, "Access Denied"},
    // A refused CORS preflight. S3's error table does not list the code; the wire has it (with
    // this message, "evalution" included, and <Method>, <ResourceType> details). Other causes
    // ("CORSResponse: Bucket not found", "... CORS is not enabled for this bucket.") pass their
    // own message.
    error_info{"AccessForbidden", 403,
               "CORSResponse: This CORS request is not allowed. This is usually because the "
               "evalution of Origin, request method / Access-Control-Request-Method or "
               "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."},
    error_info{"AuthorizationHeaderMalformed", 400, "The authorization header is malformed."},
    error_info{"AuthorizationQueryParametersError", 400,
               "Error parsing the X-Amz-Credential parameter."},
    error_info{"BadDigest", 400, "The Content-MD5 you specified did not match what we received."},
    // A CORS preflight without Origin (S3's wire message); without a usable
    // Access-Control-Request-Method the message names it.
    error_info{"BadRequest", 400, "Insufficient information. Origin request header needed."},
    error_info{"BucketAlreadyExists", 409,
               "The requested bucket name is not available. Select a different name and try "
               "again."},
    error_info{"BucketAlreadyOwnedByYou", 409,
               "Your previous request to create the named bucket succeeded and you already own "
               "it."},
    error_info{"BucketNotEmpty", 409, "The bucket you tried to delete is not empty."},
    error_info{"EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size."},
    error_info{"EntityTooSmall", 400,
               "Your proposed upload is smaller than the minimum allowed object size."},
    error_info{"IncompleteBody", 400,
               "You did not provide the number of bytes specified by the Content-Length HTTP "
               "header."},
    error_info{"InternalError", 500, "We encountered an internal error. Please try again."},
    error_info{"InvalidAccessKeyId", 403,
               "The AWS Access Key Id you provided does not exist in our records."},
    error_info{"InvalidArgument", 400, "Invalid Argument"},
    error_info{"InvalidBucketName", 400, "The specified bucket is not valid."},
    error_info{"InvalidDigest", 400, "The Content-MD5 you specified is not valid."},
    error_info{"InvalidPart", 400,
               "One or more of the specified parts could not be found. The part may not have "
               "been uploaded, or the specified entity tag may not match the part's entity tag."},
    error_info{"InvalidPartOrder", 400,
               "The list of parts was not in ascending order. Parts must be ordered by part "
               "number."},
    error_info{"InvalidPartNumber", 416, "The requested partnumber is not satisfiable"},
    error_info{"InvalidPolicyDocument", 400,
               "The content of the form does not meet the conditions specified in the policy "
               "document."},
    error_info{"InvalidRange", 416, "The requested range is not satisfiable"},
    error_info{"InvalidRequest", 400, "Invalid Request"},
    error_info{"InvalidToken", 400, "The provided token is malformed or otherwise invalid."},
    error_info{"InvalidURI", 400, "Couldn't parse the specified URI."},
    error_info{"KeyTooLongError", 400, "Your key is too long"},
    error_info{"MalformedPOSTRequest", 400,
               "The body of your POST request is not well-formed multipart/form-data."},
    error_info{"MalformedXML", 400,
               "The XML you provided was not well-formed or did not validate against our "
               "published schema."},
    error_info{"MaxMessageLengthExceeded", 400, "Your request was too big."},
    // S3's API reference lists it as MaxPostPreDataLengthExceededError; the wire code (and
    // message, spelling included) are these.
    error_info{"MaxPostPreDataLengthExceeded", 400,
               "Your POST request fields preceeding the upload file was too large."},
    error_info{"MetadataTooLarge", 400,
               "Your metadata headers exceed the maximum allowed metadata size."},
    error_info{"MethodNotAllowed", 405,
               "The specified method is not allowed against this resource."},
    error_info{"MissingContentLength", 411, "You must provide the Content-Length HTTP header."},
    error_info{"MissingSecurityHeader", 400, "Your request is missing a required header."},
    error_info{"NoSuchBucket", 404, "The specified bucket does not exist"},
    error_info{"NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"},
    error_info{"NoSuchKey", 404, "The specified key does not exist."},
    error_info{"NoSuchUpload", 404,
               "The specified upload does not exist. The upload ID may be invalid, or the upload "
               "may have been aborted or completed."},
    error_info{"NotImplemented", 501,
               "A header you provided implies functionality that is not implemented."},
    error_info{"PreconditionFailed", 412,
               "At least one of the pre-conditions you specified did not hold"},
    error_info{"RequestHeaderSectionTooLarge", 400,
               "Your request header section exceeds the maximum allowed size."},
    error_info{"RequestTimeTooSkewed", 403,
               "The difference between the request time and the current time is too large."},
    error_info{"RequestTimeout", 400,
               "Your socket connection to the server was not read from or written to within the "
               "timeout period."},
    error_info{"ServiceUnavailable", 503, "Please reduce your request rate."},
    error_info{"SignatureDoesNotMatch", 403,
               "The request signature we calculated does not match the signature you provided. "
               "Check your key and signing method."},
    error_info{"SlowDown", 503, "Please reduce your request rate."},
    error_info{"UnexpectedContent", 400, "This request does not support content"},
    error_info{"XAmzContentSHA256Mismatch", 400,
               "The provided 'x-amz-content-sha256' header does not match what was computed."},
};
static_assert(k_table.size() == static_cast<std::size_t>(code::x_amz_content_sha256_mismatch) + 1,
              "every s3::code needs exactly one row");
}  // namespace

const error_info& info(code c) noexcept {
    return k_table[static_cast<std::size_t>(c)];
}

}  // namespace presign::s3

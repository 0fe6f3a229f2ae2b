#include "s3/operation_name.hpp"

namespace presign::s3 {

std::string_view operation_name(operation op) noexcept {
    switch (op) {
        case operation::list_buckets: return "ListBuckets";
        case operation::create_bucket: return "CreateBucket";
        case operation::delete_bucket: return "DeleteBucket";
        case operation::head_bucket: return "HeadBucket";
        case operation::get_bucket_location: return "GetBucketLocation";
        case operation::list_objects_v1: return "ListObjects";
        case operation::list_objects_v2: return "ListObjectsV2";
        case operation::delete_objects: return "DeleteObjects";
        case operation::post_object: return "PostObject";
        case operation::put_object: return "PutObject";
        case operation::get_object: return "GetObject";
        case operation::head_object: return "HeadObject";
        case operation::delete_object: return "DeleteObject";
        case operation::get_bucket_cors: return "GetBucketCors";
        case operation::put_bucket_cors: return "PutBucketCors";
        case operation::delete_bucket_cors: return "DeleteBucketCors";
        case operation::get_bucket_acl: return "GetBucketAcl";
        case operation::put_bucket_acl: return "PutBucketAcl";
        case operation::list_multipart_uploads: return "ListMultipartUploads";
        case operation::preflight: return "Preflight";
        case operation::create_multipart_upload: return "CreateMultipartUpload";
        case operation::complete_multipart_upload: return "CompleteMultipartUpload";
        case operation::upload_part: return "UploadPart";
        case operation::upload_part_copy: return "UploadPartCopy";
        case operation::abort_multipart_upload: return "AbortMultipartUpload";
        case operation::list_parts: return "ListParts";
        case operation::copy_object: return "CopyObject";
        case operation::get_object_acl: return "GetObjectAcl";
        case operation::put_object_acl: return "PutObjectAcl";
        case operation::not_implemented: break;
    }
    return "NotImplemented";
}

}  // namespace presign::s3
